// WebKitGTK (the engine of Safari) through Debian's WebKitWebDriver, spoken
// to in plain W3C WebDriver over HTTP. WebKitGTK has no headless mode and
// a session request without a display never answers, so the driver runs
// under xvfb-run with a screen large enough for the widest layout.
// Every request here has a deadline: a hung engine fails the test, it
// does not hang it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { freePort } from '../../support/harness.mjs';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
/** Debian's WebKitGTK browser for automation, in the machine's multiarch folder. */
function miniBrowser() {
  if (process.env.WEBKIT_MINIBROWSER) return process.env.WEBKIT_MINIBROWSER;
  for (const arch of readdirSync('/usr/lib').filter((name) => name.endsWith('-linux-gnu'))) {
    for (const api of ['webkit2gtk-4.1', 'webkitgtk-6.0', 'webkit2gtk-4.0']) {
      const path = `/usr/lib/${arch}/${api}/MiniBrowser`;
      if (existsSync(path)) return path;
    }
  }
  throw new Error('no WebKitGTK MiniBrowser under /usr/lib/*-linux-gnu/: install webkit2gtk-driver (scripts/lib/tools.sh)');
}
const KEYS = { Tab: ['\uE004'], Enter: ['\uE007'], Space: [' '], ShiftTab: ['\uE008', '\uE004'] };

async function call(url, method, body, ms = 60_000) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(ms),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || answer.value?.error) {
    throw new Error(`WebDriver ${method} ${new URL(url).pathname}: ${answer.value?.error} ${answer.value?.message ?? response.status}`);
  }
  return answer.value;
}

/** Kills every driver still running when the test process exits. */
const running = new Set();
process.on('exit', () => {
  for (const kill of running) kill('SIGKILL');
});

/**
 * Starts WebKitWebDriver under its own Xvfb; resolves to its base URL and a
 * stop function. `env` reaches the browser too.
 */
async function startDriver(env) {
  const port = await freePort();
  const child = spawn(
    'xvfb-run',
    ['--auto-servernum', '--server-args=-screen 0 1920x1200x24', 'WebKitWebDriver', `--port=${port}`],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-65_536);
  });
  const exited = new Promise((ok) => child.once('exit', ok));
  // The whole group: xvfb-run, Xvfb, the driver and its browser.
  const kill = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  running.add(kill);
  child.once('exit', () => running.delete(kill));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await call(`${base}/status`, 'GET', undefined, 2_000);
      break;
    } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) {
        kill('SIGKILL');
        throw new Error(`WebKitWebDriver did not start: ${err.message}\n${stderr}`);
      }
      await new Promise((ok) => setTimeout(ok, 200));
    }
  }
  const stop = async () => {
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  };
  /**
   * Kills the driver's web process (the page's), as a crash would: the
   * harness's own test (browser-death.test.mjs) needs a real one.
   */
  const crashPage = () =>
    execFileSync('pkill', ['-KILL', '--pgroup', String(child.pid), '--full', '/WebKitWebProcess( |$)']);
  return { base, stop, said: () => stderr.trim(), crashPage };
}

/**
 * WebKit as an engine. WebKitWebDriver serves one session at a time, so
 * each session (a fresh profile) gets a driver and display of its own, and
 * two can be open at once (a share link opened beside the studio).
 * `env` reaches the browser too (the media-error test takes the H.264
 * decoder out of GStreamer's choice this way).
 */
export async function startWebKit({ env = {} } = {}) {
  const open = new Set();
  return {
    name: 'webkit',
    version: null,
    async newSession({ width = 1280, height = 900 } = {}) {
      const driver = await startDriver(env);
      try {
        const created = await call(`${driver.base}/session`, 'POST', {
          capabilities: {
            alwaysMatch: {
              'webkitgtk:browserOptions': { binary: miniBrowser(), args: ['--automation'] },
              timeouts: { script: 60_000, pageLoad: 30_000, implicit: 0 },
            },
          },
        });
        this.version = created.capabilities.browserVersion;
        const session = new WebDriverSession(`${driver.base}/session/${created.sessionId}`, driver, () => open.delete(session));
        open.add(session);
        await session.command('POST', '/window/rect', { width, height });
        return session;
      } catch (err) {
        await driver.stop();
        throw err;
      }
    },
    async close() {
      await Promise.all([...open].map((session) => session.close()));
    },
  };
}

class WebDriverSession {
  constructor(url, driver, closed) {
    this.url_ = url;
    this.driver = driver;
    this.closed = closed;
    /** WebKit's WebDriver reports no console or page errors; the guard script does. */
    this.native = [];
  }

