// BENCH_PROFILE=1: what the tasks with the most CPU time spent it on, from
// the V8 sampling profiler's events in the same Chromium trace as
// main_thread.mjs's figures. Wasm functions have names only in a build that
// keeps them (docs/performance.md, "Profiling a task"); otherwise they show
// as wasm-function[N].

/** The trace categories the profile needs, added to main_thread.mjs's. */
export const PROFILE_CATEGORIES = ',disabled-by-default-v8.cpu_profiler,disabled-by-default-devtools.timeline.invalidationTracking';

/** Prints, for each of `tasks`, its inner events over 1 ms (`inside`), the
 *  functions its samples were in, and the app's call paths in it. */
export function printProfiles(events, tasks, firstTs, inside) {
  const samples = profileSamples(events);
  for (const task of tasks) {
    const within = samples.filter((s) => s.t >= task.ts && s.t <= task.ts + task.dur);
    const self = new Map();
    const paths = new Map();
    for (const { frames } of within) {
      count(self, frames[0]);
      const ours = frames.filter((f) => f.includes('wan_r2v_studio::')).reverse();
      count(paths, ours.map((f) => f.replace('wan_r2v_studio::', '')).join(' > ') || '(outside the app: render effects, the browser)');
    }
    console.log(`== ${((task.ts - firstTs) / 1e6).toFixed(2)} s in, ${(task.dur / 1000).toFixed(1)} ms, ` +
      `${(task.tdur / 1000).toFixed(1)} ms on a CPU, ${within.length} samples: ${inside(task).join(', ')}`);
    console.log(`   functions: ${top(self, 12)}`);
    console.log(`   app paths:${top(paths, 12, '\n     ')}`);
    console.log(`   style and layout invalidated by:${top(invalidations(events, task), 8, '\n     ')}`);
  }
}

/** What made the task's style or layout work: the invalidation records
 *  Chromium logged since the previous frame (100 ms before the task) and in
 *  it, by kind, reason and what changed; with the elements each style
 *  recalculation touched. */
function invalidations(events, task) {
  const found = new Map();
  for (const e of events) {
    if (e.pid !== task.pid || e.ts < task.ts - 100_000 || e.ts > task.ts + task.dur) continue;
    if (e.name === 'UpdateLayoutTree' && e.ts >= task.ts) {
      count(found, `UpdateLayoutTree of ${e.args?.elementCount ?? '?'} elements (${(e.dur / 1000).toFixed(1)} ms)`);
    } else if (e.name.endsWith('InvalidationTracking')) {
      const d = e.args?.data ?? {};
      const what = d.changedClass ?? d.changedAttribute ?? d.changedPseudo ?? d.changedId ?? d.selectors?.map((x) => x.selector).join(' ') ?? '';
      count(found, `${e.name.replace('InvalidationTracking', '')}: ${d.reason ?? ''} ${d.nodeName ?? ''} ${what}`.trim());
    }
  }
  return found;
}

const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
const top = (map, n, sep = '; ') =>
  (sep.startsWith('\n') ? sep : '') + [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${v} ${k}`).join(sep);

/** Every sample as its time (trace µs) and stack (innermost first). */
function profileSamples(events) {
  const starts = new Map(events.filter((e) => e.name === 'Profile').map((e) => [e.id, e.args.data.startTime]));
  const nodes = new Map();
  const clock = new Map();
  const raw = [];
  for (const e of events.filter((e) => e.name === 'ProfileChunk')) {
    const profile = e.args.data.cpuProfile ?? {};
    for (const n of profile.nodes ?? []) {
      const name = (n.callFrame.functionName || '(anonymous)').replace(/::h[0-9a-f]{16}$/, '');
      nodes.set(`${e.id}:${n.id}`, { name, parent: n.parent === undefined ? undefined : `${e.id}:${n.parent}` });
    }
    let t = clock.get(e.id) ?? starts.get(e.id) ?? 0;
    (profile.samples ?? []).forEach((node, i) => {
      t += e.args.data.timeDeltas?.[i] ?? 0;
      raw.push({ t, node: `${e.id}:${node}` });
    });
    clock.set(e.id, t);
  }
  return raw.map(({ t, node }) => {
    const frames = [];
    for (let n = nodes.get(node); n; n = nodes.get(n.parent)) frames.push(n.name);
    return { t, frames };
  });
}
