// Every screen state of the studio a person can meet, and how to reach each
// from a fresh page against the simulator (started with the flags in
// e2e/a11y.test.mjs). Used by the accessibility and layout sweep.

/** A 1×1 PNG, for a local file reference. */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const job = (page) => page.locator('#job');
const history = (page) => page.locator('#history');

async function generate(page, prompt) {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByRole('button', { name: 'Generate' }).click();
}

async function finished(page, prompt) {
  await generate(page, prompt);
  await job(page).getByText('Video ready').waitFor({ timeout: 20_000 });
  await history(page).locator('.history-item').filter({ hasText: prompt }).getByText('Done', { exact: true }).waitFor();
}

/**
 * Each state: `reach(page, server)` from a freshly loaded page; optional
 * `config` / `badConfig` (what /config.json answers), `url` (a query to add),
 * `allow` (errors the state provokes on purpose) and `slowConfig` (answer
 * config.json only after this many ms, to see the loading screen).
 */
export const STATES = [
  { name: 'empty', reach: async () => {} },
  {
    name: 'loading',
    slowConfig: 4000,
    reach: async (page) => {
      await page.getByText('Loading wan-r2v studio…').waitFor();
    },
  },
  {
    name: 'form-errors',
    reach: async (page) => {
      // aria-disabled (not disabled) so it stays reachable; pressing it shows why.
      await page.getByRole('button', { name: 'Generate' }).click({ force: true });
      await page.getByText(/Fix these to generate/).waitFor();
    },
  },
  {
    name: 'references-and-api',
    // The URL reference names a file the simulator does not have.
    allow: [/404/],
    reach: async (page, server) => {
      await page.getByLabel('Prompt', { exact: true }).fill('Image 1 and Image 2 dance on a pier at night');
      await page.getByLabel('Reference URL').fill(`${server.origin}/sim/files/none/ref-1.png`);
      await page.getByRole('button', { name: 'Add URL' }).click();
      await page.getByLabel('Choose files').setInputFiles({ name: 'pier.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1X1, 'base64') });
      await page.locator('.ref-item').nth(1).waitFor();
      // The unloadable link shows the plain file sign, not a broken image.
      await page.locator('.ref-item').first().locator('.ref-preview-empty').waitFor();
      await page.locator('summary', { hasText: 'API' }).click();
      await page.getByRole('tab', { name: 'Python' }).click();
    },
  },
  {
    name: 'upload-progress',
    reach: async (page, server) => {
      await server.control({ faults: [{ route: 'upload', kind: 'delay', delay_ms: 20_000 }] });
      await page.getByLabel('Choose files').setInputFiles({ name: 'pier.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1X1, 'base64') });
      await generate(page, 'Image 1 on a pier [sim:queue=0s] [sim:run=500ms]');
      await page.getByRole('progressbar', { name: 'Upload of Image 1' }).waitFor();
      await job(page).getByText(/Uploading references/).waitFor();
    },
  },
  {
    name: 'queued',
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:queue=30s]');
      await job(page).getByText(/fal's queue/).waitFor();
    },
  },
  {
    name: 'running',
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:queue=0s] [sim:run=30s]');
      await job(page).locator('.log-line').first().waitFor();
    },
  },
  {
    name: 'outage',
    allow: [/net::ERR|Failed to load resource|Failed to fetch/],
    reach: async (page, server) => {
      // The job ends during the outage, so the open stream closes and the
      // reads that follow fail.
      await generate(page, 'A koala surfs [sim:queue=0s] [sim:run=4s]');
      await job(page).getByText(/Generating/).waitFor();
      await server.control({ outage: { seconds: 60, kind: 'drop' } });
      await job(page).getByText(/Still trying/).waitFor({ timeout: 20_000 });
    },
  },
  {
    name: 'cancelled',
    // After the cancel, fal no longer knows the job: its status is a 404.
    allow: [/404/],
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:queue=30s]');
      await job(page).getByRole('button', { name: 'Cancel' }).click();
      await job(page).getByText('Cancelled', { exact: true }).waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'result',
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:queue=0s] [sim:run=500ms]');
      await page.locator('video.result-video').waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'failed',
    allow: [/422/],
    reach: async (page) => {
      await generate(page, 'A koala surfs [sim:result-422] [sim:queue=0s] [sim:run=300ms]');
      await page.getByText('The job did not produce a video').waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'expired',
    allow: [/404/],
    reach: async (page, server) => {
      await generate(page, 'Too late [sim:queue=0s] [sim:run=60s]');
      await job(page).getByText(/Generating/).waitFor();
      const [record] = await page.evaluate(() => JSON.parse(localStorage.getItem('wan-r2v-studio.jobs.v1')));
      await server.control({ expire: record.request.request_id });
      await job(page).getByText(/fal no longer has this request/).waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'history',
    allow: [/422/],
    reach: async (page) => {
      await finished(page, 'A heron fishing at dawn [sim:queue=0s] [sim:run=300ms]');
      await generate(page, 'A koala surfs [sim:result-422] [sim:queue=0s] [sim:run=300ms]');
      await page.getByText('The job did not produce a video').waitFor({ timeout: 15_000 });
      await finished(page, 'Kelp forest, slow pan [sim:queue=0s] [sim:run=300ms]');
      await history(page).locator('video.history-thumb').first().waitFor();
    },
  },
  {
    name: 'compare',
    reach: async (page) => {
      await finished(page, 'Compare one [sim:queue=0s] [sim:run=300ms]');
      await finished(page, 'Compare two [sim:queue=0s] [sim:run=300ms]');
      for (const prompt of ['Compare one', 'Compare two']) {
        await history(page).locator('.history-item').filter({ hasText: prompt }).getByLabel('Compare').check();
      }
      await history(page).getByRole('button', { name: 'Compare selected' }).click();
      await page.waitForFunction(() => [...document.querySelectorAll('.compare video')].length === 2);
    },
  },
  {
    name: 'needs-key',
    config: { allow_user_key: true, simulated: true },
    reach: async (page) => {
      await page.getByText('No fal key yet').first().waitFor();
    },
  },
  {
    name: 'key-entered',
    config: { allow_user_key: true, simulated: true },
    reach: async (page) => {
      await page.getByLabel('fal key').fill('e2e-id:e2e-secret');
      await page.getByLabel('fal key').blur();
    },
  },
  {
    name: 'embed',
    url: '?embed=1',
    reach: async (page) => {
      await page.locator('.app-embedded').waitFor();
      await page.getByLabel('Prompt', { exact: true }).waitFor();
    },
  },
  {
    name: 'config-problem',
    badConfig: '{"proxy_ur": "./api/fal/proxy"}',
    reach: async (page) => {
      await page.getByText('This studio is not set up correctly').waitFor();
    },
  },
];

/**
 * Visible controls whose boxes overlap (neither inside the other), as
 * "a × b" descriptions: text over text or a button over a field is a
 * layout fault at any width.
 */
export function overlappingControls(page) {
  return page.evaluate(() => {
    const selector =
      'button, a[href], input:not([type=hidden]), select, textarea, summary, video, [role=progressbar], h1, h2, h3, label';
    const shown = [...document.querySelectorAll(selector)].filter((el) => {
      const box = el.getBoundingClientRect();
      // checkVisibility: not in a closed <details> (content-visibility) nor
      // hidden, transparent or display:none anywhere up the tree.
      return box.width > 2 && box.height > 2 &&
        el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true });
    });
    const describe = (el) =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}` +
      `("${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 24)}")`;
    const hits = [];
    for (let i = 0; i < shown.length; i++) {
      for (let j = i + 1; j < shown.length; j++) {
        const [a, b] = [shown[i], shown[j]];
        if (a.contains(b) || b.contains(a)) continue;
        // A label and the control it names may share a box (switches, radios).
        if ((a.tagName === 'LABEL' && a.control === b) || (b.tagName === 'LABEL' && b.control === a)) continue;
        const r = a.getBoundingClientRect();
        const q = b.getBoundingClientRect();
        const x = Math.min(r.right, q.right) - Math.max(r.left, q.left);
        const y = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
        if (x > 2 && y > 2) hits.push(`${describe(a)} × ${describe(b)}`);
      }
    }
    return hits.slice(0, 6);
  });
}
