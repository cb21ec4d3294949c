// Batch screen states through the sweep in support/sweep.mjs (axe-core,
// accessible names, no overflow or overlap at 375, 768, 1280 and 1920 px,
// light and dark, screenshots at 375 and 1280 px): the "Variations" group
// set up, the group refusing a batch over the limit, and "Batch results"
// while the runs go and once they have all played.
import { testStates, useStatesSimulator } from './support/sweep.mjs';
import { allPlayersShown } from './support/studio.mjs';

const sim = useStatesSimulator();

/** 2 seeds × 3 aspect ratios, counting up from seed 7. */
async function sixRuns(page, prompt) {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByLabel('Seed', { exact: true }).fill('7');
  const group = page.getByRole('group', { name: 'Variations' });
  await group.getByRole('spinbutton', { name: 'Seeds' }).fill('2');
  await group.getByRole('radio', { name: 'Counting up from Seed' }).check();
  await group.getByRole('checkbox', { name: 'Aspect ratio', exact: true }).check();
  const values = group.getByRole('group', { name: 'Aspect ratio values' });
  for (const ratio of ['16:9', '9:16', '1:1']) await values.getByRole('checkbox', { name: ratio, exact: true }).check();
  await group.getByText('Generate makes 6 runs.').waitFor();
}

/** Generate, and "Start this run" on the question a $3.00 batch asks. */
async function start(page) {
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByRole('alertdialog', { name: 'Confirm this run' }).getByRole('button', { name: 'Start this run' }).click();
  await page.getByRole('region', { name: 'Batch results' }).waitFor({ timeout: 10_000 });
}

const STATES = [
  {
    name: 'variations',
    reach: async (page) => {
      await sixRuns(page, 'A koala surfs a wave at sunset');
      await page.getByText('6 runs × $0.50 = $3.00').waitFor();
      await page.getByRole('group', { name: 'Variations' }).scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'variations-refused',
    reach: async (page) => {
      await page.getByLabel('Prompt', { exact: true }).fill('A koala surfs');
      const group = page.getByRole('group', { name: 'Variations' });
      await group.getByRole('spinbutton', { name: 'Seeds' }).fill('8');
      await group.getByRole('checkbox', { name: 'Prompt variants' }).check();
      await group.getByRole('textbox', { name: 'Prompt variants' }).fill('A koala surfs\nA koala skis\nA koala sails');
      await group.getByText('This batch would make 24 runs; the most is 16.').waitFor();
      await group.scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'batch-running',
    reach: async (page) => {
      await sixRuns(page, 'A koala surfs [sim:queue=30s]');
      await start(page);
      await page.getByRole('region', { name: 'Batch results' }).getByText(/fal's queue/).first().waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'batch-results',
    reach: async (page) => {
      await sixRuns(page, 'A koala surfs [sim:queue=0s] [sim:run=500ms]');
      await start(page);
      const grid = page.getByRole('region', { name: 'Batch results' });
      await allPlayersShown(page, 6, { timeout: 30_000 });
      await grid.scrollIntoViewIfNeeded();
    },
  },
];

testStates(STATES, () => sim);
