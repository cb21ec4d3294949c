// Starts the real `wan-r2v-server` for e2e tests: the built app from dist/,
// the fal proxy, and (by default) the fal simulator with its control API and
// request journal. See server/README.md for the control API and fault rules.
//
//   const server = await startServer({ args: ['--sim-queue', '500ms'] });
//   await page.goto(server.url);
//   await server.control({ faults: [{ route: 'status', kind: 'http', status: 429, retry_after: 1, times: 1 }] });
//   const entries = await server.journal();
//   await server.stop();
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, after } from 'node:test';
import { ROOT, DIST, launchBrowser } from './harness.mjs';

/** The binary scripts/test builds (`cargo build -p wan-r2v-server`). */
export const SERVER_BIN =
  process.env.WAN_R2V_SERVER_BIN ?? join(ROOT, 'target', 'debug', 'wan-r2v-server');

const STDERR_LIMIT = 1 << 20;
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Spawns the server on a free loopback port and waits until it listens.
 *
 * @param {object} [options]
 * @param {boolean} [options.simulate=true] answer fal calls in-process
 * @param {string[]} [options.args] more flags, e.g. ['--sim-run', '1s']
 * @param {object} [options.appConfig] a config.json to serve instead of the generated one
 * @param {object} [options.env] extra environment (FAL_KEY is removed in simulation unless given here)
 * @param {string} [options.dist] the built app (default: dist/)
 * @returns {Promise<{url: string, origin: string, control: (body: object) => Promise<object>,
 *   state: () => Promise<object>, journal: () => Promise<object[]>, clearJournal: () => Promise<void>,
 *   logs: () => string, stop: () => Promise<void>}>}
 */
export async function startServer({ simulate = true, args = [], appConfig, env = {}, dist = DIST } = {}) {
  if (!existsSync(SERVER_BIN)) {
    throw new Error(`${SERVER_BIN} is missing: build it with \`cargo build -p wan-r2v-server\``);
  }
  const argv = ['--address', '127.0.0.1', '--port', '0', '--dist', dist];
  if (simulate) argv.push('--simulate');
  let configDir;
  if (appConfig !== undefined) {
    configDir = await mkdtemp(join(tmpdir(), 'wan-r2v-config-'));
    const file = join(configDir, 'config.json');
    await writeFile(file, typeof appConfig === 'string' ? appConfig : JSON.stringify(appConfig));
    argv.push('--app-config', file);
  }
  argv.push(...args);
  const childEnv = { ...process.env, ...env };
  if (simulate && !('FAL_KEY' in env)) delete childEnv.FAL_KEY;
  delete childEnv.WAN_R2V_UPSTREAM_OVERRIDE;

  const child = spawn(SERVER_BIN, argv, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    if (stderr.length < STDERR_LIMIT) stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));

  let origin;
  try {
    origin = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`wan-r2v-server did not start within 15 s:\n${stderr}`)), 15_000);
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = out.match(/^listening on (http:\/\/[^\s/]+)\/?$/m);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`wan-r2v-server exited (${code}) before listening:\n${stderr}`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    running.delete(child);
    throw err;
  }

  async function request(method, path, body) {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  return {
    /** The app's URL (ends with `/`). */
    url: `${origin}/`,
    /** `http://127.0.0.1:PORT`, for `/sim/...` and `/api/fal/proxy`. */
    origin,
    /** POST /sim/control (faults, timings, complete, expire, reset); resolves to the state. */
    control: (body) => request('POST', '/sim/control', body),
    /** GET /sim/control: timings, active faults, jobs. */
    state: () => request('GET', '/sim/control'),
    /** GET /sim/journal: every call the app made to the simulator, oldest first. */
    journal: () => request('GET', '/sim/journal'),
    clearJournal: () => request('DELETE', '/sim/journal'),
    /** The journal's submits, every one sent (answered or not), oldest first. */
    submits: async () => (await request('GET', '/sim/journal')).filter((e) => e.route === 'submit'),
    /** The server's log output so far (never contains keys). */
    logs: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(child);
      if (configDir) await rm(configDir, { recursive: true, force: true });
    },
  };
}

/**
 * The usual frame of an e2e file: one headless Chromium and one simulating
 * server for all its tests, started before the first and stopped after the
 * last. `use(browser, server)` hands them to the file.
 */
export function useSimulatorAndBrowser(args, use) {
  let browser;
  let server;
  before(async () => {
    browser = await launchBrowser();
    server = await startServer({ simulate: true, args });
    use(browser, server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}
