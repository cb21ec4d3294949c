// A browser that cannot decode H.264, for real: WebKitGTK with GStreamer's
// libav decoder ranked out of reach (GST_PLUGIN_FEATURE_RANK), which is
// WebKit on a machine without gstreamer1.0-libav. The result's place says
// "This browser cannot play this video (H.264 MP4). …" with Download and
// Copy link beside it, not a black player; the history entry shows the
// still sign, not a black box; a video file added to the form is refused
// with the browser named as the reason (its billed length cannot be read
// here), not the file. Runs in WebKit whatever E2E_ENGINE says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { h264Clip } from '../support/media.mjs';
import { againIfTheBrowserDied, startEngine, studioCopy } from './support/engine.mjs';
import { expectClean } from './support/checks.mjs';

/** Every H.264 decoder GStreamer may have; a name it does not know is ignored. */
const NO_H264 = ['avdec_h264', 'openh264dec', 'vah264dec', 'vaapih264dec', 'v4l2h264dec', 'nvh264dec']
  .map((decoder) => `${decoder}:NONE`)
  .join(',');
const REFERENCE_MESSAGE = 'This browser cannot play H.264 video, so it cannot read this video\'s length, which fal bills.';
const MESSAGE = 'This browser cannot play this video (H.264 MP4). Download it, or open it in another browser.';

let browser;
let server;
let copy;

before(async () => {
  copy = await studioCopy();
  server = await startServer({
    simulate: true,
    args: ['--sim-queue', '300ms', '--sim-queue-position', '0', '--sim-run', '800ms', '--sim-log-interval', '200ms'],
    dist: copy.dir,
  });
  browser = await startEngine('webkit', { env: { GST_PLUGIN_FEATURE_RANK: NO_H264 } });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await copy?.remove();
});

test('webkit without an H.264 decoder: the result, the history entry and a video reference say so instead of staying black', (t) =>
  againIfTheBrowserDied(t, async () => {
    await server.control({ reset: true });
    const page = await browser.open();
    try {
      await page.goto(server.url);
      await page.untilShown({ field: 'Prompt' });
      const canPlay = await page.run(() => document.createElement('video').canPlayType('video/mp4; codecs="avc1.4D401E"'));
      assert.equal(canPlay, '', 'this WebKit must not decode H.264 for the test to mean anything');

      // A video file: the browser cannot read its length, and says whose limit that is.
      await page.fill({ field: 'Prompt' }, 'A heron walks along the harbour');
      await page.setFiles({ field: 'Choose files' }, [h264Clip('walk.mp4', { seconds: 2 })]);
      await page.untilText(REFERENCE_MESSAGE, { in: '.ref-list' });
      assert.equal(await page.run(($) => $.all('.ref-item .ref-preview-empty').some($.shown)), true, 'the still sign, not a black box');
      await page.screenshot('no-h264-reference', { css: '.ref-item' });
      await page.click({ button: 'Remove walk.mp4' });
      await page.until('the reference removed', ($) => $.all('.ref-item').length === 0);

      await page.click({ button: 'Generate' });
      await page.untilText('Video ready', { in: '#job', timeout: 30_000 });
      await page.untilText(MESSAGE, { in: '#job' });
      const result = await page.run(($) => ({
        player: $.all('#job video.result-video').filter($.shown).length,
        download: Boolean($.button('Download', '#job')),
        copy: Boolean($.button('Copy link', '#job')),
      }));
      assert.deepEqual(result, { player: 0, download: true, copy: true }, 'the message replaces the black player; Download and Copy link stay');

      await page.until('the still sign in the history entry', ($) => {
        const item = $.all('#history .history-item')[0];
        return item && item.querySelector('.history-thumb-icon') && !$.all('video.history-thumb', item).some($.shown);
      });
      await page.screenshot('no-h264-result', { css: '#job' });
      await page.screenshot('no-h264-history', { css: '#history' });
      // The players' own failures are the point here; anything else fails the test.
      await expectClean(page, server, [/failed to load: <video> .* \(media error 4\)/]);
    } finally {
      await page.close();
    }
  }),
);
