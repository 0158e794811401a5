// Browser tests of the sandbox: a share link opens in it and runs to where it was shared; an
// action and a run from the panel; Sandbox > Copy share link makes a link that reopens the same
// sandbox. Run from browser.test.mjs, which hands over its helpers (h).
import path from 'node:path';

const SETTLE_TIMEOUT_MS = 60_000;
// A one-step sandbox: 2 CPUs, work items w1 (compute 5ms, sleep 10ms) and w2 (compute 2ms),
// alloc_workqueue("mywq", WQ_UNBOUND, 2), w1 queued on it and w2 on events (CPU 1), then it runs
// until 20 ms. tests/smoke/CMakeLists.txt opens the same link on the desktop.
const SANDBOX = 'W3NjZW5hcmlvXQppZCA9ICJzaGFyZWQtc2FuZGJveCIKdGl0bGUgPSAiQSBzaGFyZWQgc2FuZGJveCIKClttYWNoaW5lXQpjcHVzID0gMgoKW1t3b3JrXV0KbmFtZSA9ICJ3MSIKc3RlcHMgPSBbImNvbXB1dGUgNW1zIiwgInNsZWVwIDEwbXMiXQoKW1t3b3JrXV0KbmFtZSA9ICJ3MiIKc3RlcHMgPSBbImNvbXB1dGUgMm1zIl0KCltbc3RlcF1dCmlkID0gInQxIgpydW4gPSAidW50aWwgMjBtcyIKCiAgW1tzdGVwLmFjdGlvbl1dCiAgZG8gPSAiY3JlYXRlIgogIG5hbWUgPSAibXl3cSIKICBmbGFncyA9ICJXUV9VTkJPVU5EIgogIG1heF9hY3RpdmUgPSAyCgogIFtbc3RlcC5hY3Rpb25dXQogIGRvID0gInF1ZXVlIgogIHdvcmsgPSAidzEiCiAgd3EgPSAibXl3cSIKCiAgW1tzdGVwLmFjdGlvbl1dCiAgZG8gPSAicXVldWUiCiAgd29yayA9ICJ3MiIKICB3cSA9ICJldmVudHMiCiAgY3B1ID0gMQo';

// Three items on one CPU that sleep until 5 ms (the desktop smoke test uses the same link).
const SCHEDULER = 'W3NjZW5hcmlvXQppZCA9ICJ5b3Utc2NoZWR1bGUiCnRpdGxlID0gIllvdSBhcmUgdGhlIHNjaGVkdWxlciIKClttYWNoaW5lXQpjcHVzID0gMQoKW1t3b3JrXV0KbmFtZSA9ICJhIgpzdGVwcyA9IFsic2xlZXAgNW1zIiwgImNvbXB1dGUgMW1zIl0KCltbd29ya11dCm5hbWUgPSAiYiIKc3RlcHMgPSBbInNsZWVwIDVtcyIsICJjb21wdXRlIDFtcyJdCgpbW3dvcmtdXQpuYW1lID0gInoiCnN0ZXBzID0gWyJzbGVlcCA1bXMiLCAiY29tcHV0ZSAxbXMiXQoKW1tzdGVwXV0KaWQgPSAidDEiCnJ1biA9ICJ1bnRpbCAwbXMiCgogIFtbc3RlcC5hY3Rpb25dXQogIGRvID0gInF1ZXVlIgogIHdvcmsgPSAiYSIKICB3cSA9ICJldmVudHMiCiAgY3B1ID0gMAoKICBbW3N0ZXAuYWN0aW9uXV0KICBkbyA9ICJxdWV1ZSIKICB3b3JrID0gImIiCiAgd3EgPSAiZXZlbnRzIgogIGNwdSA9IDAKCiAgW1tzdGVwLmFjdGlvbl1dCiAgZG8gPSAicXVldWUiCiAgd29yayA9ICJ6IgogIHdxID0gImV2ZW50cyIKICBjcHUgPSAwCg';

const sandboxSettled = (want) => {
  const s = window.wqlabStatus;
  return s && s.sandbox && s.sandbox.shown && s.sandbox.ready && s.settled &&
    s.sandbox.actions === want.actions && s.executionsDone === want.executions;
};

