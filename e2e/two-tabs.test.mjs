// Two tabs of the studio on one origin share one history. Both follow the
// same job; the tab that loses the race for the result sees fal's 404
// later, and that "expired" must never overwrite the video the other tab
// stored. And a write lands on what storage holds now, not on a tab's copy
// that is a storage event behind.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  HISTORY_KEY, env, startAll, stopAll, open, reopen, generate, expectResult, entry, storedJobs,
} from './support/history.mjs';

before(startAll);
after(stopAll);
beforeEach(async () => {
  await env.server.control({ reset: true });
});

/** Holds `page`'s result fetches (GET …/requests/{id}) until released. */
async function holdResultFetches(page) {
  let release;
  const released = new Promise((ok) => (release = ok));
  let arrived;
  const held = new Promise((ok) => (arrived = ok));
  // Through this site's proxy the fal URL travels in x-fal-target-url.
  const isResultFetch = (request) => {
    const target = request.headers()['x-fal-target-url'] ?? request.url();
    return request.method() === 'GET' && /\/requests\/[^/]+$/.test(new URL(target).pathname);
  };
  await page.route('**/*', async (route) => {
    if (!isResultFetch(route.request())) return route.continue();
    arrived();
    await released;
    await route.continue();
  });
  return { held, release };
}

test('a late "expired" from another tab never overwrites the stored video', async () => {
  const { page: first, context, errors } = await open();
  const second = await reopen(context);
  try {
    const gate = await holdResultFetches(second);
    const prompt = 'Two tabs, one heron [sim:queue=0s] [sim:run=2s]';
    await generate(first, prompt);
    // The second tab learns of the job from storage and follows it too.
    await entry(second, 'Two tabs, one heron').getByText('Generating').waitFor();
    await expectResult(first, { timeout: 20_000 });
    await entry(first, 'Two tabs, one heron').getByText('Done', { exact: true }).waitFor();
    const done = (await storedJobs(first)).find((r) => r.input.prompt === prompt);
    assert.equal(done.status, 'completed');
    // The second tab's fetch of the result is out; fal forgets the result
    // before it arrives, so it is answered 404 and that tab sees "expired".
    await Promise.race([
      gate.held,
      new Promise((_, no) => setTimeout(() => no(new Error('the second tab never fetched the result')), 20_000)),
    ]);
    await env.server.control({ expire: done.request.request_id });
    gate.release();
    let results = [];
    for (let i = 0; i < 100 && !results.some((e) => e.status === 404); i++) {
      await second.waitForTimeout(100);
      results = (await env.server.journal()).filter((e) => e.route === 'result');
    }
    assert.ok(results.some((e) => e.status === 404), `the second tab was answered 404: ${JSON.stringify(results)}`);
    // Give its write every chance to land, then read the history as stored.
    await second.waitForTimeout(500);
    const after = (await storedJobs(first)).find((r) => r.id === done.id);
    assert.equal(after.status, 'completed', 'the stored record still holds the video');
    assert.equal(after.output.video.url, done.output.video.url);
    await first.reload();
    await entry(first, 'Two tabs, one heron').getByText('Done', { exact: true }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a write lands on what storage holds now, not on a copy a storage event behind', async () => {
  const { page: first, context, errors } = await open();
  const second = await reopen(context);
  try {
    await generate(first, 'Written by the first tab [sim:queue=0s] [sim:run=0s]');
    await entry(second, 'Written by the first tab').getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    // A third tab writes a job; its storage event has not reached the second
    // tab yet (a write from the page itself fires none there).
    await second.evaluate((key) => {
      const list = JSON.parse(localStorage.getItem(key));
      const third = { ...list[0], id: 'third-tab-job', input: { ...list[0].input, prompt: 'Written by a third tab' } };
      localStorage.setItem(key, JSON.stringify([third, ...list]));
    }, HISTORY_KEY);
    await generate(second, 'Written by the second tab [sim:queue=0s] [sim:run=0s]');
    await expectResult(second, { timeout: 20_000 });
    const prompts = (await storedJobs(first)).map((r) => r.input.prompt).sort();
    assert.deepEqual(prompts, [
      'Written by a third tab',
      'Written by the first tab [sim:queue=0s] [sim:run=0s]',
      'Written by the second tab [sim:queue=0s] [sim:run=0s]',
    ]);
    await first.reload();
    await entry(first, 'Written by a third tab').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
