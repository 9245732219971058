// The tracking bundle (dist/browser/growthos.min.js, as a script tag) in real headless Chromium,
// against the real ingest service behind a small recording proxy that serves the page from the same
// origin and can make the ingest look down or rate limited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import GrowthOS from '../../dist/esm/index.js';
import { credentials, eventsOf, sleep } from '../stack.mjs';
import { launch } from '../browser.mjs';

const creds = credentials();
const mgmt = new GrowthOS.Management({ secretKey: creds.secret_key, host: creds.management_url });
const bundle = readFileSync(new URL('../../dist/browser/growthos.min.js', import.meta.url));

let server;
let origin;
let browser;
const proxy = { mode: 'pass', requests: [], script: [] };

function page(options) {
  return `<!doctype html><html><head><title>SDK test</title><script src="/growthos.min.js"></script></head><body>
<script>window.gos = GrowthOS.init(Object.assign({ writeKey: ${JSON.stringify(creds.write_key)}, host: location.origin }, ${JSON.stringify(options)}));</script>
</body></html>`;
}

before(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/growthos.min.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      return res.end(bundle);
    }
    if (url.pathname === '/page') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end(page(JSON.parse(url.searchParams.get('o') || '{}')));
    }
    if (url.pathname === '/v1/batch' && req.method === 'POST') {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = Buffer.concat(chunks);
      const parsed = JSON.parse(body.toString('utf8'));
      const scripted = proxy.script.length ? proxy.script.shift() : null;
      proxy.requests.push({ at: Date.now(), contentType: req.headers['content-type'], events: parsed.batch.length, ids: parsed.batch.map((e) => e.messageId), answered: scripted ? scripted.status : proxy.mode === 'down' ? 503 : 'forwarded' });
      if (scripted) {
        res.writeHead(scripted.status, { 'Content-Type': 'application/json', ...(scripted.headers || {}) });
        return res.end(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }));
      }
      if (proxy.mode === 'down') {
        res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' });
        return res.end('{"error":{"code":"service_unavailable","message":"down"}}');
      }
      const upstream = await fetch(creds.ingest_url + '/v1/batch', { method: 'POST', headers: { 'Content-Type': req.headers['content-type'] || 'text/plain' }, body });
      const headers = { 'Content-Type': 'application/json' };
      for (const h of ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
        if (upstream.headers.get(h)) headers[h] = upstream.headers.get(h);
      }
      res.writeHead(upstream.status, headers);
      return res.end(await upstream.text());
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  // www.growthos.test and app.growthos.test are this server too: two hosts of one site.
  browser = await launch(['--host-resolver-rules=MAP *.growthos.test 127.0.0.1']);
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
});

function reset(mode = 'pass') {
  proxy.mode = mode;
  proxy.requests.length = 0;
  proxy.script.length = 0;
}

const url = (o, query = '') => `${origin}/page?o=${encodeURIComponent(JSON.stringify(o))}${query}`;

test('events reach the database through batching (flushAt, then flushInterval)', async () => {
  reset();
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(url({ flushAt: 5, flushInterval: 1500 }));
  const anon = await tab.evaluate(() => gos.anonymousId);
  const ids = await tab.evaluate(() => Array.from({ length: 12 }, (_, i) => gos.track('Browser Batched', { i })));
  await eventsOf(mgmt, { anonymous_id: anon }, (e) => e.length === 12);
  const sizes = proxy.requests.map((r) => r.events);
  assert.equal(sizes[0], 5, `the 5th event starts a batch (batches ${sizes})`);
  assert.ok(sizes.length <= 3, `12 events in ${sizes.length} requests`);
  assert.equal(sizes.reduce((a, b) => a + b, 0), 12);
  assert.ok(proxy.requests.every((r) => r.contentType.startsWith('text/plain')), 'simple requests, no preflight');
  const stored = await mgmt.events.list({ anonymous_id: anon, limit: 100 }).toArray();
  assert.deepEqual(stored.map((e) => e.message_id).sort(), [...ids].sort());
  assert.equal(await tab.evaluate(() => gos.pending), 0);
  await ctx.close();
});

