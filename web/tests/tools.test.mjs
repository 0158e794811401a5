// Browser tests of File > Export (downloads), the keymap and its ? overlay, and share links.
// Run from browser.test.mjs, which hands over its helpers (h): test, expect, openSession,
// closeSession, waitForReady, waitFor, clickItem, status, decodePng, imageStats.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const SETTLE_TIMEOUT_MS = 60_000;
// A scenario's text as a share link carries it: [scenario] id "shared", title "Shared from a
// link", one workqueue. tests/smoke/CMakeLists.txt uses the same link on the desktop.
const SHARED = 'W3NjZW5hcmlvXQppZCA9ICJzaGFyZWQiCnRpdGxlID0gIlNoYXJlZCBmcm9tIGEgbGluayIKW1t3b3JrcXVldWVdXQpuYW1lID0gIm1pbmUiCg';
const DAMAGED = `${SHARED.slice(0, 4)}*${SHARED.slice(5)}`;
const DAMAGED_ERROR = "share-url: the link is damaged: not valid base64url at character 5 ('*')";
// The doc demo's last tracepoint line (tests/app/run_export_test.cpp has them all).
const LAST_FTRACE_LINE = '     kworker/0:2-8       [000] .....      0.025000: workqueue_execute_end: ' +
  'work struct ffff8881000000c0: function w2\n';

// Runs `action` and returns the download it starts: its suggested name and its bytes.
async function download(page, action) {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), action()]);
  const file = await d.path();
  return { name: d.suggestedFilename(), bytes: await readFile(file) };
}

async function settledDoc(h, session, url) {
  await session.page.goto(`${url}?demo=doc&at=10ms`);
  await h.waitForReady(session);
  await h.waitFor(session.page, () => window.wqlabStatus.settled === true &&
    window.wqlabStatus.demo === 'doc' && window.wqlabStatus.live === false, null,
  'the doc demo settling at 10 ms', SETTLE_TIMEOUT_MS);
}

export async function testExports(h, url, out) {
  const session = await h.openSession();
  try {
    const { page } = session;
    let ready = false;
    await test(h, 'File > Export ftrace text downloads the run as the kernel prints it', async () => {
      await settledDoc(h, session, url);
      ready = true;
      const d = await download(page, async () => {
        await h.clickItem(page, 'menu:File');
        await h.clickItem(page, 'command:export_ftrace');
      });
      h.expect(/^wqlab-doc-\d{8}-\d{6}\.ftrace\.txt$/.test(d.name), `downloaded as ${d.name}`);
      const text = d.bytes.toString('utf8');
      h.expect(text.startsWith('# tracer: nop\n'), `it starts with ${JSON.stringify(text.slice(0, 40))}`);
      h.expect(text.includes('# entries-in-buffer/entries-written: 12/12   #P:2\n'), 'not 12 entries on 2 CPUs');
      h.expect(text.endsWith(LAST_FTRACE_LINE), `its last line is ${JSON.stringify(text.slice(-120))}`);
      await h.waitFor(page, () => window.wqlabStatus.exports.count === 1, null, 'exports.count 1');
    });
    await test(h, 'Ctrl+E downloads the Perfetto trace (JSON with the machine and its flows)', async () => {
      h.expect(ready, 'the demo never settled');
      const d = await download(page, () => page.keyboard.press('Control+e'));
      h.expect(/^wqlab-doc-\d{8}-\d{6}\.perfetto\.json$/.test(d.name), `downloaded as ${d.name}`);
      const doc = JSON.parse(d.bytes.toString('utf8'));
      const events = doc.traceEvents;
      h.expect(events[0].args.name === 'doc (cmwq, Linux 6.12)', `process ${events[0].args.name}`);
      const runs = events.filter((e) => e.ph === 'X' && /^w[012]$/.test(e.name)).map((e) => e.name).sort();
      h.expect(JSON.stringify(runs) === '["w0","w1","w2"]', `executions ${runs}`);
      const flowsOut = events.filter((e) => e.flow_out).map((e) => e.bind_id).sort();
      const flowsIn = events.filter((e) => e.flow_in).map((e) => e.bind_id).sort();
      h.expect(flowsOut.length === 3 && JSON.stringify(flowsOut) === JSON.stringify(flowsIn),
        `flows out ${flowsOut}, in ${flowsIn}`);
    });
    await test(h, 'File > Screenshot downloads the window as a PNG of the canvas size', async () => {
      h.expect(ready, 'the demo never settled');
      const d = await download(page, async () => {
        await h.clickItem(page, 'menu:File');
        await h.clickItem(page, 'command:screenshot');
      });
      h.expect(/^wqlab-doc-\d{8}-\d{6}\.png$/.test(d.name), `downloaded as ${d.name}`);
      const image = h.decodePng(d.bytes);
      const canvas = await page.evaluate(() => [document.getElementById('canvas').width,
        document.getElementById('canvas').height]);
      h.expect(image.width === canvas[0] && image.height === canvas[1],
        `${image.width} x ${image.height}, the canvas is ${canvas[0]} x ${canvas[1]}`);
      const s = h.imageStats(image);
      h.expect(s.stddev >= 6 && s.colours >= 64 && s.background <= 0.95,
        `the PNG looks blank (stddev ${s.stddev.toFixed(1)}, ${s.colours} colours)`);
      await writeFile(path.join(out, 'browser-export.png'), d.bytes);
      const st = await h.status(page);
      h.expect(st.exports.count === 3 && st.exports.error === '', `exports ${JSON.stringify(st.exports)}`);
    });
  } finally {
    await h.closeSession(session);
  }
}

