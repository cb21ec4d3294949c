// The steps most e2e files take in the studio: open it in a fresh browser
// profile with the error guard, generate, and check that the result plays.
import assert from 'node:assert/strict';
import { openPage } from './harness.mjs';

/** The Status and result panel (`page` may be a frame locator: an embedded studio). */
export const panel = (page) => page.locator('#job');

/**
 * The single run's result title in the panel. Exact: "Video ready" also
 * ends the job announcer's words and a batch tile's status, so a loose
 * match can find two elements.
 */
export const resultTitle = (page) => panel(page).getByText('Video ready', { exact: true });

/** Waits until the panel shows the single run's result ("Video ready"). */
export async function expectResult(page, { timeout = 20_000 } = {}) {
  await resultTitle(page).waitFor({ timeout });
}

/** Where the studio keeps its history in localStorage. */
export const HISTORY_KEY = 'wan-r2v-studio.jobs.v1';

/** The history as the page stored it (an empty list when there is none). */
export const storedJobs = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]'), HISTORY_KEY);

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
 * Opens the studio as `open` does, and records the input of every submit
 * the page sends to fal (straight to fal's queue or through the proxy):
 * `submitted`, beside the session's page, context and errors.
 */
export async function openRecordingSubmits(browser, url, options = {}) {
  const submitted = [];
  const session = await open(browser, url, {
    ...options,
    prepare: async (opened) => {
      opened.page.on('request', (request) => {
        const fal = request.headers()['x-fal-target-url'] ?? request.url();
        if (request.method() === 'POST' && fal.endsWith('/fal-ai/wan/v2.7/reference-to-video')) {
          submitted.push(request.postDataJSON());
        }
      });
      await options.prepare?.(opened);
    },
  });
  return { ...session, submitted };
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

/**
 * Fills a prompt, sets "Seeds" in "Variations" to `runs` (random seeds),
 * presses Generate, answers "Start this run" when the cost confirmation
 * asks, and waits for "Batch results". Answers the grid's locator.
 */
export async function startSeedsBatch(page, runs, prompt = 'A koala surfs') {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  const group = page.getByRole('group', { name: 'Variations' });
  await group.getByRole('spinbutton', { name: 'Seeds' }).fill(String(runs));
  await group.getByText(`Generate makes ${runs} runs.`).waitFor();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const grid = page.getByRole('region', { name: 'Batch results' });
  const question = page.getByRole('alertdialog', { name: 'Confirm this run' });
  await grid.or(question).first().waitFor({ timeout: 10_000 });
  if (await question.isVisible()) await question.getByRole('button', { name: 'Start this run' }).click();
  await grid.waitFor({ timeout: 10_000 });
  return grid;
}

/**
 * Waits until "Batch results" shows `count` players, each out of its
 * placeholder with its first frame (the grid loads them one at a time, so
 * the last comes a little after every run says "Video ready").
 */
export async function allPlayersShown(page, count, { timeout = 20_000 } = {}) {
  await page.waitForFunction((n) => {
    const shown = [...document.querySelectorAll('video.batch-video:not(.is-loading)')];
    return shown.length === n && shown.every((v) => v.readyState >= 2);
  }, count, { timeout });
}