test('a reload while the ingest is down loses nothing: the next page sends the stored queue', async () => {
  reset('down');
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(url({ flushAt: 100, flushInterval: 300, retryBaseDelay: 200, retryMaxDelay: 500 }));
  const anon = await tab.evaluate(() => gos.anonymousId);
  const ids = await tab.evaluate(() => [gos.track('Before Reload', { n: 1 }), gos.track('Before Reload', { n: 2 }), gos.page('Pricing')]);
  while (!proxy.requests.length) await sleep(50); // the first attempt failed: still queued
  assert.equal(await tab.evaluate(() => gos.pending), 3);
  await tab.reload();
  proxy.mode = 'pass';
  assert.equal(await tab.evaluate(() => gos.anonymousId), anon, 'the anonymous id survives (cookie + storage)');
  const stored = await eventsOf(mgmt, { anonymous_id: anon }, (e) => e.length >= 3);
  await sleep(500);
  const again = await mgmt.events.list({ anonymous_id: anon, limit: 100 }).toArray();
  assert.equal(again.length, 3, 'each event stored once');
  assert.deepEqual(stored.map((e) => e.message_id).sort(), [...ids].sort());
  await ctx.close();
});

test('a 429 with Retry-After: 2 is honoured before the retry', async () => {
  reset();
  proxy.script.push({ status: 429, headers: { 'Retry-After': '2', 'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 2) } });
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(url({ flushAt: 1, retryBaseDelay: 10, retryMaxDelay: 50 }));
  const anon = await tab.evaluate(() => gos.anonymousId);
  const id = await tab.evaluate(() => gos.track('Rate Limited'));
  const [stored] = await eventsOf(mgmt, { anonymous_id: anon }, (e) => e.length === 1);
  assert.equal(stored.message_id, id);
  assert.equal(proxy.requests.length, 2);
  const waited = proxy.requests[1].at - proxy.requests[0].at;
  assert.ok(waited >= 1950, `retried after ${waited} ms`);
  await ctx.close();
});

test('sendBeacon hands the queue over when the page is left', async () => {
  reset();
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(url({ flushAt: 100, flushInterval: 600000 }));
  const anon = await tab.evaluate(() => gos.anonymousId);
  const id = await tab.evaluate(() => gos.track('Left The Page'));
  await tab.goto('about:blank');
  const [stored] = await eventsOf(mgmt, { anonymous_id: anon }, (e) => e.length === 1);
  assert.equal(stored.message_id, id);
  assert.ok(proxy.requests.length >= 1);
  await ctx.close();
});

test('the referral code of the landing URL goes into context.referral_code; the anonymous id is in a first-party cookie', async () => {
  reset();
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(url({ flushAt: 1 }, '&ref=ALICE42'));
  const anon = await tab.evaluate(() => gos.anonymousId);
  await tab.evaluate(() => gos.track('Landed'));
  const [stored] = await eventsOf(mgmt, { anonymous_id: anon }, (e) => e.length === 1);
  const full = await mgmt.events.retrieve(stored.id);
  assert.equal(full.context.referral_code, 'ALICE42');
  assert.equal(full.context.page.path, '/page');
  const cookies = await ctx.cookies();
  assert.equal(cookies.find((c) => c.name === 'gos_anonymous_id').value, anon);
  await ctx.close();
});

test("one visitor across the hosts of one site: the anonymous id's cookie is on the site's domain, so app. sends what www. started", async () => {
  reset();
  const port = new URL(origin).port;
  const on = (host, o) => `http://${host}:${port}/page?o=${encodeURIComponent(JSON.stringify(o))}`;
  // Ann's share link of a live referral program leads to the marketing site; the sign-up is on app.
  const unique = Date.now().toString(36);
  const created = await mgmt.campaigns.create({
    type: 'referral',
    name: `Across hosts ${unique}`,
    settings: { landing_url: 'http://www.growthos.test/', qualifying_event: { event: 'Order Completed' } },
  });
  const program = (await mgmt.campaigns.update(created.id, { status: 'active' })).id;
  const ann = await mgmt.campaigns.participants.create(program, { email: `ann+${unique}@example.com` });
  const ctx = await browser.newContext();
  const www = await ctx.newPage();
  await www.goto(on('www.growthos.test', { flushAt: 1 }) + '&ref=' + ann.referral_code);
  const anon = await www.evaluate(() => gos.anonymousId);
  await www.evaluate(() => gos.track('Landed'));
  const app = await ctx.newPage();
  await app.goto(on('app.growthos.test', { flushAt: 1 }));

  assert.equal(await app.evaluate(() => gos.anonymousId), anon, 'the same anonymous id on app. as on www.');
  const cookies = (await ctx.cookies()).filter((c) => c.name === 'gos_anonymous_id');
  assert.deepEqual(cookies.map((c) => [c.domain, c.value]), [['.growthos.test', anon]], 'one cookie, on the site');
  assert.ok(!(await ctx.cookies()).some((c) => c.name.startsWith('gos_probe')), 'the probe cookie is gone');

  // Signing up on app. links the visitor's www. events to the contact: Ann's code, carried by the
  // landing page's event, makes the referral (ingest attribution of an anonymous visitor).
  const user = `bob-${unique}`;
  await app.evaluate((u) => gos.identify(u, { email: u + '@example.com' }), user);
  let referrals = [];
  for (let i = 0; i < 150 && referrals.length === 0; i++) {
    referrals = await mgmt.campaigns.referrals(program).toArray();
    if (referrals.length === 0) await sleep(200);
  }
  assert.equal(referrals.length, 1, 'the www. visit made the referral once app. identified the visitor');
  assert.equal(referrals[0].referrer, ann.id);
  assert.equal(referrals[0].source, 'ingest');
  assert.equal((await mgmt.contacts.retrieve(referrals[0].referee)).user_id, user);
  await ctx.close();
});

test('the cookie of an earlier version (on the host only) keeps its id and moves to the site; cookieDomain: false keeps it on the host', async () => {
  reset();
  const port = new URL(origin).port;
  const on = (host, o) => `http://${host}:${port}/page?o=${encodeURIComponent(JSON.stringify(o))}`;
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name: 'gos_anonymous_id', value: 'legacy-visitor-1', domain: 'www.growthos.test', path: '/' }]);
  const www = await ctx.newPage();
  await www.goto(on('www.growthos.test', {}));
  assert.equal(await www.evaluate(() => gos.anonymousId), 'legacy-visitor-1');
  assert.deepEqual(
    (await ctx.cookies()).filter((c) => c.name === 'gos_anonymous_id').map((c) => [c.domain, c.value]),
    [['.growthos.test', 'legacy-visitor-1']],
  );
  const app = await ctx.newPage();
  await app.goto(on('app.growthos.test', {}));
  assert.equal(await app.evaluate(() => gos.anonymousId), 'legacy-visitor-1');
  await ctx.close();

  const own = await browser.newContext();
  const tab = await own.newPage();
  await tab.goto(on('www.growthos.test', { cookieDomain: false }));
  const anon = await tab.evaluate(() => gos.anonymousId);
  assert.deepEqual(
    (await own.cookies()).filter((c) => c.name === 'gos_anonymous_id').map((c) => [c.domain, c.value]),
    [['www.growthos.test', anon]],
  );
  await own.close();
});

