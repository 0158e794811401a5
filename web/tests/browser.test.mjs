#!/usr/bin/env node
// Browser tests of the built site in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): the page is cross-origin isolated, the app renders, its pthread delivers the
// right value, the screen is not blank, settings survive a reload, HiDPI gets a sharp canvas, and
// the folder also works on a host without COOP/COEP headers thanks to coi-serviceworker.js;
// tools.test.mjs adds exports (downloads), the keymap and share links, and lesson_cases.mjs plays
// the three required lessons (answers, last checkpoint, back to the first, 中文).
//
// usage: node web/tests/browser.test.mjs --site DIR --out DIR
// Prints "ok - NAME" or "not ok - NAME # REASON" (TAP style: names may hold colons) per test, then "browser: N passed, N failed"
// (scripts/test.sh reads that line); exits 1 if any test failed.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { runBenchPage } from '../bench.mjs';
import { serveSite } from '../server.mjs';
import { testLessons } from './lesson_cases.mjs';
import { decodePng, imageStats } from './png.mjs';
import { testSandbox } from './sandbox.test.mjs';
import { testTraces } from './trace.test.mjs';
import { testExports, testKeyboard, testShareLinks } from './tools.test.mjs';

const CHROMIUM = process.env.WQLAB_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
];
const READY_TIMEOUT_MS = 60_000;  // software WebGL on a busy CI machine can be slow to start
const STEP_TIMEOUT_MS = 15_000;
const MIN_FRAMES = 30;
// Same limits as tests/smoke/png_check.cpp: a blank or single-colour page fails all three.
const MIN_LUMA_STDDEV = 6;
const MIN_COLOURS = 64;
const MAX_BACKGROUND_SHARE = 0.95;

// ---------------------------------------------------------------------------------------------
// The expected pthread value, computed here independently of the app: the sum of the primes
// below 2,000,000 (app/platform/thread_probe.h).
function sumOfPrimesBelow(bound) {
  const composite = new Uint8Array(bound);
  let sum = 0;
  for (let n = 2; n < bound; n++) {
    if (composite[n]) continue;
    sum += n;
    for (let m = n * n; m < bound; m += n) composite[m] = 1;
  }
  return sum;
}
const EXPECTED_PTHREAD_VALUE = sumOfPrimesBelow(2_000_000);

// ---------------------------------------------------------------------------------------------
// A tiny test runner: named checks, one line each, a summary line at the end.
const results = [];

async function test(name, body) {
  try {
    await body();
    results.push(true);
    console.log(`ok - ${name}`);
  } catch (e) {
    results.push(false);
    const reason = String(e && e.message ? e.message : e).split('\n')[0];
    console.log(`not ok - ${name} # ${reason}`);
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--site' && i + 1 < argv.length) options.site = path.resolve(argv[++i]);
    else if (argv[i] === '--out' && i + 1 < argv.length) options.out = path.resolve(argv[++i]);
    else if (argv[i] === '--only' && i + 1 < argv.length) options.only = argv[++i];
    else throw new Error(`unknown or incomplete option '${argv[i]}'`);
  }
  if (!options.site || !options.out) throw new Error('both --site DIR and --out DIR are needed');
  return options;
}

// ---------------------------------------------------------------------------------------------
// Browser sessions: each gets a fresh user-data-dir, so no storage or service worker carries over.
const openSessions = new Set();

async function openSession({ viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1,
  extraArgs = [] } = {}) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'wqlab-chromium-'));
  const session = { userDataDir, context: null, page: null, log: [] };
  openSessions.add(session);
  session.context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport,
    deviceScaleFactor,
  });
  session.page = session.context.pages()[0] || (await session.context.newPage());
  session.page.on('console', (m) => session.log.push(`console.${m.type()}: ${m.text()}`));
  session.page.on('pageerror', (e) => session.log.push(`pageerror: ${e.message}`));
  return session;
}

