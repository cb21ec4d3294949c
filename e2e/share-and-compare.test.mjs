// Share links round-trip (never with the key, also from a sub-path) and the
// comparison plays, pauses and seeks every run in step, against the simulator.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, serveDist } from './support/harness.mjs';
import {
  KEY, env, openConnection, startAll, stopAll, open, history, entry, finishedJob,
} from './support/history.mjs';

before(startAll);
after(stopAll);
beforeEach(async () => {
  await env.server.control({ reset: true });
});

/** Fills every setting a share link carries; `reference` is an image or video URL. */
async function fillForm(page, reference, name) {
  await page.getByLabel('Prompt', { exact: true }).fill('Image 1 waves & smiles: 100% #joy');
  await page.getByLabel('Negative prompt').fill('blur, text');
  await page.getByRole('radio', { name: '9:16' }).check();
  await page.getByRole('radio', { name: '720p' }).check();
  await page.getByLabel('Duration in seconds').fill('8');
  await page.getByLabel('Seed', { exact: true }).fill('1234');
  await page.getByLabel('Reference URL').fill(reference);
  await page.getByRole('button', { name: 'Add URL' }).click();
  await page.locator('.ref-item').filter({ hasText: name }).waitFor();
}

async function copyShareLink(page) {
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const field = page.getByLabel('Share link', { exact: true });
  await field.waitFor();
  return field.inputValue();
}

async function expectFilledForm(page, name) {
  await page.getByText('The form was filled from a shared link.', { exact: false }).waitFor();
  assert.equal(await page.getByLabel('Prompt', { exact: true }).inputValue(), 'Image 1 waves & smiles: 100% #joy');
  assert.equal(await page.getByLabel('Negative prompt').inputValue(), 'blur, text');
  assert.ok(await page.getByRole('radio', { name: '9:16' }).isChecked());
  assert.ok(await page.getByRole('radio', { name: '720p' }).isChecked());
  assert.equal(await page.getByLabel('Duration in seconds').inputValue(), '8');
  assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), '1234');
  await page.locator('.ref-item').filter({ hasText: name }).waitFor();
  // The link's own keys are gone from the address bar once applied.
  assert.ok(!new URL(page.url()).search.includes('r2v='), page.url());
}

test('a share link carries the settings, never the key, and fills the form when opened', async () => {
  const { page, context, errors } = await open({ width: 375, height: 800 });
  try {
    // A reference on the studio's own site (its content policy allows that):
    // the video of an earlier run.
    const earlier = await finishedJob(page, 'An earlier run [sim:queue=0s] [sim:run=300ms]');
    const video = earlier.output.video.url;
    const name = video.split('/').pop();
    await openConnection(page);
    await page.getByLabel('fal key').fill(KEY);
    await fillForm(page, video, name);
    const link = await copyShareLink(page);
    assert.ok(link.startsWith(`${env.server.url}?r2v=1&`), link);
    assert.ok(!link.includes('very-secret') && !link.includes('e2e-history-id'), 'never the key');
    await screenshot(page, 'history-share-link-375');
    const fresh = await open({ url: link, width: 375, height: 800 });
    try {
      await expectFilledForm(fresh.page, name);
      await screenshot(fresh.page, 'history-shared-link-opened-375');
      assert.deepEqual(fresh.errors, []);
    } finally {
      await fresh.context.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('share links work from a sub-path', async () => {
  const site = await serveDist('/tools/r2v/');
  // No config.json on this static host: the app uses its defaults.
  const allow = [/config\.json/, /404/];
  const { page, context, errors } = await open({ url: site.url, allow });
  try {
    await fillForm(page, `${env.media.url}/cat.png`, 'cat.png');
    const link = await copyShareLink(page);
    assert.ok(link.startsWith(`${site.url}?r2v=1&prompt=Image%201%20waves%20%26%20smiles`), link);
    const fresh = await open({ url: link, allow });
    try {
      await expectFilledForm(fresh.page, 'cat.png');
      assert.ok(new URL(fresh.page.url()).pathname === '/tools/r2v/');
    } finally {
      await fresh.context.close();
    }
    assert.deepEqual(errors.filter((e) => !/config\.json|404/.test(e)), []);
  } finally {
    await context.close();
    await site.close();
  }
});

test('the comparison plays, pauses and seeks every run in step and lists the inputs that differ', async () => {
  const { page, context, errors } = await open();
  try {
    await finishedJob(page, 'Compare one [sim:queue=0s] [sim:run=300ms]');
    await page.getByRole('radio', { name: '1:1' }).check();
    await finishedJob(page, 'Compare two [sim:queue=0s] [sim:run=300ms]');
    await entry(page, 'Compare one').getByLabel('Compare').check();
    await entry(page, 'Compare two').getByLabel('Compare').check();
    await history(page).getByRole('button', { name: 'Compare selected' }).click();
    const view = history(page).locator('.compare');
    await view.waitFor();
    const videos = view.locator('video');
    assert.equal(await videos.count(), 2);
    await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => v.readyState >= 2));
    const times = () => videos.evaluateAll((vs) => vs.map((v) => ({ t: v.currentTime, paused: v.paused })));

    await view.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(1500);
    let state = await times();
    assert.ok(state.every((s) => !s.paused), 'all play');
    assert.ok(state[0].t > 0.8, `playing: ${state[0].t}`);
    assert.ok(Math.abs(state[0].t - state[1].t) < 0.3, `in step: ${JSON.stringify(state)}`);

    await view.getByRole('button', { name: 'Pause' }).click();
    state = await times();
    assert.ok(state.every((s) => s.paused), 'all paused');

    await view.getByLabel('Position').fill('2.5');
    await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].every((v) => Math.abs(v.currentTime - 2.5) < 0.1));
    state = await times();
    assert.ok(state.every((s) => s.paused), 'seeking keeps them paused');

    const table = await view.locator('table').innerText();
    assert.match(table, /Prompt\s+Compare one.*\s+Compare two/);
    assert.match(table, /Aspect ratio\s+16:9\s+1:1/);
    assert.doesNotMatch(table, /Resolution/);
    await screenshot(page, 'history-compare-1280');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
