// The embedded studio (?embed=1) in a host page on another origin, driven
// through the documented example page (docs/embed-example.html): commands
// and events over postMessage, only for the origins config.json lists, and
// never the fal key; the compact layout at 375 and 1280 px; no CSP
// violation inside the frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot } from './support/harness.mjs';
import { startStaticStudio } from './support/host.mjs';
import { watchViolations, violations } from './support/csp.mjs';
import { useEmbeddedStudio, openHost as openHostIn, eventOf, sendCommand, studioFrame } from './support/embedding.mjs';
import { expectResult } from './support/studio.mjs';

const KEY_SECRET = 'embed-secret-5f3a9c';
const KEY = `embed-id:${KEY_SECRET}`;

let browser;
let host; // an allowed origin
let stranger; // an origin not on the list
let studio; // wan-r2v-server: the app with the CSP header, the proxy, the simulator

useEmbeddedStudio(
  {
    hosts: 2,
    args: [
      '--forward-user-key',
      '--sim-queue', '1500ms', '--sim-queue-position', '1', '--sim-run', '1200ms', '--sim-log-interval', '300ms',
    ],
    appConfig: ([allowed]) => ({
      proxy_url: './api/fal/proxy',
      allow_user_key: true,
      forward_user_key_to_proxy: true,
      simulated: true,
      embed_allowed_origins: [allowed],
      // This file tests the protocol; asking the person first is
      // e2e/embed-consent.test.mjs.
      embed_autorun_origins: [allowed],
    }),
  },
  (env) => {
    ({ browser, studio } = env);
    [host, stranger] = env.hosts;
  },
);

const openHost = (site, options) => openHostIn(browser, site, options);
const typesOf = (page) => page.evaluate(() => window.studioEvents.map((e) => e.type));
const frameOf = (page) => page.frames().find((f) => f.url().includes('embed=1'));

