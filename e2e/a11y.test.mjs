// Every screen state (e2e/support/screen-states.mjs): axe-core finds no
// violation at a phone and a desktop width, light and dark, with a
// screenshot of each in target/e2e-screenshots/states/ for a person to
// review; nothing overflows sideways or overlaps at 375, 768, 1280 and 1920
// px. Plus: a keyboard-only run from an empty form to a playing video, and
// reduced motion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot } from './support/harness.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';
import { axeViolations, describeViolations } from './support/axe.mjs';
import { STATES, overlappingControls } from './support/screen-states.mjs';

let browser;
let server;

useSimulatorAndBrowser(['--sim-queue', '1500ms', '--sim-queue-position', '2', '--sim-run', '3s', '--sim-log-interval', '300ms'], (b, s) => {
  browser = b;
  server = s;
});

/** Screenshots and axe at a phone and a desktop width, light and dark. */
const REVIEW_WIDTHS = [375, 1280];
/** Every width the layout must hold at: nothing sideways, nothing overlapping. */
const LAYOUT_WIDTHS = [375, 768, 1280, 1920];
const SCHEMES = ['light', 'dark'];

for (const state of STATES) {
  test(`${state.name}: no axe violations at ${REVIEW_WIDTHS.join('/')} px light and dark, no overflow or overlap at ${LAYOUT_WIDTHS.join('/')} px`, async () => {
    const { page, context, errors } = await openPage(browser, { width: 1280, height: 900, allow: state.allow ?? [] });
    try {
      await server.control({ reset: true });
      if (state.config || state.badConfig || state.slowConfig) {
        const body = state.badConfig ?? (state.config ? JSON.stringify(state.config) : undefined);
        await page.route('**/config.json', async (route) => {
          if (state.slowConfig) await new Promise((ok) => setTimeout(ok, state.slowConfig));
          if (body) await route.fulfill({ status: 200, contentType: 'application/json', body });
          else await route.continue().catch(() => {});
        });
      }
      await page.goto(`${server.url}${state.url ?? ''}`);
      await page.locator('.app, .config-problem, .app-loading').first().waitFor();
      await state.reach(page, server);
      for (const width of LAYOUT_WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForTimeout(100);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${width}px: the page overflows sideways by ${overflow}px`);
        assert.deepEqual(await overlappingControls(page), [], `${width}px: controls overlap`);
      }
      for (const width of REVIEW_WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        for (const colorScheme of SCHEMES) {
          await page.emulateMedia({ colorScheme });
          await page.waitForTimeout(150);
          await screenshot(page, `states/${state.name}-${width}-${colorScheme}`);
          const violations = await axeViolations(page);
          assert.equal(violations.length, 0, `${width}px ${colorScheme}:\n${describeViolations(violations)}`);
        }
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

/** Everything (elements and their ::before / ::after) that animates or
 *  transitions for longer than nothing. */
function movingThings(page) {
  return page.evaluate(() => {
    const longest = (list) => Math.max(...list.split(',').map((t) => parseFloat(t) * (t.trim().endsWith('ms') ? 0.001 : 1)));
    const moving = [];
    for (const el of document.querySelectorAll('*')) {
      for (const pseudo of [null, '::before', '::after']) {
        const style = getComputedStyle(el, pseudo);
        if ((style.animationName !== 'none' && longest(style.animationDuration) > 0) || longest(style.transitionDuration) > 0) {
          moving.push(`${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]}${pseudo ?? ''}: animation ${style.animationName} ${style.animationDuration}, transition ${style.transitionProperty} ${style.transitionDuration}`);
        }
      }
    }
    return moving.slice(0, 8);
  });
}

test('with reduced motion asked for, nothing animates or transitions (studio with a job running, and embedded)', async () => {
  const { page, context, errors } = await openPage(browser, { width: 1280, height: 900 });
  try {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${server.url}`);
    await page.getByLabel('Prompt', { exact: true }).fill('A koala surfs [sim:queue=0s] [sim:run=30s]');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.locator('#job .job-progress-bar').waitFor();
    assert.deepEqual(await movingThings(page), []);
    await page.goto(`${server.url}?embed=1`);
    await page.locator('.app-embedded').waitFor();
    assert.deepEqual(await movingThings(page), []);
    // The check can see motion: without the preference the progress bar moves.
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await page.goto(`${server.url}`);
    await page.locator('#job .job-progress-bar').waitFor();
    assert.notDeepEqual(await movingThings(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('keyboard only: from an empty form to a playing video without the mouse', async () => {
  const { page, context, errors } = await openPage(browser, { width: 1280, height: 900 });
  try {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Request' }).waitFor();
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
    await page.keyboard.press('Space');
    await page.waitForTimeout(800);
    const playing = await page.locator('video.result-video').evaluate((v) => !v.paused && v.currentTime > 0);
    assert.ok(playing, 'Space on the focused video plays it');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
