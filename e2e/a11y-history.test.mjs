// The history's screen states, each through the sweep in support/sweep.mjs
// (axe-core, accessible names, no overflow or overlap at 375, 768, 1280 and
// 1920 px, light and dark, screenshots at 375 and 1280 px): entries that
// finished (one with a copy kept in the browser), failed, were cancelled,
// have an expired result, or still wait in the queue; the confirmations;
// the comparison; a share link. The empty history is the "empty" state of
// a11y-states.test.mjs. Steps come from support/history.mjs.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  env, startAll, stopAll, open, reopen, generate, panel, history, entry, storedJobs, finishedJob, expectThumbnail,
} from './support/history.mjs';
import { sweep } from './support/sweep.mjs';

before(startAll);
after(stopAll);
beforeEach(async () => {
  await env.server.control({ reset: true });
});

/** Every kind of entry: done (with a kept copy), failed, cancelled, expired, queued. */
async function everyKindOfEntry() {
  const first = await open({ allow: [/404/, /500/] });
  const { page, context } = first;
  await finishedJob(page, 'A lighthouse in a storm [sim:queue=0s] [sim:run=300ms]');
  await entry(page, 'A lighthouse').getByRole('button', { name: 'Keep a copy' }).click();
  await entry(page, 'A lighthouse').getByText(/Copy kept in this browser/).waitFor({ timeout: 15_000 });
  await generate(page, 'A broken run [sim:result-500] [sim:queue=0s] [sim:run=300ms]');
  await entry(page, 'A broken run').getByText('Failed', { exact: true }).waitFor({ timeout: 15_000 });
  await generate(page, 'A change of mind [sim:queue=30s]');
  await panel(page).getByText(/fal's queue/).waitFor();
  await panel(page).getByRole('button', { name: 'Cancel' }).click();
  await entry(page, 'A change of mind').getByText('Cancelled', { exact: true }).waitFor({ timeout: 15_000 });
  await generate(page, 'Too late [sim:queue=0s] [sim:run=60s]');
  await panel(page).getByText(/Generating/).waitFor();
  const id = (await storedJobs(page))[0].request.request_id;
  await page.close();
  await env.server.control({ expire: id });
  // Reopened: the expired one is told, then one more waits in the queue.
  const back = await reopen(context);
  await entry(back, 'Too late').getByText('Result expired').waitFor({ timeout: 15_000 });
  await generate(back, 'A fox in the snow [sim:queue=60s]');
  await entry(back, 'A fox in the snow').getByText('In queue').waitFor();
  await expectThumbnail(back, 'A lighthouse');
  return { ...first, page: back };
}

test('history entries of every kind: finished, kept, failed, cancelled, expired, queued', async () => {
  const { page, context, errors } = await everyKindOfEntry();
  try {
    await sweep(page, 'history-entries');
    assert.deepEqual(errors.filter((e) => !/404|500/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('history confirmations: clear all, and delete one', async () => {
  const { page, context, errors } = await open();
  try {
    await finishedJob(page, 'A heron fishing at dawn [sim:queue=0s] [sim:run=300ms]');
    await history(page).getByRole('button', { name: 'Clear all' }).click();
    await history(page).getByRole('group', { name: 'Clear all' }).getByRole('button', { name: 'Delete them' }).waitFor();
    await entry(page, 'A heron').getByRole('button', { name: 'Delete', exact: true }).click();
    await entry(page, 'A heron').getByRole('button', { name: 'Delete it' }).waitFor();
    await sweep(page, 'history-confirm');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the comparison of two runs', async () => {
  const { page, context, errors } = await open();
  try {
    await finishedJob(page, 'Compare one: a koala surfs [sim:queue=0s] [sim:run=300ms]');
    await page.getByRole('radio', { name: '1:1' }).check();
    await finishedJob(page, 'Compare two: a koala surfs at night [sim:queue=0s] [sim:run=300ms]');
    await entry(page, 'Compare one').getByLabel('Compare').check();
    await entry(page, 'Compare two').getByLabel('Compare').check();
    await history(page).getByRole('button', { name: 'Compare selected' }).click();
    await history(page).locator('.compare').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => v.readyState >= 2));
    await sweep(page, 'history-compare');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a share link copied from the form', async () => {
  const { page, context, errors } = await open();
  try {
    await page.getByLabel('Prompt', { exact: true }).fill('A koala surfs a wave at sunset');
    await page.getByRole('button', { name: 'Copy share link' }).click();
    await page.getByLabel('Share link', { exact: true }).waitFor();
    await sweep(page, 'share-link');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
