// The layout for iterating, in a real browser against the release build and
// the simulator: at 1280 px Generate (in its bar) and the Status and result
// panel stay on screen while the long form scrolls; the Connection panel is
// folded behind the header's badge once the connection works (the
// simulator's proxy) and open while nothing works yet (own key, none typed),
// and the badge opens and folds it; at 375 px Generate is on screen at the
// top of the page, and a field focused by Tab comes to rest above the bar.
// Screenshots of the screen as a person sees it (not the full page, which
// would hide what sticks) at 375, 1280 and 1920 px, light and dark, land in
// target/e2e-screenshots/layout/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SCREENSHOTS } from './support/harness.mjs';
import { open as openStudio, generate, expectResult, resultTitle } from './support/studio.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';
import { settle } from './support/sweep.mjs';

let browser;
let server;
useSimulatorAndBrowser(['--sim-queue', '300ms', '--sim-run', '800ms', '--sim-log-interval', '200ms'], (b, s) => {
  browser = b;
  server = s;
});

/** A deployment with no proxy: people bring their own key (to the simulator). */
const ownKeyConfig = (origin) => ({
  allow_user_key: true,
  simulated: true,
  queue_base_url: `${origin}/sim/queue`,
  rest_base_url: `${origin}/sim/rest`,
});

const open = (options = {}) => openStudio(browser, server.url, options);

/** Opens the studio with the own-key deployment's config.json instead of the simulator's. */
const openOwnKey = (options = {}) =>
  open({
    ...options,
    prepare: ({ page }) =>
      page.route('**/config.json', (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(ownKeyConfig(new URL(server.url).origin)) }),
      ),
  });

const generateButton = (page) => page.getByRole('button', { name: 'Generate', exact: true });

/** Where `locator`'s box is on screen, and whether all of it is inside the viewport. */
async function onScreen(page, locator) {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize();
  assert.ok(box, 'the element is rendered');
  return { box, inside: box.y >= 0 && box.x >= 0 && box.y + box.height <= height + 0.5 && box.x + box.width <= width + 0.5 };
}

async function scrollTo(page, y) {
  await page.evaluate((top) => window.scrollTo({ top, behavior: 'instant' }), y);
  await settle(page);
}

/** A screenshot of what is on screen, in target/e2e-screenshots/layout/. */
async function shoot(page, name) {
  const dir = join(SCREENSHOTS, 'layout');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled' });
}

