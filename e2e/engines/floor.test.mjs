// The common floor, written once and run in each engine (E2E_ENGINE=
// chromium, firefox or webkit; see support/engine.mjs) against the release
// build and `wan-r2v-server --simulate`: the studio opens; a form with a
// URL reference, a picked file, an aspect ratio and a duration generates;
// the queue and the logs show; the video plays (a decoded frame, its time
// advancing); a second job is cancelled; the history survives a reload and
// keeps a copy of the video in the browser; a share link fills the form in
// a fresh profile; a batch of two seeds shows both players with a frame and
// plays one; the API view shows the request without hiding any of
// it; the keyboard alone goes from an empty form to a playing video. After
// every test: no console error, page error, failed load or CSP violation in
// the page, and no error answer from the simulator. Chromium's fuller suite
// is the rest of e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { stillImage } from '../support/media.mjs';
import { againIfTheBrowserDied, engineName, startEngine, studioCopy } from './support/engine.mjs';
import { expectClean, expectPlaying } from './support/checks.mjs';

const ENGINE = engineName();
const SIM = ['--sim-queue', '1500ms', '--sim-queue-position', '2', '--sim-run', '2500ms', '--sim-log-interval', '300ms'];

/** Tab presses from the focused video to what Space plays it with. */
const PLAY_BUTTON_STOPS = { chromium: 0, firefox: 0, webkit: 1 };

/**
 * A job cancelled while queued is gone from fal's queue: asking its status
 * is answered 404. The journal names the route; Chromium's console names
 * only the proxy, so any other 404 there still fails through the journal.
 */
const CANCELLED_NOT_FOUND = [
  /^route (status|status_stream|result) answered 404$/,
  /^console: Failed to load resource: the server responded with a status of 404 \(Not Found\) \(http:\/\/127\.0\.0\.1:\d+\/api\/fal\/proxy\)$/,
];

let browser;
let server;
let copy;

before(async () => {
  copy = await studioCopy({ 'pier.png': stillImage('pier.png') });
  server = await startServer({ simulate: true, args: SIM, dist: copy.dir });
  browser = await startEngine(ENGINE);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await copy?.remove();
});

/** A fresh profile with the studio open and ready. */
async function openStudio(url = server.url) {
  const page = await browser.open();
  await page.goto(url);
  await page.untilShown({ field: 'Prompt' });
  return page;
}

/**
 * Runs `steps(page)` in a fresh profile, then checks the page and the
 * simulator stayed clean; once more if the browser died under it.
 */