async function closeSession(session) {
  openSessions.delete(session);
  try {
    if (session.context) await session.context.close();
  } catch {
    // the browser may already be gone
  }
  await rm(session.userDataDir, { recursive: true, force: true });
}

const status = (page) => page.evaluate(() => window.wqlabStatus);

// Polls until the app has drawn a frame (or reported an error); throws with the page's log.
async function waitForReady(session, timeout = READY_TIMEOUT_MS) {
  try {
    await session.page.waitForFunction(
      () => window.wqlabStatus && (window.wqlabStatus.ready || window.wqlabStatus.error),
      null, { timeout, polling: 100 });
  } catch (e) {
    throw new Error(`not ready within ${timeout / 1000} s; page log: ${session.log.slice(-5).join(' | ') || '(empty)'}`);
  }
  const s = await status(session.page);
  if (s.error) throw new Error(`the page reported an error: ${s.error}`);
  return s;
}

async function waitFor(page, predicate, arg, what, timeout = STEP_TIMEOUT_MS) {
  try {
    await page.waitForFunction(predicate, arg, { timeout, polling: 100 });
  } catch {
    throw new Error(`${what} did not happen within ${timeout / 1000} s`);
  }
}

// Clicks an item the app recorded in wqlabStatus.items (CSS pixels), waiting for it to appear.
async function clickItem(page, name) {
  await waitFor(page, (n) => !!(window.wqlabStatus.items || {})[n], name, `item '${name}' appearing`);
  const r = await page.evaluate((n) => window.wqlabStatus.items[n], name);
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
}

async function screenshotNotBlank(page, file) {
  const png = await page.screenshot({ path: file });
  const image = decodePng(png);
  const s = imageStats(image);
  const summary = `${image.width} x ${image.height}, luma stddev ${s.stddev.toFixed(1)}, ` +
    `${s.colours} colours, ${(s.background * 100).toFixed(0)}% background`;
  expect(s.stddev >= MIN_LUMA_STDDEV, `brightness barely varies (${summary})`);
  expect(s.colours >= MIN_COLOURS, `too few colours (${summary})`);
  expect(s.background <= MAX_BACKGROUND_SHARE, `one colour covers almost everything (${summary})`);
  return summary;
}

function getHeaders(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      res.resume();
      resolve({ status: res.statusCode, headers: res.headers });
    }).on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------
async function testSiteFiles(site) {
  await test('site folder has every file a static host needs', async () => {
    const needed = ['index.html', 'wqlab.js', 'wqlab.wasm', 'wqlab.worker.js', 'coi-serviceworker.js'];
    const missing = needed.filter((f) => !existsSync(path.join(site, f)));
    expect(missing.length === 0, `missing in ${site}: ${missing.join(', ')} (build it with ./lab build web)`);
  });
}

async function testServerHeaders(url) {
  await test('server sends COOP/COEP/CORP and application/wasm', async () => {
    const { status: code, headers } = await getHeaders(`${url}wqlab.wasm`);
    expect(code === 200, `GET /wqlab.wasm gave ${code}`);
    expect(headers['content-type'] === 'application/wasm', `content-type is ${headers['content-type']}`);
    expect(headers['cross-origin-opener-policy'] === 'same-origin', 'no COOP same-origin');
    expect(headers['cross-origin-embedder-policy'] === 'require-corp', 'no COEP require-corp');
    expect(headers['cross-origin-resource-policy'] === 'same-origin', 'no CORP same-origin');
  });
}

