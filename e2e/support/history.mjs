// Shared by the history e2e files: a simulator and a browser for the whole
// file, and the steps the tests repeat (open the studio, generate, read the
// stored history, check a video plays or a first frame loaded).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from './harness.mjs';
import { stillImage } from './media.mjs';
import { startServer } from './server.mjs';
import {
  open as openStudio, generate, openConnection, panel, expectResult, expectPlayingVideo, HISTORY_KEY, storedJobs,
} from './studio.mjs';

export { generate, openConnection, panel, expectResult, expectPlayingVideo, HISTORY_KEY, storedJobs };

/** A fal key the tests type in; it must never show up in a link or a file. */
export const KEY = 'e2e-history-id:e2e-history-very-secret';

/** The file's browser, simulator, media host (reference URLs that stay on this machine) and temp dir (downloads). */
export const env = { browser: undefined, server: undefined, media: undefined, dir: undefined };

export async function startAll() {
  env.dir = await mkdtemp(join(tmpdir(), 'wan-history-e2e-'));
  const body = await readFile(stillImage('cat.png', '160x120'));
  env.media = createServer((req, res) => {
    if (new URL(req.url, 'http://x').pathname !== '/cat.png') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(body);
  });
  await new Promise((ok) => env.media.listen(0, '127.0.0.1', ok));
  env.media.url = `http://127.0.0.1:${env.media.address().port}`;
  env.browser = await launchBrowser();
  env.server = await startServer({
    simulate: true,
    args: ['--sim-queue', '1s', '--sim-queue-position', '1', '--sim-run', '1500ms', '--sim-log-interval', '300ms'],
  });
}

export async function stopAll() {
  await env.browser?.close();
  await env.server?.stop();
  await new Promise((ok) => (env.media ? env.media.close(ok) : ok()));
  if (env.dir) await rm(env.dir, { recursive: true, force: true });
}

/** A fresh browser profile (empty storage) with the app open. */
export const open = ({ url = env.server.url, ...options } = {}) => openStudio(env.browser, url, options);

/** Another page in the same profile (same storage), as reopening the studio. */
export async function reopen(context, url = env.server.url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('heading', { name: 'Request' }).waitFor();
  return page;
}

export const history = (page) => page.locator('#history');
export const entry = (page, text) => history(page).locator('.history-item').filter({ hasText: text });

/** The entry's first frame is loaded (its size is known). */
export async function expectThumbnail(page, text) {
  const thumb = entry(page, text).locator('video.history-thumb');
  await thumb.waitFor();
  await page.waitForFunction(
    (el) => el.readyState >= 1 && el.videoWidth > 0,
    await thumb.elementHandle(),
    { timeout: 10_000 },
  );
}

/** Nothing that waits for a press (a confirmation, a later step) shows yet. */
export async function expectHidden(page, names) {
  for (const name of names) {
    const visible = await page.getByRole('button', { name, exact: true }).filter({ visible: true }).count();
    assert.equal(visible, 0, `"${name}" shows before it is asked for`);
  }
}

/** Generates and waits for the video; returns the stored record. */
export async function finishedJob(page, prompt) {
  await generate(page, prompt);
  await expectResult(page, { timeout: 20_000 });
  await entry(page, prompt).getByText('Done', { exact: true }).waitFor();
  return (await storedJobs(page)).find((r) => r.input.prompt === prompt);
}

/** A page of the studio's own site that is not the studio: storage can be
 * changed there while no studio page is open. */
export async function leaveTheStudio(page) {
  const blank = `${env.server.origin}/e2e-blank.html`;
  await page.route(blank, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><link rel="icon" href="data:,"><title>blank</title>' }),
  );
  await page.goto(blank);
}