test('the tracking calls never throw into the page, even with storage blocked and bad input', async () => {
  reset();
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e));
  await tab.goto(url({ flushAt: 1 }));
  const result = await tab.evaluate(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new Error('blocked'); } });
    const c = {};
    c.self = c;
    const g = GrowthOS.init({ writeKey: 'gos_wk_x', host: 'http://127.0.0.1:9', onError() {} });
    g.track(undefined);
    g.track('Circular', c);
    g.identify(42, 'x');
    g.group();
    return 'survived';
  });
  assert.equal(result, 'survived');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('reset() forgets the web components\' participant tokens (the next person sees the join form), and keeps other keys', async () => {
  reset();
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(url({ flushAt: 1 }));
  const left = await tab.evaluate(() => {
    localStorage.setItem('gos_participant_cmp_a', 'pt_a');
    localStorage.setItem('gos_participant_cmp_b', 'pt_b');
    localStorage.setItem('my_app_key', 'kept');
    const r = gos.reset; // unbound, as a logout button's handler
    r();
    return ['gos_participant_cmp_a', 'gos_participant_cmp_b', 'my_app_key'].map((k) => localStorage.getItem(k));
  });
  assert.deepEqual(left, [null, null, 'kept']);
  await ctx.close();
});

test('another tab\'s identify and reset (a logout) are followed by this tab: its next events carry the new user, or none, and no referral code', async () => {
  reset();
  const ctx = await browser.newContext();
  const a = await ctx.newPage();
  const b = await ctx.newPage();
  await a.goto(url({ flushAt: 1 }, '&ref=TABS1234'));
  await b.goto(url({ flushAt: 1 }));
  assert.equal(await b.evaluate(() => gos.referralCode), 'TABS1234');
  const user = 'tabs-' + Date.now();
  await a.evaluate((u) => gos.identify(u), user);
  await b.waitForFunction((u) => gos.userId === u, user, { timeout: 5000 });
  await a.evaluate(() => gos.reset());
  await b.waitForFunction(() => gos.userId === undefined, null, { timeout: 5000 });
  const anon = await a.evaluate(() => gos.anonymousId);
  assert.equal(await b.evaluate(() => gos.anonymousId), anon, 'the new anonymous id');
  assert.equal(await b.evaluate(() => gos.referralCode), undefined);
  const id = await b.evaluate(() => gos.track('After a logout in another tab'));
  const stored = await eventsOf(mgmt, { anonymous_id: anon }, (e) => e.length >= 1, 30000);
  assert.deepEqual(
    stored.map((e) => [e.message_id, e.user_id, e.context && e.context.referral_code]),
    [[id, null, undefined]],
  );
  await ctx.close();
});

