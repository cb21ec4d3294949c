// The release build's parts loaded on demand (ARCHITECTURE.md, "Parts
// loaded on demand"; issue 19's first-load budget): the first load fetches
// none of them, each is fetched when its feature is first used, and a part
// that does not arrive (the network dropped) is said where the feature is,
// nothing is sent to fal, and the next try fetches it again. Against the
// release dist/ and the simulator.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { DIST } from './support/harness.mjs';
import { h264Clip } from './support/media.mjs';
import { open as openStudio, generate, panel, expectResult } from './support/studio.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';

let browser;
let server;

useSimulatorAndBrowser(['--sim-queue', '0s', '--sim-run', '600ms', '--sim-log-interval', '200ms'], (b, s) => {
  browser = b;
  server = s;
});
beforeEach(async () => {
  await server.control({ reset: true });
});

/** A part's file, as tools/split-wasm and scripts/split-wasm.mjs name it. */
const PART = /wan-r2v-studio-(?:part|shared)-([a-z0-9-]+?)-[0-9a-f]{16}\.wasm$/;

/** Opens the studio, recording every part the page fetches, in order. */
async function open(allow = []) {
  const parts = [];
  const session = await openStudio(browser, server.url, {
    allow,
    prepare: ({ page }) => {
      page.on('request', (request) => {
        const part = request.url().match(PART);
        if (part) parts.push(part[1]);
      });
    },
  });
  return { ...session, parts };
}

/** What a dropped connection does to a part's fetch. */
const dropParts = (page) => page.route(PART, (route) => route.abort('failed'));
/** The loader's console report of the dropped fetch. */
const DROPPED = [/Failed to fetch|ERR_FAILED|NetworkError|Load failed/i];

test('the release build has its parts, and the first load fetches none of them', async () => {
  const built = readdirSync(DIST).map((name) => name.match(PART)?.[1]).filter(Boolean);
  for (const part of ['jobs', 'trim', 'history', 'compare', 'embed', 'snippets']) {
    assert.ok(built.includes(part), `dist/ has no part "${part}" (is the build split?): ${built.join(', ')}`);
  }
  const { page, context, errors, parts } = await open();
  try {
    // Long enough for anything the first load would still fetch.
    await page.waitForLoadState('networkidle');
    assert.deepEqual(parts, [], 'the first load fetched parts it does not run');

    await generate(page, 'A koala surfs [sim:run=600ms]');
    await expectResult(page);
    assert.ok(parts.includes('jobs'), `Generate did not fetch the jobs part: ${parts.join(', ')}`);
    // The finished job is the history's first entry: the entries' part.
    await page.locator('#history .history-list li').first().waitFor();
    assert.ok(parts.includes('history'), `the first entry did not fetch the history part: ${parts.join(', ')}`);
    assert.ok(!parts.includes('trim') && !parts.includes('embed'), parts.join(', '));

    await page.locator('details.api-view summary').click();
    await page.locator('.api-view .code').getByText('FAL_KEY').first().waitFor();
    assert.ok(parts.includes('snippets'), parts.join(', '));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a prompt being written fetches the jobs part before Generate, which then fetches nothing more', async () => {
  const { page, context, errors, parts } = await open();
  try {
    await page.waitForLoadState('networkidle');
    assert.deepEqual(parts, [], 'the first load fetched parts it does not run');
    await page.getByLabel('Prompt', { exact: true }).fill('A koala surfs [sim:run=600ms]');
    // Fetched at an idle moment: nothing has been pressed.
    const deadline = Date.now() + 10_000;
    while (!parts.includes('jobs')) {
      assert.ok(Date.now() < deadline, `writing a prompt did not fetch the jobs part: ${parts.join(', ')}`);
      await page.waitForTimeout(50);
    }
    assert.equal((await server.submits()).length, 0);
    const fetched = parts.length;

    await generate(page, undefined);
    await expectResult(page);
    assert.deepEqual(parts.slice(fetched).filter((p) => p === 'jobs'), [], `Generate fetched the jobs part again: ${parts.join(', ')}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a jobs part that does not arrive fails the job before anything is sent; the next Generate works', async () => {
  const { page, context, errors } = await open(DROPPED);
  try {
    await dropParts(page);
    await generate(page, 'A koala surfs [sim:run=600ms]', { started: false });
    await panel(page)
      .getByText(/could not load the part of itself that runs jobs: the connection to this site failed\. Nothing was sent to fal/)
      .waitFor();
    assert.equal((await server.submits()).length, 0, 'a submit went out although the job could not run');

    await page.unroute(PART);
    await generate(page, undefined);
    await expectResult(page);
    assert.equal((await server.submits()).length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a trimming part that does not arrive is said in the trim; closing and opening Trim fetches it again', async () => {
  const clip = h264Clip('parts-clip.mp4', { seconds: 4 });
  const { page, context, errors } = await open(DROPPED);
  try {
    await page.getByLabel('Choose files').setInputFiles(clip);
    await page.waitForFunction(() => !document.body.innerText.includes('reading length'), null, { timeout: 30_000 });
    await dropParts(page);
    const trim = page.getByRole('button', { name: 'Trim', exact: true });
    await trim.click();
    await page.getByText(/Cannot trim: the trimming part of the studio did not load from the site/).waitFor();

    await page.unroute(PART);
    await trim.click();
    await trim.click();
    const start = page.getByRole('spinbutton', { name: 'Start', exact: true });
    await start.waitFor();
    assert.equal(await start.inputValue(), '0.0');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
