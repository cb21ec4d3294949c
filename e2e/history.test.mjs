// The job history against the simulator: jobs resume after a reload (queued
// and running, every unfinished one), a job finished while the page was
// closed has its result fetched at once, an expired result says so with its
// request id, export then import gives the same history, eviction keeps
// unfinished jobs, and a kept copy plays and saves when the CDN no longer
// serves the video. Share links and the comparison: share-and-compare.test.mjs.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { screenshot } from './support/harness.mjs';
import {
  KEY, HISTORY_KEY, env, openConnection, startAll, stopAll, open, reopen, generate, panel, history, entry, storedJobs,
  expectResult, expectPlayingVideo, expectThumbnail, expectHidden, finishedJob, leaveTheStudio,
} from './support/history.mjs';

before(startAll);
after(stopAll);
beforeEach(async () => {
  await env.server.control({ reset: true });
});

test('a reload while queued resumes the job, which then plays and is kept as Done', async () => {
  const { page, context, errors } = await open();
  try {
    await generate(page, 'A heron fishing at dawn [sim:queue=3s]');
    await panel(page).getByText(/fal's queue/).waitFor();
    await entry(page, 'A heron fishing').getByText('In queue').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Request' }).waitFor();
    await entry(page, 'A heron fishing').getByText('In queue').waitFor();
    await expectResult(page, { timeout: 20_000 });
    await expectPlayingVideo(page);
    await entry(page, 'A heron fishing').getByText('Done', { exact: true }).waitFor();
    await expectThumbnail(page, 'A heron fishing');
    assert.equal((await env.server.submits()).length, 1, 'a reload never submits again');
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
    await expectResult(page, { timeout: 20_000 });
    await expectPlayingVideo(page);
    assert.equal((await env.server.submits()).length, 1);
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
    const [first] = await storedJobs(page);
    // A second job from another browser profile, added to this profile's
    // history below: two unfinished jobs when the studio is next opened.
    const other = await open();
    await generate(other.page, 'Second of two [sim:queue=0s] [sim:run=30s]');
    await panel(other.page).getByText(/Generating/).waitFor();
    const [second] = await storedJobs(other.page);
    await other.context.close();
    // Leave the studio for another page of the same site, and add the job.
    await leaveTheStudio(page);
    await page.evaluate(
      ([key, record]) => {
        const list = JSON.parse(localStorage.getItem(key));
        localStorage.setItem(key, JSON.stringify([record, ...list]));
      },
      [HISTORY_KEY, second],
    );
    // Both finish while the studio is closed.
    await env.server.control({ complete: [first.request.request_id, second.request.request_id] });
    await env.server.clearJournal();
    const back = await reopen(context);
    await entry(back, 'First of two').getByText('Done', { exact: true }).waitFor({ timeout: 15_000 });
    await entry(back, 'Second of two').getByText('Done', { exact: true }).waitFor({ timeout: 15_000 });
    // The newest is the one in the Status and result panel.
    await expectResult(back);
    await entry(back, 'Second of two').getByText('Shown in Status and result').waitFor();
    const results = (await env.server.journal()).filter((e) => e.route === 'result').map((e) => e.request_id);
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
    const [record] = await storedJobs(page);
    await page.close();
    await env.server.control({ complete: record.request.request_id });
    await env.server.clearJournal();
    const started = Date.now();
    const back = await reopen(context);
    await expectResult(back, { timeout: 10_000 });
    const took = Date.now() - started;
    assert.ok(took < 8_000, `the result came ${took} ms after reopening`);
    await expectPlayingVideo(back);
    const routes = (await env.server.journal()).map((e) => e.route).filter((r) => r !== 'file');
    assert.ok(routes.includes('result'), routes.join());
    await entry(back, 'A long take').getByText('Done', { exact: true }).waitFor();
    assert.equal((await storedJobs(back))[0].status, 'completed');
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
    const [record] = await storedJobs(page);
    const id = record.request.request_id;
    await page.close();
    await env.server.control({ expire: id });
    const back = await reopen(context);
    await panel(back).getByText(/fal no longer has this request/).waitFor({ timeout: 15_000 });
    assert.match(await panel(back).innerText(), new RegExp(`fal request id\\s+${id}`));
    const item = entry(back, 'Too late');
    await item.getByText('Result expired').waitFor();
    const note = await item.locator('.history-note').innerText();
    assert.match(note, /^fal no longer has this result: it keeps a finished video's result for an hour/);
    assert.ok(note.includes(`fal request id ${id}`), note);
    assert.equal((await storedJobs(back))[0].status, 'expired');
    await screenshot(back, 'history-expired-1280');
    assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('export then import gives the same history, and the file never holds the key', async () => {
  const { page, context, errors } = await open();
  try {
    await openConnection(page);
    await page.getByLabel('fal key').fill(KEY);
    await finishedJob(page, 'Exported one [sim:queue=0s] [sim:run=300ms]');
    await finishedJob(page, 'Exported two [sim:queue=0s] [sim:run=300ms]');
    const before = await storedJobs(page);
    assert.equal(before.length, 2);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      history(page).getByRole('button', { name: 'Export history' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^wan-r2v-history-\d{4}-\d\d-\d\d\.json$/);
    const file = join(env.dir, download.suggestedFilename());
    await download.saveAs(file);
    const text = await readFile(file, 'utf8');
    assert.ok(!text.includes('very-secret') && !text.includes('e2e-history-id'), 'never the key');
    assert.equal(JSON.parse(text).jobs.length, 2);

    await expectHidden(page, ['Delete them']);
    await history(page).getByRole('button', { name: 'Clear all' }).click();
    await history(page).getByRole('button', { name: 'Delete them' }).click();
    await history(page).getByText('Deleted 2 jobs.').waitFor();
    assert.deepEqual(await storedJobs(page), []);
    assert.equal(await history(page).locator('.history-item').count(), 0);

    await history(page).getByLabel('Import history').setInputFiles(file);
    await history(page).getByText('Imported 2 jobs.').waitFor();
    assert.deepEqual(await storedJobs(page), before);
    await entry(page, 'Exported one').getByText('Done', { exact: true }).waitFor();

    // A file that is not an export is refused with a reason.
    await history(page).getByLabel('Import history').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
    await history(page).getByText(/not a wan-r2v studio history export/).waitFor();
    assert.deepEqual(await storedJobs(page), before);
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
    const [queued] = await storedJobs(page);
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
      [HISTORY_KEY, queued],
    );
    await page.goto(env.server.url);
    await panel(page).getByText(/fal's queue/).waitFor();
    assert.equal((await storedJobs(page)).length, 200);
    // Show a finished job, so Generate is free for a new one.
    await entry(page, 'Seeded 198').getByRole('button', { name: 'Open' }).click();
    await panel(page).getByText('Cancelled', { exact: true }).waitFor();
    await generate(page, 'The newest [sim:queue=0s] [sim:run=300ms]');
    await entry(page, 'The newest').waitFor();
    const after = await storedJobs(page);
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
    const saved = join(env.dir, download.suggestedFilename());
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
