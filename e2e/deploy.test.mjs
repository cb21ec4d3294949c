// The release build deployed the documented ways, with no
// Content-Security-Policy violation:
// - behind Debian's nginx with docs/deploy/nginx.conf, from a sub-path and
//   from the root, with wan-r2v-server's proxy beside it: a simulated job
//   runs to a playing video;
// - Netlify-style, with the headers of docs/deploy/netlify/_headers;
// - GitHub Pages-style: no headers, the policy put in by scripts/add-csp-meta.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT, DIST, openPage, screenshot } from './support/harness.mjs';
import { generate, expectResult, expectPlayingVideo } from './support/studio.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';
import { startNginx } from './support/nginx.mjs';
import { watchViolations, violations, policyHeader } from './support/csp.mjs';

const run = promisify(execFile);

let browser;
let server;

useSimulatorAndBrowser(['--sim-queue', '400ms', '--sim-queue-position', '1', '--sim-run', '900ms', '--sim-log-interval', '200ms'], (b, s) => {
  browser = b;
  server = s;
});

/** The config.json a deployer behind nginx with wan-r2v-server's proxy writes. */
const PROXY_CONFIG = { proxy_url: './api/fal/proxy', allow_user_key: false, simulated: true };

async function openWithWatch(options = {}) {
  const session = await openPage(browser, options);
  await watchViolations(session.context);
  return session;
}

/** Fails if index.html has a <script> with inline code (anything but src=). */
function assertNoInlineScript(html) {
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(
    ([, attrs, body]) => !/\bsrc=/.test(attrs) || body.trim() !== '',
  );
  assert.deepEqual(inline.map(([tag]) => tag), [], 'index.html must have no inline script');
}

/** No violation and no error so far; then the policy is shown to be enforced. */
async function assertCleanAndEnforced(page, errors) {
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await assertInlineScriptRefused(page);
}

/** Proves the policy is enforced (and the listener works): an injected inline script is refused. */
async function assertInlineScriptRefused(page) {
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true;';
    document.head.append(script);
    await new Promise((ok) => setTimeout(ok, 100));
    return window.__inlineRan === true;
  });
  assert.equal(ran, false, 'the inline script must not run');
  const seen = await violations(page);
  assert.equal(seen.length, 1, seen.join('\n'));
  assert.match(seen[0], /^script-src-elem blocked \(inline\)|^script-src-elem blocked inline/);
}