async function testMainPage(url, out) {
  const session = await openSession();
  try {
    const { page } = session;
    await page.goto(url);
    let ready = false;
    await test('app draws its first frame (wqlabStatus.ready)', async () => {
      await waitForReady(session);
      ready = true;
    });
    await test('page is cross-origin isolated', async () => {
      expect(await page.evaluate(() => self.crossOriginIsolated) === true, 'crossOriginIsolated is not true');
      expect(await page.evaluate(() => typeof SharedArrayBuffer) === 'function', 'no SharedArrayBuffer');
    });
    await test('worker pthread delivers the right value', async () => {
      expect(ready, 'the app never became ready');
      await waitFor(page, () => window.wqlabStatus.pthreadValue !== null, null, 'pthreadValue arriving');
      const value = (await status(page)).pthreadValue;
      expect(value === EXPECTED_PTHREAD_VALUE, `pthreadValue is ${value}, expected ${EXPECTED_PTHREAD_VALUE}`);
    });
    await test(`app keeps rendering (more than ${MIN_FRAMES} frames)`, async () => {
      expect(ready, 'the app never became ready');
      await waitFor(page, (n) => window.wqlabStatus.frames > n, MIN_FRAMES, `frame ${MIN_FRAMES + 1}`);
    });
    await test('screenshot shows the shell (not blank)', async () => {
      expect(ready, 'the app never became ready');
      await screenshotNotBlank(page, path.join(out, 'browser-shell.png'));
    });
    await test('dragging a splitter widens the Lesson column', async () => {
      expect(ready, 'the app never became ready');
      const name = 'splitter:column 0';
      await waitFor(page, (n) => !!(window.wqlabStatus.items || {})[n], name, `item '${name}' appearing`);
      const r = await page.evaluate((n) => window.wqlabStatus.items[n], name);
      const before = (await status(page)).columns[0];
      await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
      await page.mouse.down();
      await page.mouse.move(r.x + r.w / 2 + 120, r.y + r.h / 2, { steps: 6 });
      await page.mouse.up();
      await waitFor(page, (b) => window.wqlabStatus.columns[0] > b + 0.05, before,
        'the Lesson column growing by 120 px');
      const after = await page.evaluate((n) => window.wqlabStatus.items[n], name);
      expect(Math.abs(after.x - (r.x + 120)) <= 2, `the splitter moved to x=${after.x}, expected ${r.x + 120}`);
    });
    await test('settings persist in localStorage across a reload', async () => {
      expect(ready, 'the app never became ready');
      const columnsBefore = (await status(page)).columns;
      expect((await status(page)).panels.includes('Event log'), 'Event log is not shown at the start');
      await clickItem(page, 'menu:View');
      await clickItem(page, 'menu:View/Event log');
      await waitFor(page, () => !window.wqlabStatus.panels.includes('Event log'), null, 'hiding the Event log');
      await waitFor(page, () => (localStorage.getItem('wqlab.imgui.ini') || '').includes('Panel.EventLog=0'),
        null, 'saving Panel.EventLog=0 to localStorage');
      await page.reload();
      const s = await waitForReady(session);
      expect(!s.panels.includes('Event log'), `after the reload the panels are ${JSON.stringify(s.panels)}`);
      expect(s.panels.includes('Machine room'), 'after the reload the Machine room is missing');
      expect(Math.abs(s.columns[0] - columnsBefore[0]) < 1e-3,
        `after the reload the Lesson column weight is ${s.columns[0]}, expected ${columnsBefore[0]}`);
    });
    await test('page reports no errors', async () => {
      const s = await status(page);
      expect(s.error === null, `wqlabStatus.error: ${s.error}`);
      const errors = session.log.filter((line) => line.startsWith('pageerror') || line.startsWith('console.error'));
      expect(errors.length === 0, errors.join(' | '));
    });
  } finally {
    await closeSession(session);
  }
}

async function testHiDpi(url, out) {
  const session = await openSession({ viewport: { width: 900, height: 600 }, deviceScaleFactor: 2 });
  try {
    const { page } = session;
    await page.goto(url);
    await test('HiDPI: canvas backing store is CSS size x devicePixelRatio', async () => {
      await waitForReady(session);
      await waitFor(page, () => {
        const c = document.getElementById('canvas');
        return c.width === Math.round(c.clientWidth * devicePixelRatio) &&
               c.height === Math.round(c.clientHeight * devicePixelRatio);
      }, null, 'the canvas reaching 1800 x 1200');
      const s = await status(page);
      expect(s.displayScale === 2, `the app's display scale is ${s.displayScale}, expected 2`);
      await screenshotNotBlank(page, path.join(out, 'browser-shell-hidpi.png'));
    });
  } finally {
    await closeSession(session);
  }
}