function inStudio(name, steps, { allow = [] } = {}) {
  test(`${ENGINE}: ${name}`, (t) =>
    againIfTheBrowserDied(t, async () => {
      await server.control({ reset: true });
      const page = await openStudio();
      try {
        await steps(page);
        await expectClean(page, server, allow);
      } catch (err) {
        await page.screenshot(`failed-${name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
        throw err;
      } finally {
        await page.close();
      }
    }),
  );
}

inStudio('the studio opens, simulated, with its form', async (page) => {
  await page.untilText('Simulated fal: no real videos, no cost');
  assert.equal(await page.run(() => document.title), 'wan-r2v studio');
  assert.ok(await page.run(($) => $.all('h2, h1').some((h) => $.norm(h.textContent) === 'Request')));
  await page.screenshot('opened');
});

inStudio(
  'a filled form generates, shows the queue and logs, plays the video; a second job is cancelled; the history survives a reload and keeps a copy; a share link fills the form in a fresh profile',
  async (page) => {
    const picture = `${server.url}e2e-media/pier.png`;
    await page.fill({ field: 'Prompt' }, 'Image 1 looks out from the pier while Image 2 waits');
    await page.fill({ field: 'Reference URL' }, picture);
    await page.click({ button: 'Add URL' });
    await page.untilText('pier.png', { in: '.ref-list' });
    await page.setFiles({ field: 'Choose files' }, [stillImage('harbour.png')]);
    await page.untilText('harbour.png', { in: '.ref-list' });
    await page.click({ choice: '9:16' });
    await page.fill({ field: 'Duration in seconds' }, '8');
    await page.until('9:16 and 8 s in the form', ($) => $.field('9:16').checked && $.field('Duration in seconds').value === '8');
    await page.untilText('$0.80');

    // The queue position and the logs show for a second or two each: the
    // page records that they showed, so a slow poll cannot miss them.
    await page.run(() => {
      const seen = (window.e2eSeen = {});
      new MutationObserver(() => {
        const job = document.querySelector('#job');
        if (job?.innerText.includes('ahead of yours')) seen.queue = true;
        if (job?.querySelector('.log-line')) seen.logs = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.click({ button: 'Generate' });
    await page.until('the queue position, then a log line', () => window.e2eSeen.queue && window.e2eSeen.logs, {
      timeout: 30_000,
    });
    await page.untilText('Video ready', { in: '#job', timeout: 30_000 });
    await expectPlaying(page, '#job video.result-video');
    await page.screenshot('video-ready', { css: '#job' });
    const submitted = await server.submits();
    assert.equal(submitted.length, 1);
    assert.ok((await server.journal()).some((e) => e.route === 'upload'), 'the picked file was uploaded');

    // A second job, cancelled while it waits in the queue.
    await page.fill({ field: 'Prompt' }, 'A second thought [sim:queue=30s]');
    await page.click({ button: 'Generate' });
    await page.untilText('ahead of yours', { in: '#job' });
    await page.click({ button: 'Cancel', in: '#job' });
    await page.untilText('Cancelled', { in: '#job', timeout: 15_000 });

    // The history after a reload: both jobs, the finished one with its first frame.
    await page.reload();
    await page.untilShown({ field: 'Prompt' });
    await page.until('the finished job in the history', ($, t) => {
      const item = $.all('#history .history-item').find((e) => $.norm(e.innerText).includes(t));
      return item && $.hasText('Done', item);
    }, { args: ['Image 1 looks out'] });
    await page.until('the cancelled job in the history', ($, t) => {
      const item = $.all('#history .history-item').find((e) => $.norm(e.innerText).includes(t));
      return item && $.hasText('Cancelled', item);
    }, { args: ['A second thought'] });
    await page.until('the finished job\'s first frame', ($) => {
      const thumb = $.all('#history video.history-thumb')[0];
      return thumb && thumb.readyState >= 1 && thumb.videoWidth > 0;
    });
    // A copy kept in the browser (Cache Storage; WebKit has no storage
    // estimate, and the studio then leaves the estimate out).
    await page.click({ button: 'Keep a copy', in: '#history' });
    await page.untilText('Copy kept in this browser', { in: '#history', timeout: 20_000 });
    await page.screenshot('history-after-reload', { css: '#history' });

    // A share link, opened in a fresh profile: the same settings, and the URL reference.
    await page.fill({ field: 'Prompt' }, 'Image 1 looks out from the pier');
    await page.click({ button: 'Copy share link' });
    const link = await page.until('the share link', ($) => $.field('Share link')?.value);
    assert.ok(link.startsWith(`${server.url}?r2v=1&`), link);
    const shared = await openStudio(link);
    try {
      await shared.untilText('The form was filled from a shared link.');
      const form = await shared.run(($) => ({
        prompt: $.field('Prompt').value,
        ratio: $.field('9:16').checked,
        duration: $.field('Duration in seconds').value,
        references: $.norm($.all('.ref-item').map((r) => r.innerText).join(' | ')),
      }));
      assert.equal(form.prompt, 'Image 1 looks out from the pier');
      assert.equal(form.ratio, true);
      assert.equal(form.duration, '8');
      assert.match(form.references, /e2e-media\/pier\.png/);
      // The picked file went to fal's storage with the job: its web link travels, not the file.
      assert.match(form.references, /\/sim\/files\/\w+\/harbour\.png/);
      await shared.screenshot('share-link-opened');
      await expectClean(shared, server, CANCELLED_NOT_FOUND);
    } finally {
      await shared.close();
    }
  },
  { allow: CANCELLED_NOT_FOUND },
);

inStudio('a batch of two seeds shows both runs in its grid, each player with a frame, and plays them', async (page) => {
  await page.fill({ field: 'Prompt' }, 'A koala surfs at dawn');
  await page.fill({ field: 'Seeds' }, '2');
  await page.untilText('Generate makes 2 runs.');
  await page.click({ button: 'Generate' });
  await page.untilText('2 of 2 runs ended', { timeout: 30_000 });
  // The grid gives its players their videos one at a time and shows each
  // from its first frame (core::batch::player_turns): every engine must
  // say so, or a player would stay hidden.
  await page.until('both players shown with a frame', () => {
    const shown = [...document.querySelectorAll('video.batch-video:not(.is-loading)')];
    return shown.length === 2 && shown.every((v) => v.readyState >= 2) &&
      !document.querySelector('.batch-video-placeholder');
  }, { timeout: 20_000 });
  // The browser's controls come only when someone reaches for a player:
  // a real press on the first gives it its controls, and the other none.
  const controls = () => page.run(() => [...document.querySelectorAll('video.batch-video')].map((v) => v.controls));
  assert.deepEqual(await controls(), [false, false], 'players had controls before anyone reached for them');
  await page.click({ css: '.batch-tile:first-child video.batch-video' });
  await page.until('the pressed player with its controls, the other without', () => {
    const [first, second] = [...document.querySelectorAll('video.batch-video')].map((v) => v.controls);
    return first && !second;
  });
  await expectPlaying(page, '.batch-tile:last-child video.batch-video');
  await page.screenshot('batch-grid', { css: '.batch' });
});

inStudio('the API view shows the whole request: long lines wrap, nothing is cut off', async (page) => {
  await page.fill({ field: 'Prompt' }, 'A lighthouse keeper climbs the spiral stairs at dusk, lantern in hand, gulls circling outside');
  await page.fill({ field: 'Reference URL' }, `${server.url}e2e-media/pier.png`);
  await page.click({ button: 'Add URL' });
  await page.untilText('pier.png', { in: '.ref-list' });
  await page.click({ button: 'API' });
  await page.untilText('curl', { in: '.api-view' });
  const fit = await page.run(($) => {
    const panel = $.all('.api-view .code-panel')[0];
    const code = $.all('.api-view .code')[0];
    return { scroll: panel.scrollWidth, client: panel.clientWidth, text: code.textContent };
  });
  assert.ok(fit.scroll <= fit.client + 1, `the code is ${fit.scroll} px wide in a ${fit.client} px panel: lines are cut off`);
  assert.match(fit.text, /FAL_KEY/);
  await page.screenshot('api-view', { css: '.api-view' });
});

inStudio('the keyboard alone: from an empty form to a playing video', async (page) => {
  const tabTo = async (what, matches, limit) => {
    for (let i = 0; i < limit; i++) {
      if (await page.run(matches)) return;
      await page.press('Tab');
    }
    assert.fail(`${what} is not reachable by Tab within ${limit} presses`);
  };
  await tabTo('the prompt', ($) => $.focused().startsWith('Prompt'), 40);
  await page.type('A koala surfs a wave [sim:queue=0s] [sim:run=500ms]');
  await tabTo('Generate', ($) => $.focused() === 'Generate', 80);
  await page.press('Enter');
  await page.untilText('Video ready', { in: '#job', timeout: 30_000 });
  await page.until('the result player', ($) => $.all('#job video.result-video').length === 1);
  await page.run(($) => {
    $.all('#job video.result-video')[0].muted = true;
  });
  await tabTo('the video', () => document.activeElement?.classList.contains('result-video'), 120);
  // Chromium and Firefox play on Space on the video itself; WebKit's video
  // takes two stops, itself and then its own play button, which Space presses.
  for (let i = 0; i < PLAY_BUTTON_STOPS[ENGINE]; i++) await page.press('Tab');
  await page.press('Space');
  await page.until('the video playing after Space', () => {
    const v = document.querySelector('#job video.result-video');
    return v && !v.paused && v.currentTime > 0;
}, { timeout: 10_000 });
});

