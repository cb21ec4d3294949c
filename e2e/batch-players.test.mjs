// The players of "Batch results" against the simulator: when runs finish
// together, the grid loads their videos one at a time (a player starts only
// once the one before it shows its first frame, a placeholder holding its
// place meanwhile), each run's video is loaded by its grid player alone (no
// second, hidden player per run), and a batch's History entry builds its
// runs' list, with their first frames, only when it is opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open as openStudio, startSeedsBatch, allPlayersShown } from './support/studio.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';

let browser;
let server;

// Every run finishes within a few hundred ms of the others.
useSimulatorAndBrowser(['--sim-queue', '0s', '--sim-run', '1500ms', '--sim-log-interval', '300ms'], (b, s) => {
  browser = b;
  server = s;
});

const RUNS = 6;

/** Before the page loads: records every source given to a media element
 *  (property or attribute), and, each time a grid player is added, how many
 *  of the grid's other players are still without a first frame. */
function watchPlayers() {
  window.__sources = [];
  window.__loadingWhenAdded = [];
  window.__placeholderWhenAdded = [];
  const record = (element, url) => window.__sources.push({ element, url: String(url) });
  const src = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'src');
  Object.defineProperty(HTMLMediaElement.prototype, 'src', {
    configurable: true,
    get() { return src.get.call(this); },
    set(url) { record(this, url); src.set.call(this, url); },
  });
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLMediaElement && name === 'src') record(this, value);
    return setAttribute.call(this, name, value);
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        if (!(node instanceof HTMLVideoElement) || !node.classList.contains('batch-video')) continue;
        const others = [...document.querySelectorAll('video.batch-video')].filter((v) => v !== node);
        window.__loadingWhenAdded.push(others.filter((v) => v.readyState < 2 && !v.error).length);
        window.__placeholderWhenAdded.push(Boolean(node.closest('.batch-tile')?.querySelector('.batch-video-placeholder')));
      }
    }
  }).observe(document, { subtree: true, childList: true });
}

test('runs that finish together: the grid loads one video at a time, each by its own player only, and the History entry lists its runs only when opened', async () => {
  const { page, context, errors } = await openStudio(browser, server.url, {
    prepare: ({ context }) => context.addInitScript(watchPlayers),
  });
  try {
    const grid = await startSeedsBatch(page, RUNS);
    await allPlayersShown(page, RUNS, { timeout: 30_000 });
    // Nothing left waiting: every placeholder has given way to its player.
    assert.equal(await grid.locator('.batch-video-placeholder').count(), 0);

    // The browser's controls come when someone reaches for a player (a
    // pointer over it, or focus), one player at a time, and stay.
    const gridPlayers = grid.locator('video.batch-video');
    const withControls = () => gridPlayers.evaluateAll((videos) => videos.map((v) => v.controls));
    assert.deepEqual(await withControls(), Array(RUNS).fill(false), 'players had controls before anyone reached for them');
    await gridPlayers.nth(0).hover();
    await gridPlayers.nth(2).focus();
    await page.mouse.move(0, 0);
    assert.deepEqual(await withControls(), [true, false, true, false, false, false]);

    const loadingWhenAdded = await page.evaluate(() => window.__loadingWhenAdded);
    assert.equal(loadingWhenAdded.length, RUNS, 'one grid player per run');
    assert.deepEqual(loadingWhenAdded, Array(RUNS).fill(0), 'each player was added after the ones before it had their first frame');
    // While a player waited for its turn, a placeholder held its place.
    assert.deepEqual(await page.evaluate(() => window.__placeholderWhenAdded), Array(RUNS).fill(true));

    // Who was given each run's video (a thumbnail asks for `#t=0.1`).
    const sources = await page.evaluate(() =>
      window.__sources
        .filter(({ url }) => url.includes('/sim/'))
        .map(({ element, url }) => ({ url, grid: element.classList.contains('batch-video'), thumbnail: url.includes('#t=') })));
    const players = sources.filter((s) => !s.thumbnail);
    const videos = new Set(players.map((s) => s.url));
    assert.equal(videos.size, RUNS, 'six different videos');
    assert.ok(players.every((s) => s.grid), `only grid players load a run's video: ${JSON.stringify(players)}`);
    assert.equal(players.length, RUNS, 'each video given to one player once');

    // History: the batch's entry shows one first frame, its closed list none.
    const entry = page.locator('.history-batch');
    const runsList = entry.locator('.history-batch-runs');
    assert.equal(await runsList.locator('video').count(), 0, 'a closed runs list builds no thumbnails');
    assert.equal(await runsList.locator('li').count(), 0);
    await runsList.locator('summary', { hasText: `Its ${RUNS} runs` }).click();
    await runsList.getByRole('listitem').nth(RUNS - 1).waitFor();
    assert.equal(await runsList.getByRole('listitem').count(), RUNS);
    assert.equal(await runsList.locator('video').count(), RUNS, 'an opened list shows each run with its first frame');
    await runsList.locator('summary').click();
    await page.waitForFunction(() => document.querySelectorAll('.history-batch-runs li').length === 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
