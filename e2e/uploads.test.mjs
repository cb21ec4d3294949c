// Local reference files uploaded to fal's (simulated) storage, in the
// release build: a small PNG, a 5 MB MP4 and a 95 MiB MP4 (multipart), made
// here with ffmpeg. Checked in the simulator's journal: the byte transfers
// never carry a key; the key goes only to the fal routes in direct mode; no
// key leaves the browser in proxy mode unless the deployer forwards it.
// Also: progress on the item, "Cancel upload", a stock proxy refusing
// initiate-multipart, an expired upload address, and the error messages.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { launchBrowser, screenshot } from './support/harness.mjs';
import { ffmpegFile, h264Clip, paddedMp4, stillImage } from './support/media.mjs';
import { openRecordingSubmits, generate, openConnection, panel, expectResult, storedJobs } from './support/studio.mjs';
import { startServer } from './support/server.mjs';

const MiB = 1024 * 1024;
const SIM_ARGS = ['--sim-queue', '300ms', '--sim-queue-position', '0', '--sim-run', '800ms', '--sim-log-interval', '200ms'];
const BYTE_ROUTES = ['upload', 'upload_part', 'upload_complete'];
const INITIATES = ['storage_initiate', 'storage_initiate_multipart'];

let browser;
let server;
const files = {};

