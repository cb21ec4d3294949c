// The release build renders, from the root and from a sub-path, with no
// console or page errors, and lays out as one column on phones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage, screenshot } from './support/harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const prefix of ['/', '/tools/r2v/']) {
  test(`release build renders cleanly when served from ${prefix}`, async () => {
    const site = await serveDist(prefix);
    const { page, context, errors } = await openPage(browser);
    try {
      await page.goto(site.url);
      await page.getByRole('heading', { name: 'Request' }).waitFor();
      assert.equal(await page.locator('.brand-name').textContent(), 'wan-r2v studio');
      assert.ok(await page.getByRole('region', { name: 'Status and result' }).isVisible());
      assert.equal(await page.getByRole('link', { name: 'fal pricing' }).getAttribute('href'), 'https://fal.ai/pricing');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await site.close();
    }
  });
}

const layouts = [
  { name: 'narrow', width: 375, height: 812, columns: 1 },
  { name: 'wide', width: 1280, height: 800, columns: 2 },
];
for (const { name, width, height, columns } of layouts) {
  for (const colorScheme of ['light', 'dark']) {
    test(`shell at ${width}px in ${colorScheme} mode has ${columns} column(s)`, async () => {
      const site = await serveDist('/');
      const { page, context, errors } = await openPage(browser, { width, height, colorScheme });
      try {
        await page.goto(site.url);
        await page.getByRole('heading', { name: 'Request' }).waitFor();
        const request = await page.locator('#request').boundingBox();
        const job = await page.locator('#job').boundingBox();
        if (columns === 2) {
          assert.ok(job.x > request.x + request.width - 1, 'job panel should sit right of the request panel');
        } else {
          assert.ok(job.y >= request.y + request.height - 1, 'job panel should sit below the request panel');
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `page overflows horizontally by ${overflow}px`);
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.equal(bg, colorScheme === 'dark' ? 'rgb(15, 17, 21)' : 'rgb(245, 246, 248)');
        await screenshot(page, `shell-${width}-${colorScheme}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
        await site.close();
      }
    });
  }
}
