// The accessibility and layout sweep every screen state goes through (the
// a11y-*.test.mjs files): once a state is on screen, it is looked at in light
// and dark at 375, 768, 1280 and 1920 px. At each: axe-core finds no
// violation, every control has an accessible name (Chromium's own
// accessibility tree), nothing overflows sideways, and no text or control
// overlaps another. A full-page screenshot of each state at 375 and 1280 px,
// light and dark, lands in target/e2e-screenshots/states/.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openPage, SCREENSHOTS } from './harness.mjs';
import { axeViolations, describeViolations } from './axe.mjs';
import { useSimulatorAndBrowser } from './server.mjs';

export const WIDTHS = [375, 768, 1280, 1920];
export const SHOT_WIDTHS = [375, 1280];
export const SCHEMES = ['light', 'dark'];
export const HEIGHT = 900;

/**
 * The frame of a file of states: one headless Chromium and one simulator
 * for the file, with timings slow enough to catch a job queued or running,
 * reset before each test. Returns the object that holds `browser` and
 * `server` once they are started.
 */
export function useStatesSimulator() {
  const env = {};
  useSimulatorAndBrowser(['--sim-queue', '1500ms', '--sim-queue-position', '2', '--sim-run', '3s', '--sim-log-interval', '300ms'], (browser, server) => {
    Object.assign(env, { browser, server });
  });
  beforeEach(async () => {
    await env.server?.control({ reset: true });
  });
  return env;
}

/** Roles a person operates, which must each have a name. */
const CONTROL_ROLES = new Set([
  'button', 'link', 'textbox', 'searchbox', 'checkbox', 'radio', 'switch', 'combobox', 'listbox',
  'slider', 'spinbutton', 'tab', 'menuitem', 'progressbar', 'Video', 'DisclosureTriangle',
]);

/**
 * Looks at the state on `page` at every width and colour scheme; fails with
 * every problem found (not only the first), and leaves the page at 1280 px,
 * light. `overlapIgnore` lists CSS selectors whose elements may overlap.
 */
