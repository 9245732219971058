// The SDK against the real services (started by run.mjs): the seed snippet's events reach the
// database (read back through the Management API), and the Management client's conventions hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import GrowthOS, { GrowthOSError } from '../../dist/esm/index.js';
import { credentials, eventsOf } from '../stack.mjs';

const creds = credentials();
const mgmt = new GrowthOS.Management({ secretKey: creds.secret_key, host: creds.management_url });
const unique = Date.now().toString(36);

test('the seed snippet: identify and track reach the database, once each, attributed to the user', async () => {
  const gos = GrowthOS.init({ writeKey: creds.write_key, host: creds.ingest_url });
  const userId = 'user_123_' + unique;
  const identifyId = gos.identify(userId, { email: `alice+${unique}@example.com`, plan: 'growth' });
  const trackId = gos.track('Feature Activated', { feature: 'referral_program' });
  await gos.flush();
  assert.equal(gos.pending, 0);

  const events = await eventsOf(mgmt, { user_id: userId }, (e) => e.length >= 2);
  assert.deepEqual(events.map((e) => e.message_id).sort(), [identifyId, trackId].sort());
  const track = events.find((e) => e.type === 'track');
  assert.equal(track.event, 'Feature Activated');
  assert.deepEqual(track.properties, { feature: 'referral_program' });
  assert.equal(track.anonymous_id, gos.anonymousId);
  assert.equal(track.context.library.name, '@growthos/sdk');

  const contacts = await mgmt.contacts.list({ user_id: userId }).toArray();
  assert.equal(contacts.length, 1);
  assert.equal(contacts[0].email, `alice+${unique}@example.com`);
  assert.equal(contacts[0].traits.plan, 'growth');
});

test('an event sent again with its messageId (a retry) is stored once', async () => {
  const userId = 'retry_' + unique;
  const a = GrowthOS.init({ writeKey: creds.write_key, host: creds.ingest_url });
  const id = a.track('Retried', { n: 1 }, { userId });
  await a.flush();
  const b = GrowthOS.init({ writeKey: creds.write_key, host: creds.ingest_url });
  b.track('Retried', { n: 1 }, { userId, messageId: id });
  await b.flush();
  const events = await eventsOf(mgmt, { user_id: userId }, (e) => e.length >= 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await mgmt.events.list({ user_id: userId }).toArray()).length, 1);
  assert.equal(events[0].message_id, id);
});

test('many events go in few batches and all arrive', async () => {
  const requests = [];
  const counting = (url, init) => (requests.push(JSON.parse(init.body).batch.length), fetch(url, init));
  const gos = GrowthOS.init({ writeKey: creds.write_key, host: creds.ingest_url, fetch: counting, flushAt: 100 });
  const anonymousId = 'anon_batch_' + unique;
  for (let i = 0; i < 250; i++) gos.track('Bulk', { i }, { anonymousId });
  await gos.flush();
  assert.ok(requests.length <= 4, `${requests.length} requests`);
  assert.equal(requests.reduce((a, b) => a + b, 0), 250);
  await eventsOf(mgmt, { anonymous_id: anonymousId }, (e) => e.length === 250);
});

test("page(category, name, properties, options) as analytics.js takes it (a Segment user's calls): the name, the category and the properties are stored, the options applied", async () => {
  const userId = 'pager_' + unique;
  const errors = [];
  const gos = GrowthOS.init({ writeKey: creds.write_key, host: creds.ingest_url, onError: (e) => errors.push(e.message) });
  const id = gos.page('Docs', 'Getting Started', { section: 'install' }, { userId });
  // The forms that already worked stay as they were: page(name, properties, options) and page(properties).
  gos.page('Pricing', { plan: 'pro' }, { userId });
  await gos.flush();
  // One batch: once one of the two is stored, both are (a batch is all or nothing).
  const events = await eventsOf(mgmt, { user_id: userId }, (e) => e.length >= 1);
  const docs = events.find((e) => e.message_id === id);
  assert.ok(docs, `the page(category, name, …) event is stored under its options' userId: ${JSON.stringify(events.map((e) => [e.type, e.name, e.user_id]))}`);
  assert.deepEqual([docs.type, docs.name, docs.properties.category, docs.properties.section], ['page', 'Getting Started', 'Docs', 'install']);
  const pricing = events.find((e) => e.message_id !== id);
  assert.deepEqual([pricing.name, pricing.properties.plan, pricing.properties.category], ['Pricing', 'pro', undefined]);
  assert.deepEqual(errors, []);
});

test('toArray() of a list longer than its 10,000-item default does not silently return the first 10,000: it rejects, naming the cap; toArray(n) returns the first n as asked', async () => {
  // 10,001 events of one visitor, in 5 batches straight to the Ingest API (stored when acknowledged).
  const anonymousId = 'anon_many_' + unique;
  const auth = 'Basic ' + Buffer.from(creds.write_key + ':').toString('base64');
  for (let start = 0; start < 10001; start += 2500) {
    const batch = [];
    for (let i = start; i < Math.min(start + 2500, 10001); i++) batch.push({ type: 'track', event: 'Many', anonymousId, messageId: `many-${unique}-${i}` });
    const res = await fetch(creds.ingest_url.replace(/\/+$/, '') + '/v1/batch', { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ batch }) });
    assert.equal(res.status, 200, await res.text());
  }
  const list = mgmt.events.list({ anonymous_id: anonymousId, limit: 100 });
  const all = await list.toArray().then(
    (items) => `resolved with ${items.length} items`,
    (e) => e,
  );
  assert.ok(all instanceof GrowthOSError, `toArray() ${all}, of 10,001`);
  assert.equal(all.code, 'too_many_items');
  assert.match(all.message, /10,?000/);
  assert.equal((await list.toArray(10001)).length, 10001);
  assert.equal((await list.toArray(5)).length, 5);
});

