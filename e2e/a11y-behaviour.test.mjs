// What a keyboard or screen-reader user meets, beyond what axe-core can see:
// a keyboard-only run from an empty form to a playing video; Tab visits the
// page in reading order, each stop with a visible focus ring; the drop zone's
// keyboard path; the job's progress in one polite live region that does not
// tick with the seconds, and blocking errors as alerts; and with
// prefers-reduced-motion, no animation or transition anywhere.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './support/harness.mjs';
import { stillImage } from './support/media.mjs';
import { open as openStudio, generate, panel, expectResult } from './support/studio.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';
import { tabStops, outOfOrder, withoutFocusRing } from './support/keyboard.mjs';

let browser;
let server;
let png;

useSimulatorAndBrowser(['--sim-queue', '1500ms', '--sim-queue-position', '2', '--sim-run', '3s', '--sim-log-interval', '300ms'], (b, s) => {
  browser = b;
  server = s;
});
before(() => {
  png = stillImage('pier.png');
});

const open = ({ width = 1280, allow = [] } = {}) => openStudio(browser, server.url, { width, allow });

test('keyboard only: from an empty form to a playing video without the mouse', async () => {
  const { page, context, errors } = await open();
  try {
    // Tab until the prompt has focus, type, then tab on to Generate.
    const focusedLabel = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el?.labels?.[0]?.textContent?.trim() || el?.getAttribute('aria-label') || el?.textContent?.trim() || '';
      });
    let steps = 0;
    while (!/^Prompt/.test(await focusedLabel())) {
      await page.keyboard.press('Tab');
      assert.ok(++steps < 40, 'the prompt is reachable by Tab');
    }
    await page.keyboard.type('A koala surfs a wave [sim:queue=0s] [sim:run=500ms]');
    steps = 0;
    while ((await focusedLabel()) !== 'Generate') {
      await page.keyboard.press('Tab');
      assert.ok(++steps < 80, 'Generate is reachable by Tab');
    }
    await page.keyboard.press('Enter');
    await page.locator('video.result-video').waitFor({ timeout: 15_000 });
    await page.locator('video.result-video').evaluate((v) => {
      v.muted = true;
    });
    steps = 0;
    while (!(await page.evaluate(() => document.activeElement?.classList.contains('result-video')))) {
      await page.keyboard.press('Tab');
      assert.ok(++steps < 120, 'the video is reachable by Tab');
    }
    assert.match(await page.locator('video.result-video').getAttribute('aria-label'), /^Generated video: A koala surfs/);
    await page.keyboard.press('Space');
    await page.waitForTimeout(800);
    const playing = await page.locator('video.result-video').evaluate((v) => !v.paused && v.currentTime > 0);
    assert.ok(playing, 'Space on the focused video plays it');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

for (const width of [375, 1280]) {
  test(`at ${width}px Tab visits the page in reading order, every stop with a visible focus ring`, async () => {
    const { page, context, errors } = await open({ width });
    try {
      // A full page: a result, its history entry, a reference in the form.
      await generate(page, 'A koala surfs [sim:queue=0s] [sim:run=300ms]');
      await expectResult(page, { timeout: 15_000 });
      await page.locator('#history .history-item').first().waitFor();
      await page.getByLabel('Choose files').setInputFiles(png);
      await page.locator('.ref-item').filter({ hasText: 'pier.png' }).waitFor();
      const positive = await page.evaluate(() => [...document.querySelectorAll('[tabindex]')].filter((e) => e.tabIndex > 0).length);
      assert.equal(positive, 0, 'no positive tabindex reorders the page');
      const stops = await tabStops(page);
      assert.ok(stops.length > 30, `only ${stops.length} tab stops`);
      for (const name of ['Skip to the request form', 'Prompt', 'Choose files', 'Generate', 'Download', 'Export history']) {
        assert.ok(stops.some((s) => s.name.startsWith(name)), `Tab reaches "${name}": ${stops.map((s) => s.name).join(' | ')}`);
      }
      assert.deepEqual(outOfOrder(stops), [], 'each stop follows the one before in reading order');
      assert.deepEqual(withoutFocusRing(stops), [], 'each stop shows a focus ring');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('the drop zone has a keyboard path: Tab to "Choose files", Space opens the picker, the file is added', async () => {
  const { page, context, errors } = await open();
  // Listening from the start: Playwright takes over the picker only once it
  // is listened for, which takes a moment.
  const chooser = new Promise((ok) => page.once('filechooser', ok));
  try {
    let steps = 0;
    while (!(await page.evaluate(() => document.activeElement?.type === 'file'))) {
      await page.keyboard.press('Tab');
      assert.ok(++steps < 40, 'the file picker is reachable by Tab');
    }
    const label = await page.evaluate(() => document.activeElement.labels[0].textContent.trim());
    assert.equal(label, 'Choose files');
    await page.keyboard.press('Space');
    const picker = await chooser;
    assert.ok(picker.isMultiple(), 'several files at once');
    await picker.setFiles(png);
    await page.locator('.ref-item').filter({ hasText: 'pier.png' }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the job is announced in one polite live region, once per change, never per second', async () => {
  const { page, context, errors } = await open();
  try {
    const announcer = page.locator('.job-announcer');
    assert.equal(await announcer.getAttribute('role'), 'status');
    assert.equal(await announcer.textContent(), '', 'silent before the first job');
    const region = await announcer.elementHandle();
    await generate(page, 'A koala surfs [sim:queue=2s] [sim:position=2] [sim:run=4s]');
    await page.waitForFunction((el) => /fal's queue/i.test(el.textContent), region);
    await page.waitForFunction((el) => el.textContent === 'Generating', region, { timeout: 10_000 });
    // While it runs, the visible line counts seconds; no live region does.
    const live = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[role=status], [role=alert], [aria-live]')]
          .filter((e) => e.getAttribute('aria-live') !== 'off')
          .map((e) => `${e.className}: ${e.textContent}`),
      );
    const before = await live();
    const line = await panel(page).locator('.job-status-line').textContent();
    await page.waitForTimeout(2_200);
    assert.notEqual(await panel(page).locator('.job-status-line').textContent(), line, 'the visible line counts');
    assert.deepEqual(await live(), before, 'no live region speaks while only the seconds change');
    await page.waitForFunction((el) => el.textContent === 'Video ready', region, { timeout: 15_000 });
    assert.ok(await region.evaluate((el) => el.isConnected), 'the same region, kept through every phase');
    assert.equal(await page.locator('[role=status]').filter({ hasText: 'Video ready' }).count(), 1, 'said once');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('blocking errors are alerts: a failed job, a missing key, a broken deployment', async () => {
  const failed = await open({ allow: [/500/] });
  try {
    await generate(failed.page, 'A koala surfs [sim:result-500] [sim:queue=0s] [sim:run=300ms]');
    await failed.page.getByRole('alert').filter({ hasText: 'The job did not produce a video' }).waitFor({ timeout: 15_000 });
    await failed.page.waitForFunction(() => document.querySelector('.job-announcer').textContent === 'Failed');
  } finally {
    await failed.context.close();
  }
  for (const [config, expected] of [
    [{ allow_user_key: true, simulated: true }, 'Enter your fal key in the Connection panel to generate.'],
    ['{"proxy_ur": "./api/fal/proxy"}', 'This studio is not set up correctly'],
  ]) {
    const { page, context, errors } = await openPage(browser, { width: 1280, height: 900 });
    try {
      const body = typeof config === 'string' ? config : JSON.stringify(config);
      await page.route('**/config.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
      await page.goto(server.url);
      if (typeof config !== 'string') await generate(page, 'A koala surfs', { started: false });
      await page.getByRole('alert').filter({ hasText: expected }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test('prefers-reduced-motion: no animation and no transition anywhere, loading or running', async () => {
  const running = async (reducedMotion) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion });
    const page = await context.newPage();
    // config.json answers late: the loading outline first, then the studio.
    let release;
    const held = new Promise((ok) => {
      release = ok;
    });
    await page.route('**/config.json', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(server.url, { waitUntil: 'domcontentloaded' });
    await page.locator('.app-loading').waitFor();
    const loading = await motion(page);
    release();
    await page.getByRole('heading', { name: 'Request' }).waitFor();
    await generate(page, 'A koala surfs [sim:queue=0s] [sim:run=30s]');
    await panel(page).locator('.log-line').first().waitFor();
    // A hover and a focus that would start transitions.
    await page.getByRole('button', { name: 'Cancel' }).hover();
    await page.getByLabel('Prompt', { exact: true }).focus();
    const job = await motion(page);
    await context.close();
    return { loading, job };
  };
  const normal = await running('no-preference');
  assert.ok(normal.loading.animations > 0 && normal.job.animations > 0, `the check sees motion: ${JSON.stringify(normal)}`);
  assert.ok(normal.job.transitions.length > 0, 'the check sees transitions');
  const reduced = await running('reduce');
  assert.deepEqual(reduced, { loading: { animations: 0, transitions: [] }, job: { animations: 0, transitions: [] } });
});

/** Running animations, and elements with a transition that takes time. */
function motion(page) {
  return page.evaluate(() => {
    const transitions = [];
    for (const el of document.querySelectorAll('*')) {
      for (const pseudo of [null, '::before', '::after']) {
        const s = getComputedStyle(el, pseudo);
        const longest = Math.max(...s.transitionDuration.split(',').map((d) => parseFloat(d) || 0));
        if (longest > 0) transitions.push(`${el.tagName.toLowerCase()}.${el.className}${pseudo ?? ''}`);
      }
    }
    return { animations: document.getAnimations().length, transitions: [...new Set(transitions)].slice(0, 10) };
  });
}