export async function testKeyboard(h, url, out) {
  const session = await h.openSession();
  try {
    const { page } = session;
    await test(h, '? opens the keyboard overlay, Esc closes it', async () => {
      await settledDoc(h, session, url);
      await page.keyboard.type('?');
      await h.waitFor(page, () => window.wqlabStatus.keysOverlay === true, null, 'the overlay opening');
      await h.waitFor(page, () => !!(window.wqlabStatus.items || {})['window:Keyboard shortcuts'], null,
        'the overlay being drawn');
      await page.screenshot({ path: path.join(out, 'browser-keys.png') });
      await page.keyboard.press('Escape');
      await h.waitFor(page, () => window.wqlabStatus.keysOverlay === false, null, 'the overlay closing');
    });
    await test(h, 'Left and Right step through events; Shift+Right jumps to the next highlight', async () => {
      const before = (await h.status(page)).moment;
      await page.keyboard.press('ArrowLeft');
      await h.waitFor(page, (m) => window.wqlabStatus.moment === m - 1, before, 'one event back');
      await page.keyboard.press('ArrowRight');
      await h.waitFor(page, (m) => window.wqlabStatus.moment === m, before, 'one event forward');
      await page.keyboard.press('Home');
      await h.waitFor(page, () => window.wqlabStatus.moment === 0, null, 'the first event');
      await page.keyboard.press('Shift+ArrowRight');
      await h.waitFor(page, () => window.wqlabStatus.momentTimeNs > 0, null, 'the next highlight');
      await page.keyboard.press('End');
      await h.waitFor(page, () => window.wqlabStatus.live === true, null, 'back to live');
    });
    await test(h, 'holding W zooms the timeline in, D pans it, F fits the run again', async () => {
      const span = (v) => v.rangeEndNs - v.rangeStartNs;
      const before = await page.evaluate(() => ({
        rangeStartNs: window.wqlabStatus.views.timeline.rangeStartNs,
        rangeEndNs: window.wqlabStatus.views.timeline.rangeEndNs }));
      await page.keyboard.down('w');
      await h.waitFor(page, (s0) => {
        const t = window.wqlabStatus.views.timeline;
        return t.rangeEndNs - t.rangeStartNs < s0 / 2;
      }, span(before), 'the visible span halving');
      await page.keyboard.up('w');
      const zoomed = await page.evaluate(() => window.wqlabStatus.views.timeline);
      await page.keyboard.down('d');
      await h.waitFor(page, (t0) => window.wqlabStatus.views.timeline.rangeStartNs > t0,
        zoomed.rangeStartNs, 'the range moving later');
      await page.keyboard.up('d');
      await page.keyboard.press('f');
      await h.waitFor(page, (s0) => {
        const t = window.wqlabStatus.views.timeline;
        return t.rangeStartNs === 0 && t.rangeEndNs - t.rangeStartNs >= s0;
      }, span(before), 'the whole run in view');
    });
    await test(h, 'Tab hands the arrows to widget navigation; Esc gives them back', async () => {
      const panel = await page.evaluate(() => window.wqlabStatus.items['panel:Lesson']);
      await page.mouse.click(panel.x + 20, panel.y + panel.h - 20);  // focus a panel, on no widget
      await page.keyboard.press('Tab');
      await h.waitFor(page, () => window.wqlabStatus.keyboardNav === true, null, 'keyboard navigation');
      const before = await h.status(page);
      await page.keyboard.press('ArrowLeft');
      await h.waitFor(page, (f) => window.wqlabStatus.frames > f + 5, before.frames, 'five frames');
      const during = await h.status(page);
      h.expect(during.moment === before.moment, `the arrow stepped the machine (${before.moment} -> ${during.moment})`);
      await page.keyboard.press('Escape');
      await h.waitFor(page, () => window.wqlabStatus.keyboardNav === false, null, 'leaving navigation');
      await page.keyboard.press('ArrowLeft');
      await h.waitFor(page, (m) => window.wqlabStatus.moment < m, during.moment, 'the arrow stepping back');
    });
    await test(h, 'typing in a text box fires no shortcut', async () => {
      const before = await h.status(page);
      await page.keyboard.press('Control+Shift+l');
      await h.clickItem(page, 'share:text');
      await page.keyboard.type('? f', { delay: 20 });
      await page.keyboard.press('Home');
      const typed = await h.status(page);
      await h.waitFor(page, (f) => window.wqlabStatus.frames > f + 5, typed.frames, 'five frames');
      const s = await h.status(page);
      h.expect(s.keysOverlay === false, 'typing ? opened the overlay');
      h.expect(s.moment === before.moment && s.live === before.live,
        `Home moved the machine (moment ${before.moment} -> ${s.moment}) instead of the text cursor`);
    });
  } finally {
    await h.closeSession(session);
  }
}