test('an allowed host page sets the inputs, generates, and hears the job through to the video', async () => {
  const { page, context, errors } = await openHost(host);
  try {
    const ready = await eventOf(page, 'ready');
    assert.deepEqual(ready.commands, ['set_inputs', 'generate', 'cancel', 'ping']);
    assert.equal(ready.version, 1);
    assert.equal(ready.needs_key, false, 'the proxy holds the key');
    assert.equal(ready.simulated, true);

    // The compact layout: no header, footer or full Connection panel, a one-line Connection.
    const frame = studioFrame(page);
    await frame.getByRole('heading', { name: 'Request' }).waitFor();
    assert.equal(await frame.locator('.app-header').count(), 0);
    assert.equal(await frame.locator('.app-footer').count(), 0);
    assert.match(await frame.locator('.embed-connection-line').innerText(), /^Connection: /);
    assert.equal(await frame.getByRole('region', { name: 'Connection' }).isVisible(), false);

    await page.fill('#prompt', 'A red fox trots through fresh snow at dawn');
    await page.click('#set-inputs');
    const setAck = await eventOf(page, 'accepted', { command: 'set_inputs' });
    assert.equal(setAck.reply_to, 'set_inputs-1');
    assert.equal(await frame.getByLabel('Prompt', { exact: true }).inputValue(), 'A red fox trots through fresh snow at dawn');

    await page.click('#generate');
    const done = await eventOf(page, 'completed', {}, 30_000);
    assert.ok(done.video_url.startsWith(`${studio.origin}/sim/files/`), done.video_url);
    assert.equal(typeof done.seed, 'number');
    assert.ok(done.request_id, 'the request id');

    const types = await typesOf(page);
    const at = (t) => types.indexOf(t);
    assert.ok(at('accepted') < at('submitted') && at('submitted') < at('completed'), types.join(' '));
    const states = await page.evaluate(() =>
      window.studioEvents.filter((e) => e.type === 'status').map((e) => e.state),
    );
    for (const state of ['in_queue', 'in_progress', 'fetching_result']) {
      assert.ok(states.includes(state), `status ${state} in ${states.join(', ')}`);
    }
    const submitted = await eventOf(page, 'submitted');
    assert.equal(submitted.request_id, done.request_id);
    assert.equal(submitted.job_id, done.job_id);
    // Not one status per log line: each state once (queue position changes aside).
    assert.ok(states.length <= 6, states.join(', '));

    // The host page plays the video the event named.
    const played = await page.locator('#result video').evaluate(async (v) => {
      v.muted = true;
      if (v.readyState < 2) await new Promise((ok) => v.addEventListener('loadeddata', ok, { once: true }));
      return v.readyState;
    });
    assert.ok(played >= 2);
    await expectResult(studioFrame(page));
    await screenshot(page, 'embed-host-1280');

    // Events were addressed to the host's origin only, and one job was sent once.
    const origins = await page.evaluate(() => [...new Set(window.allMessages.map((m) => m.origin))]);
    assert.deepEqual(origins, [studio.origin]);
    assert.equal((await studio.submits()).length, 1);
    assert.deepEqual(await violations(frameOf(page)), []);
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('generate refuses invalid input with the problems, and cancel stops a queued job', async () => {
  // fal forgets a job cancelled in its queue: a status read after it is a 404.
  const { page, context, errors } = await openHost(host, { allow: [/404/] });
  try {
    await eventOf(page, 'ready');
    await page.fill('#prompt', '');
    await page.click('#set-inputs');
    await eventOf(page, 'accepted', { command: 'set_inputs' });
    await page.click('#generate');
    const refused = await eventOf(page, 'refused', { command: 'generate' });
    assert.equal(refused.reason, 'invalid_input');
    assert.equal(refused.reply_to, 'generate-2');
    assert.ok(refused.problems.some((p) => p.field === 'prompt' && p.message), JSON.stringify(refused.problems));
    // The studio shows the same problems to the person, next to the form.
    await studioFrame(page).getByText('Fix these to generate:').waitFor();
    assert.match(await page.locator('#status').innerText(), /refused generate/);
    assert.equal((await studio.submits()).length, 0, 'nothing was sent');

    await page.fill('#prompt', 'A lighthouse in a storm');
    await page.click('#set-inputs');
    await eventOf(page, 'accepted', { command: 'set_inputs', reply_to: 'set_inputs-3' });
    await page.click('#generate');
    await eventOf(page, 'accepted', { command: 'generate' });
    await eventOf(page, 'status', { state: 'in_queue' });
    // A second generate while the job runs: one press is one job.
    await page.click('#generate');
    const busy = await eventOf(page, 'refused', { reason: 'busy' });
    assert.equal(busy.command, 'generate');
    await page.click('#cancel');
    await eventOf(page, 'accepted', { command: 'cancel' });
    const cancelled = await eventOf(page, 'cancelled');
    assert.ok(cancelled.request_id);
    await page.click('#cancel');
    await eventOf(page, 'refused', { reason: 'nothing_to_cancel' });
    assert.equal((await studio.submits()).length, 1);
    assert.equal((await studio.journal()).filter((e) => e.route === 'cancel').length, 1);
    assert.deepEqual(await violations(frameOf(page)), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the fal key typed into the embedded studio never reaches the host page', async () => {
  const { page, context, errors } = await openHost(host);
  try {
    await eventOf(page, 'ready');
    const frame = studioFrame(page);
    await frame.locator('.embed-connection-line').click();
    await frame.getByLabel('fal key').fill(KEY);
    await frame.getByRole('region', { name: 'Connection' }).waitFor();
    await screenshot(page, 'embed-host-connection-open-1280');
    await page.fill('#prompt', 'Own key [sim:queue=0s] [sim:run=1s]');
    await page.click('#set-inputs');
    await page.click('#generate');
    await eventOf(page, 'completed', {}, 30_000);
    // The key was used (it went to the proxy, as this deployment forwards it)...
    const submit = (await studio.submits())[0];
    assert.equal(submit.authorization, 'present');
    assert.equal(submit.upstream_authorization, 'user_key');
    // ...a host's set_inputs cannot carry one...
    await sendCommand(page, studio.origin, 'set_inputs', 'k', { inputs: { prompt: 'x', fal_key: 'a:b' } });
    const refusal = await eventOf(page, 'refused', { reply_to: 'k' });
    assert.equal(refusal.reason, 'invalid_command');
    assert.match(refusal.message, /no field "fal_key"/);
    // ...and nothing the host page received holds it.
    const messages = await page.evaluate(() => window.allMessages.map((m) => m.text));
    assert.ok(messages.length >= 5, `${messages.length} messages`);
    for (const text of messages) {
      assert.ok(!text.includes(KEY_SECRET), `a message carried the key: ${text}`);
      assert.ok(!/key_secret|authorization/i.test(text), text);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a host page not on the list cannot frame the studio (frame-ancestors)', async () => {
  const { page, context, errors } = await openHost(stranger, { allow: [/frame-ancestors|Refused to frame/] });
  try {
    await page.waitForTimeout(1500);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(frame, 'the iframe exists');
    assert.equal(await frame.locator('.app').count(), 0, 'the studio must not render in an unlisted page');
    assert.deepEqual(await page.evaluate(() => window.studioEvents), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('where no header can forbid framing, commands from an unlisted origin or from another frame are ignored', async () => {
  // A studio with no CSP header (a GitHub Pages-style host): anyone can frame it.
  const open = await startStaticStudio({
    proxy_url: './api/fal/proxy',
    allow_user_key: false,
    simulated: true,
    embed_allowed_origins: [host.origin],
  });
  const warnings = [];
  try {
    stranger.pointAt(open.url);
    host.pointAt(open.url);
    const { page, context, errors } = await openHost(stranger);
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    try {
      const frame = studioFrame(page);
      await frame.getByRole('heading', { name: 'Request' }).waitFor();
      const command = (type, fields) => sendCommand(page, open.origin, type, type, fields);
      await command('set_inputs', { inputs: { prompt: 'Hijacked prompt' } });
      await command('generate', {});
      await command('ping', {});
      await page.waitForTimeout(1000);
      assert.equal(await frame.getByLabel('Prompt', { exact: true }).inputValue(), '');
      assert.deepEqual(await page.evaluate(() => window.studioEvents), [], 'no event for an unlisted parent');
      assert.deepEqual(await page.evaluate(() => window.allMessages), []);
      assert.ok(
        warnings.some((w) => w.includes(`ignored a command from ${stranger.origin}`)),
        `the studio says why: ${warnings.join('\n')}`,
      );
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }

    // The same studio, embedded by the listed origin: ready comes, commands work,
    // but a message from another frame of that same origin is still not a command.
    const allowed = await openHost(host);
    try {
      await eventOf(allowed.page, 'ready');
      await allowed.page.evaluate(
        ({ origin }) =>
          new Promise((ok) => {
            const helper = document.createElement('iframe');
            helper.src = '/helper.html';
            helper.onload = () => {
              helper.contentWindow.eval(`parent.document.getElementById('studio').contentWindow.postMessage(
                { protocol: 'wan-r2v-studio', version: 1, type: 'set_inputs', id: 'sibling', inputs: { prompt: 'From a sibling frame' } },
                ${JSON.stringify(origin)})`);
              ok();
            };
            document.body.append(helper);
          }),
        { origin: open.origin },
      );
      await allowed.page.fill('#prompt', 'From the host itself');
      await allowed.page.click('#set-inputs');
      await eventOf(allowed.page, 'accepted', { command: 'set_inputs' });
      const frame = studioFrame(allowed.page);
      assert.equal(await frame.getByLabel('Prompt', { exact: true }).inputValue(), 'From the host itself');
      const replies = await allowed.page.evaluate(() => window.studioEvents.map((e) => e.reply_to ?? null));
      assert.ok(!replies.includes('sibling'), 'the sibling frame got no answer');
      assert.deepEqual(allowed.errors, []);
    } finally {
      await allowed.context.close();
    }
  } finally {
    host.pointAt(studio.url);
    stranger.pointAt(studio.url);
    await open.close();
  }
});

for (const { width, height } of [
  { width: 375, height: 812 },
  { width: 1280, height: 800 },
]) {
  test(`the embedded layout at ${width}px: compact, no overflow, no CSP violation`, async () => {
    const { page, context, errors } = await openPage(browser, { width, height });
    await watchViolations(context);
    try {
      await page.goto(`${studio.url}?embed=1`);
      await page.getByRole('heading', { name: 'Request' }).waitFor();
      await page.getByLabel('Prompt', { exact: true }).fill('A red fox trots through fresh snow at dawn');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `overflows by ${overflow}px`);
      await screenshot(page, `embed-${width}`);
      // Connection is one line, and the form follows it at once.
      const line = await page.locator('.embed-connection').boundingBox();
      const request = await page.locator('#request').boundingBox();
      assert.ok(line.height < 56, `the Connection line is ${line.height}px high`);
      assert.ok(request.y - (line.y + line.height) <= 24, `the form starts ${request.y - line.y - line.height}px below it`);
      await page.locator('.embed-connection-line').click();
      await page.getByLabel('fal key').waitFor();
      await screenshot(page, `embed-${width}-connection-open`);
      assert.deepEqual(await violations(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
