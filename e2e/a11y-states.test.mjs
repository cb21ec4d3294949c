// Every screen state, at a phone and a desktop width, light and dark:
// axe-core finds no violation, nothing overflows sideways, and a screenshot
// of each lands in target/e2e-screenshots/states/ for a person to review.
// Plus: a keyboard-only run from an empty form to a playing video.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot } from './support/harness.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';
import { axeViolations, describeViolations } from './support/axe.mjs';

let browser;
let server;

useSimulatorAndBrowser(['--sim-queue', '1500ms', '--sim-queue-position', '2', '--sim-run', '3s', '--sim-log-interval', '300ms'], (b, s) => {
  browser = b;
  server = s;
});

const WIDTHS = [375, 1280];
const SCHEMES = ['light', 'dark'];

/** Each state: how to reach it from a fresh page, and what proves it is there. */
const STATES = [
  { name: 'empty', reach: async () => {} },
  {
    name: 'form-errors',
    reach: async (page) => {
      // aria-disabled (not disabled) so it stays reachable; pressing it shows why.
      await page.getByRole('button', { name: 'Generate' }).click({ force: true });
      await page.getByText(/Fix these to generate/).waitFor();
    },
  },
  {
    name: 'queued',
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:queue=30s]');
      await page.locator('#job').getByText(/fal's queue/).waitFor();
    },
  },
  {
    name: 'running',
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:queue=0s] [sim:run=30s]');
      await page.locator('#job .log-line').first().waitFor();
    },
  },
  {
    name: 'result',
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:queue=0s] [sim:run=500ms]');
      await page.locator('video.result-video').waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'failed',
    allow: [/422/],
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:result-422] [sim:queue=0s] [sim:run=300ms]');
      await page.getByText('The job did not produce a video').waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'needs-key',
    config: { allow_user_key: true, simulated: true },
    reach: async (page) => {
      await page.getByText('No fal key yet').first().waitFor();
    },
  },
  {
    name: 'config-problem',
    badConfig: '{"proxy_ur": "./api/fal/proxy"}',
    reach: async (page) => {
      await page.getByText('This studio is not set up correctly').waitFor();
    },
  },
];

async function generate(page, prompt) {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByRole('button', { name: 'Generate' }).click();
}

for (const state of STATES) {
  for (const width of WIDTHS) {
    for (const colorScheme of SCHEMES) {
      test(`${state.name} at ${width}px, ${colorScheme}: no axe violations, no overflow`, async () => {
        const { page, context, errors } = await openPage(browser, {
          width,
          height: 900,
          colorScheme,
          allow: state.allow ?? [],
        });
        try {
          if (state.config || state.badConfig) {
            const body = state.badConfig ?? JSON.stringify(state.config);
            await page.route('**/config.json', (route) =>
              route.fulfill({ status: 200, contentType: 'application/json', body }),
            );
          }
          await page.goto(server.url);
          await page.locator('.app, .config-problem').first().waitFor();
          await state.reach(page);
          await page.waitForTimeout(150);
          await screenshot(page, `states/${state.name}-${width}-${colorScheme}`);
          const violations = await axeViolations(page);
          assert.equal(violations.length, 0, describeViolations(violations));
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `the page overflows sideways by ${overflow}px`);
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      });
    }
  }
}

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
