// The job from Generate to the video on screen, against the simulator:
// what the person sees at each step, and that the journal shows one submit.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from './support/harness.mjs';
import {
  open as openStudio, generate, openConnection, panel, expectResult, expectPlayingVideo as expectPlaying, storedJobs,
} from './support/studio.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';

let browser;
let server;

useSimulatorAndBrowser(['--sim-queue', '1500ms', '--sim-queue-position', '2', '--sim-run', '2500ms', '--sim-log-interval', '300ms'], (b, s) => {
  browser = b;
  server = s;
});
beforeEach(async () => {
  await server.control({ reset: true });
});

/** Opens the app; `allow` lists errors a test provokes on purpose. */
const open = (allow = []) => openStudio(browser, server.url, { allow });

/** The result plays, from the simulator's CDN. */
async function expectPlayingVideo(page) {
  assert.match(await expectPlaying(page), /^http:\/\/127\.0\.0\.1:\d+\/sim\/files\//);
}

test('a normal run shows the queue position, then logs, then a playing video', async () => {
  const { page, context, errors } = await open();
  try {
    await generate(page, 'A koala surfs a wave at sunset');
    // The button becomes the live status, so a second press cannot send a second job.
    await page.getByRole('button', { name: /fal's queue/ }).waitFor();
    await panel(page).getByText(/ahead of yours/).waitFor();
    await screenshot(page, 'job-queued-1280');
    await panel(page).getByText(/Generating · \d+:\d\d/).waitFor({ timeout: 10_000 });
    await panel(page).locator('.log-line').first().waitFor();
    assert.match(await page.title(), /Generating… · wan-r2v studio/);
    await screenshot(page, 'job-running-1280');
    await expectResult(page, { timeout: 15_000 });
    await expectPlayingVideo(page);
    assert.match(await page.title(), /✓ Video ready/);
    const facts = await panel(page).locator('.result-facts').innerText();
    assert.match(facts, /640×360/);
    assert.match(facts, /Seed\s+\d+/);
    await screenshot(page, 'job-done-1280');
    const routes = (await server.journal()).map((e) => e.route);
    assert.deepEqual(routes.filter((r) => r !== 'file'), ['submit', 'status_stream', 'result']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a finishing job leaves the rest of the page alone: the next run\'s file, typing and focus stay', async () => {
  const { page, context, errors } = await open();
  try {
    await generate(page, 'A koala surfs [sim:queue=0s] [sim:run=1500ms]');
    await panel(page).getByText(/Generating · \d+:\d\d/).waitFor({ timeout: 10_000 });
    // The next run is prepared while this one runs: a local file and a
    // half-typed negative prompt, with the cursor still in it.
    await page.getByLabel('Choose files').setInputFiles({ name: 'next.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1X1, 'base64') });
    const preview = page.locator('.ref-item img.ref-preview');
    await page.waitForFunction((img) => img.complete && img.naturalWidth === 1, await preview.elementHandle());
    const negative = page.getByLabel('Negative prompt');
    await negative.fill('blurry, ');
    await negative.focus();
    await page.locator('.request-form').evaluate((form) => { form.dataset.e2eSameElement = 'yes'; });

    await expectResult(page, { timeout: 15_000 });
    // The finished entry's thumbnail loads through a resource of its own;
    // that must not rebuild the page around it.
    await page.locator('#history video.history-thumb').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.request-form').getAttribute('data-e2e-same-element'), 'yes', 'the form was rebuilt');
    assert.equal(await negative.inputValue(), 'blurry, ');
    assert.equal(await page.evaluate(() => document.activeElement?.id), await negative.getAttribute('id'), 'focus left the field');
    assert.match(await preview.getAttribute('src'), /^blob:/);
    assert.equal(await page.locator('.ref-item').count(), 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** A 1×1 transparent PNG. */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

test('the job is stored before it is followed and resumes after a reload', async () => {
  const { page, context, errors } = await open();
  try {
    await generate(page, 'A heron fishing at dawn [sim:queue=2s]');
    await panel(page).getByText(/fal's queue/).waitFor();
    const stored = await storedJobs(page);
    assert.equal(stored.length, 1);
    assert.ok(stored[0].request.request_id);
    assert.equal(stored[0].input.prompt, 'A heron fishing at dawn [sim:queue=2s]');
    assert.equal(stored[0].cost.cents, 50);
    await page.reload();
    await expectResult(page, { timeout: 20_000 });
    await expectPlayingVideo(page);
    assert.equal((await server.submits()).length, 1, 'a reload never submits again');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('cancel while queued: fal removes the job and nothing is billed', async () => {
  const { page, context, errors } = await open([/404/]);
  try {
    await generate(page, 'A slow queue [sim:queue=30s]');
    await panel(page).getByText(/fal's queue/).waitFor();
    await panel(page).getByRole('button', { name: 'Cancel' }).click();
    await panel(page).getByText(/Cancellation requested/).waitFor();
    await panel(page).getByText('Cancelled', { exact: true }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'job-cancelled-1280');
    const journal = await server.journal();
    assert.equal(journal.filter((e) => e.route === 'cancel').length, 1);
    assert.equal(journal.filter((e) => e.route === 'result').length, 0);
    assert.equal((await server.submits()).length, 1);
    assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('cancel while running says it may still be billed, then ends cancelled', async () => {
  const { page, context, errors } = await open([/400/]);
  try {
    await generate(page, 'A long run [sim:queue=0s] [sim:run=30s]');
    await panel(page).locator('.job-status-line', { hasText: /^Generating/ }).waitFor();
    await panel(page).getByRole('button', { name: 'Cancel' }).click();
    await panel(page).getByText(/may still be billed/).waitFor();
    await panel(page).getByText('Cancelled', { exact: true }).waitFor({ timeout: 15_000 });
    assert.match(await panel(page).innerText(), /may still be billed/);
    assert.equal((await server.submits()).length, 1);
    assert.deepEqual(errors.filter((e) => !/400/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a cancel that cannot reach fal says the job goes on, and Cancel can be pressed again', async () => {
  const { page, context, errors } = await open([/400/, /net::ERR|Failed to load resource|Failed to fetch/]);
  try {
    await generate(page, 'A long run [sim:queue=0s] [sim:run=40s]');
    await panel(page).locator('.job-status-line', { hasText: /^Generating/ }).waitFor();
    // fal out of reach: every call's connection drops, Cancel's included.
    await server.control({ outage: { seconds: 60, kind: 'drop' } });
    await panel(page).getByRole('button', { name: 'Cancel' }).click();
    await panel(page).getByText(/Cancel did not reach fal, so the job goes on/).waitFor({ timeout: 20_000 });
    assert.match(await panel(page).locator('.job-status-line').innerText(), /^Generating/);
    await server.control({ clear_faults: true });
    await panel(page).getByRole('button', { name: 'Cancel' }).click();
    await panel(page).getByText(/may still be billed/).waitFor();
    await panel(page).getByText('Cancelled', { exact: true }).waitFor({ timeout: 15_000 });
    assert.equal((await server.submits()).length, 1);
    assert.deepEqual(errors.filter((e) => !/400|net::ERR|Failed to/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a 422 on the result goes back to the form, on the field concerned', async () => {
  const { page, context, errors } = await open([/422/]);
  try {
    await generate(page, 'A cat [sim:result-422]');
    await panel(page).getByText('The job did not produce a video').waitFor({ timeout: 15_000 });
    assert.match(await panel(page).innerText(), /fal refused the input/);
    assert.match(await panel(page).innerText(), /fal request id/);
    const prompt = page.getByLabel('Prompt', { exact: true });
    assert.equal(await prompt.getAttribute('aria-invalid'), 'true');
    await page.getByText(/^fal refused this:/).waitFor();
    await screenshot(page, 'job-422-1280');
    assert.equal((await server.submits()).length, 1);
    assert.deepEqual(errors.filter((e) => !/422/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a content-policy error says which input was flagged', async () => {
  const { page, context } = await open([/422/]);
  try {
    await generate(page, 'Something flagged [sim:content-policy]');
    await panel(page).getByText(/content checker flagged the prompt/).waitFor({ timeout: 15_000 });
    await page.getByText(/^fal's content checker flagged this/).waitFor();
  } finally {
    await context.close();
  }
});

test('a 429 with Retry-After is waited out and shown while waiting', async () => {
  const { page, context, errors } = await open([/429/]);
  try {
    await server.control({
      faults: [
        { route: 'status_stream', kind: 'http', status: 429, retry_after: 2, times: 1 },
        { route: 'status', kind: 'http', status: 429, retry_after: 2, times: 1 },
      ],
    });
    await generate(page, 'Rate limited [sim:queue=0s] [sim:run=1s]');
    await panel(page).getByText(/limiting requests/).waitFor();
    await screenshot(page, 'job-rate-limited-1280');
    await expectResult(page, { timeout: 20_000 });
    const polls = (await server.journal()).filter((e) => e.route === 'status');
    assert.equal(polls[0].status, 429);
    assert.ok(polls.length >= 2);
    const gap = Date.parse(polls[1].timestamp) - Date.parse(polls[0].timestamp);
    assert.ok(gap >= 1900, `the second poll waited ${gap} ms, not the 2 s fal asked`);
    assert.equal((await server.submits()).length, 1);
    assert.deepEqual(errors.filter((e) => !/429/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('Cancel while a refused submit waits to be sent again sends nothing more, and nothing is billed', async () => {
  const { page, context, errors } = await open([/429/]);
  try {
    await server.control({
      faults: [{ route: 'submit', kind: 'http', status: 429, retry_after: 5, times: 1 }],
    });
    await generate(page, 'Cancelled while rate limited');
    await panel(page).getByText(/fal has not taken the job yet/).waitFor();
    await panel(page).getByRole('button', { name: 'Cancel' }).click();
    await panel(page).getByText(/before it reached fal's queue\. Nothing was billed\./).waitFor({ timeout: 10_000 });
    // Neither at once (Cancel cuts the wait short) nor when the 5-second
    // Retry-After would have ended may the submit go out.
    await new Promise((resolve) => setTimeout(resolve, 6500));
    const sent = await server.submits();
    assert.equal(sent.length, 1, 'only the refused submit reached the simulator');
    assert.equal(sent[0].status, 429);
    assert.deepEqual(errors.filter((e) => !/429/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a dropped status stream falls back to polling', async () => {
  // Chromium reports the cut stream itself; that is the fault being tested.
  const { page, context, errors } = await open([/ERR_INCOMPLETE_CHUNKED_ENCODING/]);
  try {
    await server.control({ faults: [{ route: 'status_stream', kind: 'stream_drop', after_events: 1, times: 1 }] });
    await generate(page, 'Dropped stream [sim:queue=500ms] [sim:run=1500ms]');
    await expectResult(page, { timeout: 20_000 });
    const routes = (await server.journal()).map((e) => e.route);
    assert.equal(routes.filter((r) => r === 'status_stream').length, 1);
    assert.ok(routes.filter((r) => r === 'status').length >= 1, 'polled after the drop');
    assert.equal((await server.submits()).length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a malformed status body is retried, not fatal', async () => {
  const { page, context, errors } = await open();
  try {
    await server.control({
      faults: [
        { route: 'status_stream', kind: 'malformed', times: 1 },
        { route: 'status', kind: 'malformed', times: 2 },
      ],
    });
    await generate(page, 'Garbled answers [sim:queue=0s] [sim:run=1500ms]');
    await expectResult(page, { timeout: 25_000 });
    const polls = (await server.journal()).filter((e) => e.route === 'status');
    assert.ok(polls.filter((e) => e.fault).length >= 2, 'both garbled polls were answered');
    assert.equal((await server.submits()).length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a 30-second outage mid-job never drops the job', async () => {
  const { page, context, errors } = await open([/net::ERR|Failed to load resource|Failed to fetch/]);
  try {
    await generate(page, 'Through the storm [sim:queue=0s] [sim:run=4s]');
    await panel(page).locator('.job-status-line', { hasText: /^Generating/ }).waitFor();
    await server.control({ outage: { seconds: 30, kind: 'drop' } });
    await panel(page).getByText(/Still trying/).waitFor({ timeout: 15_000 });
    await screenshot(page, 'job-outage-1280');
    // Exact: the runner's log line "Simulated video ready" arrives before the
    // outage ends; only the result's own title means the video is in hand.
    await expectResult(page, { timeout: 60_000 });
    await expectPlayingVideo(page);
    assert.equal((await server.submits()).length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the own-key path reaches the simulator directly, with the key only on fal routes', async () => {
  const { page, context, errors } = await open();
  try {
    await openConnection(page);
    await page.getByLabel('fal key').fill('e2e-id:e2e-secret');
    await generate(page, 'Direct mode [sim:queue=0s] [sim:run=1s]');
    await expectResult(page, { timeout: 15_000 });
    const journal = await server.journal();
    for (const entry of journal) {
      if (entry.route === 'file') assert.equal(entry.authorization, 'absent', 'no key to the CDN');
      else assert.equal(entry.via, 'direct');
    }
    assert.equal(journal.find((e) => e.route === 'submit').authorization, 'present');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
