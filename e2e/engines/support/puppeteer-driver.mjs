// Chromium (DevTools protocol) and Firefox ESR (WebDriver BiDi, no
// geckodriver) through puppeteer-core, both Debian's own builds. Each
// session is a browser context of its own (its own storage), as a fresh
// profile would be.
import { writeFile } from 'node:fs/promises';
import puppeteer from 'puppeteer-core';

const LAUNCH = {
  chromium: {
    browser: 'chrome',
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
  },
  firefox: {
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    // Autoplay of muted video is what the other engines do by default.
    extraPrefsFirefox: { 'media.autoplay.default': 0, 'browser.shell.checkDefaultBrowser': false },
  },
};

const KEYS = { Tab: 'Tab', Enter: 'Enter', Space: ' ', ShiftTab: ['Shift', 'Tab'] };

/** Starts the engine; `newSession()` opens a fresh context with one page. */
export async function startPuppeteer(name) {
  const browser = await puppeteer.launch({ ...LAUNCH[name], headless: true, protocolTimeout: 60_000 });
  const version = await browser.version();
  return {
    name,
    version,
    async newSession({ width = 1280, height = 900 } = {}) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport({ width, height });
      const native = [];
      page.on('console', (m) => {
        // With its URL: "Failed to load resource" alone does not say which.
        const url = m.location()?.url;
        if (m.type() === 'error') native.push(`console: ${m.text()}${url ? ` (${url})` : ''}`);
      });
      page.on('pageerror', (e) => native.push(`page error: ${e.message}`));
      return new PuppeteerSession(page, context, native);
    },
    close: () => browser.close(),
  };
}

class PuppeteerSession {
  constructor(page, context, native) {
    this.page = page;
    this.context = context;
    /** What the engine itself reported (console errors, page errors). */
    this.native = native;
  }

  async goto(url) {
    await this.page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  }

  async reload() {
    await this.page.reload({ waitUntil: 'load', timeout: 30_000 });
  }

  url() {
    return this.page.url();
  }

  /** Runs an expression (a promise's source) in the page; its JSON result. */
  run(expression) {
    return this.page.evaluate(expression);
  }

  async element(expression, what) {
    const handle = await this.page.evaluateHandle(expression);
    const element = handle.asElement();
    if (!element) {
      await handle.dispose();
      throw new Error(`no element: ${what}`);
    }
    return element;
  }

  async click(expression, what) {
    const element = await this.element(expression, what);
    try {
      await element.scrollIntoView();
      await element.click();
    } finally {
      await element.dispose();
    }
  }

  /** Replaces the field's text by typing `text`, as a person would. */
  async fill(expression, what, text) {
    const element = await this.element(expression, what);
    try {
      await element.focus();
      // Select what is there, so one Backspace clears it; a number field
      // has no selection, so its characters are deleted from the end.
      const left = await element.evaluate((el) => {
        if (el.value === '') return 0;
        try {
          el.select();
          if (el.selectionStart === 0 && el.selectionEnd === el.value.length) return -1;
        } catch {
          // no selection in this kind of field
        }
        return el.value.length;
      });
      if (left === -1) await this.page.keyboard.press('Backspace');
      if (left > 0) await this.page.keyboard.press('End');
      for (let i = 0; i < left; i++) await this.page.keyboard.press('Backspace');
      if (text !== '') await this.page.keyboard.type(text);
    } finally {
      await element.dispose();
    }
  }

  async setFiles(expression, what, paths) {
    const element = await this.element(expression, what);
    try {
      await element.uploadFile(...paths);
    } finally {
      await element.dispose();
    }
  }

  /** A key on whatever has focus: 'Tab', 'ShiftTab', 'Enter', 'Space'. */
  async press(key) {
    const keys = [KEYS[key] ?? key].flat();
    for (const k of keys) await this.page.keyboard.down(k);
    for (const k of keys.reverse()) await this.page.keyboard.up(k);
  }

  /** Types into whatever has focus. */
  async type(text) {
    await this.page.keyboard.type(text);
  }

  async screenshot(path) {
    await writeFile(path, await this.page.screenshot({ fullPage: true }));
  }

  async screenshotElement(expression, what, path) {
    const element = await this.element(expression, what);
    try {
      await element.scrollIntoView();
      await writeFile(path, await element.screenshot());
    } finally {
      await element.dispose();
    }
  }

  async close() {
    await this.context.close();
  }
}
