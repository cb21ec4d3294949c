// The renderer's main-thread tasks while something happens in a page, from a
// Chromium trace: every `RunTask` on `CrRendererMain`, whatever its length.
// (A PerformanceObserver for 'longtask' reports only tasks of 50 ms and
// more, so it cannot tell a 12 ms task from a 40 ms one against a 16 ms
// budget; the trace sees them all.)

import { PROFILE_CATEGORIES, printProfiles } from './profile.mjs';

/** BENCH_PROFILE=1: also print where the costliest tasks spent their time. */
const PROFILE = process.env.BENCH_PROFILE === '1';

/**
 * Traces the page's main thread while `during()` runs. Answers the longest
 * task in ms, when it began (ms after the trace started), the four longest
 * events inside it over 1 ms (what it spent its time on: script, style,
 * layout, GC...), the number of tasks and the 99th percentile; and, when the
 * page set `performance.mark(before)`, the longest task that ended before
 * the first such mark (`longestBefore`). `...Cpu`: the same tasks' thread
 * time, and `mostCpu` the most thread time any task took (when, and what
 * it spent its time on: `mostCpuAt`, `insideMostCpu`).
 *
 * `settleMs`: tasks that begin within that long of the trace's first one
 * are not counted. Switching tracing on (and with BENCH_PROFILE, V8's
 * profiler, which first lists every compiled function) is itself a 30-40 ms
 * task of the page's main thread: the harness's, not the page's.
 */
export async function traceMainThread(context, page, during, { before, settleMs = 0 } = {}) {
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing' + (PROFILE ? PROFILE_CATEGORIES : ''), transferMode: 'ReportEvents' });
  let outcome;
  try {
    outcome = await during();
  } finally {
    await cdp.send('Tracing.end');
    await done;
    await cdp.detach();
  }
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const traced = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && (!main || (e.pid === main.pid && e.tid === main.tid)));
  const firstTs = Math.min(...traced.map((e) => e.ts));
  const tasks = traced.filter((e) => e.ts >= firstTs + settleMs * 1000);
  const longestTask = tasks.reduce((a, b) => (b.dur > a.dur ? b : a));
  // A style recalculation's size: how many elements it restyled.
  const elements = (e) => (e.name === 'UpdateLayoutTree' && e.args?.elementCount !== undefined ? ` (${e.args.elementCount} elements)` : '');
  // What a task spent its time on: its four longest inner events over 1 ms.
  const inside = (task) => events
    .filter((e) => e.ph === 'X' && e !== task && e.pid === task.pid && e.tid === task.tid &&
      e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur && e.dur >= 1000)
    .sort((a, b) => b.dur - a.dur)
    .slice(0, 4)
    .map((e) => `${e.name} ${(e.dur / 1000).toFixed(1)} ms${elements(e)}`);
  const sorted = tasks.map((e) => e.dur / 1000).sort((a, b) => b - a);
  const markTs = Math.min(...events.filter((e) => before && e.name === before).map((e) => e.ts));
  const earlier = tasks.filter((e) => e.ts + e.dur < markTs);
  const longestEarlier = earlier.length ? earlier.reduce((a, b) => (b.dur > a.dur ? b : a)) : undefined;
  // Thread time (`tdur`: the time the thread was on a CPU) tells a task
  // that worked long from one the OS descheduled on a busy machine.
  const cpu = (task) => (task?.tdur === undefined ? undefined : task.tdur / 1000);
  const mostCpu = tasks.reduce((a, b) => ((b.tdur ?? 0) > (a.tdur ?? 0) ? b : a));
  if (PROFILE) {
    const mostCpuFirst = [...tasks].sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0));
    printProfiles(events, mostCpuFirst.slice(0, 3), firstTs, inside);
  }
  return {
    longestCpu: cpu(longestTask),
    longestBeforeCpu: cpu(longestEarlier),
    mostCpu: cpu(mostCpu),
    mostCpuAt: (mostCpu.ts - firstTs) / 1000,
    insideMostCpu: inside(mostCpu),
    longestBefore: longestEarlier && longestEarlier.dur / 1000,
    insideBefore: longestEarlier ? inside(longestEarlier) : [],
    over16: sorted.filter((d) => d > 16).length,
    markAt: Number.isFinite(markTs) ? (markTs - firstTs) / 1000 : undefined,
    outcome,
    longest: longestTask.dur / 1000,
    at: (longestTask.ts - firstTs) / 1000,
    inside: inside(longestTask),
    tasks: tasks.length,
    p99: sorted[Math.floor(sorted.length / 100)],
  };
}