test('two tabs share the storage safely: a tab closed while the ingest is down hands its queue to the other', async () => {
  reset('down');
  const ctx = await browser.newContext();
  const a = await ctx.newPage();
  const b = await ctx.newPage();
  const o = { flushAt: 100, flushInterval: 300, retryBaseDelay: 200, retryMaxDelay: 400 };
  await a.goto(url(o));
  await b.goto(url(o));
  const anon = await a.evaluate(() => gos.anonymousId);
  assert.equal(await b.evaluate(() => gos.anonymousId), anon, 'one visitor, one anonymous id');
  const fromA = await a.evaluate(() => [1, 2, 3].map((n) => gos.track('Tab A', { n })));
  const fromB = await b.evaluate(() => [1, 2].map((n) => gos.track('Tab B', { n })));
  while (proxy.requests.length < 2) await sleep(50);
  await a.close({ runBeforeUnload: true });
  await sleep(300);
  proxy.mode = 'pass';
  const stored = await eventsOf(mgmt, { anonymous_id: anon }, (e) => e.length >= 5, 30000);
  assert.deepEqual(stored.map((e) => e.message_id).sort(), [...fromA, ...fromB].sort());
  await sleep(500);
  assert.equal((await mgmt.events.list({ anonymous_id: anon, limit: 100 }).toArray()).length, 5, 'each stored once');
  assert.equal(await b.evaluate(() => gos.pending), 0);
  await ctx.close();
});

/** The events this page's client keeps in localStorage, in order (whatever keys it uses). */
function storedInPage() {
  const keys = Object.keys(localStorage).filter((k) => /\.qs?\./.test(k));
  const seg = (k) => Number(k.split('.').pop()) || 0;
  return keys.sort((a, b) => seg(a) - seg(b)).flatMap((k) => JSON.parse(localStorage.getItem(k)));
}

test('an object made circular after track() blocks nothing: every event is sent as it was at the call, and localStorage stays intact', async () => {
  reset();
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(url({ flushAt: 100, flushInterval: 600000 }));
  const anon = await tab.evaluate(() => gos.anonymousId);
  const before = await tab.evaluate(`(${storedInPage})()`);
  assert.deepEqual(before, []);
  const r = await tab.evaluate(`(async () => {
    const props = { step: 1 };
    const ids = [gos.track('Poisoned', props)];
    props.step = 2;
    props.self = props;
    props.n = 10n;
    ids.push(gos.track('Second'));
    await new Promise((r) => setTimeout(r, 0));
    return { ids, stored: (${storedInPage})().map((e) => [e.event, e.properties]) };
  })()`);
  assert.deepEqual(r.stored, [['Poisoned', { step: 1 }], ['Second', {}]], 'the stored queue holds both events, as recorded');
  await tab.evaluate(() => gos.flush());
  const stored = await eventsOf(mgmt, { anonymous_id: anon }, (e) => e.length === 2);
  assert.deepEqual(stored.map((e) => e.message_id).sort(), [...r.ids].sort());
  const poisoned = await mgmt.events.retrieve(stored.find((e) => e.message_id === r.ids[0]).id);
  assert.equal(poisoned.properties.step, 1);
  assert.equal(await tab.evaluate(() => gos.pending), 0);
  assert.deepEqual(await tab.evaluate(`(${storedInPage})()`), []);
  await ctx.close();
});

