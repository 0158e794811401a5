// Browser tests of the lesson player (run by browser.test.mjs, whose runner and helpers they
// use): the three required lessons from the page's query, and the picker and transport clicked.
import path from 'node:path';

// The lesson player, as in tests/smoke: the lesson is opened from the page's query (bundled
// into the page at /lessons), its questions answered as their steps come, run to the last
// checkpoint; then the student goes back checkpoint by checkpoint with the |◀ button to the
// first one (from the recording, no re-run) and switches the narration to 简体中文.
const LESSONS = [
  { name: '01_pid_exhaustion', id: 'pid-exhaustion', checkpoints: 6, sideBySide: ['legacy', 'cmwq'],
    answers: 'threads-per-wq=256,how-many-queues=100,which-fits=2,cmwq-threads=120,thousand=3',
    expected: [[256, true], [100, false], [2, true]] },
  { name: '02_st_serialization', id: 'st-serialization', checkpoints: 5, sideBySide: null,
    answers: 'st-end=44,mt-same=1,mt-two=1,cmwq-end=23,ordered-start=22',
    expected: [[44, true], [1, false]] },
  { name: '03_rescuer', id: 'rescuer', checkpoints: 3, sideBySide: ['plain', 'reclaim'],
    answers: 'idle-spare=1,mayday-wait=11,what-happens=1', expected: [[1, true], [11, true], [1, false]] },
];
const LESSON_TIMEOUT_MS = 240_000;  // lesson 01 runs half a million events on two machines

async function testLesson(h, url, out, lesson) {
  const { test, expect, openSession, closeSession, waitForReady, waitFor, clickItem, status, screenshotNotBlank } = h;
  const session = await openSession();
  try {
    const { page } = session;
    const query = new URLSearchParams({ lesson: lesson.name, answers: lesson.answers, 'to-checkpoint': 'last' });
    await page.goto(`${url}?${query}`);
    let reached = false;
    await test(`${lesson.name}: answers recorded, runs to its last checkpoint, every check passes`, async () => {
      await waitForReady(session);
      await waitFor(page, () => window.wqlabStatus.lessonScript === 'done' && window.wqlabStatus.lesson.settled,
        null, 'the lesson reaching its last checkpoint', LESSON_TIMEOUT_MS);
      const l = (await status(page)).lesson;
      expect(l.open && l.id === lesson.id && l.error === '', `lesson ${l.id} open ${l.open}: ${l.error}`);
      expect(l.complete && l.checkpointShown === lesson.checkpoints,
        `checkpoint ${l.checkpointShown} shown, complete ${l.complete}`);
      for (const c of l.checkpoints) expect(c.failed === 0, `checkpoint ${c.step} failed ${c.failed} checks`);
      lesson.expected.forEach(([value, correct], i) => {
        const a = l.answers[i];
        expect(a && a.value === value && a.correct === correct && !a.skipped,
          `answer ${i + 1}: ${JSON.stringify(a)}, expected ${value} (${correct ? 'right' : 'wrong'})`);
      });
      expect(l.glyphsMissing === 0, `${l.glyphsMissing} characters of the lesson missing from the font`);
      await screenshotNotBlank(page, path.join(out, `browser-lesson-${lesson.name}-last.png`));
      reached = true;
    });
    await test(`${lesson.name}: |◀ steps back to the first checkpoint from the recording`, async () => {
      expect(reached, 'the lesson never reached its last checkpoint');
      const end = (await status(page)).lesson.end;
      for (let k = lesson.checkpoints - 1; k >= 1; k--) {
        await clickItem(page, 'lesson:previous checkpoint');
        await waitFor(page, (n) => window.wqlabStatus.lesson.checkpointShown === n, k, `checkpoint ${k} shown`);
      }
      const l = (await status(page)).lesson;
      expect(l.step === 1 && !l.live && l.position === l.checkpoints[0].position,
        `step ${l.step}, live ${l.live}, position ${l.position} (checkpoint 1 is at ${l.checkpoints[0].position})`);
      expect(l.end === end, `the recording changed from ${end} to ${l.end} events: the lesson ran again`);
      if (lesson.sideBySide) {
        expect(JSON.stringify(l.machinesShown) === JSON.stringify(lesson.sideBySide) && l.panes.machineRoom === 2,
          `machines shown ${JSON.stringify(l.machinesShown)}, ${l.panes.machineRoom} machine room panes`);
      }
      await screenshotNotBlank(page, path.join(out, `browser-lesson-${lesson.name}-first.png`));
    });
    await test(`${lesson.name}: the 中文 switch shows the lesson in Chinese, every glyph in the font`, async () => {
      expect(reached, 'the lesson never reached its last checkpoint');
      await clickItem(page, 'lesson:chinese');
      await waitFor(page, () => window.wqlabStatus.lesson.language === 'zh', null, 'the language becoming zh');
      const l = (await status(page)).lesson;
      expect(/[\u4e00-\u9fff]/.test(l.title), `the title is not Chinese: ${l.title}`);
      expect(l.glyphsMissing === 0, `${l.glyphsMissing} characters missing from the font`);
      await page.mouse.move(640, 790);  // off the switch: no tooltip in the screenshot
      await screenshotNotBlank(page, path.join(out, `browser-lesson-${lesson.name}-first-zh.png`));
    });
    await test(`${lesson.name}: no page errors`, async () => {
      const errors = session.log.filter((l) => l.startsWith('pageerror') || l.startsWith('console.error'));
      expect(errors.length === 0, errors.join(' | '));
    });
  } finally {
    await closeSession(session);
  }
}

