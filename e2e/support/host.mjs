// Pages on other origins for the embedding tests: the documented example
// host page (docs/embed-example.html) pointed at a test studio, and a plain
// static copy of dist/ with its own config.json (a host that sends no
// headers, like GitHub Pages).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { ROOT, DIST } from './harness.mjs';

/** The address the example page ships with; tests replace it. */
const EXAMPLE_STUDIO = 'https://studio.example.com/tools/r2v/';

async function listen(handler) {
  const server = createServer(handler);
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * A host page origin. `/host.html` is docs/embed-example.html embedding the
 * studio at `studioUrl` (ending in `/`), or the address set later with
 * `pointAt`; `/helper.html` is an empty page of the same origin.
 */
export async function startHost(studioUrl) {
  let studio = studioUrl;
  const example = await readFile(join(ROOT, 'docs', 'embed-example.html'), 'utf8');
  if (!example.includes(`'${EXAMPLE_STUDIO}?embed=1'`)) {
    throw new Error(`docs/embed-example.html no longer sets STUDIO_URL to ${EXAMPLE_STUDIO}?embed=1`);
  }
  const host = await listen((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/host.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(example.replaceAll(EXAMPLE_STUDIO, studio));
    } else if (path === '/favicon.ico') {
      res.writeHead(204).end();
    } else if (path === '/helper.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><title>helper</title><p>A page of the host site.</p>');
    } else {
      res.writeHead(404).end();
    }
  });
  return {
    ...host,
    url: `${host.origin}/host.html`,
    pointAt(url) {
      studio = url;
    },
  };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

/** dist/ at the root of its own origin with `config` as config.json, and no headers beyond the type. */
export async function startStaticStudio(config) {
  const site = await listen(async (req, res) => {
    let path = new URL(req.url, 'http://x').pathname;
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(config));
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = join(DIST, normalize(path).replace(/^(\.\.[/\\])+/, ''));
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  return { ...site, url: `${site.origin}/` };
}