export async function sweep(page, name, { overlapIgnore = [] } = {}) {
  const problems = [];
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHT });
      await settle(page);
      const where = `${name} at ${width}px, ${colorScheme}`;
      if (SHOT_WIDTHS.includes(width)) await shoot(page, `${name}-${width}-${colorScheme}`);
      const violations = await axeViolations(page);
      if (violations.length) problems.push(`${where}: axe\n  ${describeViolations(violations)}`);
      for (const unnamed of await unnamedControls(page)) problems.push(`${where}: no accessible name: ${unnamed}`);
      const overflow = await sidewaysOverflow(page);
      if (overflow > 0) problems.push(`${where}: the page overflows sideways by ${overflow}px`);
      for (const pair of await overlaps(page, overlapIgnore)) problems.push(`${where}: overlap: ${pair}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: HEIGHT });
  assert.deepEqual(problems, [], problems.join('\n'));
}

/**
 * A full-page screenshot in target/e2e-screenshots/states/, with endless
 * animations (the skeleton's pulse, the indeterminate bar) held still: a
 * capture in the middle of one shows seams that are not on screen.
 */
async function shoot(page, name) {
  const dir = join(SCREENSHOTS, 'states');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/**
 * The new width's layout is done and the colours have finished changing:
 * a switch of scheme runs the buttons' short transitions, and a screenshot
 * in the middle of one shows grey buttons that are not grey.
 */
export async function settle(page) {
  await page.evaluate(async () => {
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    const deadline = performance.now() + 2_000;
    while (document.getAnimations().some((a) => a instanceof CSSTransition) && performance.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 20));
    }
  });
}

export function sidewaysOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Controls Chromium's accessibility tree has no name for, described by role and markup. */
export async function unnamedControls(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const unnamed = nodes.filter(
      (n) => !n.ignored && CONTROL_ROLES.has(n.role?.value) && !String(n.name?.value ?? '').trim(),
    );
    const described = [];
    for (const node of unnamed) {
      let html = '(no DOM node)';
      if (node.backendDOMNodeId) {
        const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendDOMNodeId });
        const { result } = await cdp.send('Runtime.callFunctionOn', {
          objectId: object.objectId,
          functionDeclaration: 'function () { return (this.outerHTML || String(this)).slice(0, 160); }',
          returnByValue: true,
        });
        html = result.value;
      }
      described.push(`${node.role.value} ${html}`);
    }
    // Chromium names a nameless video itself ("Unable to play media."), so
    // each video a screen reader meets must carry a name of its own.
    const videos = await page.evaluate(() =>
      [...document.querySelectorAll('video')]
        .filter((v) => v.checkVisibility() && !v.closest('[aria-hidden="true"]'))
        .filter((v) => !(v.getAttribute('aria-label') || v.getAttribute('aria-labelledby') || v.title).trim())
        .map((v) => `video ${v.outerHTML.slice(0, 120)}`),
    );
    return [...described, ...videos];
  } finally {
    await cdp.detach();
  }
}

/**
 * Pairs of visible things that overlap: controls (by their box) and runs of
 * text (by the box of the text itself, not of the block around it), each
 * clipped to its scrolling or clipping ancestors. An element is never
 * compared with what it contains; something fixed or sticky only with what
 * shares its container.
 */
export function overlaps(page, ignore = []) {
  return page.evaluate((ignore) => {
    const CONTROLS = 'button, a[href], input, select, textarea, summary, video, img, progress, svg, canvas';
    // Not rendered: display none, hidden, transparent, or in a closed <details>.
    const visible = (el) => el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true });
    const floating = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const p = getComputedStyle(e).position;
        if (p === 'fixed' || p === 'sticky') return e;
      }
      return null;
    };
    // The part of `rect` its clipping ancestors let through (for text, its
    // own element clips it too).
    const clip = (el, rect, fromSelf) => {
      let { left, top, right, bottom } = rect;
      for (let e = fromSelf ? el : el.parentElement; e && e !== document.body; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.clipPath !== 'none' || s.clip.startsWith('rect')) return { left, top, right: left, bottom: top };
        if (s.overflowX !== 'visible' || s.overflowY !== 'visible' || s.contain.includes('paint')) {
          const r = e.getBoundingClientRect();
          left = Math.max(left, r.left);
          top = Math.max(top, r.top);
          right = Math.min(right, r.right);
          bottom = Math.min(bottom, r.bottom);
        }
      }
      return { left, top, right, bottom };
    };
    const describe = (el) => {
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `<${el.tagName.toLowerCase()}${cls}> "${text}"`;
    };
    const items = [];
    const add = (el, rect, text = false) => {
      const r = clip(el, rect, text);
      // Visually hidden things (1 px, clipped) and empty boxes do not count.
      if (r.right - r.left < 3 || r.bottom - r.top < 3) return;
      items.push({ el, r, floating: floating(el) });
    };
    const skip = (el) => ignore.some((sel) => el.closest(sel));
    for (const el of document.querySelectorAll(CONTROLS)) {
      if (el.closest('svg') !== el && el.closest('svg')) continue;
      if (skip(el) || !visible(el)) continue;
      add(el, el.getBoundingClientRect());
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.data.trim() || !el || el.closest(CONTROLS) || el.closest('script, style, option')) continue;
      if (skip(el) || !visible(el)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) add(el, rect, true);
    }
    const found = [];
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i];
        const b = items[j];
        if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
        if (a.floating !== b.floating) continue;
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w > 2 && h > 2) found.push(`${describe(a.el)} and ${describe(b.el)}`);
      }
    }
    return [...new Set(found)].slice(0, 20);
  }, ignore);
}

/**
 * Opens a fresh page at 1280 px, light, and brings it to `state`:
 * `{ name, reach(page), path?, config?, badConfig?, holdConfig?, allow? }`.
 * `config` (an object, or a function of the app's origin) or `badConfig`
 * (text) replace the deployer's config.json; `holdConfig`
 * never answers it (the loading state); `path` is relative to the app.
 */
export async function showState(browser, appUrl, state) {
  const session = await openPage(browser, { width: 1280, height: HEIGHT, allow: state.allow ?? [] });
  const { page } = session;
  if (state.holdConfig) {
    await page.route('**/config.json', () => {});
  } else if (state.config || state.badConfig) {
    const config = typeof state.config === 'function' ? state.config(new URL(appUrl).origin) : state.config;
    const body = state.badConfig ?? JSON.stringify(config);
    await page.route('**/config.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
  }
  await page.goto(new URL(state.path ?? '', appUrl).href, { waitUntil: 'domcontentloaded' });
  if (!state.holdConfig) await page.locator('.app, .config-problem').first().waitFor();
  await state.reach(page);
  return session;
}

/** One test per state: reach it, sweep it, and no unexpected console or HTTP error. */
export function testStates(states, env) {
  for (const state of states) {
    test(`${state.name}: no axe violation, every control named, no overflow or overlap at ${WIDTHS.join(', ')} px, light and dark`, async () => {
      const { browser, server } = env();
      const { page, context, errors } = await showState(browser, server.url, state);
      try {
        await sweep(page, state.name, state);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
}