async function testWithoutHeaders(site) {
  const { server, url } = await serveSite({ root: site, port: 0, coiHeaders: false });
  const session = await openSession();
  try {
    const { page } = session;
    await test('without COOP/COEP headers, coi-serviceworker makes the page isolated', async () => {
      await page.goto(url);
      await waitForReady(session);  // after the service worker's one reload
      expect(await page.evaluate(() => self.crossOriginIsolated) === true, 'crossOriginIsolated is not true');
      expect(await page.evaluate(() => !!navigator.serviceWorker.controller), 'no service worker controls the page');
      await waitFor(page, () => window.wqlabStatus.pthreadValue !== null, null, 'pthreadValue arriving');
      const value = (await status(page)).pthreadValue;
      expect(value === EXPECTED_PTHREAD_VALUE, `pthreadValue is ${value}, expected ${EXPECTED_PTHREAD_VALUE}`);
    });
  } finally {
    await closeSession(session);
    server.closeAllConnections();
    server.close();
  }
}

async function testWithoutWebGl(url) {
  const session = await openSession({ extraArgs: ['--disable-3d-apis'] });
  try {
    const { page } = session;
    await test('without WebGL the page says so instead of failing silently', async () => {
      await page.goto(url);
      await waitFor(page, () => window.wqlabStatus.error !== null, null, 'an error message',
        READY_TIMEOUT_MS);
      const s = await status(page);
      expect(/WebGL2/.test(s.error), `the error does not mention WebGL2: ${s.error}`);
      expect(await page.isVisible('#overlay'), 'the message is not on screen');
    });
  } finally {
    await closeSession(session);
  }
}

// ---------------------------------------------------------------------------------------------
// The views on a real machine: the tour demo run to its end and shown at 27 ms.
const PANELS = ['Lesson', 'Machine room', 'Timeline', 'Counters', 'Event log'];

async function item(page, name) {
  await waitFor(page, (n) => !!(window.wqlabStatus.items || {})[n], name, `item '${name}' appearing`);
  return page.evaluate((n) => window.wqlabStatus.items[n], name);
}

