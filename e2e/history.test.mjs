// The job history against the simulator: jobs resume after a reload (queued
// and running), a job finished while the page was closed has its result
// fetched at once, an expired result says so with its request id, share
// links round-trip (also from a sub-path), the comparison plays in step,
// export then import gives the same history, eviction keeps unfinished
// jobs, and a kept copy plays when the CDN no longer serves the video.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openPage, screenshot, serveDist } from './support/harness.mjs';
import { startServer } from './support/server.mjs';

const STORE = 'wan-r2v-studio.jobs.v1';
const KEY = 'e2e-history-id:e2e-history-very-secret';

let browser;
let server;
let media;
let dir;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wan-history-e2e-'));
  const png = join(dir, 'cat.png');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=1', '-frames:v', '1', png]);
  const body = await readFile(png);
  // Reference URLs stay on this machine.
  media = createServer((req, res) => {
    if (new URL(req.url, 'http://x').pathname !== '/cat.png') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(body);
  });
  await new Promise((ok) => media.listen(0, '127.0.0.1', ok));
  media.url = `http://127.0.0.1:${media.address().port}`;
  browser = await launchBrowser();
  server = await startServer({
    simulate: true,
    args: ['--sim-queue', '1s', '--sim-queue-position', '1', '--sim-run', '1500ms', '--sim-log-interval', '300ms'],
  });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((ok) => (media ? media.close(ok) : ok()));
  if (dir) await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await server.control({ reset: true });
});

/** A fresh browser profile (empty storage) with the app open. */
async function open({ width = 1280, height = 900, allow = [], url = server.url } = {}) {
  const session = await openPage(browser, { width, height, allow });
  await session.page.goto(url);
  await session.page.getByRole('heading', { name: 'Request' }).waitFor();
  return session;
}

/** Another page in the same profile (same storage), as reopening the studio. */
async function reopen(context, url = server.url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('heading', { name: 'Request' }).waitFor();
  return page;
}

async function generate(page, prompt) {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByRole('button', { name: 'Generate' }).click();
}

const panel = (page) => page.locator('#job');
const history = (page) => page.locator('#history');
const entry = (page, text) => history(page).locator('.history-item').filter({ hasText: text });
const stored = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]'), STORE);

async function submits() {
  return (await server.journal()).filter((e) => e.route === 'submit');
}

async function expectPlayingVideo(page) {
  const video = panel(page).locator('video.result-video');
  await video.waitFor({ timeout: 30_000 });
  const state = await video.evaluate(async (v) => {
    v.muted = true;
    if (v.readyState < 2) await new Promise((ok) => v.addEventListener('loadeddata', ok, { once: true }));
    await v.play();
    const start = v.currentTime;
    await new Promise((ok) => setTimeout(ok, 600));
    return { readyState: v.readyState, advanced: v.currentTime > start };
  });
  assert.ok(state.readyState >= 2, `readyState ${state.readyState}`);
  assert.ok(state.advanced, 'the video plays');
}

/** The entry's first frame is loaded (its size is known). */
async function expectThumbnail(page, text) {
  const thumb = entry(page, text).locator('video.history-thumb');
  await thumb.waitFor();
  await page.waitForFunction(
    (el) => el.readyState >= 1 && el.videoWidth > 0,
    await thumb.elementHandle(),
    { timeout: 10_000 },
  );
}

/** Nothing that waits for a press (a confirmation, a later step) shows yet. */
async function expectHidden(page, names) {
  for (const name of names) {
    const visible = await page.getByRole('button', { name, exact: true }).filter({ visible: true }).count();
    assert.equal(visible, 0, `"${name}" shows before it is asked for`);
  }
}

/** Generates and waits for the video; returns the stored record. */
async function finishedJob(page, prompt) {
  await generate(page, prompt);
  await panel(page).getByText('Video ready').waitFor({ timeout: 20_000 });
  await entry(page, prompt).getByText('Done', { exact: true }).waitFor();
  return (await stored(page)).find((r) => r.input.prompt === prompt);
}

