#!/usr/bin/env node
// ./lab bench --web: the browser build measured in headless Chromium. Loads the app cold and
// reads the time from navigation to its first frame; runs the benchmark page (site/bench/,
// bench/browser/browser_bench.cpp) for deterministic switches, recorded events and the run time
// of lessons 01 and 03; sizes the site's wasm and js (raw and gzip). With --native PROGRAM it runs
// the same benchmark program built for the desktop and prints both columns and their ratio.
//
// usage: node web/bench.mjs --site DIR [--native PROGRAM] [--quick] [--loads N]
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

import { serveSite } from './server.mjs';

const CHROMIUM = process.env.WQLAB_CHROMIUM || '/usr/bin/chromium';
// The browser suite's flags (web/tests/browser.test.mjs): software WebGL, no background traffic.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
];
const BENCH_TIMEOUT_MS = 20 * 60_000;
const FIRST_FRAME_TIMEOUT_MS = 120_000;

// "RESULT name=value" lines -> {name: number}.
export function parseResults(lines) {
  const results = {};
  for (const line of lines) {
    const m = /^RESULT ([a-z0-9_]+)=(\S+)$/.exec(line.trim());
    if (m) results[m[1]] = Number(m[2]);
  }
  return results;
}

// Runs site/bench/ in `page` and returns its results; throws with the page's output on failure.
export async function runBenchPage(page, siteUrl, { quick = false, timeout = BENCH_TIMEOUT_MS } = {}) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${siteUrl}bench/${quick ? '?quick' : ''}`);
  try {
    await page.waitForFunction(() => window.wqlabBench && (window.wqlabBench.done || window.wqlabBench.error),
      null, { timeout, polling: 250 });
  } catch (e) {
    const lines = await page.evaluate(() => (window.wqlabBench ? window.wqlabBench.lines : [])).catch(() => []);
    throw new Error(`the benchmark page did not finish within ${timeout / 1000} s (${e.message.split('\n')[0]}); ` +
      `page errors: ${errors.join(' | ') || 'none'}; last output: ${lines.slice(-3).join(' | ')}`);
  }
  const bench = await page.evaluate(() => window.wqlabBench);
  const results = parseResults(bench.lines);
  if (bench.error || bench.exitCode !== 0 || results.done !== 1) {
    const detail = bench.error || bench.lines.filter((l) => l.startsWith('stderr')).join(' | ');
    throw new Error(`the benchmark page failed (exit ${bench.exitCode}): ${detail}`);
  }
  return results;
}

async function withBrowser(body) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'wqlab-bench-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    return await body(page);
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

// A cold load (fresh profile: nothing cached) of the app; ms from navigation to its first frame.
async function firstFrameMs(siteUrl) {
  return withBrowser(async (page) => {
    await page.goto(siteUrl);
    await page.waitForFunction(() => window.wqlabStatus && (window.wqlabStatus.ready || window.wqlabStatus.error),
      null, { timeout: FIRST_FRAME_TIMEOUT_MS, polling: 50 });
    const s = await page.evaluate(() => window.wqlabStatus);
    if (s.error) throw new Error(`the app reported an error: ${s.error}`);
    return s.firstFrameMs;
  });
}

async function sizes(site) {
  const rows = [];
  for (const file of ['wqlab.wasm', 'wqlab.js', 'wqlab.worker.js']) {
    const bytes = await readFile(path.join(site, file)).catch(() => null);
    if (!bytes) continue;
    rows.push({ file, raw: (await stat(path.join(site, file))).size, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return rows;
}

function nativeResults(program, quick) {
  const text = execFileSync(program, quick ? ['--quick'] : [], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return parseResults(text.split('\n'));
}

function parseArgs(argv) {
  const options = { site: null, native: null, quick: false, loads: 3 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--site') options.site = path.resolve(value());
    else if (flag === '--native') options.native = path.resolve(value());
    else if (flag === '--quick') options.quick = true;
    else if (flag === '--loads') {
      options.loads = Number(value());
      if (!Number.isInteger(options.loads) || options.loads < 1) throw new Error('--loads expects a count >= 1');
    } else throw new Error(`unknown option '${flag}'`);
  }
  if (!options.site) throw new Error('--site DIR is needed (build it with ./lab build web)');
  return options;
}

const fmt = (v, digits = 3) => (v === undefined ? '-' : Number(v).toPrecision(digits));
const pad = (s, n) => String(s).padEnd(n);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { server, url } = await serveSite({ root: options.site, port: 0 });
  try {
    const loads = [];
    for (let i = 0; i < options.loads; i++) loads.push(await firstFrameMs(url));
    const browser = await withBrowser((page) => runBenchPage(page, url, { quick: options.quick }));
    const native = options.native ? nativeResults(options.native, options.quick) : {};

    console.log('wqlab browser benchmark: the same program (bench/browser/browser_bench.cpp) in headless');
    console.log('Chromium (software WebGL, wasm pthreads) and natively; both capped at 9 carrier threads,');
    console.log('the browser build\'s limit (so the larger ring has 8 tasks, one carrier each). Each figure');
    console.log('is one run; time is wall-clock. browser/desktop:');
    console.log('below 1 the browser is slower for a rate, above 1 for a run time.');
    console.log('');
    const rows = [
      ['det_switches_2_per_s', 'deterministic switches/s, 2 tasks', '>= 50 k/s'],
      ['det_switches_8_per_s', 'deterministic switches/s, 8 tasks', '>= 50 k/s'],
      ['recorded_events_per_s', 'recorded events/s, one thread', ''],
      ['lesson_01_s', 'lesson 01 run, all steps (s)', ''],
      ['lesson_03_s', 'lesson 03 run, all steps (s)', ''],
    ];
    console.log(`${pad('figure', 38)}${pad('browser', 12)}${pad('desktop', 12)}${pad('browser/desktop', 17)}goal`);
    for (const [key, label, goal] of rows) {
      const b = browser[key];
      const d = native[key];
      const ratio = b !== undefined && d !== undefined && d !== 0 ? `${(b / d).toFixed(2)}x` : '-';
      console.log(`${pad(label, 38)}${pad(fmt(b), 12)}${pad(fmt(d), 12)}${pad(ratio, 17)}${goal}`);
    }
    const sorted = [...loads].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`${pad('first frame, cold load (ms)', 38)}${pad(Math.round(median), 12)}${pad('', 12)}${pad('', 17)}<= 3000` +
      `   (median of ${loads.length}: ${loads.map((v) => Math.round(v)).join(', ')})`);
    console.log('');
    console.log(`${pad('file', 20)}${pad('raw bytes', 14)}gzip -9 bytes`);
    for (const r of await sizes(options.site)) console.log(`${pad(r.file, 20)}${pad(r.raw, 14)}${r.gzip}`);
    for (const [key, value] of Object.entries(browser)) console.log(`RESULT browser.${key}=${value}`);
    console.log(`RESULT browser.first_frame_ms=${median}`);
  } finally {
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(`bench: ${e.message}`);
    process.exit(1);
  });
}