async function testDemoViews(url, out) {
  const session = await openSession();
  try {
    const { page } = session;
    await page.goto(`${url}?demo=tour&at=27ms`);
    let s = null;
    await test('tour demo runs to its end and shows the moment 27 ms', async () => {
      await waitForReady(session);
      await waitFor(page, () => window.wqlabStatus.settled === true && window.wqlabStatus.demo === 'tour' &&
        window.wqlabStatus.live === false && window.wqlabStatus.views.timeline.drawnItems > 0,
      null, 'the tour settling at 27 ms', READY_TIMEOUT_MS);
      s = await status(page);
      expect(s.momentTimeNs >= 20e6 && s.momentTimeNs <= 27e6, `the moment shown is at ${s.momentTimeNs} ns`);
      expect(s.idle === true && s.playing === false, `idle ${s.idle}, playing ${s.playing}`);
      expect(s.events > s.moment, `moment ${s.moment} of ${s.events} events`);
      expect(s.pools === 17 && s.workqueues === 13, `${s.pools} pools, ${s.workqueues} workqueues`);
      expect(s.kworkers >= 15 && s.workers === s.kworkers + 1, `${s.kworkers} kworkers, ${s.workers} workers`);
      expect(s.executionsDone >= 3, `${s.executionsDone} executions done at 27 ms`);
      expect(s.fontGlyphsMissing === 0, `${s.fontGlyphsMissing} Chinese characters missing from the font`);
      expect(s.machineError === '', `the machine stopped: ${s.machineError}`);
    });
    await test('every view draws the machine (drawn items, tokens, tracks, rows)', async () => {
      expect(s, 'no state');
      for (const [name, v] of Object.entries(s.views)) expect(v.drawnItems > 0, `${name} drew nothing`);
      expect(s.views.machineRoom.mode === 'columns', `machine room mode ${s.views.machineRoom.mode}`);
      expect(s.views.machineRoom.tokens >= 5, `${s.views.machineRoom.tokens} work tokens`);
      expect(s.views.timeline.tracks >= 20, `${s.views.timeline.tracks} timeline rows`);
      expect(s.views.eventLog.rows === s.events, `${s.views.eventLog.rows} log rows for ${s.events} events`);
    });
    await test('screenshots of the window and of each view are not blank', async () => {
      await screenshotNotBlank(page, path.join(out, 'browser-demo-full.png'));
      for (const title of PANELS) {
        const r = await item(page, `panel:${title}`);
        const file = path.join(out, `browser-demo-${title.toLowerCase().replace(/ /g, '-')}.png`);
        const image = decodePng(await page.screenshot({ path: file, clip: { x: r.x, y: r.y, width: r.w, height: r.h } }));
        const st = imageStats(image);
        expect(st.stddev >= MIN_LUMA_STDDEV && st.colours >= MIN_COLOURS, `${title} looks empty`);
      }
    });
    await test('clicking a work token selects that work item in every view', async () => {
      const r = await item(page, 'token:s1');
      await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
      await waitFor(page, () => window.wqlabStatus.selected.kind === 'work item', null, 'a work item being selected');
      const sel = (await status(page)).selected;
      expect(sel.label === 's1', `selected '${sel.label}'`);
    });
    await test('clicking an event log line selects that moment everywhere', async () => {
      const before = await status(page);
      const r = await item(page, 'panel:Event log');
      await page.mouse.click(r.x + r.w * 0.5, r.y + r.h * 0.35);
      await waitFor(page, (m) => window.wqlabStatus.moment !== m, before.moment, 'the moment changing');
      const after = await status(page);
      expect(after.live === false, 'the views went back to live');
      expect(after.momentTimeNs <= before.momentTimeNs, `the line clicked is at ${after.momentTimeNs} ns, after the moment shown`);
    });
    await test('clicking the timeline shows the machine at that time', async () => {
      const before = await status(page);
      const r = await item(page, 'timeline:lanes');
      await page.mouse.click(r.x + r.w * 0.92, r.y + r.h * 0.6);
      await waitFor(page, (t) => window.wqlabStatus.momentTimeNs > t, before.momentTimeNs, 'a later moment');
    });
    await test('the views report no errors', async () => {
      const errors = session.log.filter((l) => l.startsWith('pageerror') || l.startsWith('console.error'));
      expect(errors.length === 0, errors.join(' | '));
    });
  } finally {
    await closeSession(session);
  }
}

