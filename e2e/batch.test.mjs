// Batches against the simulator: "Variations" in the form make one Generate
// into several runs. The journal shows what reached fal: exactly one submit
// per run (even through a 429), the references uploaded once, nothing at
// all for a batch refused at the field, and none when the batch's one
// upload is refused (every run ends with its reason). The grid ("Batch
// results") shows every run, plays them, cancels one, and comes back after
// a reload.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from './support/harness.mjs';
import { stillImage } from './support/media.mjs';
import { open as openStudio, HISTORY_KEY, storedJobs, allPlayersShown } from './support/studio.mjs';
import { useSimulatorAndBrowser } from './support/server.mjs';

let browser;
let server;

useSimulatorAndBrowser(['--sim-queue', '1s', '--sim-run', '1500ms', '--sim-log-interval', '300ms'], (b, s) => {
  browser = b;
  server = s;
});
beforeEach(async () => {
  await server.control({ reset: true });
});

const open = (allow = []) => openStudio(browser, server.url, { allow });

/** Submits fal took (answered 200), and every submit sent. */
async function submits() {
  const all = await server.submits();
  return { taken: all.filter((e) => e.status === 200), all };
}

/** Sets "Seeds" and ticks the aspect ratios to vary over. */
async function variations(page, { seeds, ratios = [] }) {
  const group = page.getByRole('group', { name: 'Variations' });
  await group.getByRole('spinbutton', { name: 'Seeds' }).fill(String(seeds));
  if (ratios.length) {
    await group.getByRole('group', { name: 'Vary' }).getByRole('checkbox', { name: 'Aspect ratio', exact: true }).check();
    const values = group.getByRole('group', { name: 'Aspect ratio values' });
    for (const ratio of ratios) await values.getByRole('checkbox', { name: ratio, exact: true }).check();
  }
  return group;
}

const grid = (page) => page.getByRole('region', { name: 'Batch results' });

/**
 * Presses Generate for a batch; a batch over "Confirm runs over" ($2.00 by
 * default) asks once, for its total, and is started from the question.
 */
async function startBatch(page, { confirm = true } = {}) {
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  if (confirm) {
    const question = page.getByRole('alertdialog', { name: 'Confirm this run' });
    await question.getByText(/^This batch of 6 runs costs \$3\.00, over your \$2\.00 confirmation threshold/).waitFor();
    await question.getByRole('button', { name: 'Start this run' }).click();
  }
  await grid(page).waitFor({ timeout: 10_000 });
}
const tiles = (page) => grid(page).getByRole('listitem');

/** Every tile of the grid ends with `text` (a tile's status line). */
async function expectEvery(page, count, text, timeout = 30_000) {
  await page.waitForFunction(
    ({ count, text }) => {
      const statuses = [...document.querySelectorAll('.batch-tile .batch-status')].map((s) => s.textContent);
      return statuses.length === count && statuses.every((s) => s.startsWith(text));
    },
    { count, text },
    { timeout },
  );
}

/** Every player in the grid is playing with its time advancing. */
async function expectAllPlaying(page, count) {
  const videos = grid(page).locator('video.batch-video');
  await allPlayersShown(page, count);
  await grid(page).getByRole('button', { name: 'Play all' }).click();
  const states = await videos.evaluateAll(async (list) =>
    Promise.all(
      list.map(
        (v) =>
          new Promise((ok, no) => {
            const timer = setTimeout(() => no(new Error(`${v.getAttribute('aria-label')} did not play`)), 15_000);
            const check = () => {
              if (!v.paused && v.currentTime > 0) {
                clearTimeout(timer);
                ok(v.getAttribute('aria-label'));
              } else setTimeout(check, 50);
            };
            check();
          }),
      ),
    ),
  );
  assert.equal(states.length, count);
}

