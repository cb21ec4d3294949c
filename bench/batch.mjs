// The batch figures of issue 19, for scripts/bench (bench/bench.mjs):
//
// 1. HTTP requests for a batch of BATCH_RUNS jobs of BATCH_SECONDS each: our
//    app runs them as one batch from the form ("Seeds" = BATCH_RUNS); fal's
//    client runs the same jobs as BATCH_RUNS `fal.subscribe` calls in
//    parallel (the reference page's `?runs=N`). Both against the simulator,
//    with the single-job figure's timings (no queue, a log line a second),
//    every job running BATCH_SECONDS and completing on its own. Counted from
//    the simulator's journal: every submit, and every call naming one of
//    the batch's request ids (status polls, status streams, results,
//    cancels), the video files excluded.
// 2. The longest main-thread task while BATCH_RUNS jobs stream logs (a log
//    line every 300 ms): a Chromium trace of our page from the moment the
//    grid shows the batch until the page has fetched every run's video and
//    a second more (the trace's first second, while Chromium switches
//    tracing on, not counted); then every run must say "Video ready".
import { traceMainThread } from './main_thread.mjs';
import { startSeedsBatch } from '../e2e/support/studio.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
export const BATCH_RUNS = Number(process.env.BENCH_BATCH_RUNS ?? (QUICK ? 2 : 8));
export const BATCH_SECONDS = Number(process.env.BENCH_BATCH_SECONDS ?? (QUICK ? 3 : 60));
const LOG_INTERVAL_MS = 300;
// BENCH_HISTORY=N: the longest-task figure starts with N finished jobs
// already in the history (a studio in use; the cap is 200), since every
// record write reads and writes the whole stored list.
const SEEDED = Number(process.env.BENCH_HISTORY ?? 0);
const FIRST_READY = 'bench:first-run-ready';
/** How long a job may take beyond its run before the figure gives up. */
const SLACK_MS = 60_000;

/** A fresh simulator (journal and jobs emptied) with these job timings. */
async function resetSimulator(server, logIntervalMs) {
  await server.control({
    reset: true,
    timings: { queue_ms: 0, run_ms: BATCH_SECONDS * 1000, log_interval_ms: logIntervalMs },
  });
}

/** Every call the journal attributes to the jobs submitted since the reset,
 *  by route, and the jobs' request ids. */
async function requestsOfTheBatch(server) {
  const journal = await server.journal();
  const ids = new Set(journal.filter((e) => e.route !== 'submit' && e.request_id).map((e) => e.request_id));
  const counted = journal.filter((e) => e.route === 'submit' || (ids.has(e.request_id) && e.route !== 'file'));
  const byRoute = {};
  for (const e of counted) byRoute[e.route] = (byRoute[e.route] ?? 0) + 1;
  return { total: counted.length, byRoute, jobs: ids.size };
}

/** Our studio in a fresh profile, a batch of BATCH_RUNS random seeds
 *  started from the form (through the cost confirmation when it asks). */
async function startOurBatch(browser, url, seeded = 0) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  if (seeded > 0) {
    await page.evaluate(seedHistory, { count: seeded, origin: new URL(url).origin });
    await page.reload();
    await page.getByText(`Seeded ${seeded - 1}:`).first().waitFor({ timeout: 10_000 });
  }
  await startSeedsBatch(page, BATCH_RUNS);
  return { context, page };
}

/** Puts `count` cancelled jobs (older than any new one) in the stored
 *  history, shaped as the studio writes them. Runs in the page. */
function seedHistory({ count, origin }) {
  const queue = `${origin}/fal-queue/fal-ai/wan/v2.7/reference-to-video/requests`;
  const records = Array.from({ length: count }, (_, i) => ({
    version: 1,
    id: `job-${1_700_000_000_000 + i}-000000`,
    created_at_ms: 1_700_000_000_000 + i * 60_000,
    input: {
      prompt: `Seeded ${i}: a koala in a red scarf walks along a misty beach at dawn, Image 1 beside it, ` +
        'waves rolling in slowly, the camera tracking at knee height, soft golden light, film grain.',
      reference_image_urls: [1, 2, 3].map((n) => `${origin}/sim/files/none/ref-${i}-${n}.png`),
      aspect_ratio: '16:9',
      resolution: '1080p',
      duration: 5,
      seed: 1000 + i,
      enable_safety_checker: true,
    },
    cost: { cents: 75, arithmetic: '5 s × $0.15 = $0.75', complete: true },
    status: 'cancelled',
    request: {
      request_id: `seed-${i}`,
      status_url: `${queue}/seed-${i}/status`,
      stream_url: `${queue}/seed-${i}/status/stream`,
      response_url: `${queue}/seed-${i}`,
      cancel_url: `${queue}/seed-${i}/cancel`,
    },
    cancel_requested: true,
  })).reverse();
  localStorage.setItem('wan-r2v-studio.jobs.v1', JSON.stringify(records));
}

/** Waits until every run of our batch says "Video ready" (checked once a
 *  second, so the waiting itself costs the page almost nothing). */
async function everyRunReady(page) {
  await page.waitForFunction(
    (count) => {
      const statuses = [...document.querySelectorAll('.batch-tile .batch-status')].map((s) => s.textContent);
      return statuses.length === count && statuses.every((s) => s.startsWith('Video ready'));
    },
    BATCH_RUNS,
    { polling: 1000, timeout: BATCH_SECONDS * 1000 + SLACK_MS },
  );
}

/** Waits until the page has fetched every run's video (its players load
 *  them as soon as they are shown), then a second more for the last one to
 *  settle: read from the journal, so the page does no work for it. */
