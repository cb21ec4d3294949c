// scripts/bench: performance figures measured in one run, each with its
// budget and PASS or FAIL. Not part of the tests (timings are noisy); see
// docs/performance.md for the figures and how to read them.
//
// BENCH_QUICK=1 (scripts/bench --quick, run by scripts/test): one sample of
// each figure from short jobs and a short text, no budgets; it only checks
// that every figure is still produced, so the benchmark cannot rot unseen.
//
// Everything runs on loopback: wan-r2v-server --simulate serves our release
// build at / and, for comparison, a React 19 + @fal-ai/client page (bundled
// here with esbuild) and a plain HTML form at /ref/. The batch figures are
// in batch.mjs (BENCH_ONLY_BATCH=1 runs only them).
import { build } from 'esbuild';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { launchBrowser } from '../e2e/support/harness.mjs';
import { startServer } from '../e2e/support/server.mjs';
import { traceMainThread } from './main_thread.mjs';
import { batchFigures } from './batch.mjs';
import { median } from './stats.mjs';
import { ROOT, DIST } from '../e2e/support/harness.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 1 : 9));
const JOB_SECONDS = Number(process.env.BENCH_JOB_SECONDS ?? (QUICK ? 3 : 60));
const DELAY_RUNS = Number(process.env.BENCH_DELAY_RUNS ?? (QUICK ? 0 : 6));
const TYPED_CHARS = QUICK ? 300 : 5000;
// Only the batch figures (bench/batch.mjs), for a quicker look at them.
const ONLY_BATCH = process.env.BENCH_ONLY_BATCH === '1';
// The whole first load, brotli, in KiB: the app's growth guard (issue 19:
// 363.5 KB before the batch round, room for what it adds).
const FIRST_LOAD_BUDGET_KB = 370;
const results = [];

/** One figure: `value` (a number) shown as `figure`, held to `budget` by
 *  `withinBudget`. In quick mode a figure passes when it was produced. */
function report(name, value, figure, budget, withinBudget, detail = '') {
  const produced = Number.isFinite(value);
  const pass = QUICK ? produced : produced && withinBudget;
  results.push({ name, figure, budget, pass });
  const held = QUICK ? 'quick: no budget' : `budget ${budget}`;
  console.log(`${pass ? 'PASS' : 'FAIL'}  ${name}: ${figure} (${held})${detail ? `\n      ${detail}` : ''}`);
}

/** What a first-load response is, for the per-part line. */
function kind(url) {
  const path = new URL(url).pathname;
  const ext = path.endsWith('/') ? 'html' : path.split('.').pop();
  return { wasm: 'wasm', js: 'js', mjs: 'js', css: 'css', html: 'html', json: 'json', svg: 'icons', ico: 'icons', png: 'icons' }[ext] ?? ext;
}

const brotli = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

async function prepareSite() {
  const site = await mkdtemp(join(tmpdir(), 'wan-r2v-bench-'));
  await cp(DIST, site, { recursive: true });
  await mkdir(join(site, 'ref'), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'bench', 'reference', 'app.jsx')],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    outfile: join(site, 'ref', 'app.js'),
    logLevel: 'error',
  });
  // The proxy lives at the site root, not under /ref/.
  const js = (await readFile(join(site, 'ref', 'app.js'), 'utf8')).replace('./api/fal/proxy', '/api/fal/proxy');
  await writeFile(join(site, 'ref', 'app.js'), js);
  for (const page of ['index.html', 'plain.html']) {
    await cp(join(ROOT, 'bench', 'reference', page), join(site, 'ref', page));
  }
  return site;
}

/** Brotli bytes of every same-origin response a first load fetches. */
async function firstLoadBytes(browser, url, ready) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  page.on('response', async (res) => {
    if (res.url().startsWith(new URL(url).origin) && res.status() === 200) {
      try {
        bodies.push({ url: res.url(), bytes: brotli(await res.body()) });
      } catch {
        /* a redirect or an aborted body */
      }
    }
  });
  await page.goto(url);
  await ready(page);
  await page.waitForLoadState('networkidle');
  await context.close();
  return bodies;
}