test('2 seeds × 3 aspect ratios: one upload, exactly 6 submits, the total cost first, and all six play in the grid', async () => {
  const { page, context, errors } = await open();
  try {
    await page.getByLabel('Choose files').setInputFiles(stillImage('harbour.png'));
    await page.locator('.ref-item').filter({ hasText: 'harbour.png' }).waitFor();
    await page.getByLabel('Prompt', { exact: true }).fill('Image 1 drifts across the harbour');
    await page.getByLabel('Seed', { exact: true }).fill('41');
    const group = await variations(page, { seeds: 2, ratios: ['16:9', '9:16', '1:1'] });
    await group.getByRole('radio', { name: 'Counting up from Seed' }).check();
    await group.getByText('Generate makes 6 runs.').waitFor();
    await page.locator('.cost-batch').getByText('6 runs × $0.50 = $3.00').waitFor();
    assert.equal(await page.locator('.cost-total').innerText(), '$3.00');
    await screenshot(page, 'batch-variations-1280');
    await startBatch(page);
    assert.equal(await tiles(page).count(), 6);
    await expectEvery(page, 6, 'Video ready');
    await expectAllPlaying(page, 6);
    await screenshot(page, 'batch-grid-1280');

    const captions = await grid(page).locator('.batch-caption').allInnerTexts();
    assert.deepEqual(
      captions.map((c) => c.replace(/\s+/g, ' ').trim()),
      ['Run 1 Seed 41 · 16:9', 'Run 2 Seed 41 · 9:16', 'Run 3 Seed 41 · 1:1', 'Run 4 Seed 42 · 16:9', 'Run 5 Seed 42 · 9:16', 'Run 6 Seed 42 · 1:1'],
    );
    const journal = await server.journal();
    const { taken, all } = await submits();
    assert.equal(all.length, 6, 'one submit per run');
    assert.equal(taken.length, 6);
    assert.equal(new Set(journal.filter((e) => e.route === 'result').map((e) => e.request_id)).size, 6, 'six jobs at fal');
    const uploads = journal.filter((e) => e.route === 'upload' || e.route === 'upload_part');
    assert.equal(uploads.length, 1, 'the reference uploads once for the whole batch');

    const stored = await storedJobs(page);
    assert.equal(stored.length, 6);
    assert.equal(new Set(stored.map((r) => r.batch.batch_id)).size, 1);
    assert.deepEqual(stored.map((r) => r.batch.index).sort(), [0, 1, 2, 3, 4, 5]);
    const sent = stored.map((r) => `${r.input.seed} ${r.input.aspect_ratio}`).sort();
    assert.deepEqual(sent, ['41 16:9', '41 1:1', '41 9:16', '42 16:9', '42 1:1', '42 9:16']);
    assert.ok(stored.every((r) => /^https?:/.test(r.input.reference_image_urls[0])), 'every run sends the uploaded URL');

    // "Compare" opens the comparison with the batch's runs.
    await grid(page).getByRole('button', { name: 'Compare' }).click();
    await grid(page).getByRole('heading', { name: 'Comparing 6 runs' }).waitFor();
    await grid(page).getByRole('button', { name: 'Close comparison' }).click();

    // The history keeps the batch as one entry; its runs open alone.
    const history = page.locator('#history');
    const entry = history.locator('article.history-batch');
    assert.equal(await entry.count(), 1);
    await entry.getByText('Batch of 6 runs: 6 done').waitFor();
    await entry.locator('summary', { hasText: 'Its 6 runs' }).click();
    // The list is built when it opens (its `toggle` event comes a task later).
    await entry.locator('article.history-item').nth(5).waitFor();
    assert.equal(await entry.locator('article.history-item').count(), 6);
    await entry.locator('article.history-item').nth(2).getByRole('button', { name: 'Open' }).click();
    await page.locator('#job').locator('video.result-video').waitFor();
    assert.equal(await grid(page).count(), 0, 'one run shown alone');
    await entry.getByRole('button', { name: 'Show batch results' }).click();
    await grid(page).waitFor();
    assert.equal(await tiles(page).count(), 6);

    // A share link carries the batch's settings, and opens with them.
    await page.getByRole('button', { name: 'Copy share link' }).click();
    const link = await page.locator('#share-link-url').inputValue();
    assert.match(link, /v_seeds=2/);
    assert.match(link, /v_aspect_ratio=/);
    const opened = await openStudio(browser, link);
    try {
      await opened.page.getByRole('group', { name: 'Variations' }).getByText('Generate makes 6 runs.').waitFor();
      assert.equal(await opened.page.getByRole('spinbutton', { name: 'Seeds' }).inputValue(), '2');
      assert.deepEqual(opened.errors, []);
    } finally {
      await opened.context.close();
    }

    // "Use these settings" makes the form that run, seed included, one run.
    await tiles(page).nth(4).getByRole('button', { name: 'Use these settings' }).click();
    assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), '42');
    assert.equal(await page.getByRole('radio', { name: '9:16', exact: true }).isChecked(), true);
    await page.getByText('Generate makes 1 run.').waitFor();
    // Like "Edit and rerun": the form comes into view, focus on its prompt.
    const prompt = page.getByLabel('Prompt', { exact: true });
    await page.waitForFunction((id) => document.activeElement?.id === id, await prompt.getAttribute('id'));
    assert.ok(await prompt.evaluate((el) => el.getBoundingClientRect().top < window.innerHeight), 'the prompt is in view');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a run cancelled mid-batch ends cancelled while the others finish', async () => {
  const { page, context, errors } = await open([/404/]);
  try {
    await page.getByLabel('Prompt', { exact: true }).fill('A slow queue [sim:queue=4s] [sim:run=1s]');
    await variations(page, { seeds: 2, ratios: ['16:9', '9:16', '1:1'] });
    await startBatch(page);
    const second = tiles(page).nth(1);
    await second.getByText(/fal's queue/).waitFor({ timeout: 15_000 });
    await second.getByRole('button', { name: 'Cancel' }).click();
    await second.locator('.batch-status').getByText('Cancelled', { exact: true }).waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => {
      const statuses = [...document.querySelectorAll('.batch-tile .batch-status')].map((s) => s.textContent);
      return statuses.filter((s) => s === 'Video ready').length === 5;
    }, null, { timeout: 30_000 });
    assert.equal(await second.locator('video').count(), 0);
    const { all } = await submits();
    assert.equal(all.length, 6);
    const cancels = (await server.journal()).filter((e) => e.route === 'cancel');
    assert.equal(cancels.length, 1);
    assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a batch whose one upload is refused ends every run with the reason, and submits nothing', async () => {
  const { page, context, errors } = await open([/413/]);
  try {
    await server.control({ reset: true, faults: [{ route: 'upload', kind: 'http', status: 413, detail: 'File too large' }] });
    await page.getByLabel('Choose files').setInputFiles(stillImage('harbour.png'));
    await page.locator('.ref-item').filter({ hasText: 'harbour.png' }).waitFor();
    await page.getByLabel('Prompt', { exact: true }).fill('Image 1 drifts across the harbour');
    await variations(page, { seeds: 2, ratios: ['16:9', '9:16', '1:1'] });
    await startBatch(page);
    // The first run uploads for the batch; the others end the way it did.
    await expectEvery(page, 6, 'Failed: ');
    const statuses = await grid(page).locator('.batch-status').allInnerTexts();
    assert.equal(new Set(statuses).size, 1, `one reason for all six: ${statuses}`);
    assert.equal(await grid(page).getByRole('button', { name: 'Cancel', exact: true }).filter({ visible: true }).count(), 0, 'nothing left to cancel');
    assert.deepEqual(await server.submits(), [], 'no run was sent');
    assert.equal((await server.journal()).filter((e) => e.route === 'upload').length, 1, 'one upload for the batch');
    assert.deepEqual(errors.filter((e) => !/413/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a 429 mid-batch holds the submits for its Retry-After and duplicates none', async () => {
  const { page, context, errors } = await open([/429/]);
  try {
    // Each submit takes a while, so the batch is still submitting when fal
    // starts refusing.
    await server.control({ faults: [{ route: 'submit', kind: 'delay', delay_ms: 700 }] });
    await page.getByLabel('Prompt', { exact: true }).fill('A koala surfs [sim:queue=0s] [sim:run=500ms]');
    await variations(page, { seeds: 2, ratios: ['16:9', '9:16', '1:1'] });
    await startBatch(page);
    const deadline = Date.now() + 15_000;
    while ((await submits()).taken.length < 2) {
      assert.ok(Date.now() < deadline, 'the first submits never came');
      await new Promise((ok) => setTimeout(ok, 50));
    }
    await server.control({
      clear_faults: true,
      faults: [
        { route: 'submit', kind: 'http', status: 429, retry_after: 2, times: 1 },
        { route: 'submit', kind: 'delay', delay_ms: 300 },
      ],
    });
    await expectEvery(page, 6, 'Video ready', 45_000);
    const { taken, all } = await submits();
    assert.equal(taken.length, 6, 'each run taken once');
    const results = (await server.journal()).filter((e) => e.route === 'result');
    assert.equal(new Set(results.map((e) => e.request_id)).size, 6, 'six jobs at fal');
    const refused = all.filter((e) => e.status === 429);
    assert.equal(refused.length, 1);
    assert.equal(all.length, 7, 'six submits and the one refused, nothing else');
    // During the Retry-After only the submit already out when the 429 came
    // is answered; no new one goes out.
    const refusedAt = Date.parse(refused[0].timestamp);
    const after = all.map((e) => Date.parse(e.timestamp) - refusedAt).filter((ms) => ms > 0);
    assert.ok(after.filter((ms) => ms < 1_500).length <= 1, `submits answered after the 429 (ms): ${after}`);
    assert.ok(after.some((ms) => ms >= 2_000), `the refused run was sent again after its Retry-After: ${after}`);
    assert.deepEqual(errors.filter((e) => !/429/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a reload mid-batch resumes all six runs and shows the grid again', async () => {
  const { page, context, errors } = await open();
  try {
    await page.getByLabel('Prompt', { exact: true }).fill('A heron fishing at dawn [sim:queue=3s] [sim:run=1s]');
    await variations(page, { seeds: 2, ratios: ['16:9', '9:16', '1:1'] });
    await startBatch(page);
    const deadline = Date.now() + 15_000;
    while ((await submits()).taken.length < 6) {
      assert.ok(Date.now() < deadline, 'the six submits never came');
      await new Promise((ok) => setTimeout(ok, 50));
    }
    // Reloaded once the page has heard every answer (a reload while a
    // submit's answer is on its way leaves that run unknown, by design: it
    // is never sent again blind).
    await page.waitForFunction((key) => {
      const stored = JSON.parse(localStorage.getItem(key) ?? '[]');
      return stored.length === 6 && stored.every((r) => r.request?.request_id && r.status === 'queued');
    }, HISTORY_KEY);
    await page.reload();
    await grid(page).waitFor({ timeout: 15_000 });
    assert.equal(await tiles(page).count(), 6);
    try {
      await expectEvery(page, 6, 'Video ready');
    } catch (e) {
      console.log(await grid(page).innerText(), JSON.stringify((await server.journal()).map((j) => [j.route, j.status, j.request_id])));
      throw e;
    }
    await allPlayersShown(page, 6);
    const { all } = await submits();
    assert.equal(all.length, 6, 'a reload never submits again');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a batch of 17 runs is refused at the field with its count, and nothing is sent', async () => {
  const { page, context, errors } = await open();
  try {
    await page.getByLabel('Prompt', { exact: true }).fill('A koala surfs');
    const group = page.getByRole('group', { name: 'Variations' });
    await group.getByRole('checkbox', { name: 'Prompt variants' }).check();
    const prompts = Array.from({ length: 17 }, (_, i) => `A koala surfs wave ${i + 1}`).join('\n');
    await group.getByRole('textbox', { name: 'Prompt variants' }).fill(prompts);
    await group.getByText('This batch would make 17 runs; the most is 16.').waitFor();
    const before = await server.journal();
    // aria-disabled, not disabled: it can be pressed, and sends nothing.
    await page.getByRole('button', { name: 'Generate', exact: true }).click({ force: true });
    await page.locator('.generate-reason').getByText(/17 runs/).waitFor();
    await page.waitForTimeout(500);
    assert.deepEqual(await server.journal(), before, 'no call of any kind');
    assert.equal(before.filter((e) => e.route === 'submit').length, 0);
    assert.equal(await grid(page).count(), 0);
    await screenshot(page, 'batch-refused-1280');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
