// The request form in the release build, with real files made here by
// ffmpeg: picked, dropped and pasted; refused with reasons; labelled; priced
// with the video's real length; kept across a reload; and screenshotted at
// 375 px and 1280 px in light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, mkdir, readFile, writeFile, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, extname } from 'node:path';
import { serveDist, launchBrowser, screenshot, SCREENSHOTS } from './support/harness.mjs';
import { ffmpegFile, stillImage, h264Clip } from './support/media.mjs';
import { open as openStudio } from './support/studio.mjs';

let browser;
let site;
let media;
let dir;
const files = {};

/** The video's length as ffprobe reads it, rounded to the tenth as the app shows it. */
function probedSeconds(path) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]);
  return Math.round(Number(out.toString().trim()) * 10) / 10;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wan-form-e2e-'));
  files.png = stillImage('cat.png');
  files.mp4 = h264Clip('clip.mp4', { seconds: 3.2 });
  // Noise does not compress: a real PNG just over fal's 20 MB image limit.
  files.big = ffmpegFile('big.png', ['-f', 'lavfi', '-i', 'color=c=gray:s=2800x2800,noise=alls=100:allf=t', '-frames:v', '1', '-pix_fmt', 'rgb24']);
  files.gif = ffmpegFile('anim.gif', ['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5:duration=1']);
  files.broken = join(dir, 'broken.mp4');
  await writeFile(files.broken, randomBytes(4096));

  assert.ok((await stat(files.big)).size > 20_000_000, 'big.png must be over 20 MB');
  assert.equal(probedSeconds(files.mp4), 3.2);

  // A second host for links, so reference URLs stay on this machine.
  media = createServer(async (req, res) => {
    const name = new URL(req.url, 'http://x').pathname.slice(1);
    const path = { 'cat.png': files.png, 'clip.mp4': files.mp4 }[name];
    if (!path) return res.writeHead(404).end();
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': extname(path) === '.png' ? 'image/png' : 'video/mp4' });
    res.end(body);
  });
  await new Promise((ok) => media.listen(0, '127.0.0.1', ok));
  media.url = `http://127.0.0.1:${media.address().port}`;

  browser = await launchBrowser();
  site = await serveDist('/');
});