/** Milliseconds from navigation until the prompt box exists and takes
 *  input, for each URL: medians of RUNS loads, taken in turns (ours, plain,
 *  ours, ...) so that a slow spell of the machine hits both alike. */
async function timesToInteractive(browser, urls) {
  const times = urls.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [n, url] of urls.entries()) times[n].push(await timeToInteractive(browser, url));
  }
  return times.map(median);
}

/** One fresh load (new context: empty cache) of `url`. */
async function timeToInteractive(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    () => {
      const box = document.querySelector('textarea');
      if (!box) return false;
      box.focus();
      return document.activeElement === box && performance.now();
    },
    null,
    { polling: 'raf' },
  );
  const time = await handle.jsonValue();
  await context.close();
  return time;
}

/** Runs one job of JOB_SECONDS in `page`, completes it by hand, and measures
 *  the delay to a playable video and the requests the job cost. */
async function followJob(browser, server, url, player, start, seconds = JOB_SECONDS) {
  await server.control({ reset: true, timings: { queue_ms: 0, run_ms: (seconds + 120) * 1000, log_interval_ms: 1000 } });
  const context = await browser.newContext();
  const page = await context.newPage();
  // Ready = the page's result player is in the document with its current
  // frame decoded (readyState >= HAVE_CURRENT_DATA): from its loadeddata
  // event, or, for a player that loaded before it was put on the page,
  // from the first frame that shows it.
  await page.addInitScript((selector) => {
    const ready = () => {
      const video = document.querySelector(selector);
      if (!window.__videoReadyAt && video?.isConnected && video.readyState >= 2) window.__videoReadyAt = Date.now();
    };
    document.addEventListener('loadeddata', ready, true);
    const frame = () => { ready(); if (!window.__videoReadyAt) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  }, player);
  await page.goto(url);
  await start(page);
  let id;
  for (let i = 0; i < 100 && !id; i++) {
    // The submit's own entry has no id yet; the first status call carries it.
    id = (await server.journal()).find((e) => e.request_id)?.request_id;
    if (!id) await page.waitForTimeout(100);
  }
  // fal's client polls every 500 ms: completing at a random point between
  // two polls, as a real job does, instead of in step with them.
  await page.waitForTimeout(seconds * 1000 + Math.random() * 1000);
  const completedAt = Date.now();
  await server.control({ complete: id });
  await page.waitForFunction(() => window.__videoReadyAt, null, { timeout: 60_000 });
  const readyAt = await page.evaluate(() => window.__videoReadyAt);
  const journal = await server.journal();
  const requests = journal.filter((e) => e.route === 'submit' || (e.request_id === id && e.route !== 'file')).length;
  await context.close();
  return { delay: readyAt - completedAt, requests };
}

/** The longest main-thread task while typing a 5000-character prompt with
 *  five references in the form, from a Chromium trace. */
async function longestTypingTask(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('Prompt', { exact: true }).waitFor();
  for (let i = 1; i <= 5; i++) {
    await page.getByLabel('Reference URL').fill(`${new URL(url).origin}/sim/files/none/ref-${i}.png`);
    await page.getByRole('button', { name: 'Add URL' }).click();
  }
  const box = page.getByLabel('Prompt', { exact: true });
  await box.click();
  const text = 'A koala in a red scarf walks along a misty beach at dawn, Image 1 beside it. '.repeat(70).slice(0, TYPED_CHARS);
  const trace = await traceMainThread(context, page, () => page.keyboard.type(text));
  const typed = (await box.inputValue()).length;
  await context.close();
  return { ...trace, typed };
}

const site = await prepareSite();
const server = await startServer({ simulate: true, dist: site, args: ['--rate-limit', '0', '--submit-rate', '0'] });
const browser = await launchBrowser();
try {
  if (!ONLY_BATCH) await pageFigures();
  if (process.env.BENCH_SKIP_JOBS !== '1') await batchFigures(browser, server, report);
} finally {
  await browser.close();
  await server.stop();
}

/** Every figure but the batch's. */
async function pageFigures() {
  const ours = await firstLoadBytes(browser, server.url, (p) => p.getByLabel('Prompt', { exact: true }).waitFor());
  const theirs = await firstLoadBytes(browser, `${server.url}ref/`, (p) => p.locator('textarea').waitFor());
  const sum = (xs) => xs.reduce((a, b) => a + b.bytes, 0);
  const kb = (bytes) => (bytes / 1024).toFixed(1);
  const parts = new Map();
  for (const b of ours) parts.set(kind(b.url), (parts.get(kind(b.url)) ?? 0) + b.bytes);
  const total = sum(ours) / 1024;
  report('first-load transfer (brotli), the whole app', total, `${total.toFixed(1)} KB`, `≤ ${FIRST_LOAD_BUDGET_KB} KB`,
    total <= FIRST_LOAD_BUDGET_KB,
    `${[...parts].sort((a, b) => b[1] - a[1]).map(([k, bytes]) => `${k} ${kb(bytes)} KB`).join(', ')} ` +
      `(${ours.length} responses: ${ours.map((b) => `${new URL(b.url).pathname.split('/').pop() || 'index'} ${kb(b.bytes)}`).join(', ')}); ` +
      `for reference, React 19 + @fal-ai/client ${kb(sum(theirs))} KB (${(sum(ours) / sum(theirs)).toFixed(2)}×)`);

  const [ttiOurs, ttiPlain] = await timesToInteractive(browser, [server.url, `${server.url}ref/plain.html`]);
  report('time to an interactive form, ours / plain HTML', ttiOurs / ttiPlain, `${(ttiOurs / ttiPlain).toFixed(2)}×`, '≤ 2.50×', ttiOurs / ttiPlain <= 2.5,
    `median of ${RUNS}: ours ${ttiOurs.toFixed(0)} ms, plain ${ttiPlain.toFixed(0)} ms`);

  const typing = await longestTypingTask(browser, server.url);
  report(`longest main-thread task typing ${TYPED_CHARS} characters with five references`, typing.longest, `${typing.longest.toFixed(1)} ms`, '≤ 16 ms', typing.longest <= 16,
    `${typing.typed} characters typed, ${typing.tasks} tasks traced, 99th percentile ${typing.p99.toFixed(1)} ms; the longest: ${typing.inside.join(', ') || 'no inner event over 1 ms'}`);

  if (process.env.BENCH_SKIP_JOBS !== '1') {
    const ours = async (p) => {
      await p.getByLabel('Prompt', { exact: true }).fill('A koala surfs');
      await p.getByRole('button', { name: 'Generate' }).click();
    };
    const theirs = async (p) => {
      await p.locator('textarea').fill('A koala surfs');
      await p.getByRole('button', { name: 'Generate' }).click();
    };
    const oursJob = await followJob(browser, server, server.url, 'video.result-video', ours);
    const theirsJob = await followJob(browser, server, `${server.url}ref/`, 'video#result', theirs);
    // One 60-second job each gives one delay; fal's client polls, so its
    // delay depends on where completion falls between two polls. More
    // samples, from 3-second jobs, taken in turns.
    const delays = { ours: [oursJob.delay], theirs: [theirsJob.delay] };
    for (let i = 0; i < DELAY_RUNS; i++) {
      delays.ours.push((await followJob(browser, server, server.url, 'video.result-video', ours, 3)).delay);
      delays.theirs.push((await followJob(browser, server, `${server.url}ref/`, 'video#result', theirs, 3)).delay);
    }
    const delayRatio = median(delays.ours) / Math.max(median(delays.theirs), 1);
    report('completion → playable video, ours / @fal-ai/client', delayRatio, `${delayRatio.toFixed(2)}×`, '≤ 0.30×', delayRatio <= 0.3,
      `medians of ${delays.ours.length}: ours ${median(delays.ours)} ms (${delays.ours.join(', ')}), @fal-ai/client ${median(delays.theirs)} ms (${delays.theirs.join(', ')})`);
    const reqRatio = oursJob.requests / theirsJob.requests;
    report(`HTTP requests for a ${JOB_SECONDS}-second job, ours / @fal-ai/client`, reqRatio, `${reqRatio.toFixed(3)}×`, '≤ 0.05×', reqRatio <= 0.05,
      `ours ${oursJob.requests}, @fal-ai/client ${theirsJob.requests}`);
  }
}
const failed = results.filter((r) => !r.pass).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
