// The harness's own test: what the engine tests do when WebKit's page dies
// under them, as it did once in CI ("session deleted because of page crash
// or hang" after a reload). The page's process is killed for real
// (support/webdriver-driver.mjs, crashPage). A wait fails at once, not
// after its whole timeout, and says what the browser printed; the command
// under way when the page died is known as a death too; a test whose page
// died runs once more in a fresh browser, and only once. Runs in WebKit
// whatever E2E_ENGINE says: the other engines' tests never retry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { againIfTheBrowserDied, startEngine } from './support/engine.mjs';

const PAGE = 'data:text/html,<title>a page</title><p>a page</p>';
const CRASHED = /WebProcess CRASHED/;

let browser;

before(async () => {
  browser = await startEngine('webkit');
});
after(async () => {
  await browser?.close();
});

/** A fresh browser on PAGE. */
async function openPage() {
  const page = await browser.open();
  await page.goto(PAGE);
  return page;
}

/** Opens a page, kills its process, and waits on it: the failure that gives. */
async function deathUnderAWait() {
  const page = await openPage();
  try {
    page.session.crashPage();
    return await page.until('something that never shows', () => false, { timeout: 30_000 }).then(
      () => assert.fail('a dead page answered'),
      (err) => err,
    );
  } finally {
    await page.close();
  }
}

test('webkit: a page that dies under a wait fails it at once, with what the browser printed', async () => {
  const err = await deathUnderAWait();
  assert.equal(err.sessionGone, true, err.message);
  assert.match(err.message, /the browser went away waiting for something that never shows/);
  assert.doesNotMatch(err.message, /timed out/);
  assert.match(err.message, CRASHED);
});

test('webkit: the command under way when the page dies is known as its death', async () => {
  const page = await openPage();
  try {
    const answer = page.session.run('new Promise((ok) => setTimeout(() => ok(true), 5000))');
    await new Promise((ok) => setTimeout(ok, 500));
    page.session.crashPage();
    await assert.rejects(answer, (err) => {
      assert.equal(err.sessionGone, true, err.message);
      assert.match(err.message, CRASHED);
      return true;
    });
  } finally {
    await page.close();
  }
});

test('webkit: a test whose page died runs once more in a fresh browser, and only once', async (t) => {
  let tries = 0;
  await againIfTheBrowserDied(t, async () => {
    tries += 1;
    if (tries === 1) throw await deathUnderAWait();
    const page = await openPage();
    try {
      assert.equal(await page.run(() => document.title), 'a page');
    } finally {
      await page.close();
    }
  });
  assert.equal(tries, 2, 'passed on its second try');

  tries = 0;
  await assert.rejects(
    againIfTheBrowserDied(t, async () => {
      tries += 1;
      throw await deathUnderAWait();
    }),
    (err) => err.sessionGone === true,
  );
  assert.equal(tries, 2, 'a second death fails the test');

  tries = 0;
  await assert.rejects(
    againIfTheBrowserDied(t, async () => {
      tries += 1;
      const page = await openPage();
      try {
        assert.equal(await page.run(() => document.title), 'another page');
      } finally {
        await page.close();
      }
    }),
    assert.AssertionError,
  );
  assert.equal(tries, 1, 'any other failure fails at once');
});
