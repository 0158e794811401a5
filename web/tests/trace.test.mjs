// Browser tests of a real kernel's trace as a stage: File > Open trace opens the page's file
// picker; the chosen capture (tests/data/traces, the shared Linux 6.18 captures) shows in the
// views with the facts the desktop smoke tests check; a file that is no trace says so and the
// trace stays. Run from browser.test.mjs, which hands over its helpers (h).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TRACES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/data/traces');
const SETTLE_TIMEOUT_MS = 60_000;

// Clicks File > Open trace and hands `file` to the file chooser it opens.
async function openThroughPicker(h, page, file) {
  await h.clickItem(page, 'menu:File');
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser', { timeout: 15_000 }),
    h.clickItem(page, 'command:open_trace'),
  ]);
  await chooser.setFiles(file);
}

export async function testTraces(h, url, out) {
  const session = await h.openSession();
  try {
    const { page } = session;
    await test(h, 'File > Open trace: the picked capture shows in the views, recorded on a real kernel', async () => {
      await page.goto(url);
      await h.waitForReady(session);
      await openThroughPicker(h, page, path.join(TRACES, 'linux-6.18-2cpu-writeback.trace.txt'));
      await h.waitFor(page, () => {
        const s = window.wqlabStatus;
        return s && s.trace && s.trace.shown && s.settled && s.stage === 'trace';
      }, null, 'the trace stage', SETTLE_TIMEOUT_MS);
      const s = await h.status(page);
      h.expect(s.trace.file === 'linux-6.18-2cpu-writeback.trace.txt' && s.trace.cpus === 2 &&
        s.trace.records === 4371 && s.trace.sched === true, `trace ${JSON.stringify(s.trace)}`);
      h.expect(s.trace.workqueues.kblockd === 92 && s.trace.workqueues.writeback === 30,
        `workqueues ${JSON.stringify(s.trace.workqueues)}`);
      h.expect(s.executionsDone === 231 && s.kworkers === 6 && s.pools === 5,
        `executions ${s.executionsDone}, kworkers ${s.kworkers}, pools ${s.pools}`);
      h.expect(s.views.machineRoom.drawnItems > 0 && s.views.timeline.tracks > 5,
        `views ${JSON.stringify(s.views.timeline)}`);
      h.expect(s.items['trace:banner'] !== undefined, 'the panel does not say "Recorded on a real kernel"');
      const image = h.decodePng(await page.screenshot({ path: path.join(out, 'browser-trace.png') }));
      const stats = h.imageStats(image);
      h.expect(stats.colours >= 64 && stats.stddev >= 6, `a blank-looking screenshot (${stats.colours} colours)`);
    });
    await test(h, 'What if: the trace beside its workload replayed on Linux 2.6.24, one histogram each', async () => {
      await h.clickItem(page, 'trace:whatif');
      await h.waitFor(page, () => window.wqlabStatus.items['whatif:compare'] !== undefined, null,
        'the What if window', SETTLE_TIMEOUT_MS);
      await h.clickItem(page, 'whatif:compare');
      await h.waitFor(page, () => {
        const w = window.wqlabStatus.trace.whatif;
        return w && w.runs && !w.running && w.drawnBars > 0;
      }, null, 'the comparison', SETTLE_TIMEOUT_MS);
      const w = (await h.status(page)).trace.whatif;
      // The same counts as the desktop (tests/smoke: desktop_whatif_legacy_state): the trace's
      // were counted by hand from the capture, the model's are its deterministic run.
      h.expect(w.choices === 'trace vs legacy' && w.runs[0].name === 'trace' &&
        w.runs[1].name === 'legacy model', `runs ${w.choices}: ${w.runs.map((r) => r.name)}`);
      h.expect(w.runs[0].executions === 231 && w.runs[1].executions === 231,
        `executions ${w.runs.map((r) => r.executions)}`);
      h.expect(w.runs[0].histogram.slice(0, 6).join() === '1,3,14,49,74,51',
        `trace histogram ${w.runs[0].histogram}`);
      h.expect(w.runs[1].histogram[0] === 203 && w.runs[1].histogram[7] === 13,
        `model histogram ${w.runs[1].histogram}`);
      await page.screenshot({ path: path.join(out, 'browser-whatif.png') });
    });
    await test(h, 'a picked file that holds no trace is reported and the trace stays', async () => {
      await openThroughPicker(h, page, path.join(TRACES, 'README.md'));
      await h.waitFor(page, () => window.wqlabStatus.trace.error !== '', null, 'the error',
        SETTLE_TIMEOUT_MS);
      const s = await h.status(page);
      h.expect(/README\.md: no workqueue or scheduler events/.test(s.trace.error), `error ${s.trace.error}`);
      h.expect(s.notice.error === true && s.trace.shown && s.trace.records === 4371,
        `notice ${JSON.stringify(s.notice)}, trace ${JSON.stringify(s.trace)}`);
    });
    await test(h, 'a perf script capture opens through the picker too', async () => {
      await openThroughPicker(h, page, path.join(TRACES, 'linux-6.18-2cpu-fsync.perf-script.txt'));
      await h.waitFor(page, () => {
        const s = window.wqlabStatus;
        return s.trace.file === 'linux-6.18-2cpu-fsync.perf-script.txt' && s.settled;
      }, null, 'the second trace', SETTLE_TIMEOUT_MS);
      const s = await h.status(page);
      h.expect(s.trace.format === 'perf script' && s.trace.records === 182 && s.trace.error === '' &&
        s.executionsDone === 38, `trace ${JSON.stringify(s.trace)}, executions ${s.executionsDone}`);
      await page.screenshot({ path: path.join(out, 'browser-trace-perf.png') });
    });
    await test(h, 'Close trace takes the views back to the demo', async () => {
      await h.clickItem(page, 'trace:close');
      await h.waitFor(page, () => window.wqlabStatus.stage === 'demo', null, 'the demo stage',
        SETTLE_TIMEOUT_MS);
      const s = await h.status(page);
      h.expect(!s.trace.shown && s.trace.records === 182 && s.trace.error === '',
        `trace ${JSON.stringify(s.trace)}`);
    });
  } finally {
    await h.closeSession(session);
  }
}

function test(h, name, body) {
  return h.test(name, body);
}
