// One engine for the common-floor suite, chosen by E2E_ENGINE (chromium,
// firefox or webkit; chromium by default), behind one small interface:
// sessions (fresh profiles) whose pages are driven with real input
// (clicks, typing, Tab) and read with scripts that run the same in every
// engine. Every wait is on a state the page shows, with a deadline.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST, ROOT } from '../../support/harness.mjs';
import { pageHelpers } from './in-page.mjs';
import { startPuppeteer } from './puppeteer-driver.mjs';
import { startWebKit } from './webdriver-driver.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];
export const SCREENSHOTS = join(ROOT, 'target', 'e2e-screenshots', 'engines');

/** The engine this run drives. */
export function engineName() {
  const name = process.env.E2E_ENGINE ?? 'chromium';
  if (!ENGINES.includes(name)) throw new Error(`E2E_ENGINE must be one of ${ENGINES.join(', ')}, not "${name}"`);
  return name;
}

/** Starts the engine; `env` is the browser's environment (WebKit only). */
export async function startEngine(name = engineName(), { env } = {}) {
  const engine = name === 'webkit' ? await startWebKit({ env }) : await startPuppeteer(name);
  return {
    name,
    engine,
    /** A fresh profile with one page. */
    async open({ width, height } = {}) {
      return new EnginePage(name, await engine.newSession({ width, height }));
    },
    close: () => engine.close(),
  };
}

/**
 * dist/ as served to the suite: the release build unchanged, plus the guard
 * script first in <head> (guard.js) and a picture at e2e-media/ for URL
 * references on the studio's own origin (its policy allows 'self').
 * Returns the folder; `remove()` when done.
 */
export async function studioCopy(mediaFiles = {}) {
  await mkdir(join(ROOT, 'target'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, 'target', 'e2e-engines-dist-'));
  await cp(DIST, dir, { recursive: true });
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  if (!html.includes('<head>')) throw new Error('dist/index.html has no <head>: rebuild with trunk build --release');
  await writeFile(join(dir, 'index.html'), html.replace('<head>', '<head>\n    <script src="./e2e-guard.js"></script>'));
  // The precompressed copies would be the page without the guard.
  await rm(join(dir, 'index.html.br'), { force: true });
  await rm(join(dir, 'index.html.gz'), { force: true });
  await cp(fileURLToPath(new URL('./guard.js', import.meta.url)), join(dir, 'e2e-guard.js'));
  await mkdir(join(dir, 'e2e-media'));
  for (const [name, path] of Object.entries(mediaFiles)) await cp(path, join(dir, 'e2e-media', name));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Runs `attempt()`, and once more in a fresh browser if the browser died
 * under it (WebKitGTK's MiniBrowser did, once in CI, after a reload: "page
 * crash or hang"), printing why. A crash the app causes happens again and
 * fails; any other failure fails at once.
 */
export async function againIfTheBrowserDied(t, attempt) {
  try {
    await attempt();
  } catch (err) {
    if (!err.sessionGone) throw err;
    console.error(`the browser went away; the test runs once more in a fresh one.\n${err.message}`);
    t.diagnostic('the browser went away once; the test ran again in a fresh one');
    await attempt();
  }
}

/** The expression that runs `fn($, ...args)` in the page, `$` being pageHelpers(). */
function expression(fn, args) {
  return `(async () => { const $ = (${pageHelpers})(); return await (${fn})($, ...${JSON.stringify(args)}); })()`;
}

/** The element `target` names (see pageHelpers' `find`). */
const finder = (target) => expression(($, t) => $.find(t), [target]);

const describe = (target) => JSON.stringify(target);

class EnginePage {
  constructor(engine, session) {
    this.engine = engine;
    this.session = session;
  }

  goto(url) {
    return this.session.goto(url);
  }

  reload() {
    return this.session.reload();
  }

  url() {
    return this.session.url();
  }

  /** `fn($, ...args)` in the page; its (JSON) result. */
  run(fn, ...args) {
    return this.session.run(expression(fn, args));
  }

  /**
   * Waits until `fn($, ...args)` in the page is truthy (checked every 100
   * ms, up to `timeout`); its value. `what` names the state in the failure.
   */
  async until(what, fn, { args = [], timeout = 15_000 } = {}) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        const value = await this.run(fn, ...args);
        if (value) return value;
      } catch (err) {
        // A browser that has gone will not come back: say so now.
        if (err.sessionGone) {
          throw Object.assign(new Error(`${this.engine}: the browser went away waiting for ${what}: ${err.message}`), {
            sessionGone: true,
          });
        }
        last = err;
      }
      if (Date.now() > deadline) {
        const detail = last ? ` (last error: ${last.message})` : '';
        throw new Error(`${this.engine}: timed out after ${timeout} ms waiting for ${what}${detail}`);
      }
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }

  /** Waits until `text` shows, in `scope` (CSS) or anywhere. */
  untilText(text, { in: scope, timeout } = {}) {
    return this.until(`"${text}"${scope ? ` in ${scope}` : ''}`, ($, t, s) => $.hasText(t, s ?? undefined), {
      args: [text, scope ?? null],
      timeout,
    });
  }

  /** Waits until `target` shows. */
  untilShown(target, { timeout } = {}) {
    return this.until(`${describe(target)} to show`, ($, t) => Boolean($.find(t)), { args: [target], timeout });
  }

  async click(target) {
    await this.untilShown(target);
    await this.session.click(finder(target), describe(target));
  }

  fill(target, text) {
    return this.session.fill(finder(target), describe(target), text);
  }

  setFiles(target, paths) {
    return this.session.setFiles(finder(target), describe(target), paths);
  }

  /** 'Tab', 'ShiftTab', 'Enter' or 'Space' on whatever has focus. */
  press(key) {
    return this.session.press(key);
  }

  type(text) {
    return this.session.type(text);
  }

  /** Every console error, page error, failed load and CSP violation so far. */
  async problems() {
    const seen = await this.run(() => window.__e2eProblems ?? ['the guard script did not run']);
    return [...this.session.native, ...seen];
  }

  /** A screenshot of the page, or of just `target` when given. */
  async screenshot(name, target) {
    await mkdir(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `${name}-${this.engine}.png`);
    if (target) await this.session.screenshotElement(finder(target), describe(target), path);
    else await this.session.screenshot(path);
    return path;
  }

  close() {
    return this.session.close();
  }
}