// Why?: the tour opened on s2's execution, walked back to its queue_work (?why=), then Back and
// Why? clicked in the inspector and on the event log's row.
async function testWhy(url, out) {
  const session = await openSession();
  try {
    const { page } = session;
    await page.goto(`${url}?demo=tour&why=workqueue_execute_start:s2`);
    let ready = false;
    await test('Why? walks s2\'s execution back to its queue_work', async () => {
      await waitForReady(session);
      await waitFor(page, () => window.wqlabStatus.settled === true && window.wqlabStatus.why &&
        window.wqlabStatus.why.trail.length === 3, null, 'the walk to the first cause', READY_TIMEOUT_MS);
      const w = (await status(page)).why;
      expect(JSON.stringify(w.trail) === JSON.stringify(['workqueue_execute_start s2',
        'workqueue_activate_work s2', 'workqueue_queue_work s2']), `trail ${JSON.stringify(w.trail)}`);
      expect(/inactive/.test(w.explanation), `explanation: ${w.explanation}`);
      ready = true;
    });
    await test('Back and Why? buttons move along the chain', async () => {
      expect(ready, 'the walk never finished');
      const at = (await status(page)).moment;
      await clickItem(page, 'why:back');
      await waitFor(page, () => window.wqlabStatus.why.trail.length === 2, null, 'one step back');
      const back = await status(page);
      expect(back.moment > at, `moment ${back.moment} after Back, ${at} before`);
      expect(back.why.chain[0] === 'workqueue_activate_work s2 <- activated-later',
        `chain ${JSON.stringify(back.why.chain)}`);
      await clickItem(page, 'why:back');
      await waitFor(page, () => window.wqlabStatus.why.trail.length === 0 ||
        window.wqlabStatus.why.trail.length === 1, null, 'back at the start');
      await clickItem(page, 'eventlog:why');
      await waitFor(page, () => window.wqlabStatus.why.trail.length === 2, null,
        'the event log row\'s Why? stepping to the activation');
      await screenshotNotBlank(page, path.join(out, 'browser-why.png'));
    });
  } finally {
    await closeSession(session);
  }
}

// The legacy model: the grid of threads, zoomed into a CPU and back with the breadcrumb.
async function testLegacy(url, out) {
  const session = await openSession();
  try {
    const { page } = session;
    await page.goto(`${url}?demo=legacy&at=6ms`);
    let ready = false;
    await test('the legacy demo shows its workqueues x CPUs grid and PID bar', async () => {
      await waitForReady(session);
      await waitFor(page, () => window.wqlabStatus.settled === true && window.wqlabStatus.demo === 'legacy' &&
        window.wqlabStatus.views.machineRoom.mode === 'legacy', null, 'the legacy layout', READY_TIMEOUT_MS);
      const l = (await status(page)).views.machineRoom.legacy;
      expect(l.rows === 10 && l.columns === 16 && l.pidMax === 302 && l.pidsInUse === 224,
        `legacy ${JSON.stringify(l)}`);
      await screenshotNotBlank(page, path.join(out, 'browser-legacy.png'));
      ready = true;
    });
    await test('clicking a CPU zooms into its threads; the breadcrumb goes back', async () => {
      expect(ready, 'the legacy demo never settled');
      await clickItem(page, 'room:cpu 3');
      await waitFor(page, () => window.wqlabStatus.views.machineRoom.zoom === 'cpu 3', null, 'zooming into CPU 3');
      await waitFor(page, () => window.wqlabStatus.views.machineRoom.legacy.chips === 10, null, 'ten threads drawn');
      await screenshotNotBlank(page, path.join(out, 'browser-legacy-cpu3.png'));
      await clickItem(page, 'room:crumb 0');
      await waitFor(page, () => window.wqlabStatus.views.machineRoom.zoom === 'none', null, 'back to the machine');
    });
  } finally {
    await closeSession(session);
  }
}

// Playing, pausing and the speed, on the doc demo; the speed persists in localStorage.
async function testPlayback(url) {
  const session = await openSession();
  try {
    const { page } = session;
    await page.goto(`${url}?demo=doc`);
    let ready = false;
    await test('the doc demo plays by itself (virtual time and events grow)', async () => {
      await waitForReady(session);
      await waitFor(page, () => window.wqlabStatus.playing === true && window.wqlabStatus.virtualTimeNs > 2e6,
        null, 'virtual time passing 2 ms', READY_TIMEOUT_MS);
      ready = true;
    });
    await test('Space pauses; Machine > Speed changes the speed, which persists across a reload', async () => {
      expect(ready, 'the demo never played');
      await page.keyboard.press('Space');
      await waitFor(page, () => window.wqlabStatus.playing === false, null, 'pausing');
      await clickItem(page, 'menu:Machine');
      await clickItem(page, 'menu:Machine/Speed');
      await clickItem(page, 'menu:Machine/Speed/1 s/s');
      await waitFor(page, () => window.wqlabStatus.speed === 1, null, 'the speed becoming 1 s/s');
      await waitFor(page, () => (localStorage.getItem('wqlab.imgui.ini') || '').includes('Speed=1\n'),
        null, 'saving Speed=1 to localStorage');
      await page.reload();
      await waitForReady(session);
      await waitFor(page, () => window.wqlabStatus.speed === 1, null, 'the speed after the reload');
    });
    await test('the machine never blocks the page\'s main thread', async () => {
      const blocking = session.log.filter((l) => /Blocking on the main thread/i.test(l));
      expect(blocking.length === 0, blocking.join(' | '));
    });
  } finally {
    await closeSession(session);
  }
}