after(async () => {
  await browser?.close();
  await site?.close();
  await new Promise((ok) => (media ? media.close(ok) : ok()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const open = (options = {}) => openStudio(browser, site.url, options);

const items = (page) => page.locator('.ref-item');

/** Each reference as "label | name", in list order. */
async function listed(page) {
  return items(page).evaluateAll((rows) =>
    rows.map((row) => {
      const label = [...row.querySelectorAll('.ref-label')].find((l) => !l.hidden);
      return `${label?.textContent.trim()} | ${row.querySelector('.ref-name').textContent.trim()}`;
    }),
  );
}

const item = (page, name) => items(page).filter({ has: page.locator('.ref-name', { hasText: name }) });

const CLIP_COST = '5 s output + 3.2 s of reference video = 8.2 s × $0.10 = $0.82';

test('picked files are checked, labelled and priced with the video’s real length', async () => {
  // Fetching a revoked blob: URL is provoked below on purpose.
  const { page, context, errors } = await open({ allow: [/ERR_FILE_NOT_FOUND/] });
  try {
    await page.getByLabel('Prompt', { exact: true }).fill('Image 1 walks past Video 1');
    await page.getByLabel('Choose files').setInputFiles([files.png, files.mp4, files.big, files.gif, files.broken]);

    await page.getByText(CLIP_COST).waitFor();
    await item(page, 'broken.mp4').getByText(/^Refused: This video could not be read/).waitFor();
    assert.deepEqual(await listed(page), [
      'Image 1 | cat.png',
      'Video 1 | clip.mp4',
      'Not added | big.png',
      'Not added | anim.gif',
      'Not added | broken.mp4',
    ]);
    assert.match(await item(page, 'big.png').textContent(), /Refused: This image is 2\d\.\d MB; fal accepts images up to 20 MB\./);
    assert.match(await item(page, 'anim.gif').textContent(), /Refused: This file is image\/gif\. Add a JPEG, PNG, WebP or BMP image or an MP4 or MOV video\./);
    assert.match(await item(page, 'clip.mp4').textContent(), /3\.2 s/);
    assert.equal(await page.locator('.cost-total').textContent(), '$0.82');

    // Previews: the image's thumbnail and the video's first frame load from object URLs.
    const thumb = item(page, 'cat.png').locator('img.ref-preview');
    await page.waitForFunction((img) => img.complete && img.naturalWidth === 320, await thumb.elementHandle());
    assert.match(await thumb.getAttribute('src'), /^blob:/);
    const poster = item(page, 'clip.mp4').locator('video.ref-preview');
    await page.waitForFunction((v) => v.readyState >= 1, await poster.elementHandle());

    // Refused files block Generate, with the reason beside it.
    const generate = page.getByRole('button', { name: 'Generate' });
    assert.equal(await generate.getAttribute('aria-disabled'), 'true');
    assert.match(await page.locator('.generate-reason').textContent(), /^Not ready: This image is/);
    for (const name of ['big.png', 'anim.gif', 'broken.mp4']) {
      await page.getByRole('button', { name: `Remove ${name}` }).click();
    }
    await page.waitForFunction(() => document.querySelectorAll('.ref-item').length === 2);
    assert.equal(await generate.getAttribute('aria-disabled'), null);

    // The label button puts the label where the cursor is.
    const prompt = page.getByLabel('Prompt', { exact: true });
    await prompt.fill('A close-up of  on a beach');
    await prompt.evaluate((el) => el.setSelectionRange(14, 14));
    await page.getByRole('button', { name: 'Image 1', exact: true }).click();
    assert.equal(await prompt.inputValue(), 'A close-up of Image 1 on a beach');

    // A removed file's object URL is revoked, so its bytes can be freed.
    const blob = await thumb.getAttribute('src');
    assert.equal(await page.evaluate((url) => fetch(url).then(() => 'readable', () => 'revoked'), blob), 'readable');
    await page.getByRole('button', { name: 'Remove Image 1' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.ref-item').length === 1);
    assert.equal(await page.evaluate((url) => fetch(url).then(() => 'readable', () => 'revoked'), blob), 'revoked');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** Builds a DataTransfer in the page from files read here. */
async function transferHandle(page, list) {
  const payload = [];
  for (const [path, name, type] of list) {
    payload.push({ name, type, data: (await readFile(path)).toString('base64') });
  }
  return page.evaluateHandle((payload) => {
    const data = new DataTransfer();
    for (const { name, type, data: b64 } of payload) {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      data.items.add(new File([bytes], name, { type }));
    }
    return data;
  }, payload);
}

test('files dropped on the panel show a drop state and are added', async () => {
  const { page, context, errors } = await open();
  try {
    const data = await transferHandle(page, [
      [files.mp4, 'clip.mp4', 'video/mp4'],
      [files.png, 'cat.png', 'image/png'],
    ]);
    const panel = page.locator('.references');
    for (const type of ['dragenter', 'dragover']) {
      const prevented = await panel.evaluate((el, { type, data }) => {
        const event = new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data });
        el.dispatchEvent(event);
        return event.defaultPrevented;
      }, { type, data });
      assert.ok(prevented, `${type} is cancelled so the browser does not open the file`);
    }
    assert.match(await panel.getAttribute('class'), /is-dragging/);
    assert.equal(await page.locator('.drop-hint').textContent(), 'Drop to add them');
    await screenshot(page, 'form-drop-state-1280-light');

    await panel.evaluate((el, data) => {
      el.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
    }, data);
    await page.getByText(CLIP_COST).waitFor();
    assert.deepEqual(await listed(page), ['Video 1 | clip.mp4', 'Image 1 | cat.png']);
    assert.doesNotMatch(await panel.getAttribute('class'), /is-dragging/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('pasting an image or a link adds it; a link’s video is priced when its host allows', async () => {
  const { page, context, errors } = await open();
  try {
    const zone = page.locator('.drop-zone');
    const image = await transferHandle(page, [[files.png, 'image.png', 'image/png']]);
    await zone.evaluate((el, data) => {
      el.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: data }));
    }, image);
    await page.waitForFunction(() => document.querySelectorAll('.ref-item').length === 1);

    const link = `${media.url}/clip.mp4`;
    await zone.evaluate((el, text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: data }));
    }, link);
    await page.getByText(CLIP_COST).waitFor();
    assert.deepEqual(await listed(page), ['Image 1 | image.png', `Video 1 | ${link}`]);
    assert.match(await item(page, link).textContent(), /127\.0\.0\.1 · 3\.2 s/);

    // Text pasted into the prompt stays in the prompt.
    const prompt = page.getByLabel('Prompt', { exact: true });
    await prompt.evaluate((el, text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: data }));
    }, `${media.url}/cat.png`);
    assert.equal(await items(page).count(), 2);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the form survives a reload; local files are listed to be added again', async () => {
  const { page, context, errors } = await open();
  try {
    await page.getByLabel('Prompt', { exact: true }).fill('Image 1 and Video 1 at dusk');
    await page.getByLabel('Negative prompt').fill('blur');
    await page.getByRole('radio', { name: '9:16' }).check();
    await page.getByRole('radio', { name: '720p' }).check();
    await page.getByLabel('Duration in seconds').fill('8');
    await page.getByRole('switch', { name: 'Multi-shot' }).click();
    await page.getByLabel('Seed', { exact: true }).fill('1234');
    await page.getByLabel('Choose files').setInputFiles([files.png]);
    await page.getByLabel('Reference URL').fill(`${media.url}/clip.mp4`);
    await page.getByRole('button', { name: 'Add URL' }).click();
    await page.getByText('8 s output + 3.2 s of reference video = 11.2 s × $0.10 = $1.12').waitFor();

    await page.reload();
    await page.getByLabel('Prompt', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Prompt', { exact: true }).inputValue(), 'Image 1 and Video 1 at dusk');
    assert.equal(await page.getByLabel('Negative prompt').inputValue(), 'blur');
    assert.ok(await page.getByRole('radio', { name: '9:16' }).isChecked());
    assert.ok(await page.getByRole('radio', { name: '720p' }).isChecked());
    assert.equal(await page.getByLabel('Duration in seconds').inputValue(), '8');
    assert.equal(await page.getByRole('switch', { name: 'Multi-shot' }).getAttribute('aria-checked'), 'true');
    assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), '1234');
    assert.deepEqual(await listed(page), ['Image 1 | cat.png', `Video 1 | ${media.url}/clip.mp4`]);
    assert.match(
      await item(page, 'cat.png').textContent(),
      /Files are not kept when the page reloads: add cat\.png again, or remove it\./,
    );
    // The link's length was kept, so the cost is whole at once.
    assert.equal(await page.locator('.cost-arithmetic').textContent(), '8 s output + 3.2 s of reference video = 11.2 s × $0.10 = $1.12');
    assert.equal(await page.getByRole('button', { name: 'Generate' }).getAttribute('aria-disabled'), 'true');

    await page.getByLabel('Add cat.png again').setInputFiles([files.png]);
    await page.waitForFunction(() => !document.querySelector('.ref-item').textContent.includes('not kept'));
    assert.deepEqual(await listed(page), ['Image 1 | cat.png', `Video 1 | ${media.url}/clip.mp4`]);
    assert.equal(await page.getByRole('button', { name: 'Generate' }).getAttribute('aria-disabled'), null);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the "Variations" group survives a reload as it was left, mid-edit included', async () => {
  const { page, context, errors } = await open();
  try {
    await page.getByLabel('Prompt', { exact: true }).fill('Image 1 walks');
    const group = page.getByRole('group', { name: 'Variations' });
    await group.getByRole('spinbutton', { name: 'Seeds' }).fill('2');
    await group.getByRole('radio', { name: 'Counting up from Seed' }).check();
    const vary = group.getByRole('group', { name: 'Vary' });
    await vary.getByRole('checkbox', { name: 'Aspect ratio', exact: true }).check();
    const ratios = group.getByRole('group', { name: 'Aspect ratio values' });
    await ratios.getByRole('checkbox', { name: '9:16' }).check();
    await ratios.getByRole('checkbox', { name: '1:1' }).check();
    await vary.getByRole('checkbox', { name: 'Prompt variants' }).check();
    // Typed text, blank line and all: it comes back as typed.
    const variants = 'Image 1 walks in the rain\n\nImage 1 runs at dusk';
    await group.getByRole('textbox', { name: 'Prompt variants' }).fill(variants);
    // And a setting ticked with nothing under it yet: still refused after.
    await vary.getByRole('checkbox', { name: 'Resolution', exact: true }).check();
    const empty = 'Tick at least one resolution to vary, or untick Resolution.';
    await group.getByText(empty).waitFor();
    // The runs line gives no count until then (it said "0 runs").
    await group.getByText('No runs until every setting you vary has a value.').waitFor();

    await page.reload();
    const after = page.getByRole('group', { name: 'Variations' });
    await after.waitFor();
    assert.equal(await after.getByRole('spinbutton', { name: 'Seeds' }).inputValue(), '2');
    assert.ok(await after.getByRole('radio', { name: 'Counting up from Seed' }).isChecked());
    const ratiosAfter = after.getByRole('group', { name: 'Aspect ratio values' });
    assert.ok(await ratiosAfter.getByRole('checkbox', { name: '9:16' }).isChecked());
    assert.ok(await ratiosAfter.getByRole('checkbox', { name: '1:1' }).isChecked());
    assert.ok(!(await ratiosAfter.getByRole('checkbox', { name: '16:9' }).isChecked()));
    assert.equal(await after.getByRole('textbox', { name: 'Prompt variants' }).inputValue(), variants);
    await after.getByText(empty).waitFor();

    // Fixed, it is a batch of 2 seeds × 2 ratios × 2 prompts.
    await after.getByRole('group', { name: 'Vary' }).getByRole('checkbox', { name: 'Resolution', exact: true }).uncheck();
    await after.getByText('Generate makes 8 runs.').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('Copy puts the exact snippet on the clipboard, with the key as a variable', async () => {
  const { page, context, errors } = await open();
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
    await page.getByLabel('Prompt', { exact: true }).fill('A koala surfs');
    await page.getByText('API', { exact: true }).click();
    await page.getByRole('tab', { name: 'Python' }).click();
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByText('Copied.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await page.locator('.code').textContent());
    assert.match(copied, /^import fal_client\n/);
    assert.match(copied, /"prompt": "A koala surfs"/);
    assert.doesNotMatch(copied, /Key [^$]/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

for (const width of [375, 1280]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`the filled form at ${width} px in ${colorScheme} mode fits and is screenshotted`, async () => {
      const { page, context, errors } = await open({ width, height: 900, colorScheme });
      try {
        await page.getByLabel('Prompt', { exact: true }).fill('Image 1 walks towards the camera while Video 1 plays behind');
        await page.getByLabel('Choose files').setInputFiles([files.png, files.mp4, files.gif]);
        await page.getByText(CLIP_COST).waitFor();
        await page.getByLabel('Reference URL').fill('ftp://example.com/a.png');
        await page.getByRole('button', { name: 'Add URL' }).click();
        // aria-disabled keeps the button reachable; Playwright treats it as
        // disabled, so the press is forced the way a person's click lands.
        await page.getByRole('button', { name: 'Generate' }).click({ force: true });
        await page.locator('.summary').waitFor();
        await page.getByText('API', { exact: true }).click();
        await page.locator('.code').waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page overflows sideways by ${overflow}px`);
        const form = await page.locator('.request-form').boundingBox();
        assert.ok(form.width <= width, 'the form fits the viewport');
        await mkdir(SCREENSHOTS, { recursive: true });
        await page.locator('#request').screenshot({ path: join(SCREENSHOTS, `form-${width}-${colorScheme}.png`) });
        await screenshot(page, `form-page-${width}-${colorScheme}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
}