  /**
   * One command. A session that has gone (the browser or its web process
   * died) fails with what the driver and the browser printed, so the
   * failure says why instead of only "invalid session id".
   */
  async command(method, path, body, ms) {
    try {
      return await call(`${this.url_}${path}`, method, body, ms);
    } catch (err) {
      if (await this.gone(err)) {
        err.sessionGone = true;
        // The browser's last words may reach its stderr a moment after
        // the driver has answered.
        await new Promise((ok) => setTimeout(ok, 250));
        const said = this.driver.said();
        if (said) err.message += `\nWebKitWebDriver and MiniBrowser said:\n${said.slice(-4_000)}`;
      }
      throw err;
    }
  }

  /**
   * Whether the session died with `err`: the driver says so, or (for the
   * command that was under way when the browser died, answered "unknown
   * error") says so when asked again.
   */
  async gone(err) {
    if (/invalid session id/.test(err.message)) return true;
    try {
      await call(`${this.url_}/url`, 'GET', undefined, 5_000);
      return false;
    } catch (probe) {
      return /invalid session id/.test(probe.message);
    }
  }

  async goto(url) {
    await this.command('POST', '/url', { url });
  }

  async reload() {
    await this.command('POST', '/refresh', {});
  }

  url() {
    return this.command('GET', '/url');
  }

  /** Runs an expression (a promise's source) in the page; its JSON result. */
  async run(expression) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => ${expression}).then((value) => done({ value }), (e) => done({ error: String(e && e.stack || e) }));`;
    const answer = await this.command('POST', '/execute/async', { script, args: [] });
    if (answer?.error) throw new Error(answer.error);
    return answer?.value;
  }

  async element(expression, what) {
    const found = await this.run(expression);
    const id = found?.[ELEMENT];
    if (!id) throw new Error(`no element: ${what}`);
    return id;
  }

  async click(expression, what) {
    const id = await this.element(expression, what);
    // Brought to the middle of the screen first, as a person would look at
    // it (and as puppeteer does in the other engines): WebKit's WebDriver
    // scrolls an element only to the bottom edge, ignoring the page's
    // scroll-padding, so the sticky Generate bar would cover it.
    await this.command('POST', '/execute/sync', {
      script: "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
      args: [{ [ELEMENT]: id }],
    });
    await this.command('POST', `/element/${id}/click`, {});
  }

  /** Replaces the field's text by typing `text`, as a person would. */
  async fill(expression, what, text) {
    const id = await this.element(expression, what);
    await this.command('POST', `/element/${id}/clear`, {});
    if (text !== '') await this.command('POST', `/element/${id}/value`, { text });
  }

  async setFiles(expression, what, paths) {
    const id = await this.element(expression, what);
    await this.command('POST', `/element/${id}/value`, { text: paths.join('\n') });
  }

  /** Presses `chords` one after another; the keys of a chord held together. */
  async keys(chords) {
    const actions = chords.flatMap((chord) => [
      ...chord.map((value) => ({ type: 'keyDown', value })),
      ...[...chord].reverse().map((value) => ({ type: 'keyUp', value })),
    ]);
    await this.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.command('DELETE', '/actions');
  }

  /** A key on whatever has focus: 'Tab', 'ShiftTab', 'Enter', 'Space'. */
  async press(key) {
    await this.keys([KEYS[key] ?? [key]]);
  }

  /** Types into whatever has focus. */
  async type(text) {
    await this.keys([...text].map((char) => [char]));
  }

  async screenshot(path) {
    await writeFile(path, Buffer.from(await this.command('GET', '/screenshot'), 'base64'));
  }

  /**
   * The viewport with the element scrolled to its top: WebKitGTK's own
   * element screenshot comes out black under Xvfb.
   */
  async screenshotElement(expression, what, path) {
    const shown = await this.run(`(${expression}).then((el) => el && new Promise((ok) => {
      el.scrollIntoView({ block: 'start' });
      requestAnimationFrame(() => requestAnimationFrame(() => ok(true)));
    }))`);
    if (!shown) throw new Error(`no element: ${what}`);
    await this.screenshot(path);
  }

  /** Crashes the page's process (for the harness's own test). */
  crashPage() {
    this.driver.crashPage();
  }

  async close() {
    await this.command('DELETE', '', undefined, 15_000).catch(() => {});
    this.closed();
    await this.driver.stop();
  }
}