test('a 200 that is not the Ingest API\'s acknowledgement (a captive portal\'s login page, a host that is a web site) does not count as delivered: the events stay queued and reach the Ingest API on the retry', async () => {
  // The first attempt lands on a captive portal (it answers every request with its login page);
  // the network is back for the retry.
  const portal = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>Hotel Wi-Fi</title><form>Accept the terms to continue</form>');
  });
  await new Promise((ok) => portal.listen(0, '127.0.0.1', ok));
  try {
    let attempts = 0;
    const viaPortal = (url, init) => (attempts++ === 0 ? fetch(`http://127.0.0.1:${portal.address().port}/login`, init) : fetch(url, init));
    const errors = [];
    const userId = 'portal_' + unique;
    const gos = GrowthOS.init({ writeKey: creds.write_key, host: creds.ingest_url, fetch: viaPortal, retryBaseDelay: 10, onError: (e) => errors.push(e.message) });
    const id = gos.track('Checked Out', { total: 42 }, { userId });
    await gos.flush();
    assert.equal(attempts, 2, `attempts: ${attempts}; warnings: ${errors.join(' | ')}`);
    assert.equal(gos.pending, 0);
    const events = await eventsOf(mgmt, { user_id: userId }, (e) => e.length >= 1);
    assert.equal(events[0].message_id, id);
    assert.match(errors.join('\n'), /not the Ingest API/);
  } finally {
    portal.close();
  }
});

test('a bad write key: the server refuses (401), the client drops with a warning and never throws', async () => {
  const errors = [];
  const gos = GrowthOS.init({ writeKey: 'gos_wk_not_a_real_key_000000000000', host: creds.ingest_url, onError: (e) => errors.push(e.message) });
  gos.track('Nope');
  await gos.flush();
  assert.equal(gos.pending, 0);
  assert.match(errors.join('\n'), /\(401\): dropped/);
});

test('Management: create with an Idempotency-Key replays the same contact; lists page through every contact', async () => {
  const key = 'idem-' + unique;
  const email = `bob+${unique}@example.com`;
  const first = await mgmt.contacts.create({ email, traits: { source: 'sdk-test' } }, { idempotencyKey: key });
  const again = await mgmt.contacts.create({ email, traits: { source: 'sdk-test' } }, { idempotencyKey: key });
  assert.equal(again.id, first.id);
  assert.match(first.id, /^cntct_/);

  for (let i = 0; i < 3; i++) await mgmt.contacts.create({ email: `page${i}+${unique}@example.com` });
  const seen = new Set();
  let pages = 0;
  for await (const page of mgmt.contacts.list({ limit: 2 }).pages()) {
    pages++;
    page.data.forEach((c) => seen.add(c.id));
  }
  assert.ok(pages >= 3, `${pages} pages`);
  assert.ok(seen.has(first.id));
  const one = await mgmt.contacts.list({ limit: 2 }).page();
  assert.equal(one.data.length, 2);
  assert.equal(one.has_more, true);
});

test('Management: errors are GrowthOSError with the envelope and request id', async () => {
  const missing = await mgmt.contacts.retrieve('cntct_00000000000000000000000').catch((e) => e);
  assert.ok(missing instanceof GrowthOSError, String(missing));
  assert.equal(missing.status, 404);
  assert.equal(missing.code, 'not_found');
  assert.match(missing.request_id, /^req_/);

  const invalid = await mgmt.contacts.create({ email: 'not-an-email', bogus: 1 }).catch((e) => e);
  assert.equal(invalid.status, 400);
  assert.ok(invalid.details.length > 0 && invalid.details[0].field, JSON.stringify(invalid.details));

  const wrongKey = new GrowthOS.Management({ secretKey: 'gos_sk_wrong', host: creds.management_url });
  const unauthorized = await wrongKey.contacts.list().page().catch((e) => e);
  assert.equal(unauthorized.status, 401);
});

test('Management: action routes and analytics', async () => {
  const created = await mgmt.apiKeys.create({ name: 'sdk test ' + unique, type: 'secret', scopes: ['contacts:read'] }).catch((e) => e);
  if (created instanceof GrowthOSError) {
    // the body shape is the API's business; the client reported it properly
    assert.equal(created.status, 400, created.message);
  } else {
    const rolled = await mgmt.apiKeys.roll(created.id, {});
    assert.ok(rolled);
    await mgmt.apiKeys.revoke(rolled.id || created.id).catch(() => undefined);
  }
  const result = await mgmt.analytics.query({ kind: 'counts' });
  assert.equal(result.kind, 'counts');
});
