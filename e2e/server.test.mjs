// The release app served by wan-r2v-server in simulation: it loads with no
// console errors, config.json says simulated (and the app shows it), and the
// simulator's output video really plays in this Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, screenshot } from './support/harness.mjs';
import { startServer } from './support/server.mjs';

const KEY = 'Key e2e-id:e2e-secret';
let browser;
let server;

before(async () => {
  browser = await launchBrowser();
  server = await startServer({ simulate: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the release app loads from wan-r2v-server in simulation with no console errors', async () => {
  const config = await (await fetch(`${server.url}config.json`)).json();
  assert.equal(config.simulated, true);
  assert.equal(config.proxy_url, './api/fal/proxy');
  assert.equal(config.queue_base_url, `${server.origin}/sim/queue`);

  const wasm = await fetch(server.url).then((r) => r.text()).then((html) => html.match(/[\w-]+_bg\.wasm/)?.[0]);
  assert.ok(wasm, 'index.html names the wasm module');
  const response = await fetch(`${server.url}${wasm}`);
  assert.equal(response.headers.get('content-type'), 'application/wasm');
  assert.match(response.headers.get('cache-control'), /immutable/);

  const { page, context, errors } = await openPage(browser);
  try {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Request' }).waitFor();
    await page.getByText('Simulated fal: no real videos, no cost').waitFor();
    await screenshot(page, 'server-simulated');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the simulated output video decodes and plays in Chromium', async () => {
  await server.control({ timings: { queue_ms: 0, run_ms: 50 } });
  const submit = await fetch(`${server.origin}/sim/queue/fal-ai/wan/v2.7/reference-to-video`, {
    method: 'POST',
    headers: { authorization: KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'Image 1 waves' }),
  }).then((r) => r.json());
  await server.control({ complete: submit.request_id });
  const result = await fetch(submit.response_url, { headers: { authorization: KEY } });
  assert.equal(result.status, 200);
  const { video } = await result.json();
  assert.equal(video.content_type, 'video/mp4');

  const { page, context, errors } = await openPage(browser);
  try {
    await page.goto(server.url);
    const played = await page.evaluate(async (src) => {
      const v = document.createElement('video');
      v.muted = true;
      v.src = src;
      document.body.append(v);
      await new Promise((ok, fail) => {
        if (v.readyState >= 2) return ok();
        v.addEventListener('loadeddata', ok, { once: true });
        v.addEventListener('error', () => fail(new Error(v.error?.message ?? 'video error')), { once: true });
        setTimeout(() => fail(new Error(`readyState stuck at ${v.readyState}`)), 10_000);
      });
      const readyState = v.readyState;
      await v.play();
      await new Promise((ok) => setTimeout(ok, 700));
      const afterPlay = v.currentTime;
      v.currentTime = 3; // seeking needs Range support
      await new Promise((ok) => v.addEventListener('seeked', ok, { once: true }));
      return { readyState, afterPlay, playedTo: v.currentTime, width: v.videoWidth, height: v.videoHeight };
    }, video.url);
    assert.ok(played.readyState >= 2, `readyState ${played.readyState}`);
    assert.ok(played.afterPlay > 0.2, `playing advanced only to ${played.afterPlay}`);
    assert.ok(played.playedTo >= 2.9, `seeked to ${played.playedTo}`);
    assert.deepEqual([played.width, played.height], [640, 360]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  const routes = (await server.journal()).map((e) => e.route);
  assert.ok(routes.includes('submit') && routes.includes('file'), routes.join(','));
});
