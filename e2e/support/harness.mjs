// Shared e2e plumbing: a static server for dist/, headless Debian Chromium,
// a record of console and page errors, and screenshots.
import { createServer } from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = join(ROOT, 'dist');
export const SCREENSHOTS = join(ROOT, 'target', 'e2e-screenshots');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Serves dist/ under `prefix` (e.g. "/" or "/tools/r2v/") on a free loopback
 * port, with an SPA fallback to index.html, so the relative public URL is
 * exercised the way a static host would.
 */
export async function serveDist(prefix = '/') {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end('not found');
      return;
    }
    const rel = normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, '');
    let file = join(DIST, rel);
    try {
      if (!(await stat(file)).isFile()) file = join(DIST, 'index.html');
    } catch {
      file = join(DIST, 'index.html');
    }
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

/** A loopback port that was free a moment ago, for a program that cannot be given port 0. */
export async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/**
 * Opens a page that records every console error, uncaught page error and
 * HTTP error response, so a test can assert the app ran cleanly (a broken
 * wasm-opt shows up only here). `allow` lists RegExps for messages a test
 * provokes on purpose (say, a simulated 429); they are not recorded.
 */
export async function openPage(
  browser,
  { width = 1280, height = 800, colorScheme = 'light', allow = [] } = {},
) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  const errors = [];
  const record = (message) => {
    if (!allow.some((pattern) => pattern.test(message))) errors.push(message);
  };
  page.on('console', (msg) => {
    if (msg.type() === 'error') record(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => record(`pageerror: ${err.message}`));
  // The console says only "404"; name the URL so a failure is actionable.
  page.on('response', (res) => {
    if (res.status() >= 400) record(`http ${res.status()}: ${res.url()}`);
  });
  return { page, context, errors };
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