// The benchmark page (./lab bench --web) in its small version: it runs to the end in the browser,
// its lesson passes every checkpoint there, and every figure it reports is a measurement.
async function testBenchPage(url) {
  const session = await openSession();
  try {
    await test('benchmark page runs in the browser and reports every figure (?quick)', async () => {
      const r = await runBenchPage(session.page, url, { quick: true, timeout: 5 * 60_000 });
      expect(r.browser === 1, `the page ran a ${r.browser === 0 ? 'native' : 'missing'} build`);
      for (const key of ['det_switches_2_per_s', 'det_switches_8_per_s', 'recorded_events_per_s', 'lesson_03_s']) {
        expect(Number.isFinite(r[key]) && r[key] > 0, `${key} = ${r[key]}`);
      }
      expect(r.lesson_03_checks >= 10, `lesson 03 read ${r.lesson_03_checks} checkpoints`);
    });
  } finally {
    await closeSession(session);
  }
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`browser tests: ${e.message}; usage: node web/tests/browser.test.mjs --site DIR --out DIR`);
    process.exit(2);
  }
  await mkdir(options.out, { recursive: true });
  await testSiteFiles(options.site);
  if (results.every(Boolean)) {
    const { server, url } = await serveSite({ root: options.site, port: 0 });
    try {
      if (options.only === 'traces') {  // a developer's shortcut: one group, e.g. --only traces
        await testTraces({ test, expect, openSession, closeSession, waitForReady, waitFor, clickItem,
          status, decodePng, imageStats }, url, options.out);
        return;
      }
      await testServerHeaders(url);
      await testMainPage(url, options.out);
      await testDemoViews(url, options.out);
      await testPlayback(url);
      await testWhy(url, options.out);
      await testLegacy(url, options.out);
      const helpers = { test, expect, openSession, closeSession, waitForReady, waitFor, clickItem,
        status, decodePng, imageStats };
      await testExports(helpers, url, options.out);
      await testKeyboard(helpers, url, options.out);
      await testShareLinks(helpers, url);
      await testLessons({ test, expect, openSession, closeSession, waitForReady, waitFor, clickItem, status,
        screenshotNotBlank, READY_TIMEOUT_MS }, url, options.out);
      await testSandbox(helpers, url, options.out);
      await testTraces(helpers, url, options.out);
      await testHiDpi(url, options.out);
      await testWithoutWebGl(url);
      await testBenchPage(url);
    } finally {
      server.closeAllConnections();
      server.close();
    }
    await testWithoutHeaders(options.site);
  }
}

function summarise() {
  const failed = results.filter((ok) => !ok).length;
  console.log(`browser: ${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

// Whatever happens, close every browser this run started.
async function closeAll() {
  for (const session of [...openSessions]) await closeSession(session);
}
process.on('SIGINT', () => closeAll().then(() => process.exit(130)));
process.on('SIGTERM', () => closeAll().then(() => process.exit(143)));

main()
  .catch((e) => {
    results.push(false);
    console.log(`not ok - the suite itself # ${String(e && e.message ? e.message : e).split('\n')[0]}`);
  })
  .finally(async () => {
    await closeAll();
    summarise();
  });
