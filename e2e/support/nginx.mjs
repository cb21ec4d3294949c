// Runs Debian's nginx on loopback with the project's own deployment file
// (docs/deploy/nginx.conf), serving a copy of dist/ from a temporary folder,
// for e2e tests of the static deployment.
//
//   const site = await startNginx({ subPath: '/tools/r2v/', proxyOrigin, extraOrigins, config });
//   await page.goto(site.url);           // http://127.0.0.1:PORT/tools/r2v/
//   await site.stop();
import { spawn } from 'node:child_process';
import { cp, mkdtemp, mkdir, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, DIST, freePort } from './harness.mjs';

/** Debian's binary (scripts/lib/tools.sh `ensure_nginx` installs it). */
export const NGINX_BIN = process.env.NGINX ?? '/usr/sbin/nginx';
/** The documented deployment file the tests run. */
export const NGINX_CONF = join(ROOT, 'docs', 'deploy', 'nginx.conf');
const DOC_SUB_PATH = '/tools/r2v/';

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Replaces `from` with `to` in `text`, failing loudly if the documented file changed shape. */
function replaceExactly(text, from, to, times = 1) {
  const found = text.split(from).length - 1;
  if (found !== times) {
    throw new Error(`docs/deploy/nginx.conf: expected ${times} × ${JSON.stringify(from)}, found ${found}`);
  }
  return text.split(from).join(to);
}

/**
 * The documented server block, adapted for a test: loopback port, the
 * temporary root, wan-r2v-server's port for the proxy, `subPath` for the
 * documented /tools/r2v/, and `extraOrigins` (the local simulator, standing
 * in for fal's hosts and CDN) added to connect-src and media-src.
 */
export function adaptSiteConfig(text, { port, root, subPath, proxyOrigin, extraOrigins = [] }) {
  let conf = replaceExactly(text, 'listen 80;', `listen 127.0.0.1:${port};`);
  conf = replaceExactly(conf, 'root /srv/www;', `root ${root};`);
  if (proxyOrigin) {
    conf = replaceExactly(conf, 'proxy_pass http://127.0.0.1:8080/', `proxy_pass ${proxyOrigin}/`);
  }
  if (extraOrigins.length) {
    const extra = extraOrigins.join(' ');
    conf = replaceExactly(conf, "media-src 'self' blob: https:;", `media-src 'self' blob: https: ${extra};`);
    conf = replaceExactly(conf, "connect-src 'self' ", `connect-src 'self' ${extra} `);
  }
  if (subPath !== DOC_SUB_PATH) {
    const occurrences = text.split(DOC_SUB_PATH).length - 1;
    conf = replaceExactly(conf, DOC_SUB_PATH, subPath, occurrences);
  }
  return conf;
}

/**
 * Copies dist/ (unchanged) to `<temp root><subPath>`, writes `config` there
 * as config.json if given, and starts nginx in the foreground on loopback.
 * `confFile` is another documented server block (default nginx.conf);
 * `replacements` are further `[from, to]` edits, each found exactly once.
 *
 * @returns {Promise<{url: string, origin: string, conf: string, stop: () => Promise<void>}>}
 */
export async function startNginx({
  subPath = DOC_SUB_PATH,
  proxyOrigin,
  extraOrigins,
  config,
  dist = DIST,
  confFile = NGINX_CONF,
  replacements = [],
} = {}) {
  if (!existsSync(NGINX_BIN)) {
    throw new Error(`${NGINX_BIN} is missing: install Debian's nginx (scripts/lib/tools.sh ensure_nginx)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'wan-r2v-nginx-'));
  // nginx's workers may run as another user: let them read the site.
  await chmod(dir, 0o755);
  const root = join(dir, 'www');
  const site = join(root, ...subPath.split('/').filter(Boolean));
  await mkdir(site, { recursive: true });
  await cp(dist, site, { recursive: true });
  if (config !== undefined) await writeFile(join(site, 'config.json'), JSON.stringify(config));

  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let siteConf = adaptSiteConfig(await readFile(confFile, 'utf8'), {
      port,
      root,
      subPath,
      proxyOrigin,
      extraOrigins,
    });
    for (const [from, to] of replacements) siteConf = replaceExactly(siteConf, from, to);
    await writeFile(join(dir, 'site.conf'), siteConf);
    await writeFile(
      join(dir, 'nginx.conf'),
      [
        'worker_processes 1;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'error.log')} warn;`,
        'events { worker_connections 256; }',
        'http {',
        '  include /etc/nginx/mime.types;',
        '  default_type application/octet-stream;',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (kind) => `  ${kind}_temp_path ${join(dir, `${kind}-temp`)};`,
        ),
        `  include ${join(dir, 'site.conf')};`,
        '}',
        '',
      ].join('\n'),
    );
    const child = spawn(NGINX_BIN, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    running.add(child);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const origin = `http://127.0.0.1:${port}`;
    try {
      await waitUntilServing(`${origin}${subPath}`, child, () => stderr);
    } catch (err) {
      child.kill('SIGKILL');
      running.delete(child);
      lastError = err;
      continue;
    }
    return {
      url: `${origin}${subPath}`,
      origin,
      conf: siteConf,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGQUIT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
          await exited;
          clearTimeout(timer);
        }
        running.delete(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function waitUntilServing(url, child, stderr) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}):\n${stderr()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`nginx did not serve ${url} within 10 s:\n${stderr()}`);
}
