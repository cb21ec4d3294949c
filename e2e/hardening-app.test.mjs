// The app's hardening against the simulator, in a real browser: a retried
// submit does not claim fal has the job, a result off the schema still
// shows its paid video, the download fallback's tab cannot reach back, a
// request the Content-Security-Policy blocks is named with the config key
// that allows it, and the storage line says whether storage is persistent.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { open as openStudio, generate, panel, expectResult, expectPlayingVideo, storedJobs } from './support/studio.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';

let browser;
let server;

useSimulatorAndBrowser(['--sim-queue', '0s', '--sim-run', '1s', '--sim-log-interval', '300ms'], (b, s) => {
  browser = b;
  server = s;
});
beforeEach(async () => {
  await server.control({ reset: true });
});

const open = (allow = []) => openStudio(browser, server.url, { allow });

test('while the submit is retried, fal does not have the job yet; after, it does', async () => {
  const { page, context, errors } = await open([/429/, /503/]);
  try {
    // The submit is refused once (fal keeps nothing), then the first reads
    // after it fail a few times (the job is with fal by then).
    await server.control({
      faults: [
        { route: 'submit', kind: 'http', status: 429, retry_after: 2, times: 1 },
        { route: 'status_stream', kind: 'http', status: 503, times: 3 },
        { route: 'status', kind: 'http', status: 503, times: 3 },
      ],
    });
    await generate(page, 'A heron waits for the queue');
    const notice = panel(page).locator('p.job-trouble[role="status"]');
    await notice.filter({ hasText: 'fal has not taken the job yet' }).waitFor();
    assert.doesNotMatch(await notice.first().textContent(), /with fal/);
    await notice.filter({ hasText: 'The job itself is with fal' }).waitFor({ timeout: 20_000 });
    await expectResult(page, { timeout: 30_000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a result without a seed still shows its video and says what was missing', async () => {
  const { page, context, errors } = await open();
  try {
    await generate(page, 'A koala, first run');
    await expectResult(page, { timeout: 20_000 });
    const url = await expectPlayingVideo(page);
    // The next result answers with the video only: not the model's schema.
    const body = JSON.stringify({ video: { url, content_type: 'video/mp4' } });
    await server.control({ faults: [{ route: 'result', kind: 'malformed', status: 200, body, times: 1 }] });
    await generate(page, 'A koala, second run');
    await panel(page).getByText(/did not match the model's schema \(no `seed`\)/).waitFor({ timeout: 20_000 });
    await expectPlayingVideo(page);
    assert.equal(await panel(page).getByRole('button', { name: 'Reuse seed' }).count(), 0);
    const stored = await storedJobs(page);
    const record = stored.find((r) => r.input.prompt === 'A koala, second run');
    assert.equal(record.status, 'completed');
    assert.equal(record.output.off_schema.raw, body);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the download fallback's new tab cannot reach back into the studio", async () => {
  const { page, context, errors } = await open([/Failed to load resource/, /net::ERR_FAILED/]);
  try {
    await generate(page, 'A heron, downloaded');
    await expectResult(page, { timeout: 20_000 });
    // The video host refuses the page's fetch, so Download opens the video instead.
    await page.route(/\/sim\/files\//, (route) =>
      route.request().resourceType() === 'fetch' ? route.abort() : route.continue(),
    );
    const [tab] = await Promise.all([context.waitForEvent('page'), panel(page).getByRole('button', { name: 'Download' }).click()]);
    await tab.waitForLoadState('domcontentloaded');
    assert.equal(await tab.evaluate(() => window.opener), null, 'the new tab has no opener');
    assert.deepEqual(errors.filter((e) => !/sim\/files/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a request the policy blocks names the host and the config key that adds it', async () => {
  const { page, context } = await open([/Content Security Policy/, /Failed to fetch/, /Refused to connect/]);
  try {
    await page.evaluate(() => fetch('http://127.0.0.2:9/upload/abc?sig=secret').catch(() => {}));
    const notice = page.locator('.blocked-host');
    await notice.waitFor();
    const text = await notice.textContent();
    assert.match(text, /blocked a request to http:\/\/127\.0\.0\.2:9/);
    assert.match(text, /storage_hosts in config\.json/);
    assert.doesNotMatch(text, /sig=secret/);
  } finally {
    await context.close();
  }
});

test('the first stored job asks for persistent storage and the storage line says the answer', async () => {
  const { page, context, errors } = await open();
  try {
    const line = page.locator('.storage-persistence');
    assert.equal((await line.textContent()).trim(), '', 'nothing is said before a job is stored');
    await generate(page, 'A heron, kept');
    await line.filter({ hasText: /Storage is persistent|did not make storage persistent/ }).waitFor();
    const granted = await page.evaluate(() => navigator.storage.persisted());
    assert.match(await line.textContent(), granted ? /Storage is persistent/ : /did not make storage persistent/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