test('at 1280 px Generate and the Status and result panel stay on screen from the form\'s start to its end', async () => {
  const { page, context, errors } = await open({ width: 1280, height: 800 });
  try {
    // The API view open makes the form far taller than the screen.
    await page.getByLabel('Prompt', { exact: true }).fill('A koala surfs a wave at sunset');
    await page.locator('summary', { hasText: 'API' }).click();
    const { scrollHeight, innerHeight } = await page.evaluate(() => ({
      scrollHeight: document.documentElement.scrollHeight,
      innerHeight: window.innerHeight,
    }));
    assert.ok(scrollHeight > innerHeight + 600, `the page is ${scrollHeight}px for a ${innerHeight}px screen: nothing to scroll`);
    const bottom = scrollHeight - innerHeight;
    for (const [where, y] of [['start', 0], ['middle', Math.round(bottom / 2)], ['end', bottom], ['start again', 0]]) {
      await scrollTo(page, y);
      const button = await onScreen(page, generateButton(page));
      assert.ok(button.inside, `at the form's ${where} Generate is at y ${Math.round(button.box.y)}, off a ${innerHeight}px screen`);
      const status = await onScreen(page, page.getByRole('heading', { name: 'Status and result' }));
      assert.ok(status.inside, `at the form's ${where} the Status and result heading is at y ${Math.round(status.box.y)}`);
      const cost = await onScreen(page, page.locator('.generate-cost'));
      assert.ok(cost.inside, `at the form's ${where} the cost beside Generate is on screen`);
      assert.match(await page.locator('.generate-cost').innerText(), /\$0\.50$/);
    }
    // And with a job: its result stays in view while the form is at its end.
    await scrollTo(page, bottom);
    await generate(page, undefined);
    await expectResult(page, { timeout: 20_000 });
    await scrollTo(page, bottom);
    assert.ok((await onScreen(page, resultTitle(page))).inside, 'the result is in view at the form\'s end');
    // The column, now taller than the screen, rests on the footer at the
    // page's end with its heading still on screen.
    assert.ok(
      (await onScreen(page, page.getByRole('heading', { name: 'Status and result' }))).inside,
      'the Status and result heading is on screen at the page\'s end, with a result',
    );
    assert.ok((await onScreen(page, generateButton(page))).inside, 'Generate is back and in view');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('through the simulator\'s proxy the Connection panel is folded behind the badge, which opens and folds it', async () => {
  const { page, context, errors } = await open({ width: 1280, height: 800 });
  try {
    const badge = page.getByRole('button', { name: 'Connection settings: Simulated' });
    await badge.waitFor();
    assert.equal(await badge.getAttribute('aria-expanded'), 'false');
    assert.equal(await badge.getAttribute('aria-controls'), 'connection');
    assert.equal(await page.locator('#connection').isVisible(), false, 'folded');
    assert.equal(await page.getByRole('button', { name: 'Test connection' }).count(), 0, 'nothing of the panel is in the page\'s tree');
    // Folded, the form is the first thing in the page's body.
    const request = await page.locator('#request').boundingBox();
    assert.ok(request.y < 200, `the request form starts at y ${request.y}`);

    await badge.click();
    assert.equal(await badge.getAttribute('aria-expanded'), 'true');
    await page.getByLabel('fal key').waitFor();
    assert.ok(await page.getByLabel('fal key').isVisible());
    assert.ok(await page.getByRole('button', { name: 'Test connection' }).isVisible());
    await shoot(page, 'connection-open-1280-light');

    // Escape in the open panel folds it and gives focus back to the badge.
    await page.getByLabel('fal key').focus();
    await page.keyboard.press('Escape');
    assert.equal(await badge.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#connection').isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'connection-badge');
    // The keyboard opens it again (Enter on the focused badge).
    await page.keyboard.press('Enter');
    await page.getByLabel('fal key').waitFor();
    assert.equal(await badge.getAttribute('aria-expanded'), 'true');
    await badge.click();
    assert.equal(await page.locator('#connection').isVisible(), false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('with no key yet (own-key deployment) the Connection panel is open, and stays open once a key is typed', async () => {
  const { page, context, errors } = await openOwnKey({ width: 1280, height: 800 });
  try {
    const key = page.getByLabel('fal key');
    await key.waitFor();
    assert.ok(await key.isVisible(), 'the key field shows at once');
    // Nothing to fold yet: the badge is a link to the panel, not a toggle.
    const link = page.getByRole('link', { name: 'Connection: No fal key yet' });
    assert.equal(await link.getAttribute('href'), '#connection');
    assert.equal(await page.locator('#connection-badge[aria-expanded]').count(), 0);
    // Escape from inside the panel, where it folds a panel that may fold.
    await key.focus();
    await page.keyboard.press('Escape');
    assert.ok(await key.isVisible(), 'Escape does not fold a panel the person must act in');

    await key.fill('layout-id:layout-secret');
    // The simulator reached with a key is still "Simulated".
    const badge = page.getByRole('button', { name: 'Connection settings: Simulated' });
    await badge.waitFor();
    assert.equal(await badge.getAttribute('aria-expanded'), 'true', 'a key just typed is not whisked away');
    assert.ok(await key.isVisible());
    await badge.click();
    assert.equal(await key.isVisible(), false, 'the person folds it');
    // "Forget key" leaves nothing working: the panel is open again, pinned.
    await badge.click();
    await page.getByRole('button', { name: 'Forget key' }).click();
    await page.getByRole('link', { name: 'Connection: No fal key yet' }).waitFor();
    assert.ok(await key.isVisible());
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('at 375 px Generate is on screen at the top of the page, and a field focused by Tab rests above its bar', async () => {
  const { page, context, errors } = await open({ width: 375, height: 740 });
  try {
    await scrollTo(page, 0);
    const button = await onScreen(page, generateButton(page));
    assert.ok(button.inside, `Generate is at y ${Math.round(button.box.y)} on a 740px screen at the top of the page`);
    assert.ok((await onScreen(page, page.locator('.generate-cost'))).inside, 'and the cost beside it');
    // Compact: the bar takes at most a seventh of the screen.
    const bar = await page.locator('.generate-bar').boundingBox();
    assert.ok(bar.height <= 740 / 7, `the bar is ${bar.height}px high`);
    assert.ok(bar.y + bar.height <= 740.5 && bar.y + bar.height > 730, `the bar sits at the screen's bottom (ends at ${bar.y + bar.height})`);

    // Tab to the Seed field, far down the form: it comes to rest above the bar.
    let steps = 0;
    while (!(await page.evaluate(() => document.activeElement?.labels?.[0]?.textContent?.trim() === 'Seed'))) {
      await page.keyboard.press('Tab');
      assert.ok(++steps < 80, 'Seed is reachable by Tab');
    }
    await settle(page);
    const seed = await page.getByLabel('Seed', { exact: true }).boundingBox();
    const barNow = await page.locator('.generate-bar').boundingBox();
    assert.ok(seed.y + seed.height <= barNow.y, `the focused Seed field (bottom ${seed.y + seed.height}) is under the bar (top ${barNow.y})`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

for (const colorScheme of ['light', 'dark']) {
  for (const width of [375, 1280, 1920]) {
    test(`screenshots at ${width} px, ${colorScheme}: the top, the form scrolled, and with a result`, async () => {
      const height = width === 375 ? 812 : width === 1920 ? 1080 : 800;
      const { page, context, errors } = await open({ width, height, colorScheme });
      try {
        await page.getByLabel('Prompt', { exact: true }).fill('A koala surfs a wave at sunset, golden light');
        await settle(page);
        await shoot(page, `top-${width}-${colorScheme}`);
        await generate(page, undefined);
        await expectResult(page, { timeout: 20_000 });
        await scrollTo(page, 0);
        await shoot(page, `result-${width}-${colorScheme}`);
        const seed = page.getByLabel('Seed', { exact: true });
        await seed.scrollIntoViewIfNeeded();
        await settle(page);
        await shoot(page, `scrolled-${width}-${colorScheme}`);
        await scrollTo(page, 0);
        await page.locator('#connection-badge').click();
        await page.getByLabel('fal key').waitFor();
        await settle(page);
        await shoot(page, `connection-open-${width}-${colorScheme}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
}