async function everyVideoFetched(server) {
  const deadline = Date.now() + BATCH_SECONDS * 1000 + SLACK_MS;
  for (;;) {
    const journal = await server.journal();
    const videos = new Set(journal.filter((e) => e.route === 'file').map((e) => e.path.split('?')[0]));
    if (videos.size >= BATCH_RUNS) break;
    if (Date.now() > deadline) throw new Error(`only ${videos.size} of ${BATCH_RUNS} videos fetched in time`);
    await new Promise((ok) => setTimeout(ok, 500));
  }
  await new Promise((ok) => setTimeout(ok, 1000));
}

/** Requests our app makes for the batch. */
async function ourRequests(browser, server) {
  await resetSimulator(server, 1000);
  const { context, page } = await startOurBatch(browser, server.url);
  try {
    await everyRunReady(page);
    return await requestsOfTheBatch(server);
  } finally {
    await context.close();
  }
}

/** Requests fal's client makes for the same jobs, BATCH_RUNS subscribes at once. */
async function theirRequests(browser, server) {
  await resetSimulator(server, 1000);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}ref/?runs=${BATCH_RUNS}`);
    await page.locator('textarea').fill('A koala surfs');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.waitForFunction((count) => window.__completedRuns === count, BATCH_RUNS, {
      polling: 1000,
      timeout: BATCH_SECONDS * 1000 + SLACK_MS,
    });
    return await requestsOfTheBatch(server);
  } finally {
    await context.close();
  }
}

/** The longest main-thread task of our page over a batch streaming logs,
 *  and the longest before the first run finished (logs alone). */
async function longestBatchTask(browser, server) {
  await resetSimulator(server, LOG_INTERVAL_MS);
  const { context, page } = await startOurBatch(browser, server.url, SEEDED);
  try {
    // A mark in the task whose DOM change first says "Video ready"
    // (a MutationObserver's callback runs at the end of that task).
    await page.evaluate((mark) => {
      const grid = document.querySelector('.batch-tile')?.parentElement ?? document.body;
      const observer = new MutationObserver(() => {
        const statuses = [...grid.querySelectorAll('.batch-status')].map((s) => s.textContent);
        if (statuses.some((s) => s.startsWith('Video ready'))) {
          performance.mark(mark);
          observer.disconnect();
        }
      });
      observer.observe(grid, { subtree: true, childList: true, characterData: true });
    }, FIRST_READY);
    // Waited for from here, through the simulator's journal: a Playwright
    // wait in the page is a task of ours in the trace (compiling and running
    // its predicate took 40 ms of the page's main thread once).
    const trace = await traceMainThread(context, page, () => everyVideoFetched(server), { before: FIRST_READY, settleMs: 1000 });
    await everyRunReady(page);
    return trace;
  } finally {
    await context.close();
  }
}

const routes = (byRoute) => Object.entries(byRoute).map(([route, n]) => `${route} ${n}`).join(', ');

/** Measures both figures and hands each to `report` (bench.mjs's). */
export async function batchFigures(browser, server, report) {
  // BENCH_ONLY_LONGEST_TASK=1: only figure 2, for profiling it (3 minutes less).
  if (process.env.BENCH_ONLY_LONGEST_TASK !== '1') await requestFigure(browser, server, report);
  await longestTaskFigure(browser, server, report);
}

async function requestFigure(browser, server, report) {
  const ours = await ourRequests(browser, server);
  const theirs = await theirRequests(browser, server);
  const ratio = ours.total / theirs.total;
  report(`HTTP requests for a batch of ${BATCH_RUNS} ${BATCH_SECONDS}-second jobs, ours / @fal-ai/client`, ratio, `${ratio.toFixed(3)}×`, '≤ 0.05×',
    ratio <= 0.05,
    `ours ${ours.total} for ${ours.jobs} jobs (${routes(ours.byRoute)}), @fal-ai/client ${theirs.total} for ${theirs.jobs} jobs (${routes(theirs.byRoute)})`);
}

async function longestTaskFigure(browser, server, report) {
  const trace = await longestBatchTask(browser, server);
  const ms = (x) => (x === undefined ? '?' : `${x.toFixed(1)} ms`);
  const history = SEEDED ? `, ${SEEDED} jobs in the history` : '';
  report(`longest main-thread task while ${BATCH_RUNS} jobs stream logs (a line every ${LOG_INTERVAL_MS} ms${history})`, trace.longest, `${trace.longest.toFixed(1)} ms`,
    '≤ 16 ms', trace.longest <= 16,
    `${trace.tasks} tasks traced over the ${BATCH_SECONDS}-second batch, ${trace.over16} over 16 ms, 99th percentile ${trace.p99.toFixed(1)} ms; ` +
      `the longest, ${(trace.at / 1000).toFixed(1)} s in, ${ms(trace.longestCpu)} of it on a CPU: ${trace.inside.join(', ') || 'no inner event over 1 ms'}; ` +
      `before the first run finished (${trace.markAt === undefined ? 'no mark' : `${(trace.markAt / 1000).toFixed(1)} s in`}), logs alone: ` +
      `${trace.longestBefore === undefined ? 'no task' : `${ms(trace.longestBefore)}, ${ms(trace.longestBeforeCpu)} on a CPU (${trace.insideBefore.join(', ') || 'no inner event over 1 ms'})`}; ` +
      `most CPU time in one task ${ms(trace.mostCpu)} (${(trace.mostCpuAt / 1000).toFixed(1)} s in: ${trace.insideMostCpu.join(', ') || 'no inner event over 1 ms'})`);
}