// The picker and the transport, clicked: Lessons > the rescuer; ▶| is refused until the question
// is answered or skipped; ◀ and ▶ move one event either side of the checkpoint; ↺ starts again.
async function testLessonControls(h, url) {
  const { test, expect, openSession, closeSession, waitForReady, waitFor, clickItem, READY_TIMEOUT_MS } = h;
  const session = await openSession();
  try {
    const { page } = session;
    await page.goto(url);
    const lesson = () => window.wqlabStatus.lesson;
    let open = false;
    await test('Lessons menu opens a lesson; its first question holds the step back', async () => {
      await waitForReady(session);
      await clickItem(page, 'menu:Lessons');
      await clickItem(page, 'menu:Lessons/rescuer');
      await waitFor(page, () => window.wqlabStatus.lesson.id === 'rescuer' && window.wqlabStatus.lesson.settled &&
        window.wqlabStatus.lesson.step === 1, null, 'the rescuer lesson opening', READY_TIMEOUT_MS);
      await clickItem(page, 'lesson:next checkpoint');
      await waitFor(page, () => window.wqlabStatus.lesson.blocked === true, null, 'the step waiting for an answer');
      const l = await page.evaluate(lesson);
      expect(l.phase === 'not started' && l.checkpointsReached === 0, `phase ${l.phase}, ${l.checkpointsReached} checkpoints`);
      open = true;
    });
    await test('skipping the question lets ▶| run the step to its checkpoint', async () => {
      expect(open, 'the lesson did not open');
      await clickItem(page, 'lesson:skip');
      await waitFor(page, () => (window.wqlabStatus.lesson.answers || []).length === 1, null, 'the skip being recorded');
      await clickItem(page, 'lesson:next checkpoint');
      await waitFor(page, () => window.wqlabStatus.lesson.checkpointShown === 1 && window.wqlabStatus.lesson.settled,
        null, 'checkpoint 1', READY_TIMEOUT_MS);
      const l = await page.evaluate(lesson);
      expect(l.answers[0].id === 'idle-spare' && l.answers[0].skipped, JSON.stringify(l.answers));
    });
    await test('◀ shows the event before the checkpoint, ▶ the checkpoint again', async () => {
      expect(open, 'the lesson did not open');
      const at = (await page.evaluate(lesson)).position;
      await clickItem(page, 'lesson:back');
      await waitFor(page, (p) => window.wqlabStatus.lesson.position === p - 1, at, 'one event back');
      expect((await page.evaluate(lesson)).checkpointShown === 0, 'still at the checkpoint');
      await clickItem(page, 'lesson:step');
      await waitFor(page, (p) => window.wqlabStatus.lesson.position === p &&
        window.wqlabStatus.lesson.checkpointShown === 1, at, 'back at the checkpoint');
    });
    await test('↺ starts the lesson again with no answers', async () => {
      expect(open, 'the lesson did not open');
      await clickItem(page, 'lesson:restart');
      await waitFor(page, () => window.wqlabStatus.lesson.settled && window.wqlabStatus.lesson.checkpointsReached === 0 &&
        (window.wqlabStatus.lesson.answers || []).length === 0, null, 'a fresh start', READY_TIMEOUT_MS);
    });
  } finally {
    await closeSession(session);
  }
}

// Every lesson case; `h` holds the runner's helpers (test, expect, waitFor, clickItem, ...).
export async function testLessons(h, url, out) {
  for (const lesson of LESSONS) await testLesson(h, url, out, lesson);
  await testLessonControls(h, url);
}
