// A batch through the embedding API: a host page's set_inputs carries the
// variations (docs/embedding.md), generate makes the batch, and every run's
// events name the batch and the run's place in it. The frame and host are
// set up as in every embedding test (support/embedding.mjs), through the
// documented example page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useEmbeddedStudio, openHost as openHostIn, eventOf, sendCommand, studioFrame } from './support/embedding.mjs';

let browser;
let host;
let studio;

useEmbeddedStudio(
  {
    args: ['--sim-queue', '1s', '--sim-run', '1s', '--sim-log-interval', '300ms'],
    appConfig: ([allowed]) => ({
      proxy_url: './api/fal/proxy',
      allow_user_key: true,
      simulated: true,
      embed_allowed_origins: [allowed],
      // Consent is e2e/embed-consent.test.mjs; here the protocol.
      embed_autorun_origins: [allowed],
    }),
  },
  (env) => {
    ({ browser, studio } = env);
    [host] = env.hosts;
  },
);

const openHost = (site) => openHostIn(browser, site);

test('set_inputs with variations makes a batch, and each run\'s events carry the batch id and its place', async () => {
  const { page, context, errors } = await openHost(host);
  try {
    await eventOf(page, 'ready');
    const studioOrigin = studio.origin;
    // Two seeds × two aspect ratios at 2 s: $0.80, under the confirmation threshold.
    await sendCommand(page, studioOrigin, 'set_inputs', 'batch-1', {
      inputs: { prompt: 'A red fox trots through fresh snow', duration: 2, seed: 41 },
      variations: { seeds: 2, seed_mode: 'count_up', vary: { aspect_ratio: ['16:9', '9:16'] } },
    });
    await eventOf(page, 'accepted', { command: 'set_inputs', reply_to: 'batch-1' });
    const frame = studioFrame(page);
    await frame.getByText('Generate makes 4 runs.').waitFor();
    await sendCommand(page, studioOrigin, 'generate', 'batch-go');
    await eventOf(page, 'accepted', { command: 'generate', reply_to: 'batch-go' });
    await page.waitForFunction(() => window.studioEvents.filter((e) => e.type === 'completed').length === 4, null, { timeout: 30_000 });
    const completed = await page.evaluate(() => window.studioEvents.filter((e) => e.type === 'completed'));
    assert.equal(new Set(completed.map((e) => e.batch_id)).size, 1, 'one batch');
    assert.match(completed[0].batch_id, /^b-[0-9a-f]{16}$/);
    assert.deepEqual(completed.map((e) => e.run_index).sort(), [0, 1, 2, 3]);
    assert.ok(completed.every((e) => e.run_total === 4));
    assert.equal(new Set(completed.map((e) => e.job_id)).size, 4, 'each run its own id');
    const submitted = await page.evaluate(() => window.studioEvents.filter((e) => e.type === 'submitted'));
    assert.equal(submitted.length, 4);
    assert.ok(submitted.every((e) => e.batch_id === completed[0].batch_id));
    assert.equal((await studio.submits()).length, 4);

    // Variations the studio cannot use are refused with the reason.
    await sendCommand(page, studioOrigin, 'set_inputs', 'batch-bad', {
      inputs: { prompt: 'A fox' }, variations: { seeds: 12 },
    });
    const refused = await eventOf(page, 'refused', { reply_to: 'batch-bad' });
    assert.match(refused.message, /seeds must be 1 to 8/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('generate refuses a batch the variations cannot make, naming the group\'s problem, and sends nothing', async () => {
  const { page, context, errors } = await openHost(host);
  try {
    await eventOf(page, 'ready');
    const studioOrigin = studio.origin;
    // Accepted by set_inputs (a person could set it), refused by the
    // group's own check at generate: 8 seeds × 3 aspect ratios is 24 runs.
    await sendCommand(page, studioOrigin, 'set_inputs', 'too-many', {
      inputs: { prompt: 'A red fox trots through fresh snow', duration: 2 },
      variations: { seeds: 8, vary: { aspect_ratio: ['16:9', '9:16', '1:1'] } },
    });
    await eventOf(page, 'accepted', { command: 'set_inputs', reply_to: 'too-many' });
    await sendCommand(page, studioOrigin, 'generate', 'too-many-go');
    const refused = await eventOf(page, 'refused', { reply_to: 'too-many-go' });
    assert.equal(refused.reason, 'invalid_input');
    assert.equal(refused.problems.length, 1, JSON.stringify(refused));
    assert.equal(refused.problems[0].field, 'variations.runs');
    assert.match(refused.problems[0].message, /24 runs/);
    // The same words stand in the frame, next to the group.
    await studioFrame(page).getByRole('group', { name: 'Variations' }).getByText(refused.problems[0].message).waitFor();
    assert.equal((await studio.submits()).length, 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
