// The example pages in sdk/examples, run in the browser against the live stack run.mjs started:
// plain.html as shipped (the script-tag bundles from dist/browser), and the React and Vue apps
// built here with esbuild from the npm packages react, react-dom and vue (examples/build.mjs).
// The pages are served from another origin than the ingest by a static server of the sdk/ folder;
// the campaign ids, write key and host reach them through the query string.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import GrowthOS from '../../dist/esm/index.js';
import { credentials } from '../stack.mjs';
import { launch } from '../browser.mjs';
import { buildExamples } from '../../../../examples/build.mjs';

const creds = credentials();
const mgmt = new GrowthOS.Management({ secretKey: creds.secret_key, host: creds.management_url });
const INGEST = creds.ingest_url.replace(/\/+$/, '');
const sdkDir = fileURLToPath(new URL('../../../../', import.meta.url));
const target = resolve(process.env.GROWTHOS_SDK_TARGET || 'target');
const built = join(target, 'examples');
const shots = join(target, 'screenshots');
mkdirSync(shots, { recursive: true });
const unique = Date.now().toString(36);
const TYPES = { '.html': 'text/html', '.js': 'application/javascript' };

let server;
let origin;
let browser;

before(async () => {
  await buildExamples(built);
  // /examples/dist/* is the build of this run; everything else is a file of sdk/ (html and js only).
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = path.startsWith('/examples/dist/') ? join(built, path.slice('/examples/dist/'.length)) : join(sdkDir, path);
    if (path.includes('..') || !TYPES[extname(file)] || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
});

async function activeCampaign(type, settings, name) {
  const created = await mgmt.campaigns.create({ type, name: `${name} ${unique}`, settings });
  await mgmt.campaigns.update(created.id, { status: 'active' });
  return created.id;
}

async function open(page, params) {
  const ctx = await browser.newContext({ viewport: { width: 560, height: 520 } });
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e));
  const query = new URLSearchParams({ host: INGEST, write_key: creds.write_key, ...params });
  const resp = await p.goto(`${origin}/examples/${page}?${query}`);
  assert.equal(resp.status(), 200);
  return { ctx, page: p, errors };
}

async function joinWaitlist(page, email) {
  await page.waitForSelector('growthos-waitlist >> input[type=email]');
  await page.locator('growthos-waitlist >> input[type=email]').fill(email);
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-waitlist >> [part~=position]');
}

async function stored(campaign, email) {
  const all = await mgmt.campaigns.participants.list(campaign, { limit: 100 }).toArray();
  return all.filter((p) => p.email === email);
}

test('examples/plain.html: configured by its query string, the waitlist and social proof render and a visitor joins', async () => {
  const waitlist = await activeCampaign('waitlist', {}, 'Plain example');
  const seed = await fetch(`${INGEST}/v1/widgets/campaigns/${waitlist}/participants`, {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + creds.write_key, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `dora+${unique}@example.com`, client_id: 'dora-' + unique }),
  });
  assert.equal(seed.status, 201);
  const feed = await activeCampaign('social_proof', { source: { campaign: waitlist, activity: 'joined' }, template: 'Someone joined {time_ago}' }, 'Plain example feed');
  const { ctx, page, errors } = await open('plain.html', { waitlist, feed });
  // No referral campaign given: that element is removed; the survey element stays (nothing targeted).
  assert.equal(await page.locator('growthos-referral').count(), 0);
  assert.equal(await page.locator('growthos-waitlist').getAttribute('campaign'), waitlist);
  await page.waitForSelector('growthos-social-proof >> [part~=message]');
  assert.match(await page.locator('growthos-social-proof >> [part~=message]').innerText(), /Someone joined/);
  const email = `eli+${unique}@example.com`;
  await joinWaitlist(page, email);
  assert.match(await page.locator('growthos-waitlist >> [part~=result]').innerText(), /#2 of 2/);
  // The page's own listener tracks the join with the tracking bundle (window.GrowthOS).
  assert.equal(await page.evaluate(() => typeof window.GrowthOS.init), 'function');
  await page.screenshot({ path: join(shots, 'example-plain.png') }).catch(() => undefined);
  assert.equal((await stored(waitlist, email)).length, 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

for (const [name, page] of [
  ['React', 'react.html'],
  ['Vue', 'vue.html'],
]) {
  test(`examples/${page}: the ${name} app built with esbuild renders <growthos-waitlist> with its props, hears growthos:joined, and the join is stored`, async () => {
    const waitlist = await activeCampaign('waitlist', {}, `${name} example`);
    const { ctx, page: p, errors } = await open(page, { waitlist });
    const el = p.locator('growthos-waitlist');
    await p.waitForSelector('growthos-waitlist >> [part~=heading]');
    assert.equal(await el.getAttribute('campaign'), waitlist);
    assert.equal(await el.getAttribute('write-key'), creds.write_key);
    assert.equal(await el.getAttribute('host'), INGEST);
    assert.match(await p.locator('growthos-waitlist >> [part~=heading]').innerText(), new RegExp(`Join the beta \\(${name}\\)`));
    const email = `${name.toLowerCase()}+${unique}@example.com`;
    await joinWaitlist(p, email);
    // The framework's listener of growthos:joined re-rendered the app.
    await p.waitForSelector('#joined');
    assert.equal(await p.locator('#joined').innerText(), 'Joined at position 1');
    await p.screenshot({ path: join(shots, `example-${name.toLowerCase()}.png`) });
    assert.equal((await stored(waitlist, email)).length, 1);
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}
