// The studio's own screen states, outside a job: loading, empty, the form's
// problems, the Connection panel (no key, a key remembered, a key that is
// not one, tested, fal unreachable; folded behind the header's badge and
// opened from it), the API view, a shared link opened, the
// embedded layout, a deployment set up wrong. Each goes through the sweep in
// support/sweep.mjs: axe-core, accessible names, no overflow or overlap at
// 375, 768, 1280 and 1920 px, light and dark, and screenshots at 375 and
// 1280 px in target/e2e-screenshots/states/. Job states: a11y-job.test.mjs;
// history: a11y-history.test.mjs; keyboard, focus, live regions and motion:
// a11y-behaviour.test.mjs.
import { testStates, useStatesSimulator } from './support/sweep.mjs';
import { generate, openConnection } from './support/studio.mjs';

const sim = useStatesSimulator();

/** The key typed in these states; any shape-valid key works with the simulator. */
const KEY = 'a11y-id:a11y-secret';
/** A deployment with no proxy: people bring their own key (to the simulator). */
const OWN_KEY = (origin) => ({
  allow_user_key: true,
  simulated: true,
  queue_base_url: `${origin}/sim/queue`,
  rest_base_url: `${origin}/sim/rest`,
});

const STATES = [
  {
    name: 'loading',
    // config.json never answers: the app waits for it.
    holdConfig: true,
    reach: async (page) => {
      await page.getByRole('status').getByText('Loading wan-r2v studio').waitFor();
    },
  },
  {
    name: 'empty',
    reach: async (page) => {
      await page.getByText('No video yet').waitFor();
      await page.getByText('No jobs yet').waitFor();
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
    name: 'api-view',
    reach: async (page) => {
      await page.getByLabel('Prompt', { exact: true }).fill('A koala surfs a wave at sunset');
      await page.locator('summary', { hasText: 'API' }).click();
      await page.getByRole('button', { name: 'Copy', exact: true }).waitFor();
    },
  },
  {
    name: 'shared-link-opened',
    path: '?r2v=1&prompt=A%20koala%20surfs%20a%20wave&aspect_ratio=9%3A16',
    reach: async (page) => {
      await page.getByText('The form was filled from a shared link.', { exact: false }).waitFor();
    },
  },
  {
    // The simulator's proxy works: the Connection panel folds behind the header's badge.
    name: 'connection-folded',
    reach: async (page) => {
      await page.locator('#connection-badge[aria-expanded="false"]').waitFor();
    },
  },
  {
    name: 'connection-unfolded',
    reach: async (page) => {
      await page.getByRole('button', { name: 'Connection settings: Simulated' }).click();
      await page.getByLabel('fal key').waitFor();
    },
  },
  {
    // Nothing works yet: the panel stays open (needs-key too, with the badge a link to it).
    name: 'needs-key',
    config: OWN_KEY,
    reach: async (page) => {
      await page.getByText('No fal key yet').first().waitFor();
    },
  },
  {
    name: 'needs-key-generate',
    config: OWN_KEY,
    reach: async (page) => {
      await generate(page, 'A koala surfs a wave', { started: false });
      await page.getByRole('alert').getByText('Enter your fal key in the Connection panel to generate.').waitFor();
    },
  },
  {
    name: 'key-invalid',
    config: OWN_KEY,
    reach: async (page) => {
      await page.getByLabel('fal key').fill('not a key');
      await page.getByLabel('fal key').blur();
      await page.locator('#fal-key-problem').getByText(/./).waitFor();
    },
  },
  {
    name: 'key-remembered',
    config: OWN_KEY,
    // "Test connection" asks fal about a request that does not exist: 404 means the key works.
    allow: [/404/],
    reach: async (page) => {
      await page.getByLabel('fal key').fill(KEY);
      await page.getByLabel('Remember on this device').check();
      await page.getByRole('button', { name: 'Forget key' }).waitFor();
      await page.getByRole('button', { name: 'Test connection' }).click();
      await page.locator('.test-connection-result .check-ok').waitFor();
    },
  },
  {
    name: 'fal-unreachable',
    allow: [/net::ERR|Failed to load resource|Failed to fetch|502/],
    reach: async (page) => {
      await sim.server.control({ outage: { seconds: 60, kind: 'drop' } });
      await openConnection(page);
      await page.getByRole('button', { name: 'Test connection' }).click();
      await page.locator('.test-connection-result .check-failed').waitFor({ timeout: 20_000 });
    },
  },
  {
    name: 'embed',
    path: '?embed=1',
    reach: async (page) => {
      await page.getByRole('heading', { name: 'Request' }).waitFor();
      await page.getByLabel('Prompt', { exact: true }).fill('A red fox trots through fresh snow at dawn');
    },
  },
  {
    name: 'embed-connection-open',
    path: '?embed=1',
    reach: async (page) => {
      await page.locator('.embed-connection-line').click();
      await page.getByLabel('fal key').waitFor();
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

testStates(STATES, () => sim);