export async function testShareLinks(h, url) {
  const session = await h.openSession();
  try {
    const { page, context } = session;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    await test(h, 'a share link opens its scenario and reports its title', async () => {
      await page.goto(`${url}?demo=doc#s=${SHARED}`);
      await h.waitForReady(session);
      await h.waitFor(page, () => window.wqlabStatus.share && window.wqlabStatus.share.state === 'ok', null,
        'the link being opened');
      const s = (await h.status(page)).share;
      h.expect(s.title === 'Shared from a link' && s.origin === 'link', `share ${JSON.stringify(s)}`);
    });
    await test(h, 'a damaged link (hashchange) reports the error and the app goes on', async () => {
      await page.evaluate((d) => { window.location.hash = `#s=${d}`; }, DAMAGED);
      await h.waitFor(page, () => window.wqlabStatus.share.state === 'error', null, 'the error');
      const s = await h.status(page);
      h.expect(s.share.error === DAMAGED_ERROR, `error ${s.share.error}`);
      h.expect(s.notice.error === true && s.notice.text === DAMAGED_ERROR, `notice ${JSON.stringify(s.notice)}`);
      const frames = s.frames;
      await h.waitFor(page, (f) => window.wqlabStatus.frames > f + 10, frames, 'more frames');
    });
    await test(h, 'Copy share link puts the link on the clipboard and it opens again', async () => {
      // Ctrl+Shift+L already copies the shown stage's link; the typed text's link replaces it.
      await page.keyboard.press('Control+Shift+l');
      await h.waitFor(page, () => window.wqlabStatus.clipboard === 'copied', null, 'the stage link\'s copy');
      const stageLink = (await h.status(page)).share.link;
      await h.clickItem(page, 'share:text');
      await page.keyboard.press('Control+a');
      await page.keyboard.type('[scenario]\nid = "typed"\ntitle = "Typed in the browser"\n');
      await h.clickItem(page, 'share:copy');
      await h.waitFor(page, (before) => window.wqlabStatus.share.link !== before, stageLink,
        'the typed scenario\'s link');
      await h.waitFor(page, () => window.wqlabStatus.clipboard === 'copied', null, 'the clipboard write');
      const link = (await h.status(page)).share.link;
      h.expect(link.startsWith(`${url}?demo=doc#s=`), `link ${link}`);
      const clip = await page.evaluate(() => navigator.clipboard.readText());
      h.expect(clip === link, `the clipboard holds ${clip}`);
      await page.keyboard.press('Escape');
      await page.goto(link);
      await h.waitForReady(session);
      await h.waitFor(page, () => window.wqlabStatus.share && window.wqlabStatus.share.state === 'ok', null,
        'the copied link being opened');
      const s = (await h.status(page)).share;
      h.expect(s.title === 'Typed in the browser', `title ${s.title}`);
    });
  } finally {
    await h.closeSession(session);
  }
  const fresh = await h.openSession();
  try {
    await test(h, 'a page opened with a damaged link says what is wrong', async () => {
      await fresh.page.goto(`${url}#s=${DAMAGED}`);
      await h.waitForReady(fresh);
      await h.waitFor(fresh.page, () => window.wqlabStatus.share && window.wqlabStatus.share.state === 'error',
        null, 'the error');
      const s = (await h.status(fresh.page)).share;
      h.expect(s.error === DAMAGED_ERROR, `error ${s.error}`);
    });
  } finally {
    await h.closeSession(fresh);
  }
}

function test(h, name, body) {
  return h.test(name, body);
}
