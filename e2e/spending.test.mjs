// Spending in the browser, against the simulator: "Confirm runs over" asks
// before a run over it (and "Don't start" sends nothing), the spend line
// counts the run fal accepted, and a "Daily spending cap" the next run
// would pass stops Generate with the cap and what was spent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from './support/harness.mjs';
import { open as openStudio, openConnection, expectResult } from './support/studio.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';

let browser;
let server;
useSimulatorAndBrowser(['--sim-queue', '300ms', '--sim-run', '800ms', '--sim-log-interval', '200ms'], (b, s) => {
  browser = b;
  server = s;
});


test('confirm over a threshold, the spend line, and a daily cap that stops Generate', async () => {
  const { page, context, errors } = await openStudio(browser, server.url);
  try {
    await openConnection(page);
    const spendLine = page.locator('.spend-line');
    assert.equal(await spendLine.innerText(), 'Today: $0.00 · This month: $0.00');
    await page.getByLabel('Confirm runs over', { exact: true }).fill('0.40');
    await page.getByLabel('Prompt', { exact: true }).fill('A paper boat drifts down a gutter');
    const generate = page.getByRole('button', { name: 'Generate', exact: true });

    await generate.click();
    const question = page.getByText('This run costs $0.50, over your $0.40 confirmation threshold. Start it?');
    await question.waitFor();
    await screenshot(page, 'spending-confirm-1280');
    await page.getByRole('button', { name: "Don't start" }).click();
    assert.equal(await question.count(), 0);
    // Long enough for a submit that "Don't start" had sent to be journalled.
    await page.waitForTimeout(500);
    assert.deepEqual(await server.submits(), [], '"Don\'t start" sends nothing');

    await generate.click();
    await page.getByRole('button', { name: 'Start this run' }).click();
    await expectResult(page, { timeout: 20_000 });
    assert.equal((await server.submits()).length, 1);
    await spendLine.getByText('Today: $0.50 · This month: $0.50').waitFor();

    // A cap the next run would pass: Generate is off and says why.
    await page.getByLabel('Daily spending cap', { exact: true }).fill('0.60');
    const reason = page.locator('.generate-reason');
    await reason.getByText('Daily spending cap $0.60 reached: $0.50 spent today, and this run costs $0.50.', { exact: false }).waitFor();
    assert.equal(await generate.getAttribute('aria-disabled'), 'true');
    // aria-disabled keeps it reachable: a person can still press it.
    await generate.click({ force: true });
    await page.waitForTimeout(300);
    assert.equal((await server.submits()).length, 1, 'nothing sent over the cap');
    await screenshot(page, 'spending-capped-1280');

    // The settings are the person's own: kept across a reload.
    await page.reload();
    await page.getByLabel('Prompt', { exact: true }).waitFor();
    await openConnection(page);
    assert.equal(await page.getByLabel('Daily spending cap', { exact: true }).inputValue(), '$0.60');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