export async function testSandbox(h, url, out) {
  const session = await h.openSession();
  try {
    const { page, context } = session;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    let link = '';
    let shared = null;
    await test(h, 'a share link opens in the sandbox and runs to where it was shared', async () => {
      await page.goto(`${url}#s=${SANDBOX}`);
      await h.waitForReady(session);
      await h.waitFor(page, sandboxSettled, { actions: 3, executions: 2 }, 'the sandbox settling',
        SETTLE_TIMEOUT_MS);
      const s = await h.status(page);
      h.expect(s.demo === 'shared-sandbox/main', `the views show ${s.demo}`);
      h.expect(s.sandbox.nowNs === 20000000 && s.sandbox.steps === 1 && s.sandbox.cpus === 2,
        `sandbox ${JSON.stringify(s.sandbox)}`);
      h.expect(s.sandbox.workqueues[9] === 'mywq' && s.sandbox.works.join() === 'w1,w2',
        `workqueues ${s.sandbox.workqueues} works ${s.sandbox.works}`);
      h.expect(s.sandbox.error === '' && s.sandbox.engineError === '', `error ${s.sandbox.error}`);
      const image = h.decodePng(await page.screenshot({ path: path.join(out, 'browser-sandbox.png') }));
      const stats = h.imageStats(image);
      h.expect(stats.colours >= 64 && stats.stddev >= 6, `a blank-looking screenshot (${stats.colours} colours)`);
    });
    await test(h, 'Queue and Run until idle in the panel add a step and an execution', async () => {
      await h.clickItem(page, 'sandbox:queue');
      await h.waitFor(page, () => window.wqlabStatus.sandbox.actions === 4 && window.wqlabStatus.sandbox.ready,
        null, 'the queue action');
      await h.clickItem(page, 'sandbox:run-idle');
      await h.waitFor(page, sandboxSettled, { actions: 4, executions: 3 }, 'the run', SETTLE_TIMEOUT_MS);
      shared = (await h.status(page)).sandbox;
      h.expect(shared.steps === 2, `steps ${shared.steps}`);
    });
    await test(h, 'Sandbox > Copy share link reopens the same sandbox', async () => {
      h.expect(shared !== null, 'the sandbox never ran');
      await h.clickItem(page, 'menu:Sandbox');
      await h.clickItem(page, 'menu:Sandbox/Share');
      await h.waitFor(page, () => window.wqlabStatus.sandbox.link !== '', null, 'the link');
      link = (await h.status(page)).sandbox.link;
      h.expect(link.startsWith(`${url}#s=`), `link ${link.slice(0, 80)}`);
      await page.goto('about:blank');
      await page.goto(link);
      await h.waitForReady(session);
      await h.waitFor(page, sandboxSettled, { actions: 4, executions: 3 }, 'the reopened sandbox settling',
        SETTLE_TIMEOUT_MS);
      const s = (await h.status(page)).sandbox;
      h.expect(s.nowNs === shared.nowNs && s.steps === shared.steps,
        `reopened at ${s.nowNs} ns with ${s.steps} steps; shared at ${shared.nowNs} ns with ${shared.steps}`);
      await page.screenshot({ path: path.join(out, 'browser-sandbox-reopened.png') });
    });
    await test(h, 'you are the scheduler: the picked kworker runs next, the other keeps waiting', async () => {
      await page.goto('about:blank');
      await page.goto(`${url}#s=${SCHEDULER}`);
      await h.waitForReady(session);
      await h.waitFor(page, sandboxSettled, { actions: 3, executions: 0 }, 'the sandbox settling',
        SETTLE_TIMEOUT_MS);
      await h.clickItem(page, 'sandbox:step');
      await h.waitFor(page, () => window.wqlabStatus.sandbox.runnable.length === 2 &&
        window.wqlabStatus.sandbox.ready, null, 'two kworkers waiting after one Step');
      const rq = (await h.status(page)).sandbox.runnable.map((t) => t.pid);
      h.expect(rq.join() === '17,19', `run queue ${rq}`);
      await h.clickItem(page, 'sandbox:pick:19');
      await h.waitFor(page, () => window.wqlabStatus.sandbox.picks === 1 && window.wqlabStatus.sandbox.ready,
        null, 'the pick');
      const after = (await h.status(page)).sandbox.runnable.map((t) => t.pid);
      h.expect(!after.includes(19) && after.includes(17), `after picking 19 the run queue holds ${after}`);
      await page.screenshot({ path: path.join(out, 'browser-sandbox-scheduler.png') });
    });
  } finally {
    await h.closeSession(session);
  }
}

function test(h, name, body) {
  return h.test(name, body);
}