for (const subPath of ['/tools/r2v/', '/']) {
  test(`behind nginx from ${subPath}: the documented config serves dist/ unchanged and a job runs with no CSP violation`, async () => {
    const site = await startNginx({
      subPath,
      proxyOrigin: server.origin,
      // The simulator stands in for fal's hosts: its videos come from its own origin.
      extraOrigins: [server.origin],
      config: PROXY_CONFIG,
    });
    await server.clearJournal();
    // The simulator's 404 for config-less paths is not provoked here; any error fails.
    const { page, context, errors } = await openWithWatch({ width: 1280, height: 900 });
    try {
      const response = await page.goto(site.url);
      const policy = await policyHeader(response);
      assert.match(policy, /script-src 'self' 'wasm-unsafe-eval';/);
      assert.doesNotMatch(policy, /unsafe-inline|'unsafe-eval'/);
      assert.match(policy, /frame-ancestors 'self'$/);
      assert.equal(response.headers()['cache-control'], 'no-cache');
      const html = await response.text();
      assertNoInlineScript(html);

      // Hashed files cached for a year, the wasm with its MIME type, config.json revalidated.
      const wasmName = html.match(/<meta name="wan-r2v-app-wasm" content="\.\/([^"]+)"/)[1];
      const wasm = await fetch(new URL(wasmName, site.url));
      assert.equal(wasm.headers.get('content-type'), 'application/wasm');
      assert.equal(wasm.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      // So is a part loaded on demand (scripts/split-wasm.mjs), by its content hash.
      const part = (await readdir(DIST)).find((name) => /^wan-r2v-studio-part-jobs-[0-9a-f]{16}\.wasm$/.test(name));
      assert.ok(part, 'dist/ has no jobs part');
      const partAnswer = await fetch(new URL(part, site.url));
      assert.equal(partAnswer.headers.get('content-type'), 'application/wasm');
      assert.equal(partAnswer.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const config = await fetch(new URL('config.json', site.url));
      assert.equal(config.headers.get('cache-control'), 'no-cache');
      assert.equal((await fetch(new URL('no-such-file.wasm', site.url))).status, 404);

      await page.getByRole('heading', { name: 'Request' }).waitFor();
      await page.getByText('Simulated fal: no real videos, no cost').waitFor();
      await generate(page, 'A paper boat sails down a rainy street');
      await expectResult(page, { timeout: 30_000 });
      const src = await expectPlayingVideo(page);
      assert.ok(src.startsWith(`${server.origin}/sim/files/`), src);
      await screenshot(page, `deploy-nginx-${subPath === '/' ? 'root' : 'subpath'}`);

      // Every fal call went through nginx to the proxy; one submit.
      const journal = await server.journal();
      const calls = journal.filter((e) => e.route !== 'file');
      assert.ok(calls.length >= 3, JSON.stringify(calls));
      assert.ok(calls.every((e) => e.via === 'proxy'), JSON.stringify(calls));
      assert.equal(calls.filter((e) => e.route === 'submit').length, 1);

      await assertCleanAndEnforced(page, errors);
    } finally {
      await context.close();
      await site.stop();
    }
  });
}

/** A static host: `dir` under `prefix`, with `headers` on every answer and no fallback. */
async function serveFolder(dir, prefix, headers = {}) {
  const types = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.wasm': 'application/wasm',
    '.svg': 'image/svg+xml',
    '.json': 'application/json',
  };
  const host = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) return res.writeHead(404).end();
    path = normalize(path.slice(prefix.length) || 'index.html').replace(/^(\.\.[/\\])+/, '');
    if (path.endsWith('/')) path += 'index.html';
    const file = join(dir, path);
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404, headers).end('not found');
    }
  });
  await new Promise((ok) => host.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${host.address().port}${prefix}`,
    close: () => new Promise((ok) => host.close(ok)),
  };
}

/** The headers Netlify would send for `/*`, read from the documented file. */
async function netlifyHeaders() {
  const text = await readFile(join(ROOT, 'docs', 'deploy', 'netlify', '_headers'), 'utf8');
  const headers = {};
  let inAll = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      inAll = line.trim() === '/*';
      continue;
    }
    if (inAll) {
      const [name, ...value] = line.trim().split(':');
      headers[name.toLowerCase()] = value.join(':').trim();
    }
  }
  return headers;
}

test('Netlify-style: dist/ from a sub-path with the documented _headers runs with no CSP violation', async () => {
  const headers = await netlifyHeaders();
  assert.match(headers['content-security-policy'], /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval';/);
  const site = await serveFolder(DIST, '/tools/r2v/', headers);
  const { page, context, errors } = await openWithWatch({ width: 375, height: 812, allow: [/http 404: .*\/config\.json$/, /status of 404/] });
  try {
    const response = await page.goto(site.url);
    assert.equal(await policyHeader(response), headers['content-security-policy']);
    await page.getByRole('heading', { name: 'Request' }).waitFor();
    // The form's live parts (counters, cost, API view) have rendered.
    await page.getByLabel('Prompt', { exact: true }).fill('A kite over the sea');
    await page.getByText(/\$\d+\.\d\d/).first().waitFor();
    await assertCleanAndEnforced(page, errors);
  } finally {
    await context.close();
    await site.close();
  }
});

test('GitHub Pages-style: no headers, scripts/add-csp-meta puts the documented policy first in <head>', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wan-r2v-pages-'));
  try {
    await cp(DIST, dir, { recursive: true });
    await run(join(ROOT, 'scripts', 'add-csp-meta'), [dir]);
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    assertNoInlineScript(html);
    const documented = (await readFile(join(ROOT, 'docs', 'deploying.md'), 'utf8')).match(
      /<meta http-equiv="Content-Security-Policy" content="[^"]+">/,
    )[0];
    assert.match(html, new RegExp(`<head>\\s*${documented.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const site = await serveFolder(dir, '/repo/');
    const { page, context, errors } = await openWithWatch({ allow: [/http 404: .*\/config\.json$/, /status of 404/] });
    try {
      const response = await page.goto(site.url);
      assert.equal(await policyHeader(response), null, 'GitHub Pages sends no policy header');
      await page.getByRole('heading', { name: 'Request' }).waitFor();
      await page.getByLabel('Prompt', { exact: true }).fill('A kite over the sea');
      await assertCleanAndEnforced(page, errors);
    } finally {
      await context.close();
      await site.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
