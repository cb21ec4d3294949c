// A job's screen states, each through the sweep in support/sweep.mjs
// (axe-core, accessible names, no overflow or overlap at 375, 768, 1280 and
// 1920 px, light and dark, screenshots at 375 and 1280 px): a local file
// uploading to fal's storage, queued, running, fal unreachable mid-job
// ("Still trying"), the video, failed, refused by the content policy, and
// cancelled.
import { stillImage } from './support/media.mjs';
import { generate, panel } from './support/studio.mjs';
import { testStates, useStatesSimulator } from './support/sweep.mjs';

const sim = useStatesSimulator();

const STATES = [
  {
    name: 'upload-progress',
    reach: async (page) => {
      // Storage takes its time answering the bytes: the upload stays in progress.
      await sim.server.control({ faults: [{ route: 'upload', kind: 'delay', delay_ms: 60_000 }] });
      await page.getByLabel('Choose files').setInputFiles(stillImage('harbour.png'));
      await page.locator('.ref-item').filter({ hasText: 'harbour.png' }).waitFor();
      await generate(page, 'Image 1 drifts across the harbour at dusk');
      await page.getByRole('progressbar', { name: 'Upload of Image 1' }).waitFor({ timeout: 15_000 });
      await panel(page).getByText(/Uploading references: 0 of 1 done/).waitFor();
    },
  },
  {
    name: 'queued',
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:queue=30s]');
      await panel(page).getByText(/fal's queue/).first().waitFor();
    },
  },
  {
    name: 'running',
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:queue=0s] [sim:run=30s]');
      await panel(page).locator('.log-line').first().waitFor();
    },
  },
  {
    name: 'fal-unreachable-mid-job',
    allow: [/net::ERR|Failed to load resource|Failed to fetch/],
    reach: async (page) => {
      // The outage begins while it runs; the studio notices when it next asks.
      await generate(page, 'A koala surfs through the storm [sim:queue=0s] [sim:run=4s]');
      await panel(page).getByText(/Generating/).waitFor();
      await sim.server.control({ outage: { seconds: 60, kind: 'drop' } });
      await panel(page).getByText(/Still trying/).waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'result',
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:queue=0s] [sim:run=500ms]');
      const video = page.locator('video.result-video');
      await video.waitFor({ timeout: 15_000 });
      await page.waitForFunction((v) => v.readyState >= 2, await video.elementHandle());
    },
  },
  {
    name: 'failed',
    allow: [/500/],
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:result-500] [sim:queue=0s] [sim:run=300ms]');
      await page.getByRole('alert').getByText('The job did not produce a video').waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'failed-content-policy',
    allow: [/422/],
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:content-policy] [sim:queue=0s] [sim:run=300ms]');
      await page.getByRole('alert').getByText('The job did not produce a video').waitFor({ timeout: 15_000 });
      await page.getByText(/The form shows what fal objected to/).waitFor();
    },
  },
  {
    name: 'cancelled',
    allow: [/404/],
    reach: async (page) => {
      await generate(page, 'A slow queue [sim:queue=30s]');
      await panel(page).getByText(/fal's queue/).first().waitFor();
      await panel(page).getByRole('button', { name: 'Cancel' }).click();
      await panel(page).getByText('Cancelled', { exact: true }).waitFor({ timeout: 15_000 });
    },
  },
];

testStates(STATES, () => sim);
