// wan-r2v-server behind nginx's auth_request, with the documented file
// (docs/deploy/nginx-auth-request.conf), a small sign-in service stub (a
// cookie names the user) and `--trust-identity-header X-Auth-User`: a call
// without the sign-in gets the JSON 401 and never reaches the simulator, a
// signed-in person's job runs in the app, and an X-Auth-User header the
// browser sends is replaced by nginx, never trusted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openPage, ROOT } from './support/harness.mjs';
import { startServer } from './support/server.mjs';
import { startNginx } from './support/nginx.mjs';
import { generate, expectResult, expectPlayingVideo } from './support/studio.mjs';

const AUTH_CONF = join(ROOT, 'docs', 'deploy', 'nginx-auth-request.conf');
const SUBMIT = 'https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video';
/** The stub's sessions: a cookie value, and who it signs in. */
const SESSIONS = { 'session=alice-token': 'alice@example.com', 'session=bob-token': 'bob@example.com' };

let browser;
let server;
let site;
let auth;
const authCalls = [];

before(async () => {
  // The sign-in service: 200 with X-Auth-User for a known session cookie, else 401.
  auth = createServer((req, res) => {
    const user = SESSIONS[req.headers.cookie ?? ''];
    authCalls.push({ url: req.url, user: user ?? null });
    if (req.url === '/auth' && user) res.writeHead(200, { 'x-auth-user': user }).end();
    else res.writeHead(401).end();
  });
  await new Promise((ok) => auth.listen(0, '127.0.0.1', ok));
  const authPort = auth.address().port;
  server = await startServer({
    simulate: true,
    args: [
      '--trust-identity-header', 'X-Auth-User',
      '--state', join(mkdtempSync(join(tmpdir(), 'wan-auth-state-')), 'state.sqlite3'),
      '--sim-queue', '300ms', '--sim-run', '800ms',
    ],
  });
  site = await startNginx({
    confFile: AUTH_CONF,
    proxyOrigin: server.origin,
    extraOrigins: [server.origin],
    config: { proxy_url: './api/fal/proxy', allow_user_key: false, simulated: true },
    replacements: [['proxy_pass http://127.0.0.1:9091/auth;', `proxy_pass http://127.0.0.1:${authPort}/auth;`]],
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.stop();
  await server?.stop();
  await new Promise((ok) => (auth ? auth.close(ok) : ok()));
});

const proxy = () => new URL('api/fal/proxy', site.url).href;

function call(target, { method = 'POST', cookie, headers = {}, body } = {}) {
  return fetch(proxy(), {
    method,
    headers: {
      'x-fal-target-url': target,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
}

test('without the sign-in: 401 in the app\'s shape, and nothing reaches the simulator', async () => {
  await server.clearJournal();
  for (const headers of [{}, { 'X-Auth-User': 'mallory@example.com' }]) {
    const answer = await call(SUBMIT, { headers, body: { prompt: 'A heron' } });
    assert.equal(answer.status, 401, JSON.stringify(headers));
    const json = await answer.json();
    assert.equal(json.reason, 'access_required');
    assert.equal(json.mode, 'sign_in');
  }
  assert.deepEqual(await server.journal(), [], 'the simulator saw no call at all');
});

test('a spoofed X-Auth-User is replaced by the identity the sign-in service names', async () => {
  await server.clearJournal();
  // Signed in as alice, claiming to be bob.
  const submitted = await call(SUBMIT, {
    cookie: 'session=alice-token',
    headers: { 'X-Auth-User': 'bob@example.com' },
    body: { prompt: 'A heron' },
  });
  assert.equal(submitted.status, 200, await submitted.clone().text());
  const { status_url: statusUrl } = await submitted.json();
  assert.equal((await server.submits()).length, 1);
  // The request is alice's: bob, really signed in, may not read it; alice may.
  const asBob = await call(statusUrl, { method: 'GET', cookie: 'session=bob-token' });
  assert.equal(asBob.status, 403, await asBob.text());
  const asAlice = await call(statusUrl, { method: 'GET', cookie: 'session=alice-token', headers: { 'X-Auth-User': 'bob@example.com' } });
  // fal answers a status read 200, or 202 while the job is not done.
  const aliceText = await asAlice.text();
  assert.ok([200, 202].includes(asAlice.status), `${asAlice.status} ${aliceText}`);
  assert.match(JSON.parse(aliceText).status, /^(IN_QUEUE|IN_PROGRESS|COMPLETED)$/);
});

test('a signed-in person runs a job in the app through nginx', async () => {
  await server.clearJournal();
  const { page, context, errors } = await openPage(browser, { width: 1280, height: 900 });
  try {
    await context.addCookies([{ name: 'session', value: 'alice-token', url: site.origin }]);
    await page.goto(site.url);
    await page.getByLabel('Prompt', { exact: true }).waitFor();
    await generate(page, 'A paper boat on a pond');
    await expectResult(page, { timeout: 30_000 });
    await expectPlayingVideo(page);
    assert.equal((await server.submits()).length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