async function sha256(path) {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

before(async () => {
  files.png = stillImage('cat.png');
  // Noise keeps the encoder from shrinking it: a real 4 s MP4 of 5 MB or more.
  files.video = ffmpegFile('walk.mp4', [
    '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=4', '-vf', 'noise=alls=40:allf=t',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '12M', '-maxrate', '12M', '-bufsize', '4M',
    '-pix_fmt', 'yuv420p', '-movflags', '+faststart',
  ]);
  files.big = paddedMp4(h264Clip('short.mp4', { seconds: 2 }), 'dance.mp4', 95 * MiB);

  assert.ok((await stat(files.video)).size >= 5_000_000, 'walk.mp4 must be 5 MB or more');
  assert.equal((await stat(files.big)).size, 95 * MiB);
  for (const name of ['png', 'video', 'big']) files[`${name}Hash`] = await sha256(files[name]);

  browser = await launchBrowser();
  server = await startServer({ simulate: true, args: SIM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

beforeEach(async () => {
  await server.control({ reset: true });
});

/** Opens the app on `target`; records what the page submits to fal. */
const open = (target = server, { allow = [] } = {}) => openRecordingSubmits(browser, target.url, { allow });

/** Polls `condition` every 50 ms for up to `ms`. */
async function until(condition, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}
const item = (page, label) => page.locator('.ref-item').filter({ has: page.getByRole('button', { name: label, exact: true }) });

/** Adds files and waits until the form has read every video's length. */
async function addFiles(page, prompt, paths) {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByLabel('Choose files').setInputFiles(paths);
  await page.waitForFunction(() => !document.body.innerText.includes('reading length'), null, { timeout: 20_000 });
}

async function enterKey(page, key) {
  await openConnection(page);
  await page.getByLabel('fal key').fill(key);
}

/** Downloads `url` from the simulator's CDN and hashes it. */
async function remoteHash(url) {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  return createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex');
}

/** The journal checks shared by every mode; returns the storage entries. */
async function checkUploadJournal({ expectInitiate, expectUpstream }) {
  const journal = await server.journal();
  const count = (route) => journal.filter((e) => e.route === route).length;
  assert.equal(count('storage_initiate'), 2, 'the PNG and the 5 MB video start single uploads');
  assert.equal(count('storage_initiate_multipart'), 1, 'the 95 MiB video goes in parts');
  assert.equal(count('upload'), 2);
  assert.equal(count('upload_part'), 10, '95 MiB in 10 MiB parts');
  assert.equal(count('upload_complete'), 1);
  assert.equal(count('submit'), 1);

  for (const entry of journal.filter((e) => BYTE_ROUTES.includes(e.route) || e.route === 'file')) {
    assert.equal(entry.via, 'direct', `${entry.route} goes straight to the storage host`);
    assert.equal(entry.authorization, 'absent', `no key on ${entry.route} ${entry.path}`);
    if (entry.route !== 'file') assert.equal(entry.status, 200, `${entry.route} ${entry.path}`);
  }
  const parts = journal.filter((e) => e.route === 'upload_part');
  assert.equal(parts.reduce((sum, e) => sum + e.body_bytes, 0), 95 * MiB);
  assert.deepEqual(
    parts.map((e) => e.body_bytes).sort((a, b) => a - b),
    [5 * MiB, ...Array(9).fill(10 * MiB)],
  );
  assert.ok(!parts.some((e) => e.content_type), 'parts are sent unlabelled, as fal-js sends them');
  const singles = journal.filter((e) => e.route === 'upload').map((e) => e.content_type).sort();
  assert.deepEqual(singles, ['image/png', 'video/mp4']);

  for (const entry of journal.filter((e) => [...INITIATES, 'submit', 'status', 'status_stream', 'result'].includes(e.route))) {
    expectInitiate(entry);
    assert.equal(entry.upstream_authorization, expectUpstream, `${entry.route} upstream key`);
  }
  return journal;
}

/** The submitted input names the simulator's files, with the right bytes. */
async function checkSubmittedFiles(submitted) {
  assert.equal(submitted.length, 1);
  const input = submitted[0];
  assert.equal(input.reference_image_urls.length, 1);
  assert.equal(input.reference_video_urls.length, 2);
  const urls = [...input.reference_image_urls, ...input.reference_video_urls];
  for (const url of urls) assert.match(url, new RegExp(`^${server.origin}/sim/files/[0-9a-f]+/`));
  assert.equal(await remoteHash(input.reference_image_urls[0]), files.pngHash);
  assert.equal(await remoteHash(input.reference_video_urls[0]), files.videoHash);
  assert.equal(await remoteHash(input.reference_video_urls[1]), files.bigHash, 'the parts were joined in order');
  return urls;
}

test('proxy mode: three files upload with progress, the job runs on their fal URLs, and nothing is uploaded twice', async () => {
  const { page, context, errors, submitted } = await open();
  try {
    // Slow parts a little so the progress can be watched on loopback.
    await server.control({ faults: [{ route: 'upload_part', kind: 'delay', delay_ms: 250 }] });
    await addFiles(page, 'Image 1 walks with Video 1 while Video 2 dances', [files.png, files.video, files.big]);
    await generate(page);

    const bar = page.getByRole('progressbar', { name: 'Upload of Video 2' });
    await bar.waitFor({ timeout: 20_000 });
    await page.waitForFunction(
      () => Number(document.querySelector('.ref-upload-bar:not([hidden])')?.value ?? 0) > 0,
      null,
      { timeout: 20_000 },
    );
    const status = await item(page, 'Video 2').locator('.ref-upload-status').innerText();
    assert.match(status, /^Uploading: [\d.]+ MB of 99\.6 MB/);
    await item(page, 'Video 2').getByRole('button', { name: 'Cancel upload' }).waitFor();
    assert.match(await panel(page).innerText(), /Uploading references: 2 of 3 done/);
    assert.match(await panel(page).locator('.job-upload-summary').innerText(), /MB of 1\d\d\.\d MB/);
    await screenshot(page, 'uploads-progress-1280');

    await expectResult(page, { timeout: 60_000 });
    for (const label of ['Image 1', 'Video 1', 'Video 2']) {
      assert.equal(await item(page, label).locator('.ref-upload-status').innerText(), 'Uploaded to fal');
    }
    await checkUploadJournal({
      expectInitiate: (entry) => {
        assert.equal(entry.via, 'proxy', `${entry.route} goes through the proxy`);
        assert.equal(entry.authorization, 'absent', `the browser sends no key on ${entry.route}`);
      },
      expectUpstream: 'server_key',
    });
    const urls = await checkSubmittedFiles(submitted);
    const stored = await storedJobs(page);
    const record = stored.find((r) => r.input.prompt.startsWith('Image 1 walks'));
    assert.deepEqual([...record.input.reference_image_urls, ...record.input.reference_video_urls], urls,
      'the history keeps the fal URLs, so a rerun uploads nothing');

    // Generate again: the files go by their URLs, nothing is uploaded.
    await server.clearJournal();
    await generate(page);
    await until(() => submitted.length === 2, 'the second submit');
    await expectResult(page, { timeout: 30_000 });
    let routes = (await server.journal()).map((e) => e.route);
    assert.deepEqual(routes.filter((r) => [...INITIATES, ...BYTE_ROUTES].includes(r)), []);
    assert.deepEqual([...submitted[1].reference_image_urls, ...submitted[1].reference_video_urls], urls);

    // And after a reload, which keeps the URLs but not the files' bytes.
    await page.reload();
    await page.getByRole('heading', { name: 'Request' }).waitFor();
    assert.equal(await item(page, 'Video 2').locator('.ref-upload-status').innerText(), 'Uploaded to fal');
    await server.clearJournal();
    submitted.length = 0;
    await generate(page);
    await until(() => submitted.length === 1, 'the submit after the reload');
    await expectResult(page, { timeout: 30_000 });
    routes = (await server.journal()).map((e) => e.route);
    assert.deepEqual(routes.filter((r) => [...INITIATES, ...BYTE_ROUTES].includes(r)), []);
    assert.deepEqual([...submitted[0].reference_image_urls, ...submitted[0].reference_video_urls], urls);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('direct mode: the key goes to the fal routes only, never with the bytes', async () => {
  const { page, context, errors, submitted } = await open();
  try {
    await enterKey(page, 'e2e-id:e2e-secret');
    await addFiles(page, 'Image 1 walks with Video 1 while Video 2 dances', [files.png, files.video, files.big]);
    await generate(page);
    await expectResult(page, { timeout: 60_000 });
    await checkUploadJournal({
      expectInitiate: (entry) => {
        assert.equal(entry.via, 'direct', `${entry.route} goes straight to fal`);
        assert.equal(entry.authorization, 'present', `the key goes with ${entry.route}`);
      },
      expectUpstream: null,
    });
    await checkSubmittedFiles(submitted);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a proxy that forwards the user key: it travels to the proxy, never with the bytes', async () => {
  const forwarding = await startServer({ simulate: true, args: [...SIM_ARGS, '--forward-user-key'] });
  const { page, context, errors } = await open(forwarding);
  try {
    await enterKey(page, 'e2e-id:e2e-secret');
    await addFiles(page, 'Image 1 on a beach', [files.png]);
    await generate(page);
    await expectResult(page, { timeout: 30_000 });
    const journal = await forwarding.journal();
    const initiate = journal.find((e) => e.route === 'storage_initiate');
    assert.equal(initiate.via, 'proxy');
    assert.equal(initiate.authorization, 'present');
    assert.equal(initiate.upstream_authorization, 'user_key');
    const put = journal.find((e) => e.route === 'upload');
    assert.equal(put.authorization, 'absent');
    assert.equal(put.via, 'direct');
    assert.equal(journal.find((e) => e.route === 'submit').upstream_authorization, 'user_key');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await forwarding.stop();
  }
});

test('"Cancel upload" on an item aborts its transfers and the job is not sent', async () => {
  const { page, context, errors, submitted } = await open(server, { allow: [/ERR_ABORTED|net::|Failed to load resource/] });
  try {
    // Each part takes 2 s to be answered: plenty of time to cancel.
    await server.control({ faults: [{ route: 'upload_part', kind: 'delay', delay_ms: 2_000 }] });
    await addFiles(page, 'Video 1 dances', [files.big]);
    await generate(page);
    const video = item(page, 'Video 1');
    await video.getByRole('progressbar', { name: 'Upload of Video 1' }).waitFor({ timeout: 20_000 });
    await video.getByRole('button', { name: 'Cancel upload' }).click();
    await video.getByText(/^Upload cancelled\./).waitFor();
    await panel(page).getByText('Cancelled', { exact: true }).waitFor();
    assert.match(await panel(page).innerText(), /An upload was cancelled, so the job was not sent to fal/);
    assert.equal(await video.getByRole('button', { name: 'Cancel upload' }).isHidden(), true);
    assert.equal(await video.getByRole('progressbar').isHidden(), true);
    await screenshot(page, 'uploads-cancelled-1280');

    // Nothing more starts after the cancel, and nothing is submitted.
    const partsAtCancel = (await server.journal()).filter((e) => e.route === 'upload_part').length;
    await page.waitForTimeout(4_500);
    const journal = await server.journal();
    assert.ok(journal.filter((e) => e.route === 'upload_part').length <= partsAtCancel + 4,
      'only the parts already in flight may still land');
    assert.equal(journal.filter((e) => e.route === 'upload_complete').length, 0);
    assert.equal(journal.filter((e) => e.route === 'submit').length, 0);
    assert.equal(submitted.length, 0);
    // The Generate button is free again.
    assert.equal(await page.getByRole('button', { name: 'Generate' }).getAttribute('aria-disabled'), null);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a stock proxy refusing initiate-multipart is named on the item, with wan-r2v-server as the way out', async () => {
  const { page, context, errors } = await open(server, { allow: [/http 400/, /400 \(Bad Request\)/] });
  try {
    // What @fal-ai/server-proxy 1.2.1 answers: its allow-list lacks the URL.
    await server.control({
      faults: [{ route: 'storage_initiate_multipart', kind: 'malformed', status: 400, body: '"Invalid request"' }],
    });
    await addFiles(page, 'Video 1 dances', [files.big]);
    await generate(page);
    const message = item(page, 'Video 1').getByRole('alert');
    await message.waitFor({ timeout: 20_000 });
    const text = await message.innerText();
    assert.match(text, /This site's proxy refuses uploads over 90 MiB/);
    assert.match(text, /@fal-ai\/server-proxy/);
    assert.match(text, /wan-r2v-server/);
    await panel(page).getByText('The job did not produce a video').waitFor();
    assert.match(await panel(page).innerText(), /Video 1 could not be uploaded\. This site's proxy refuses/);
    await screenshot(page, 'uploads-stock-proxy-1280');
    const journal = await server.journal();
    assert.equal(journal.filter((e) => e.route === 'storage_initiate_multipart').length, 1, 'a refusal is not retried');
    assert.equal(journal.filter((e) => [...BYTE_ROUTES, 'submit'].includes(e.route)).length, 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an expired upload address is replaced once; a second expiry in a row is reported', async () => {
  const { page, context, errors } = await open(server, { allow: [/http 403/, /403 \(Forbidden\)/] });
  try {
    await server.control({ faults: [{ route: 'upload', kind: 'http', status: 403, detail: 'Request has expired', times: 1 }] });
    await addFiles(page, 'Image 1 on a beach', [files.png]);
    await generate(page);
    await expectResult(page, { timeout: 30_000 });
    let journal = await server.journal();
    assert.deepEqual(
      journal.filter((e) => ['storage_initiate', 'upload'].includes(e.route)).map((e) => `${e.route} ${e.status}`),
      ['storage_initiate 200', 'upload 403', 'storage_initiate 200', 'upload 200'],
    );

    // The cat is on fal now; a new file meets two expiries.
    await server.control({ reset: true });
    await page.getByRole('button', { name: 'Remove Image 1' }).click();
    await server.control({ faults: [{ route: 'upload', kind: 'http', status: 403, detail: 'Request has expired', times: 2 }] });
    await addFiles(page, 'Video 1 walks', [files.video]);
    await generate(page);
    const message = item(page, 'Video 1').getByRole('alert');
    await message.waitFor({ timeout: 30_000 });
    assert.match(await message.innerText(), /expired before the file was sent, and so did a fresh one/);
    journal = await server.journal();
    assert.equal(journal.filter((e) => e.route === 'storage_initiate').length, 2, 'one fresh address, not a loop');
    assert.equal(journal.filter((e) => e.route === 'submit').length, 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a rejected key, a failing storage host and a file too large each get one clear message', async () => {
  const { page, context, errors } = await open(server, {
    allow: [/http 401/, /http 413/, /401 \(Unauthorized\)/, /413 \(Payload Too Large\)/, /ERR_EMPTY_RESPONSE|net::|Failed to load resource/],
  });
  const itemMessage = async () => {
    const alert = item(page, 'Image 1').getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    return alert.innerText();
  };
  try {
    await addFiles(page, 'Image 1 on a beach', [files.png]);

    // Direct mode with a key fal refuses (the simulator refuses `invalid:`).
    await enterKey(page, 'invalid:e2e-secret');
    await generate(page);
    assert.match(await itemMessage(), /^fal did not accept the key, so this file could not be uploaded/);
    await enterKey(page, 'e2e-id:e2e-secret');

    // The storage host drops every connection: retried, then named.
    await server.control({ reset: true, faults: [{ route: 'upload', kind: 'drop' }] });
    await generate(page);
    const dropped = await itemMessage();
    assert.match(dropped, /^Could not send the file to fal's storage: /);
    // Chromium itself resends a request whose connection closed unanswered
    // a few times within milliseconds; the app's own tries are the bursts,
    // spaced by the backoff (1 s, 2 s, 4 s).
    const times = (await server.journal()).filter((e) => e.route === 'upload').map((e) => Date.parse(e.timestamp));
    const bursts = times.filter((t, i) => i === 0 || t - times[i - 1] > 700).length;
    assert.equal(bursts, 4, 'the first try and three retries');

    // 413 from the storage host.
    await server.control({ reset: true, faults: [{ route: 'upload', kind: 'http', status: 413, detail: 'File too large' }] });
    await generate(page);
    assert.match(await itemMessage(), /refused this file as too large/);
    await screenshot(page, 'uploads-too-large-1280');
    assert.equal((await server.submits()).length, 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
