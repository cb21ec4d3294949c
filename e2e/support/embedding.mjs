// The frame of the embedding e2e files: one browser, the studio (the real
// wan-r2v-server simulating fal, its config.json listing the host pages'
// origins) and host pages on other origins, each the documented example
// page (docs/embed-example.html); and what a host page hears from the
// studio.
import { before, after, beforeEach } from 'node:test';
import { launchBrowser, openPage } from './harness.mjs';
import { startServer } from './server.mjs';
import { startHost } from './host.mjs';
import { watchViolations } from './csp.mjs';

/**
 * Before the file's first test: a browser, `hosts` host pages (each
 * pointed at the studio), and the studio with the simulator's `args` and
 * the config.json `appConfig(origins)` makes of the host pages' origins.
 * The simulator is reset before each test; all stop after the last.
 * `use({ browser, hosts, studio })` hands them to the file.
 */
export function useEmbeddedStudio({ args, appConfig, hosts = 1 }, use) {
  const env = { browser: undefined, hosts: [], studio: undefined };
  before(async () => {
    env.browser = await launchBrowser();
    for (let i = 0; i < hosts; i += 1) env.hosts.push(await startHost('about:blank'));
    env.studio = await startServer({ simulate: true, args, appConfig: appConfig(env.hosts.map((h) => h.origin)) });
    for (const host of env.hosts) host.pointAt(env.studio.url);
    use(env);
  });
  after(async () => {
    await env.browser?.close();
    await env.studio?.stop();
    for (const host of env.hosts) await host.close();
  });
  beforeEach(async () => {
    await env.studio.control({ reset: true });
  });
}

/**
 * Opens the example host page of `site` in a fresh profile. The top page
 * records every message it receives (`window.allMessages`, beside the
 * example page's own `window.studioEvents`), and every page and frame its
 * Content-Security-Policy violations (support/csp.mjs).
 */
export async function openHost(browser, site, { width = 1280, height = 1500, allow = [] } = {}) {
  const session = await openPage(browser, { width, height, allow });
  await watchViolations(session.context);
  await session.context.addInitScript(() => {
    if (window.top !== window) return;
    window.allMessages = [];
    window.addEventListener('message', (e) => {
      let text;
      try {
        text = JSON.stringify(e.data);
      } catch {
        text = String(e.data);
      }
      window.allMessages.push({ origin: e.origin, text });
    });
  });
  await session.page.goto(site.url);
  return session;
}

/** Waits for the studio's event of `type` whose fields equal `match`, and returns it. */
export async function eventOf(page, type, match = {}, timeout = 20_000) {
  try {
    const handle = await page.waitForFunction(
      ({ type, match }) =>
        window.studioEvents.find((e) => e.type === type && Object.entries(match).every(([k, v]) => e[k] === v)),
      { type, match },
      { timeout },
    );
    return await handle.jsonValue();
  } catch (err) {
    const seen = await page.evaluate(() => window.studioEvents).catch(() => 'unreadable');
    throw new Error(`no ${type} event matching ${JSON.stringify(match)}; the studio sent:\n${JSON.stringify(seen, null, 1)}`, {
      cause: err,
    });
  }
}

/**
 * Posts the command `type` with `id` and `fields` from the host page to the
 * studio's frame, as a host's own script would, for `origin` (the studio's).
 */
export async function sendCommand(page, origin, type, id, fields = {}) {
  await page.evaluate(
    ({ origin, message }) => document.getElementById('studio').contentWindow.postMessage(message, origin),
    { origin, message: { protocol: 'wan-r2v-studio', version: 1, type, id, ...fields } },
  );
}

/** The studio's frame in the host page. */
export const studioFrame = (page) => page.frameLocator('#studio');
