// A host page's `generate` spends money, so the studio asks the person in
// the frame first: without an answer nothing starts (the simulator's
// journal has no submit), "Deny" reaches the host as `consent_denied`,
// "Allow once" starts exactly one job, and "Always allow this site" is
// remembered until the person takes it back in the Connection panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from './support/harness.mjs';
import { useEmbeddedStudio, openHost as openHostIn, studioFrame as frame } from './support/embedding.mjs';

let browser;
let host;
let studio;

useEmbeddedStudio(
  {
    args: ['--sim-queue', '300ms', '--sim-run', '800ms', '--sim-log-interval', '200ms'],
    appConfig: ([allowed]) => ({
      proxy_url: './api/fal/proxy',
      allow_user_key: false,
      simulated: true,
      embed_allowed_origins: [allowed],
    }),
  },
  (env) => {
    ({ browser, studio } = env);
    [host] = env.hosts;
  },
);

/** The host page with the studio ready in its frame. */
async function openHost() {
  const session = await openHostIn(browser, host);
  await session.page.waitForFunction(() => window.studioEvents?.some((e) => e.type === 'ready'));
  await frame(session.page).getByLabel('Prompt', { exact: true }).waitFor();
  return session;
}

const eventsOf = (page, type) => page.evaluate((t) => window.studioEvents.filter((e) => e.type === t), type);

async function askToGenerate(page, prompt) {
  await page.fill('#prompt', prompt);
  await page.click('#set-inputs');
  await page.waitForFunction(() => window.studioEvents.some((e) => e.type === 'accepted' && e.command === 'set_inputs'));
  await page.click('#generate');
}

test('a generate waits for the person: nothing starts, and Deny reaches the host', async () => {
  const { page, context, errors } = await openHost();
  try {
    await askToGenerate(page, 'A lighthouse in a storm');
    const question = frame(page).getByText(/^127\.0\.0\.1:\d+ wants to start a job costing \$0\.50$/);
    await question.waitFor();
    await screenshot(page, 'embed-consent-asked-1280');
    // Time for a job to have started, had it been allowed to.
    await page.waitForTimeout(800);
    assert.deepEqual(await studio.submits(), [], 'no submit without consent');
    assert.deepEqual(await eventsOf(page, 'submitted'), []);

    await frame(page).getByRole('button', { name: 'Deny' }).click();
    await page.waitForFunction(() => window.studioEvents.some((e) => e.type === 'refused' && e.command === 'generate'));
    const [refused] = (await eventsOf(page, 'refused')).filter((e) => e.command === 'generate');
    assert.equal(refused.reason, 'consent_denied');
    assert.equal(await question.count(), 0);
    assert.deepEqual(await studio.submits(), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('"Allow once" starts exactly one job, and the next generate asks again', async () => {
  const { page, context, errors } = await openHost();
  try {
    await askToGenerate(page, 'A lighthouse in a storm');
    await frame(page).getByRole('button', { name: 'Allow once' }).click();
    await page.waitForFunction(() => window.studioEvents.some((e) => e.type === 'completed'), null, { timeout: 20_000 });
    assert.equal((await studio.submits()).length, 1, 'exactly one job');
    await page.click('#generate');
    await frame(page).getByRole('button', { name: 'Allow once' }).waitFor();
    assert.equal((await studio.submits()).length, 1, 'asked again, nothing sent');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('"Always allow this site" is remembered until revoked in the Connection panel', async () => {
  const { page, context, errors } = await openHost();
  try {
    await askToGenerate(page, 'A lighthouse in a storm');
    await frame(page).getByRole('button', { name: 'Always allow this site' }).click();
    await page.waitForFunction(() => window.studioEvents.some((e) => e.type === 'completed'), null, { timeout: 20_000 });
    // The next generate starts without a question.
    await page.click('#generate');
    await page.waitForFunction(() => window.studioEvents.filter((e) => e.type === 'completed').length === 2, null, { timeout: 20_000 });
    assert.equal((await studio.submits()).length, 2);

    await frame(page).locator('.embed-connection-line').click();
    const revoke = frame(page).getByRole('button', { name: /^Stop allowing 127\.0\.0\.1:\d+$/ });
    await revoke.click();
    await page.click('#generate');
    await frame(page).getByRole('button', { name: 'Allow once' }).waitFor();
    assert.equal((await studio.submits()).length, 2, 'asked again after the revocation');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
