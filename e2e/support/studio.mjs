// The steps most e2e files take in the studio: open it in a fresh browser
// profile with the error guard, generate, and check that the result plays.
import assert from 'node:assert/strict';
import { openPage } from './harness.mjs';

/** The Status and result panel. */
export const panel = (page) => page.locator('#job');

/**
 * Opens the studio at `url` in a fresh profile (empty storage) and waits for
 * its form. The page records console errors, page errors and HTTP errors
 * (`errors`, see openPage); `allow` lists the ones a test provokes on
 * purpose. `prepare(session)` runs before the page loads, for listeners
 * that must see the first request.
 */
export async function open(browser, url, { width = 1280, height = 900, prepare, ...options } = {}) {
  const session = await openPage(browser, { width, height, ...options });
  await prepare?.(session);
  await session.page.goto(url);
  await session.page.getByRole('heading', { name: 'Request' }).waitFor();
  await session.page.getByLabel('Prompt', { exact: true }).waitFor();
  return session;
}

/**
 * Opens the Connection panel when it is folded behind the header's badge
 * (it starts folded once the connection works: a proxy, or a key
 * remembered), so its fields can be used; an open panel stays as it is.
 */
export async function openConnection(page) {
  const badge = page.locator('#connection-badge');
  if ((await badge.getAttribute('aria-expanded')) === 'false') await badge.click();
  await page.locator('#connection').waitFor();
}

/**
 * Types `prompt` (unless it is undefined), presses Generate and waits until
 * the job has started: the button has turned into the job's live status.
 * A job that ends within a frame turns it back at once, so the turn is
 * caught by a MutationObserver set up before the press, not by polling.
 * `started: false` only presses, for a press that must not start a job.
 */
export async function generate(page, prompt, { started = true, timeout = 10_000 } = {}) {
  if (prompt !== undefined) await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  const button = page.getByRole('button', { name: 'Generate', exact: true });
  if (!started) {
    await button.click();
    return;
  }
  // The element, not the locator: once busy, the button is no longer named "Generate".
  const element = await button.elementHandle();
  await element.evaluate((el) => {
    const busy = (classes) => (classes ?? '').split(/\s+/).includes('is-busy');
    el.e2eStarted = new Promise((resolve) => {
      const observer = new MutationObserver((records) => {
        if (records.some((r) => busy(r.oldValue)) || el.classList.contains('is-busy')) {
          observer.disconnect();
          resolve(true);
        }
      });
      observer.observe(el, { attributes: true, attributeFilter: ['class'], attributeOldValue: true });
    });
  });
  await element.click();
  const didStart = await element.evaluate(
    (el, ms) => Promise.race([el.e2eStarted, new Promise((ok) => setTimeout(() => ok(false), ms))]),
    timeout,
  );
  await element.dispose();
  if (!didStart) {
    const reason = await page.locator('.generate-reason').textContent();
    assert.fail(`Generate started no job within ${timeout} ms (the form says: "${reason?.trim()}")`);
  }
}

/**
 * The result video plays: it is named, a frame is decoded, and its time
 * advances after play(). Returns its address.
 */
export async function expectPlayingVideo(page, { timeout = 30_000 } = {}) {
  const video = panel(page).locator('video.result-video');
  await video.waitFor({ timeout });
  assert.match(await video.getAttribute('aria-label'), /^Generated video: /);
  const state = await video.evaluate(async (v, ms) => {
    const within = (promise, what) =>
      Promise.race([promise, new Promise((_, no) => setTimeout(() => no(new Error(`no ${what} within ${ms} ms`)), ms))]);
    v.muted = true;
    if (v.readyState < 2) await within(new Promise((ok) => v.addEventListener('loadeddata', ok, { once: true })), 'first frame');
    await v.play();
    const start = v.currentTime;
    await within(
      new Promise((ok) => {
        const check = () => (v.currentTime > start ? ok() : v.addEventListener('timeupdate', check, { once: true }));
        check();
      }),
      'time advancing',
    );
    return { readyState: v.readyState, src: v.currentSrc };
  }, timeout);
  assert.ok(state.readyState >= 2, `readyState ${state.readyState}`);
  return state.src;
}
