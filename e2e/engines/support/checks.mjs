// What the engine suite asserts after its steps, the same in every engine.
import assert from 'node:assert/strict';

/**
 * The page recorded no console error, page error, failed load or CSP
 * violation, and the simulator answered no call with an error, except
 * what `allow` (RegExps) names: a page problem's text, or a simulator
 * call as "route ROUTE answered STATUS".
 */
export async function expectClean(page, server, allow = []) {
  const allowed = (text) => allow.some((pattern) => pattern.test(text));
  const problems = (await page.problems()).filter((p) => !allowed(p));
  const refused = (await server.journal())
    .filter((e) => e.status === null || e.status >= 400)
    .map((e) => `route ${e.route} answered ${e.status ?? 'nothing (dropped)'}`)
    .filter((p) => !allowed(p));
  assert.deepEqual([...problems, ...refused], [], `${page.engine}: the page or the simulator reported problems`);
}

/**
 * The video at `selector` plays: a frame is decoded (drawn to a canvas it
 * is not one flat colour) and its time advances after play(). Bounded.
 */
export async function expectPlaying(page, selector, timeout = 20_000) {
  const state = await page.run(
    async (_$, sel, ms) => {
      const v = document.querySelector(sel);
      if (!v) return { problem: `no ${sel}` };
      const within = (promise, what) =>
        Promise.race([promise, new Promise((_, no) => setTimeout(() => no(new Error(`no ${what} within ${ms} ms`)), ms))]);
      const event = (name, ready) =>
        new Promise((ok, no) => {
          if (ready()) return ok();
          v.addEventListener(name, function check() {
            if (ready()) ok();
            else v.addEventListener(name, check, { once: true });
          }, { once: true });
          v.addEventListener('error', () => no(new Error(`media error ${v.error?.code}: ${v.error?.message}`)), { once: true });
        });
      try {
        v.muted = true;
        await within(event('loadeddata', () => v.readyState >= 2), 'decoded frame');
        const canvas = document.createElement('canvas');
        canvas.width = 64;
        canvas.height = 36;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(v, 0, 0, 64, 36);
        const pixels = ctx.getImageData(0, 0, 64, 36).data;
        const colours = new Set();
        for (let i = 0; i < pixels.length; i += 4 * 37) colours.add(`${pixels[i] >> 4},${pixels[i + 1] >> 4},${pixels[i + 2] >> 4}`);
        await v.play();
        const start = v.currentTime;
        await within(event('timeupdate', () => v.currentTime > start), 'time advancing');
        return { colours: colours.size, readyState: v.readyState, advanced: v.currentTime - start };
      } catch (err) {
        return { problem: String(err.message ?? err), readyState: v.readyState, error: v.error?.code ?? null };
      }
    },
    selector,
    timeout,
  );
  assert.equal(state.problem, undefined, `${page.engine}: the video does not play: ${JSON.stringify(state)}`);
  assert.ok(state.colours >= 4, `${page.engine}: the decoded frame is flat (${state.colours} colours): nothing was drawn`);
}
