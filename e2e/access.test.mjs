// Access codes end to end, against the real server with `--access-codes`:
// without a code the app asks for one and nothing is submitted; with a code
// a job runs; "Remember on this device" keeps the code across a reload
// (and only then is it in localStorage), "Forget access code" removes it;
// a code over its daily budget shows the budget message at Generate and no
// submit reaches the simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { screenshot } from './support/harness.mjs';
import { open as openStudio, generate, openConnection, expectResult, expectPlayingVideo } from './support/studio.mjs';
import { useSimulatorAndBrowser, SERVER_BIN } from './support/server.mjs';

/**
 * A new code from the server itself: `--new-access-code NAME` prints the
 * code on stdout and its file entry on stderr; `budget` is appended to it.
 */
function newCode(name, budget) {
  const run = spawnSync(SERVER_BIN, ['--new-access-code', name], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const code = run.stdout.trim();
  assert.match(code, /^wan_[0-9a-f]{64}$/);
  const lines = run.stderr.split('\n').map((l) => l.trim()).filter((l) => /^(\[\[codes\]\]|name =|sha256 =)/.test(l));
  assert.equal(lines.length, 3, run.stderr);
  return { code, entry: [...lines, budget, ''].join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'wan-access-'));
const codesFile = join(dir, 'codes.toml');
const alice = newCode('alice', 'daily_usd = 100');
const bob = newCode('bob', 'daily_usd = 0.40');
writeFileSync(codesFile, alice.entry + bob.entry);
const codes = { alice: alice.code, bob: bob.code };

let browser;
let server;
useSimulatorAndBrowser(
  ['--access-codes', codesFile, '--state', join(dir, 'state.sqlite3'), '--sim-queue', '300ms', '--sim-run', '800ms'],
  (b, s) => {
    browser = b;
    server = s;
  },
);

/** The proxy's refusals are HTTP errors the page records; these tests provoke them. */
const open = () => openStudio(browser, server.url, { allow: [/401|402|Unauthorized|Payment Required/] });
const generateReason = (page) => page.locator('.generate-reason');
/** Where "Remember on this device" keeps the code (README). */
const CODE_STORAGE_KEY = 'wan-r2v-studio.access-code';
const codeField = (page) => page.getByLabel('Access code', { exact: true });
/** The access code's own box (the fal key field has one of the same name). */
const rememberCode = (page) => page.locator('.access-code-field').getByRole('checkbox', { name: 'Remember on this device' });
/** Everything the page keeps in localStorage, as one string to search. */
const everythingStored = (page) => page.evaluate(() => JSON.stringify({ ...localStorage }));

test('without a code the app asks for one, and nothing is submitted', async () => {
  await server.clearJournal();
  const { page, context, errors } = await open();
  try {
    assert.equal(await page.getByLabel('Access code').count(), 0, 'no code field before the proxy asks');
    await generate(page, 'A heron waits in the reeds', { started: false });
    const field = page.getByLabel('Access code', { exact: true });
    await field.waitFor({ timeout: 10_000 });
    assert.equal(await field.getAttribute('type'), 'password', 'masked like the key');
    await generateReason(page).getByText(/needs an access code/).waitFor();
    assert.equal((await generateReason(page).innerText()).includes('Connection panel'), true);
    await screenshot(page, 'access-code-asked-1280');
    assert.deepEqual(await server.submits(), [], 'no submit reached the simulator');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('with a code a job runs, and the code stays out of storage unless remembered', async () => {
  await server.clearJournal();
  const { page, context, errors } = await open();
  try {
    await generate(page, 'A heron waits in the reeds', { started: false });
    await page.getByLabel('Access code', { exact: true }).fill(codes.alice);
    await generate(page, undefined);
    await expectResult(page, { timeout: 20_000 });
    await expectPlayingVideo(page);
    assert.equal((await server.submits()).length, 1);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    assert.ok(!stored.includes(codes.alice), 'not stored without "Remember on this device"');
    assert.ok(!(await page.url()).includes(codes.alice));
    await page.getByRole('button', { name: 'Forget access code' }).click();
    assert.equal(await page.getByLabel('Access code', { exact: true }).inputValue(), '');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('"Remember on this device" keeps the code across a reload, and "Forget access code" removes it', async () => {
  await server.clearJournal();
  const { page, context, errors } = await open();
  const storedCode = () => page.evaluate((key) => localStorage.getItem(key), CODE_STORAGE_KEY);
  try {
    await generate(page, 'A heron waits in the reeds', { started: false });
    await codeField(page).fill(codes.alice);
    assert.ok(!(await everythingStored(page)).includes(codes.alice), 'typed: in memory only');
    await rememberCode(page).check();
    assert.equal(await storedCode(), codes.alice, 'remembered under its named key');
    // Unticked, it leaves storage at once and stays in memory.
    await rememberCode(page).uncheck();
    assert.ok(!(await everythingStored(page)).includes(codes.alice), 'unticked: out of storage');
    assert.equal(await codeField(page).inputValue(), codes.alice);
    await rememberCode(page).check();
    assert.equal(await storedCode(), codes.alice);

    await page.reload();
    await page.getByRole('heading', { name: 'Request' }).waitFor();
    await openConnection(page);
    assert.equal(await codeField(page).inputValue(), codes.alice, 'the code is back after the reload');
    assert.equal(await rememberCode(page).isChecked(), true);
    assert.ok(!page.url().includes(codes.alice));
    // The proxy takes the remembered code: a job runs without asking.
    await generate(page, 'A heron after the reload');
    await expectResult(page, { timeout: 20_000 });
    assert.equal((await server.submits()).length, 1);

    await page.getByRole('button', { name: 'Forget access code' }).click();
    // The field stays where the person pressed it, empty.
    assert.equal(await codeField(page).inputValue(), '');
    assert.equal(await rememberCode(page).isChecked(), false);
    assert.equal(await storedCode(), null);
    assert.ok(!(await everythingStored(page)).includes(codes.alice), 'forgotten: nowhere in storage');

    // Forgotten for good: after a reload no code is held, and the proxy asks again.
    await page.reload();
    await page.getByRole('heading', { name: 'Request' }).waitFor();
    assert.equal(await codeField(page).count(), 0, 'no code field before the proxy asks');
    await generate(page, 'A heron, forgotten', { started: false });
    await codeField(page).waitFor({ timeout: 10_000 });
    assert.equal(await codeField(page).inputValue(), '');
    await generateReason(page).getByText(/needs an access code/).waitFor();
    assert.equal((await server.submits()).length, 1, 'nothing sent without the code');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a code over its daily budget shows the budget at Generate and sends nothing more', async () => {
  await server.clearJournal();
  const { page, context, errors } = await open();
  try {
    await generate(page, 'A heron waits in the reeds', { started: false });
    await page.getByLabel('Access code', { exact: true }).fill(codes.bob);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const reason = generateReason(page);
    await reason.getByText(/^Budget reached: \$0\.00 of \$0\.40 spent today; resets at \d\d:\d\d$/).waitFor({ timeout: 10_000 });
    await screenshot(page, 'access-budget-reached-1280');
    // A second press sends nothing: the proxy would refuse it again.
    const before = (await server.journal()).length;
    const button = page.getByRole('button', { name: 'Generate', exact: true });
    assert.equal(await button.getAttribute('aria-disabled'), 'true');
    // aria-disabled keeps it reachable: a person can still press it.
    await button.click({ force: true });
    await page.waitForTimeout(500);
    assert.equal((await server.journal()).length, before);
    assert.deepEqual(await server.submits(), [], 'no submit reached the simulator');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