test('a reload while queued resumes the job, which then plays and is kept as Done', async () => {
  const { page, context, errors } = await open();
  try {
    await generate(page, 'A heron fishing at dawn [sim:queue=3s]');
    await panel(page).getByText(/fal's queue/).waitFor();
    await entry(page, 'A heron fishing').getByText('In queue').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Request' }).waitFor();
    await entry(page, 'A heron fishing').getByText('In queue').waitFor();
    await panel(page).getByText('Video ready').waitFor({ timeout: 20_000 });
    await expectPlayingVideo(page);
    await entry(page, 'A heron fishing').getByText('Done', { exact: true }).waitFor();
    await expectThumbnail(page, 'A heron fishing');
    assert.equal((await submits()).length, 1, 'a reload never submits again');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a reload while running resumes the job and it plays', async () => {
  const { page, context, errors } = await open();
  try {
    await generate(page, 'A koala surfs [sim:queue=0s] [sim:run=3s]');
    await panel(page).getByText(/Generating/).waitFor();
    await entry(page, 'A koala surfs').getByText('Generating').waitFor();
    await page.reload();
    await panel(page).getByText('Video ready').waitFor({ timeout: 20_000 });
    await expectPlayingVideo(page);
    assert.equal((await submits()).length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('every unfinished job is followed again, not only the newest', async () => {
  const { page, context, errors } = await open();
  try {
    await generate(page, 'First of two [sim:queue=0s] [sim:run=30s]');
    await panel(page).getByText(/Generating/).waitFor();
    const [first] = await stored(page);
    // A second job from another browser profile, added to this profile's
    // history below: two unfinished jobs when the studio is next opened.
    const other = await open();
    await generate(other.page, 'Second of two [sim:queue=0s] [sim:run=30s]');
    await panel(other.page).getByText(/Generating/).waitFor();
    const [second] = await stored(other.page);
    await other.context.close();
    // Leave the studio for another page of the same site, and add the job.
    await leaveTheStudio(page);
    await page.evaluate(
      ([key, record]) => {
        const list = JSON.parse(localStorage.getItem(key));
        localStorage.setItem(key, JSON.stringify([record, ...list]));
      },
      [STORE, second],
    );
    // Both finish while the studio is closed.
    await server.control({ complete: [first.request.request_id, second.request.request_id] });
    await server.clearJournal();
    const back = await reopen(context);
    await entry(back, 'First of two').getByText('Done', { exact: true }).waitFor({ timeout: 15_000 });
    await entry(back, 'Second of two').getByText('Done', { exact: true }).waitFor({ timeout: 15_000 });
    // The newest is the one in the Status and result panel.
    await panel(back).getByText('Video ready').waitFor();
    await entry(back, 'Second of two').getByText('Shown in Status and result').waitFor();
    const results = (await server.journal()).filter((e) => e.route === 'result').map((e) => e.request_id);
    assert.deepEqual(results.sort(), [first.request.request_id, second.request.request_id].sort());
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a job that finished while the page was closed has its result fetched at once', async () => {
  const { page, context, errors } = await open();
  try {
    await generate(page, 'A long take [sim:queue=0s] [sim:run=60s]');
    await panel(page).getByText(/Generating/).waitFor();
    const [record] = await stored(page);
    await page.close();
    await server.control({ complete: record.request.request_id });
    await server.clearJournal();
    const started = Date.now();
    const back = await reopen(context);
    await panel(back).getByText('Video ready').waitFor({ timeout: 10_000 });
    const took = Date.now() - started;
    assert.ok(took < 8_000, `the result came ${took} ms after reopening`);
    await expectPlayingVideo(back);
    const routes = (await server.journal()).map((e) => e.route).filter((r) => r !== 'file');
    assert.ok(routes.includes('result'), routes.join());
    await entry(back, 'A long take').getByText('Done', { exact: true }).waitFor();
    assert.equal((await stored(back))[0].status, 'completed');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a result fal already deleted says so plainly, with its request id', async () => {
  const { page, context, errors } = await open({ allow: [/404/] });
  try {
    await generate(page, 'Too late [sim:queue=0s] [sim:run=60s]');
    await panel(page).getByText(/Generating/).waitFor();
    const [record] = await stored(page);
    const id = record.request.request_id;
    await page.close();
    await server.control({ expire: id });
    const back = await reopen(context);
    await panel(back).getByText(/fal no longer has this request/).waitFor({ timeout: 15_000 });
    assert.match(await panel(back).innerText(), new RegExp(`fal request id\\s+${id}`));
    const item = entry(back, 'Too late');
    await item.getByText('Result expired').waitFor();
    const note = await item.locator('.history-note').innerText();
    assert.match(note, /^fal no longer has this result: it keeps a finished video's result for an hour/);
    assert.ok(note.includes(`fal request id ${id}`), note);
    assert.equal((await stored(back))[0].status, 'expired');
    await screenshot(back, 'history-expired-1280');
    assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  } finally {
    await context.close();
  }
});

/** A page of the studio's own site that is not the studio: storage can be
 * changed there while no studio page is open. */
async function leaveTheStudio(page) {
  const blank = `${server.origin}/e2e-blank.html`;
  await page.route(blank, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><link rel="icon" href="data:,"><title>blank</title>' }),
  );
  await page.goto(blank);
}

/** Fills every setting a share link carries; `reference` is an image or video URL. */
async function fillForm(page, reference, name) {
  await page.getByLabel('Prompt', { exact: true }).fill('Image 1 waves & smiles: 100% #joy');
  await page.getByLabel('Negative prompt').fill('blur, text');
  await page.getByRole('radio', { name: '9:16' }).check();
  await page.getByRole('radio', { name: '720p' }).check();
  await page.getByLabel('Duration in seconds').fill('8');
  await page.getByLabel('Seed', { exact: true }).fill('1234');
  await page.getByLabel('Reference URL').fill(reference);
  await page.getByRole('button', { name: 'Add URL' }).click();
  await page.locator('.ref-item').filter({ hasText: name }).waitFor();
}

async function copyShareLink(page) {
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const field = page.getByLabel('Share link', { exact: true });
  await field.waitFor();
  return field.inputValue();
}

async function expectFilledForm(page, name) {
  await page.getByText('The form was filled from a shared link.', { exact: false }).waitFor();
  assert.equal(await page.getByLabel('Prompt', { exact: true }).inputValue(), 'Image 1 waves & smiles: 100% #joy');
  assert.equal(await page.getByLabel('Negative prompt').inputValue(), 'blur, text');
  assert.ok(await page.getByRole('radio', { name: '9:16' }).isChecked());
  assert.ok(await page.getByRole('radio', { name: '720p' }).isChecked());
  assert.equal(await page.getByLabel('Duration in seconds').inputValue(), '8');
  assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), '1234');
  await page.locator('.ref-item').filter({ hasText: name }).waitFor();
  // The link's own keys are gone from the address bar once applied.
  assert.ok(!new URL(page.url()).search.includes('r2v='), page.url());
}

test('a share link carries the settings, never the key, and fills the form when opened', async () => {
  const { page, context, errors } = await open({ width: 375, height: 800 });
  try {
    // A reference on the studio's own site (its content policy allows that):
    // the video of an earlier run.
    const earlier = await finishedJob(page, 'An earlier run [sim:queue=0s] [sim:run=300ms]');
    const video = earlier.output.video.url;
    const name = video.split('/').pop();
    await page.getByLabel('fal key').fill(KEY);
    await fillForm(page, video, name);
    const link = await copyShareLink(page);
    assert.ok(link.startsWith(`${server.url}?r2v=1&`), link);
    assert.ok(!link.includes('very-secret') && !link.includes('e2e-history-id'), 'never the key');
    await screenshot(page, 'history-share-link-375');
    const fresh = await open({ url: link, width: 375, height: 800 });
    try {
      await expectFilledForm(fresh.page, name);
      await screenshot(fresh.page, 'history-shared-link-opened-375');
      assert.deepEqual(fresh.errors, []);
    } finally {
      await fresh.context.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('share links work from a sub-path', async () => {
  const site = await serveDist('/tools/r2v/');
  // No config.json on this static host: the app uses its defaults.
  const allow = [/config\.json/, /404/];
  const { page, context, errors } = await open({ url: site.url, allow });
  try {
    await fillForm(page, `${media.url}/cat.png`, 'cat.png');
    const link = await copyShareLink(page);
    assert.ok(link.startsWith(`${site.url}?r2v=1&prompt=Image%201%20waves%20%26%20smiles`), link);
    const fresh = await open({ url: link, allow });
    try {
      await expectFilledForm(fresh.page, 'cat.png');
      assert.ok(new URL(fresh.page.url()).pathname === '/tools/r2v/');
    } finally {
      await fresh.context.close();
    }
    assert.deepEqual(errors.filter((e) => !/config\.json|404/.test(e)), []);
  } finally {
    await context.close();
    await site.close();
  }
});

test('the comparison plays, pauses and seeks every run in step and lists the inputs that differ', async () => {
  const { page, context, errors } = await open();
  try {
    await finishedJob(page, 'Compare one [sim:queue=0s] [sim:run=300ms]');
    await page.getByRole('radio', { name: '1:1' }).check();
    await finishedJob(page, 'Compare two [sim:queue=0s] [sim:run=300ms]');
    await entry(page, 'Compare one').getByLabel('Compare').check();
    await entry(page, 'Compare two').getByLabel('Compare').check();
    await history(page).getByRole('button', { name: 'Compare selected' }).click();
    const view = history(page).locator('.compare');
    await view.waitFor();
    const videos = view.locator('video');
    assert.equal(await videos.count(), 2);
    await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => v.readyState >= 2));
    const times = () => videos.evaluateAll((vs) => vs.map((v) => ({ t: v.currentTime, paused: v.paused })));

    await view.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(1500);
    let state = await times();
    assert.ok(state.every((s) => !s.paused), 'all play');
    assert.ok(state[0].t > 0.8, `playing: ${state[0].t}`);
    assert.ok(Math.abs(state[0].t - state[1].t) < 0.3, `in step: ${JSON.stringify(state)}`);

    await view.getByRole('button', { name: 'Pause' }).click();
    state = await times();
    assert.ok(state.every((s) => s.paused), 'all paused');

    await view.getByLabel('Position').fill('2.5');
    await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => Math.abs(v.currentTime - 2.5) < 0.1));
    state = await times();
    assert.ok(state.every((s) => s.paused), 'seeking keeps them paused');

    const table = await view.locator('table').innerText();
    assert.match(table, /Prompt\s+Compare one.*\s+Compare two/);
    assert.match(table, /Aspect ratio\s+16:9\s+1:1/);
    assert.doesNotMatch(table, /Resolution/);
    await screenshot(page, 'history-compare-1280');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('export then import gives the same history, and the file never holds the key', async () => {
  const { page, context, errors } = await open();
  try {
    await page.getByLabel('fal key').fill(KEY);
    await finishedJob(page, 'Exported one [sim:queue=0s] [sim:run=300ms]');
    await finishedJob(page, 'Exported two [sim:queue=0s] [sim:run=300ms]');
    const before = await stored(page);
    assert.equal(before.length, 2);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      history(page).getByRole('button', { name: 'Export history' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^wan-r2v-history-\d{4}-\d\d-\d\d\.json$/);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const text = await readFile(file, 'utf8');
    assert.ok(!text.includes('very-secret') && !text.includes('e2e-history-id'), 'never the key');
    assert.equal(JSON.parse(text).jobs.length, 2);

    await expectHidden(page, ['Delete them']);
    await history(page).getByRole('button', { name: 'Clear all' }).click();
    await history(page).getByRole('button', { name: 'Delete them' }).click();
    await history(page).getByText('Deleted 2 jobs.').waitFor();
    assert.deepEqual(await stored(page), []);
    assert.equal(await history(page).locator('.history-item').count(), 0);

    await history(page).getByLabel('Import history').setInputFiles(file);
    await history(page).getByText('Imported 2 jobs.').waitFor();
    assert.deepEqual(await stored(page), before);
    await entry(page, 'Exported one').getByText('Done', { exact: true }).waitFor();

    // A file that is not an export is refused with a reason.
    await history(page).getByLabel('Import history').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
    await history(page).getByText(/not a wan-r2v studio history export/).waitFor();
    assert.deepEqual(await stored(page), before);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('eviction at the cap drops the oldest finished job and keeps an older unfinished one', async () => {
  const { page, context, errors } = await open();
  try {
    await generate(page, 'Still queued [sim:queue=60s]');
    await panel(page).getByText(/fal's queue/).waitFor();
    const [queued] = await stored(page);
    // Make it the oldest job, behind 199 finished ones: the history is full.
    await leaveTheStudio(page);
    await page.evaluate(
      ([key, queued]) => {
        const old = { ...queued, created_at_ms: 1_000 };
        const seeded = Array.from({ length: 199 }, (_, i) => ({
          ...queued,
          id: `seed-${i}`,
          created_at_ms: 2_000 + i,
          status: 'cancelled',
          input: { ...queued.input, prompt: `Seeded ${i}` },
        }));
        localStorage.setItem(key, JSON.stringify([...seeded.reverse(), old]));
      },
      [STORE, queued],
    );
    await page.goto(server.url);
    await panel(page).getByText(/fal's queue/).waitFor();
    assert.equal((await stored(page)).length, 200);
    // Show a finished job, so Generate is free for a new one.
    await entry(page, 'Seeded 198').getByRole('button', { name: 'Open' }).click();
    await panel(page).getByText('Cancelled', { exact: true }).waitFor();
    await generate(page, 'The newest [sim:queue=0s] [sim:run=300ms]');
    await entry(page, 'The newest').waitFor();
    const after = await stored(page);
    const ids = after.map((r) => r.id);
    assert.equal(after.length, 200, 'the cap holds');
    assert.ok(ids.includes(queued.id), 'the unfinished job is kept although it is the oldest');
    assert.ok(!ids.includes('seed-0'), 'the oldest finished job went');
    assert.ok(ids.includes('seed-1'));
    assert.equal(after.find((r) => r.id === queued.id).status, 'queued');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a kept copy plays when the CDN no longer serves the video, and freeing it empties the space', async () => {
  const { page, context, errors } = await open({ allow: [/ERR_FAILED/, /net::/] });
  try {
    const record = await finishedJob(page, 'Kept forever [sim:queue=0s] [sim:run=300ms]');
    const item = entry(page, 'Kept forever');
    await item.getByRole('button', { name: 'Keep a copy' }).click();
    await item.getByText(/^Copy kept in this browser · \d+(\.\d)? (KB|MB)$/).waitFor();
    await history(page).getByText(/^1 video kept in this browser · /).waitFor();
    // The CDN lets the file go.
    await context.route(`**/sim/files/**`, (route) => route.abort());
    await page.reload();
    await page.getByRole('heading', { name: 'Request' }).waitFor();
    await expectThumbnail(page, 'Kept forever');
    const src = await entry(page, 'Kept forever').locator('video.history-thumb').getAttribute('src');
    assert.match(src, /^blob:.*#t=0\.1$/);
    await screenshot(page, 'history-kept-1280');
    // The paid video can still be taken out of the browser.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      entry(page, 'Kept forever').getByRole('button', { name: 'Save kept copy' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^wan-r2v-[a-z0-9]{8}-seed\d+\.mp4$/);
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    const bytes = await readFile(saved);
    assert.ok(bytes.length > 10_000, `${bytes.length} bytes`);
    assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp', 'an MP4 file');
    assert.ok(!src.includes(record.output.video.url));
    await history(page).getByRole('button', { name: 'Free space' }).click();
    await history(page).getByRole('button', { name: 'Delete kept copies' }).click();
    await history(page).getByText('No videos kept in this browser').waitFor();
    await entry(page, 'Kept forever').getByRole('button', { name: 'Keep a copy' }).waitFor();
    assert.deepEqual(errors.filter((e) => !/ERR_FAILED|net::/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('screenshots of the history at 375 and 1280 px', async () => {
  for (const width of [375, 1280]) {
    const { page, context, errors } = await open({ width, height: 900 });
    try {
      await finishedJob(page, `A lighthouse in a storm at ${width} px [sim:queue=0s] [sim:run=300ms]`);
      await generate(page, 'A fox in the snow [sim:queue=30s]');
      await entry(page, 'A fox in the snow').getByText('In queue').waitFor();
      await expectThumbnail(page, 'A lighthouse');
      await expectHidden(page, ['Delete them', 'Delete it', 'Keep it', 'Delete kept copies', 'Compare selected', 'Remove copy', 'Save kept copy', 'Free space', 'Dismiss']);
      assert.equal(await page.getByLabel('Share link', { exact: true }).isVisible(), false);
      await history(page).scrollIntoViewIfNeeded();
      await screenshot(page, `history-${width}`);
      // Nothing wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});
