// Trimming a local reference video in the page (issue 20), in the release
// build against the simulator: a 30-second H.264+AAC MP4 made here with
// ffmpeg (1-second keyframes, 320×180) trimmed to 3.0–6.0 s changes the
// estimate of a 5-second run from $3.50 to the trimmed length's price; the
// preview plays only that range; Generate uploads the trimmed file (read
// back from the simulator's storage and measured with ffprobe), the
// submit's reference_video_urls points at it, the history keeps the range,
// and a second Generate of the same range uploads nothing. A 300 MB
// original (its mdat padded, sparse on disk, moov at the end) is accepted
// for trimming and a 5-second cut of it uploads well under 100 MB.
import { test, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { screenshot } from './support/harness.mjs';
import { MEDIA, ffmpegFile } from './support/media.mjs';
import { openRecordingSubmits, generate, expectResult, storedJobs } from './support/studio.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';
import { paddedMdatMp4, THIRTY_SECOND_CLIP } from './support/sparse-mp4.mjs';

const MB = 1_000_000;
const MiB = 1024 * 1024;
const SIM_ARGS = ['--sim-queue', '200ms', '--sim-queue-position', '0', '--sim-run', '500ms', '--sim-log-interval', '200ms'];
const UPLOAD_ROUTES = ['storage_initiate', 'storage_initiate_multipart', 'upload', 'upload_part', 'upload_complete'];

let browser;
let server;
let clip;

function thirtySecondClip(name, faststart) {
  return ffmpegFile(name, THIRTY_SECOND_CLIP(faststart));
}

before(() => {
  clip = thirtySecondClip('clip30.mp4', true);
});
useSimulatorAndBrowser(SIM_ARGS, (b, s) => {
  browser = b;
  server = s;
});
beforeEach(async () => {
  await server.control({ reset: true });
});

/** Opens the studio; records the inputs the page submits. */
const open = () => openRecordingSubmits(browser, server.url);

async function addVideo(page, prompt, path) {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByLabel('Choose files').setInputFiles(path);
  await page.waitForFunction(() => !document.body.innerText.includes('reading length'), null, { timeout: 30_000 });
}

/** Sets a trim field the way a keyboard user does: type, then Tab on. */
async function setField(page, name, value) {
  const field = page.getByRole('spinbutton', { name, exact: true });
  await field.fill(value);
  await field.press('Tab');
}

/** The stored file at `url` (simulated fal storage), measured by ffprobe. */
async function probeUploaded(url, name) {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  const path = join(MEDIA, name);
  writeFileSync(path, Buffer.from(await response.arrayBuffer()));
  try {
    const out = JSON.parse(execFileSync('ffprobe', [
      '-v', 'error', '-show_entries', 'format=duration,size:stream=codec_type,duration',
      '-of', 'json', path,
    ]).toString());
    return {
      size: Number(out.format.size),
      duration: Number(out.format.duration),
      video: Number(out.streams.find((s) => s.codec_type === 'video').duration),
    };
  } finally {
    rmSync(path, { force: true });
  }
}

const uploadsIn = (journal) => journal.filter((e) => UPLOAD_ROUTES.includes(e.route));

test('a 30 s reference trimmed to 3.0–6.0 s is billed, previewed, uploaded and recorded as 3 s', async () => {
  const { page, errors, submitted } = await open();
  await addVideo(page, 'Video 1 dances', clip);
  const total = page.locator('.cost-total');
  assert.equal(await total.innerText(), '$3.50', '5 s output + 30 s of reference video');

  await page.getByRole('button', { name: 'Trim', exact: true }).click();
  const start = page.getByRole('spinbutton', { name: 'Start', exact: true });
  await start.waitFor();
  assert.equal(await start.inputValue(), '0.0');
  assert.equal(await page.getByRole('spinbutton', { name: 'End', exact: true }).inputValue(), '30.0');

  // A start between keyframes moves back to the keyframe, and says why.
  await setField(page, 'Start', '2.5');
  await page.waitForFunction(() => document.body.innerText.includes('the keyframe at or before 2.5 s'));
  assert.equal(await start.inputValue(), '2.0');

  await setField(page, 'Start', '3');
  await setField(page, 'End', '6');
  const details = page.locator('.ref-details');
  await page.waitForFunction(() => document.querySelector('.ref-details')?.innerText.includes('Trimmed to 3.0–6.0 s (3.0 s billed)'));
  assert.match(await details.innerText(), /Trimmed to 3\.0–6\.0 s \(3\.0 s billed\)/);
  assert.equal(await total.innerText(), '$0.80', '5 s output + the 3 s kept');
  assert.equal(await page.locator('.cost-arithmetic').innerText(),
    '5 s output + 3 s of reference video = 8 s × $0.10 = $0.80');

  // The keyboard alone moves End by the field's 0.1 s step.
  await page.getByRole('spinbutton', { name: 'End', exact: true }).focus();
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => document.querySelector('.ref-details')?.innerText.includes('3.0–6.1 s'));
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('.ref-details')?.innerText.includes('3.0–6.0 s'));

  // The preview plays inside the range only.
  const played = await page.locator('video.trim-preview').evaluate(async (video) => {
    if (video.readyState < 1) await new Promise((ok) => video.addEventListener('loadedmetadata', ok, { once: true }));
    const first = video.currentTime;
    await video.play();
    await new Promise((ok) => setTimeout(ok, 800));
    const during = video.currentTime;
    video.currentTime = 10;
    await new Promise((ok) => video.addEventListener('seeked', ok, { once: true }));
    await new Promise((ok) => setTimeout(ok, 300));
    return { first, during, afterSeek: video.currentTime };
  });
  assert.ok(Math.abs(played.first - 3) < 0.05, `starts at 3 s: ${played.first}`);
  assert.ok(played.during > 3.2 && played.during < 6, `plays within the range: ${played.during}`);
  assert.ok(played.afterSeek >= 2.95 && played.afterSeek <= 6, `a seek out of the range comes back: ${played.afterSeek}`);
  await screenshot(page, 'trim-3-6-1280');

  await generate(page);
  await expectResult(page, { timeout: 60_000 });
  assert.equal(submitted.length, 1);
  const [url] = submitted[0].reference_video_urls;
  assert.match(url, new RegExp(`^${server.origin}/sim/files/[0-9a-f]+/clip30-trim-3\\.0-6\\.0\\.mp4$`));
  const uploaded = await probeUploaded(url, 'trimmed-3-6.mp4');
  assert.ok(Math.abs(uploaded.video - 3) <= 0.04, `the video is 3 s within a frame: ${uploaded.video}`);
  assert.ok(Math.abs(uploaded.duration - 3) <= 0.05, `the file is 3 s: ${uploaded.duration}`);
  const journal = await server.journal();
  const sent = journal.filter((e) => e.route === 'upload');
  assert.equal(sent.length, 1, 'one upload');
  assert.equal(sent[0].body_bytes, uploaded.size, 'what was uploaded is the trimmed file');

  const records = await storedJobs(page);
  const record = records.find((r) => r.input.prompt === 'Video 1 dances');
  assert.deepEqual(record.trims, [{ position: 0, original: 'clip30.mp4', start_seconds: 3, end_seconds: 6 }]);
  assert.deepEqual(record.input.reference_video_urls, [url]);

  // The original stays: the same range again goes by its URL, another range uploads anew.
  await server.clearJournal();
  await generate(page);
  await expectResult(page, { timeout: 30_000 });
  assert.deepEqual(uploadsIn(await server.journal()), [], 'the same trim is not uploaded again');
  assert.deepEqual(submitted[1].reference_video_urls, [url]);

  await setField(page, 'End', '8');
  await page.waitForFunction(() => document.querySelector('.ref-details')?.innerText.includes('Trimmed to 3.0–8.0 s (5.0 s billed)'));
  assert.equal(await total.innerText(), '$1.00');
  await generate(page);
  await expectResult(page, { timeout: 30_000 });
  const other = submitted[2].reference_video_urls[0];
  assert.match(other, /clip30-trim-3\.0-8\.0\.mp4$/);
  assert.ok(Math.abs((await probeUploaded(other, 'trimmed-3-8.mp4')).video - 5) <= 0.04);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a 300 MB original is accepted for trimming, and a 5 s cut of it uploads under 100 MB', async () => {
  const source = thirtySecondClip('clip30-moov-last.mp4', false);
  const big = join(MEDIA, 'big-original.mp4');
  paddedMdatMp4(source, big, 300 * MiB);
  try {
    const { page, errors, submitted } = await open();
    await addVideo(page, 'Video 1 waves', big);
    const item = page.locator('.ref-item');
    assert.match(await item.innerText(), /This video is 314\.6 MB; fal accepts videos up to 100 MB\. Trim it/);

    await item.getByRole('button', { name: 'Trim', exact: true }).click();
    await setField(page, 'Start', '10');
    await setField(page, 'End', '15');
    await page.waitForFunction(() => document.querySelector('.ref-details')?.innerText.includes('Trimmed to 10.0–15.0 s (5.0 s billed)'));
    await generate(page);
    await expectResult(page, { timeout: 60_000 });
    const [url] = submitted[0].reference_video_urls;
    const uploaded = await probeUploaded(url, 'trimmed-big.mp4');
    assert.ok(uploaded.size < 100 * MB, `uploaded ${uploaded.size} bytes`);
    assert.ok(Math.abs(uploaded.video - 5) <= 0.04, `5 s within a frame: ${uploaded.video}`);
    const bytes = (await server.journal())
      .filter((e) => e.route === 'upload' || e.route === 'upload_part')
      .reduce((sum, e) => sum + e.body_bytes, 0);
    assert.equal(bytes, uploaded.size, 'only the cut went up');
    assert.deepEqual(errors, []);
    await page.context().close();
  } finally {
    rmSync(big, { force: true });
  }
});