test('a growing queue does not slow track(): localStorage writes per call stay the same size', async () => {
  reset('down');
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(url({ flushAt: 100000, flushInterval: 600000, maxQueueSize: 100000, beacon: false }));
  const r = await tab.evaluate(async () => {
    const count = { writes: 0, bytes: 0 };
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) {
      if (/\.qs?\./.test(k)) {
        count.writes++;
        count.bytes += String(v).length;
      }
      return setItem.call(this, k, v);
    };
    const s = 'x'.repeat(1000);
    for (let i = 0; i < 1500; i++) gos.track('Bulk', { s, i }); // one task
    await new Promise((r) => setTimeout(r, 0));
    const bulk = { ...count };
    count.writes = count.bytes = 0;
    for (let i = 0; i < 50; i++) {
      gos.track('Click', { s }); // one task each, on top of 1,500 queued events
      await new Promise((r) => setTimeout(r, 0));
    }
    const queued = Object.keys(localStorage).filter((k) => /\.qs?\./.test(k)).reduce((n, k) => n + localStorage.getItem(k).length, 0);
    return { bulk, perCall: { writes: count.writes / 50, bytes: count.bytes / 50 }, queued, pending: gos.pending };
  });
  assert.equal(r.pending, 1550);
  assert.ok(r.bulk.bytes < 1.5 * r.queued, `1,500 events in one task wrote ${r.bulk.bytes} bytes for a queue of ${r.queued}`);
  assert.ok(r.perCall.writes <= 1.1, `${r.perCall.writes} queue writes per call`);
  assert.ok(r.perCall.bytes < 40000, `${r.perCall.bytes} bytes written per call with ${r.queued} bytes queued`);
  await ctx.close();
});

test('offline for longer than all the retries: nothing is dropped, nothing is sent while offline, and the online event sends at once', async () => {
  reset();
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(url({ flushAt: 1, retryBaseDelay: 20, retryMaxDelay: 10000, maxRetries: 2 }));
  const anon = await tab.evaluate(() => gos.anonymousId);
  // Network errors first (the request fails although navigator.onLine is still true) ...
  let failed = 0;
  await tab.route('**/v1/batch', (route) => (failed++, route.abort('internetdisconnected')));
  const id = await tab.evaluate(() => gos.track('Offline Event'));
  await sleep(2000);
  assert.ok(failed > 3, `${failed} failed attempts: more than maxRetries + 1`);
  assert.equal(await tab.evaluate(() => gos.pending), 1, 'the old client dropped it after 3 attempts');
  assert.deepEqual((await tab.evaluate(`(${storedInPage})()`)).map((e) => e.messageId), [id]);
  // ... then the browser knows it is offline: no attempt at all.
  await ctx.setOffline(true);
  await tab.unroute('**/v1/batch');
  const tried = failed;
  await tab.evaluate(() => gos.flush()); // resolves at once: nothing can be sent
  await sleep(500);
  assert.equal(failed, tried);
  const mine = () => proxy.requests.filter((r) => r.ids.includes(id)); // not a late beacon of another test
  assert.equal(mine().length, 0, 'no request while navigator.onLine is false');
  assert.equal(await tab.evaluate(() => gos.pending), 1);
  const online = Date.now();
  await ctx.setOffline(false); // the online event: sent now, not after the backoff (up to 10 s)
  while (!mine().length && Date.now() - online < 8000) await sleep(20);
  assert.ok(mine().length, 'sent after going online');
  assert.ok(mine()[0].at - online < 2000, `sent ${mine()[0].at - online} ms after going online`);
  const [stored] = await eventsOf(mgmt, { anonymous_id: anon }, (e) => e.length === 1);
  assert.equal(stored.message_id, id);
  // Stored before the answer is back in the page (the proxy relays it after the ingest wrote it).
  await tab.waitForFunction(() => gos.pending === 0, null, { timeout: 10000 });
  await ctx.close();
});
