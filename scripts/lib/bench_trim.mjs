// The trim benchmark behind scripts/bench-trim (see there). One run: the
// page opens "Trim" on a 500 MB original (20 MB with --quick), sets 10–15 s,
// and uploads the cut with Generate. Memory is sampled every 100 ms from
// just before "Trim" until the upload is done: the growth (JS heap from
// CDP Performance.getMetrics + wasm memory) is checked against 16 MB.
//
// Environment: WAN_R2V_SERVER_BIN (default target/release/wan-r2v-server).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, ROOT } from '../../e2e/support/harness.mjs';
import { ffmpegFile, MEDIA } from '../../e2e/support/media.mjs';
import { paddedMdatMp4, THIRTY_SECOND_CLIP } from '../../e2e/support/sparse-mp4.mjs';

process.env.WAN_R2V_SERVER_BIN ??= join(ROOT, 'target', 'release', 'wan-r2v-server');
const { startServer } = await import('../../e2e/support/server.mjs');

const QUICK = process.argv.includes('--quick');
const SIZE = (QUICK ? 20 : 500) * 1_000_000;
const BUDGET_GROWTH_MB = 16;

const source = ffmpegFile('clip30-moov-last.mp4', THIRTY_SECOND_CLIP(false));
const original = join(MEDIA, `bench-trim-${SIZE}.mp4`);
paddedMdatMp4(source, original, SIZE);

const browser = await launchBrowser();
const server = await startServer({ simulate: true, args: ['--sim-queue', '0s', '--sim-run', '200ms'] });
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => (window.__benchWasm = e.detail.wasm));
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(server.url);
  await page.getByLabel('Prompt', { exact: true }).fill('Video 1 waves');
  await page.getByLabel('Choose files').setInputFiles([original]);
  await page.waitForFunction(() => !document.body.innerText.includes('reading length'), null, { timeout: 60_000 });
  await page.waitForFunction(() => window.__benchWasm?.memory);

  const memory = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize').value;
    const wasm = await page.evaluate(() => window.__benchWasm.memory.buffer.byteLength);
    return { heap, wasm, total: heap + wasm };
  };
  await cdp.send('HeapProfiler.collectGarbage');
  const baseline = await memory();
  let peak = baseline;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const now = await memory();
      if (now.total > peak.total) peak = now;
      await new Promise((ok) => setTimeout(ok, 100));
    }
  })();

  const t0 = performance.now();
  await page.getByRole('button', { name: 'Trim', exact: true }).click();
  await page.getByRole('spinbutton', { name: 'End', exact: true }).waitFor();
  await page.waitForFunction(() => document.querySelector('.ref-details')?.innerText.includes('Trimmed to'), null, { timeout: 60_000 });
  const indexMs = performance.now() - t0;
  for (const [name, value] of [['Start', '10'], ['End', '15']]) {
    const field = page.getByRole('spinbutton', { name, exact: true });
    await field.fill(value);
    await field.press('Tab');
  }
  await page.waitForFunction(() => document.querySelector('.ref-details')?.innerText.includes('Trimmed to 10.0–15.0 s'));
  const planMs = performance.now() - t0 - indexMs;

  await server.clearJournal();
  const t1 = performance.now();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByText('Uploaded to fal').waitFor({ timeout: 120_000 });
  const uploadMs = performance.now() - t1;
  sampling = false;
  await sampler;
  const journal = await server.journal();
  const sent = journal.filter((e) => e.route === 'upload' || e.route === 'upload_part').reduce((s, e) => s + e.body_bytes, 0);

  const growthMb = (peak.total - baseline.total) / 1e6;
  const pass = growthMb < BUDGET_GROWTH_MB;
  // Quick mode (scripts/test) checks that the figures are produced, not budgets.
  failed = !pass && !QUICK;
  const mb = (SIZE / 1e6).toFixed(0);
  console.log(`trim of a ${mb} MB original to 5 s${QUICK ? ' (--quick)' : ''}:`);
  console.log(`  "Trim" to the range on screen (header read, index, plan): ${indexMs.toFixed(0)} ms`);
  console.log(`  a new range planned and shown: ${planMs.toFixed(0)} ms`);
  console.log(`  Generate to "Uploaded to fal" (cut assembled and uploaded, ${(sent / 1e6).toFixed(2)} MB sent): ${uploadMs.toFixed(0)} ms`);
  console.log(`${pass ? 'PASS' : 'FAIL'}  page memory growth while trimming a ${mb} MB file: ${growthMb.toFixed(1)} MB ` +
    `(JS heap ${((peak.heap - baseline.heap) / 1e6).toFixed(1)}, wasm ${((peak.wasm - baseline.wasm) / 1e6).toFixed(1)}) (budget < ${BUDGET_GROWTH_MB} MB)`);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
  rmSync(original, { force: true });
}
process.exit(failed ? 1 : 0);
