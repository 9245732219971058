import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analytics, init, backoffDelay, serverDelay } from '../../dist/esm/index.js';
import { fakeFetch, MemoryStorage, QuotaStorage, sleep, until } from '../helpers.mjs';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function client(fetch, options = {}) {
  const errors = [];
  const gos = init({
    writeKey: 'gos_wk_test',
    host: 'http://ingest.test/',
    fetch,
    flushInterval: 60000,
    retryBaseDelay: 5,
    retryMaxDelay: 20,
    onError: (e) => errors.push(e.message),
    ...options,
  });
  gos.errors = errors;
  return gos;
}

test('every event gets a UUID v4 messageId when it is created, and keeps it on the wire', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  const ids = [gos.identify('user_123', { email: 'a@example.com' }), gos.track('Signed Up'), gos.page('Home')];
  for (const id of ids) assert.match(id, UUID_V4);
  assert.equal(new Set(ids).size, 3);
  await gos.flush();
  assert.deepEqual(fetch.events().map((e) => e.messageId), ids);
});

test('the seed snippet: identify then track carries the user id, batched to /v1/batch with Basic auth', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  gos.identify('user_123', { email: 'alice@example.com', plan: 'growth' });
  gos.track('Feature Activated', { feature: 'referral_program' });
  await gos.flush();
  assert.equal(fetch.calls.length, 1);
  const [call] = fetch.calls;
  assert.equal(call.url, 'http://ingest.test/v1/batch');
  assert.equal(call.headers.Authorization, 'Basic ' + Buffer.from('gos_wk_test:').toString('base64'));
  const [identify, track] = call.body.batch;
  assert.equal(identify.type, 'identify');
  assert.deepEqual(identify.traits, { email: 'alice@example.com', plan: 'growth' });
  assert.equal(track.userId, 'user_123');
  assert.equal(track.anonymousId, identify.anonymousId);
  assert.deepEqual(track.properties, { feature: 'referral_program' });
  assert.equal(track.context.library.name, '@growthos/sdk');
});

test('group, alias and reset', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  const anon = gos.anonymousId;
  gos.group('acme', { plan: 'scale' });
  gos.alias('user_9');
  gos.reset();
  gos.track('After Reset');
  await gos.flush();
  const [group, alias, after] = fetch.events();
  assert.equal(group.groupId, 'acme');
  assert.equal(alias.previousId, anon);
  assert.equal(alias.userId, 'user_9');
  assert.equal(after.userId, undefined);
  assert.notEqual(after.anonymousId, anon);
});

test('a batch is sent as soon as flushAt events are queued', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch, { flushAt: 3 });
  gos.track('a');
  gos.track('b');
  await sleep(30);
  assert.equal(fetch.calls.length, 0);
  gos.track('c');
  await until(() => fetch.calls.length === 1);
  assert.equal(fetch.calls[0].body.batch.length, 3);
});

test('queued events are sent after flushInterval', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch, { flushInterval: 40 });
  gos.track('a');
  assert.equal(fetch.calls.length, 0);
  await until(() => fetch.calls.length === 1, 1000);
  assert.equal(gos.pending, 0);
});

test('batches stay under the byte budget', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch, { maxBatchBytes: 4000 });
  for (let i = 0; i < 20; i++) gos.track('Big', { blob: 'x'.repeat(500) });
  await gos.flush();
  assert.ok(fetch.calls.length >= 3, `${fetch.calls.length} requests`);
  for (const c of fetch.calls) assert.ok(Buffer.byteLength(JSON.stringify(c.body)) <= 4000);
  assert.equal(fetch.events().length, 20);
});

test('an event over 32 KB is dropped with a warning, never sent', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  assert.equal(gos.track('Huge', { blob: 'x'.repeat(40000) }), undefined);
  await gos.flush();
  assert.equal(fetch.calls.length, 0);
  assert.match(gos.errors[0], /over the 32768-byte limit/);
});

test('an event the Ingest API accepts (32,768 bytes, 32 KB) is not dropped by the SDK', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  // About 32,400 bytes of JSON: over the former 32,000-byte default, under the server's 32 KB.
  assert.ok(gos.track('Big', { blob: 'x'.repeat(32100) }));
  await gos.flush();
  assert.equal(fetch.events().length, 1);
  assert.deepEqual(gos.errors, []);
});

test('a 500 is retried with the same events and messageIds until it succeeds', async () => {
  const fetch = fakeFetch([{ status: 500 }, { status: 503 }, { status: 200, body: { success: true } }]);
  const gos = client(fetch);
  const id = gos.track('Retried');
  await gos.flush();
  assert.equal(fetch.calls.length, 3);
  for (const c of fetch.calls) assert.deepEqual(c.body.batch.map((e) => e.messageId), [id]);
  assert.equal(gos.pending, 0);
});

test('network errors are retried', async () => {
  const fetch = fakeFetch([{ throws: 'connection refused' }, { status: 200 }]);
  const gos = client(fetch);
  gos.track('x');
  await gos.flush();
  assert.equal(fetch.calls.length, 2);
  assert.equal(gos.pending, 0);
});

test('a 429 waits the Retry-After the server gave before retrying', async () => {
  const fetch = fakeFetch([{ status: 429, headers: { 'Retry-After': '1' } }, { status: 200 }]);
  const gos = client(fetch);
  gos.track('x');
  await gos.flush();
  assert.equal(fetch.calls.length, 2);
  const waited = fetch.calls[1].at - fetch.calls[0].at;
  assert.ok(waited >= 990, `retried after ${waited} ms`);
});

test('a 503 with Retry-After (a load balancer, or the Ingest API with its database down) backs off as well: Retry-After is a floor, the retry budget spans the backoff', async () => {
  // The Ingest API answers 503 with Retry-After: 1 while its database is unreachable. Waiting just
  // that between attempts spent the 11 attempts of maxRetries 10 in about 11 s (then dropped the
  // batch, in browsers too), every client retrying in step. Now each wait is the larger of the
  // backoff (with jitter) and Retry-After. Math.random is fixed at 0.5: waits of half the ceiling.
  const random = Math.random;
  Math.random = () => 0.5;
  try {
    const fetch = fakeFetch([{ status: 503, headers: { 'Retry-After': '0' } }]);
    const gos = client(fetch, { maxRetries: 10, retryBaseDelay: 40, retryMaxDelay: 200 });
    gos.track('x');
    await gos.flush();
    assert.equal(fetch.calls.length, 11);
    const waits = fetch.calls.slice(1).map((c, i) => c.at - fetch.calls[i].at);
    const total = fetch.calls[10].at - fetch.calls[0].at;
    // 20, 40, 80, then 100 (half of retryMaxDelay) seven times: 840 ms
    assert.ok(total >= 800, `11 attempts over ${total} ms (waits ${waits.join(', ')})`);
    assert.match(gos.errors.join('\n'), /failed 11 times \(503\): dropped/);
  } finally {
    Math.random = random;
  }
});

test('clock skew: each attempt carries its own sentAt (a retry after a 429 too), while the event keeps the timestamp of its call', async () => {
  const fetch = fakeFetch([{ status: 429, headers: { 'Retry-After': '1' } }, { status: 200 }]);
  const gos = client(fetch, { flushAt: 1000 });
  gos.track('Skewed');
  await gos.flush();
  assert.equal(fetch.calls.length, 2);
  const [first, retry] = fetch.calls.map((c) => c.body);
  assert.equal(first.batch[0].timestamp, retry.batch[0].timestamp);
  // The server computes timestamp = received_at - (sentAt - timestamp): a stale sentAt would move the event by the wait.
  assert.ok(Date.parse(retry.sentAt) - Date.parse(first.sentAt) >= 900, `${first.sentAt} then ${retry.sentAt}`);
  assert.ok(Math.abs(Date.parse(retry.sentAt) - fetch.calls[1].at) < 100);
});

test('an empty rate-limit bucket (X-RateLimit-Remaining 0) defers the next request to X-RateLimit-Reset', async () => {
  const reset = () => String(Math.ceil((Date.now() + 600) / 1000));
  const fetch = fakeFetch([
    () => ({ status: 200, headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset() } }),
    { status: 200 },
  ]);
  const gos = client(fetch, { maxBatchBytes: 1200 });
  gos.track('a', { pad: 'x'.repeat(600) });
  gos.track('b', { pad: 'x'.repeat(600) });
  const started = Date.now();
  await gos.flush();
  assert.equal(fetch.calls.length, 2);
  const resetAt = Number(fetch.calls.length && Math.ceil((started + 600) / 1000)) * 1000;
  assert.ok(fetch.calls[1].at >= resetAt - 50, 'second request waited for the reset');
});

test('a 400 is never retried: the batch is dropped with a warning', async () => {
  const fetch = fakeFetch([
    { status: 400, body: { error: { code: 'validation_error', message: 'bad', details: [{ field: 'batch' }] } } },
  ]);
  const gos = client(fetch);
  gos.track('x');
  gos.track('y');
  await gos.flush();
  await sleep(50);
  assert.equal(fetch.calls.length, 1);
  assert.equal(gos.pending, 0);
  assert.match(gos.errors.join('\n'), /refused a batch of 2 event\(s\) \(400\): dropped/);
});

test('a 400 naming one event drops that event only and sends the others', async () => {
  const fetch = fakeFetch([
    { status: 400, body: { error: { code: 'validation_error', message: 'bad', details: [{ field: 'batch[1].event' }] } } },
    { status: 200 },
  ]);
  const gos = client(fetch);
  const a = gos.track('a');
  gos.track('b');
  const c = gos.track('c');
  await gos.flush();
  assert.equal(fetch.calls.length, 2);
  assert.deepEqual(fetch.calls[1].body.batch.map((e) => e.messageId), [a, c]);
});

test('a batch that keeps failing is dropped after maxRetries', async () => {
  const fetch = fakeFetch([{ status: 500 }]);
  const gos = client(fetch, { maxRetries: 2 });
  gos.track('x');
  await gos.flush();
  assert.equal(fetch.calls.length, 3);
  assert.equal(gos.pending, 0);
  assert.match(gos.errors.join('\n'), /failed 3 times/);
});

test('close() that gives up with events still queued (no storage) says how many are no longer retried', async () => {
  const fetch = fakeFetch([{ throws: 'fetch failed' }]);
  const gos = client(fetch, { storage: false, maxRetries: 1000, retryBaseDelay: 50, retryMaxDelay: 50 });
  gos.track('a');
  gos.track('b');
  await gos.close({ timeout: 200 });
  assert.match(gos.errors.join('\n'), /close\(\): 2 event\(s\) not acknowledged within 200 ms: no longer retried/);
});

test('an event queued while a batch is retried waits for the next batch, with a retry budget of its own', async () => {
  let release;
  const secondAnswered = new Promise((r) => (release = r));
  // Three answers of 503 for the first batch (its budget with maxRetries 2), then the server is back.
  const fetch = fakeFetch([{ status: 503 }, { status: 503, gate: secondAnswered }, { status: 503 }, { status: 200 }]);
  const gos = client(fetch, { maxRetries: 2 });
  const a = gos.track('A (queued first)');
  const flushed = gos.flush();
  await until(() => fetch.calls.length === 2);
  // Queued before the last attempt of A's batch is sent.
  const b = gos.track('B (queued while A is retried)');
  release();
  await flushed;
  await gos.flush();
  assert.deepEqual(fetch.calls.map((c) => c.body.batch.map((e) => e.messageId)), [[a], [a], [a], [b]], 'B never joins the failing batch');
  assert.match(gos.errors.join('\n'), /batch of 1 event\(s\) failed 3 times/);
  assert.equal(gos.pending, 0, 'B was delivered');
});

test('the queue is kept in storage until acknowledged, and a new page adopts it', async () => {
  const storage = new MemoryStorage();
  const down = fakeFetch([{ throws: 'offline' }]);
  const first = client(down, { storage, maxRetries: 1000, retryBaseDelay: 10000, retryMaxDelay: 10000 });
  const ids = [first.track('a'), first.track('b')];
  void first.flush();
  await until(() => down.calls.length === 1);
  assert.deepEqual(storedEvents(storage).map((e) => e.messageId), ids, 'queue written to storage');

  // "Reload": a second client on the same storage, whose idea of a dead tab is immediate.
  const up = fakeFetch();
  const second = client(up, { storage, tabTimeout: 0 });
  assert.equal(second.pending, 2);
  assert.equal(second.anonymousId, first.anonymousId, 'anonymous id survives');
  await second.flush();
  await first.close({ timeout: 0 });
  assert.deepEqual(up.events().map((e) => e.messageId), ids);
  await sleep(0);
  assert.deepEqual(storedEvents(storage), [], 'nothing left queued');
});

test('no call ever throws into the caller', async () => {
  const gos = client(() => {
    throw new Error('fetch exploded');
  });
  const circular = {};
  circular.self = circular;
  assert.doesNotThrow(() => {
    gos.track();
    gos.track('x', circular);
    gos.identify(null, 'nonsense');
    gos.group();
    gos.alias();
    gos.page(42);
  });
  await assert.doesNotReject(gos.flush());
  assert.ok(gos.errors.length >= 3);
});

test('the Analytics class is what init returns', () => {
  assert.ok(init({ writeKey: 'k', fetch: fakeFetch() }) instanceof Analytics);
});

test('backoff is exponential with full jitter, capped', () => {
  assert.equal(backoffDelay(0, { baseDelay: 100 }, () => 0), 0);
  assert.equal(backoffDelay(0, { baseDelay: 100 }, () => 0.999), 99);
  assert.equal(backoffDelay(3, { baseDelay: 100 }, () => 0.999), 799);
  assert.equal(backoffDelay(20, { baseDelay: 100, maxDelay: 5000 }, () => 0.999), 4995);
  const samples = Array.from({ length: 200 }, () => backoffDelay(4, { baseDelay: 100 }));
  assert.ok(Math.min(...samples) < 400 && Math.max(...samples) > 1200, 'spread over [0, 1600)');
});

test('server delays: Retry-After seconds or date, then X-RateLimit-Reset when the bucket is empty', () => {
  const h = (o) => new Headers(o);
  assert.equal(serverDelay(h({ 'Retry-After': '3' }), 0), 3000);
  assert.equal(serverDelay(h({ 'Retry-After': new Date(10000).toUTCString() }), 4000), 6000);
  assert.equal(serverDelay(h({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '12' }), 10000), 2000);
  assert.equal(serverDelay(h({ 'X-RateLimit-Remaining': '5', 'X-RateLimit-Reset': '12' }), 10000), undefined);
  assert.equal(serverDelay(h({}), 0), undefined);
});

test('a full storage keeps the queue in memory and warns once', async () => {
  const storage = new MemoryStorage();
  storage.setItem = (k) => {
    if (/\.qs?\./.test(k)) throw new Error('QuotaExceededError');
  };
  const fetch = fakeFetch();
  const gos = client(fetch, { storage });
  for (let i = 0; i < 5; i++) gos.track('x');
  await sleep(0);
  gos.track('y');
  await sleep(0);
  assert.equal(gos.errors.filter((e) => e.includes('could not save')).length, 1);
  await gos.flush();
  assert.equal(fetch.events().length, 6);
});

test('a page that replaced Promise after the SDK loaded (a broken polyfill): track() still records, and the queue is still stored', async () => {
  const storage = new MemoryStorage();
  const gos = client(fakeFetch(), { storage });
  const Native = globalThis.Promise;
  let ids;
  globalThis.Promise = function () {
    throw new Error('old polyfill');
  };
  try {
    ids = [gos.track('a'), gos.track('b')];
  } finally {
    globalThis.Promise = Native;
  }
  for (const id of ids) assert.match(String(id), UUID_V4);
  await sleep(0);
  assert.deepEqual(storedEvents(storage).map((e) => e.messageId), ids);
  gos.track('c');
  await sleep(0);
  assert.equal(storedEvents(storage).length, 3, 'later changes are written too');
  assert.deepEqual(gos.errors, []);
  await gos.close({ timeout: 0 });
});

test('identify with a numeric id sends its decimal text; another non-string id is refused, never put on the previous user', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  gos.identify('user_X', { first: true });
  assert.match(gos.identify(12345, { numeric: true }), UUID_V4);
  assert.equal(gos.userId, '12345');
  for (const bad of [true, NaN, Infinity, 1e21, Symbol('x'), ['a'], () => 1, '']) {
    assert.equal(gos.identify(bad, { wrong: true }), undefined);
  }
  assert.equal(gos.userId, '12345', 'a refused id changes nothing');
  assert.equal(gos.errors.filter((e) => /identify/.test(e)).length, 8, gos.errors.join('\n'));
  gos.identify({ traitsOnly: true }); // no id: the current user, as before
  await gos.flush();
  const sent = fetch.events();
  assert.deepEqual(sent.map((e) => [e.userId, e.traits]), [
    ['user_X', { first: true }],
    ['12345', { numeric: true }],
    ['12345', { traitsOnly: true }],
  ]);
});

test('group and alias take numeric ids as decimal text and refuse other non-string ids', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  gos.group(42, { plan: 'scale' });
  assert.equal(gos.group(false), undefined);
  gos.alias(7, 3);
  assert.equal(gos.alias({}), undefined);
  assert.equal(gos.alias('u', { not: 'an id' }), undefined);
  assert.equal(gos.userId, '7');
  await gos.flush();
  const [group, alias, ...rest] = fetch.events();
  assert.equal(group.groupId, '42');
  assert.equal(alias.userId, '7');
  assert.equal(alias.previousId, '3');
  assert.deepEqual(rest, []);
  assert.equal(gos.errors.length, 3, gos.errors.join('\n'));
});

test('an id or event name over 255 characters (the Ingest API refuses every event carrying one) is refused at the call: later events keep the previous user', async () => {
  const storage = new MemoryStorage();
  const fetch = fakeFetch();
  const gos = client(fetch, { storage });
  gos.identify('user_ok');
  const long = 'u'.repeat(256);
  assert.equal(gos.identify(long, { plan: 'x' }), undefined);
  assert.equal(gos.alias(long), undefined);
  assert.equal(gos.alias('user_new', long), undefined);
  assert.equal(gos.group(long), undefined);
  assert.equal(gos.track('e'.repeat(256)), undefined);
  assert.equal(gos.userId, 'user_ok', 'a refused id changes nothing');
  assert.equal(storage.getItem('gos_user_id'), 'user_ok');
  // 255 characters pass, counted as characters: 255 emoji (510 UTF-16 units) too.
  assert.match(gos.group('g'.repeat(255)), UUID_V4);
  assert.match(gos.track('\u{1F600}'.repeat(255)), UUID_V4);
  gos.track('After');
  await gos.flush();
  assert.deepEqual(fetch.events().map((e) => [e.type, e.userId]), [['identify', 'user_ok'], ['group', 'user_ok'], ['track', 'user_ok'], ['track', 'user_ok']]);
  assert.equal(gos.errors.filter((e) => /at most 255 characters/.test(e)).length, 5, gos.errors.join('\n'));
  // A too long user id stored by an earlier version is not put on the events of the next page.
  storage.setItem('gos_user_id', long);
  const next = client(fetch, { storage });
  assert.equal(next.userId, undefined);
});

test('alias without previousId links the current user id, else the anonymous id (as analytics.js)', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  const anon = gos.anonymousId;
  gos.alias('user_123'); // at sign-up, before identify: the anonymous id becomes user_123
  gos.identify('user_123', { email: 'alice@example.com' });
  gos.alias('user_456'); // later: the current user id is the previous id
  await gos.flush();
  const [first, , second] = fetch.events();
  assert.deepEqual([first.previousId, first.userId], [anon, 'user_123']);
  assert.deepEqual([second.previousId, second.userId], ['user_123', 'user_456']);
});

test('the calls work unbound (btn.addEventListener("click", gos.flush), items.forEach(gos.track)): none throws', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  const { identify, track, page, group, alias, reset, flush } = gos;
  identify('user_7');
  ['A', 'B'].forEach(track);
  page('Home');
  group('acme');
  alias('user_8');
  await flush();
  assert.deepEqual(fetch.events().map((e) => e.type), ['identify', 'track', 'track', 'page', 'group', 'alias']);
  reset();
  assert.equal(gos.userId, undefined);
  await gos.close();
});

test('reset() forgets the referral code too: the next person on the browser does not send it', async () => {
  const storage = new MemoryStorage();
  storage.setItem('gos_referral_code', 'ALICE42'); // captured from ?ref= on the landing page
  const fetch = fakeFetch();
  const gos = client(fetch, { storage });
  assert.equal(gos.referralCode, 'ALICE42');
  gos.track('Before Logout');
  gos.reset();
  gos.track('After Logout');
  await gos.flush();
  const [before, after] = fetch.events();
  assert.equal(before.context.referral_code, 'ALICE42');
  assert.equal(after.context.referral_code, undefined);
  assert.equal(gos.referralCode, undefined);
  assert.equal(storage.getItem('gos_referral_code'), null);
});

/** The events a client keeps in a storage, in order (whatever keys it uses). */
function storedEvents(storage) {
  const keys = [...storage.map.keys()].filter((k) => /^gos\.gos_wk_test\.qs?\./.test(k));
  const seg = (k) => Number(k.split('.').pop()) || 0;
  return keys.sort((a, b) => seg(a) - seg(b)).flatMap((k) => JSON.parse(storage.map.get(k)));
}

/** The queue a tab stored and left (no heartbeat): `count` events in segments of 50, as the client writes them. */
function storeDeadTabQueue(storage, count) {
  const ids = [];
  for (let seg = 0; seg * 50 < count; seg++) {
    const events = [];
    for (let i = seg * 50; i < Math.min(count, (seg + 1) * 50); i++) {
      const messageId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      ids.push(messageId);
      events.push({ type: 'track', event: 'Stored While Offline', properties: { i }, messageId, timestamp: '2026-01-01T00:00:00.000Z', anonymousId: 'anon_1', context: {} });
    }
    storage.setItem(`gos.gos_wk_test.qs.deadtab.${seg}`, JSON.stringify(events));
  }
  return ids;
}

test('a long stored queue is adopted a slice per task: init returns at once, every event is kept in storage throughout and sent once', async () => {
  // Each write or removal checks that every stored event is still stored somewhere (ours or theirs):
  // a page closed in the middle of the adoption loses nothing.
  class Watched extends MemoryStorage {
    check() {
      if (!this.ids) return;
      const stored = new Set(storedEvents(this).map((e) => e.messageId));
      const missing = this.ids.filter((id) => !stored.has(id) && !this.sent.has(id));
      if (missing.length) this.lost.push(missing.length);
    }
    setItem(k, v) {
      super.setItem(k, v);
      this.check();
    }
    removeItem(k) {
      super.removeItem(k);
      this.check();
    }
  }
  const storage = new Watched();
  const ids = storeDeadTabQueue(storage, 2500);
  storage.lost = [];
  storage.sent = new Set();
  storage.ids = ids;
  const up = fakeFetch([(c) => (c.body.batch.forEach((e) => storage.sent.add(e.messageId)), { status: 200 })]);
  const started = Date.now();
  const gos = client(up, { storage, flushAt: 100000 });
  const initMs = Date.now() - started;
  assert.ok(gos.pending > 0 && gos.pending <= 1000, `at most one slice (1,000 events) adopted during init, got ${gos.pending} in ${initMs} ms`);
  await until(() => ![...storage.map.keys()].some((k) => /deadtab/.test(k)), 10000);
  await gos.flush();
  assert.deepEqual(storage.lost, [], 'no event was missing from storage at any write');
  assert.equal(up.events().length, 2500, 'each sent once');
  assert.deepEqual(new Set(up.events().map((e) => e.messageId)), new Set(ids));
  assert.deepEqual(storedEvents(storage), []);
  assert.deepEqual([...storage.map.keys()].filter((k) => /deadtab/.test(k)), [], 'the dead tab\'s keys, heartbeat and lock are gone');
  await gos.close({ timeout: 0 });
});

test('an event is a snapshot taken at the call: an object mutated or made circular afterwards neither changes nor blocks the queue', async () => {
  const storage = new MemoryStorage();
  const fetch = fakeFetch();
  const gos = client(fetch, { storage, flushAt: 100 });
  const props = { step: 1 };
  const context = { campaign: 'spring' };
  const traits = { plan: 'growth' };
  gos.track('Checkout Step', props, { context });
  props.step = 2;
  gos.track('Checkout Step', props);
  gos.identify('user_1', traits);
  // The caller keeps using its objects: circular, a BigInt, a throwing getter.
  props.self = props;
  props.big = 10n;
  Object.defineProperty(props, 'boom', { enumerable: true, get: () => { throw new Error('boom'); } });
  context.self = context;
  traits.self = traits;
  gos.track('Later');
  await sleep(0);
  assert.deepEqual(storedEvents(storage).map((e) => e.event || e.type), ['Checkout Step', 'Checkout Step', 'identify', 'Later'], 'the stored queue is intact');
  await gos.flush();
  assert.equal(fetch.calls.length, 1);
  const [first, second, identify, later] = fetch.events();
  assert.deepEqual(first.properties, { step: 1 });
  assert.equal(first.context.campaign, 'spring');
  assert.deepEqual(second.properties, { step: 2 });
  assert.deepEqual(identify.traits, { plan: 'growth' });
  assert.equal(later.event, 'Later');
  assert.equal(gos.pending, 0);
  assert.deepEqual(gos.errors, []);
  assert.deepEqual(storedEvents(storage), []);
});

test('an event that cannot be serialised at the call is dropped alone with a report; the others are sent', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  const circular = {};
  circular.self = circular;
  assert.equal(gos.track('Circular', circular), undefined);
  assert.equal(gos.track('BigInt', { n: 1n }), undefined);
  assert.equal(gos.identify('u', { get bad() { throw new Error('getter'); } }), undefined);
  assert.equal(gos.track('Context', {}, { context: { toJSON() { throw new Error('toJSON'); } } }), undefined);
  const ok = gos.track('Fine');
  await gos.flush();
  assert.deepEqual(fetch.events().map((e) => e.messageId), [ok]);
  assert.equal(gos.errors.length, 4, gos.errors.join('\n'));
  for (const e of gos.errors) assert.match(e, /could not be serialised .*dropped/);
});

/** A localStorage that counts what is written to the queue's keys. */
class CountingStorage extends MemoryStorage {
  constructor() {
    super();
    this.writes = 0;
    this.bytes = 0;
  }
  setItem(k, v) {
    if (/\.qs?\./.test(k)) {
      this.writes++;
      this.bytes += String(v).length;
    }
    super.setItem(k, v);
  }
}

test('persisting costs the same per event however long the queue is: no whole-queue rewrite per call', async () => {
  const storage = new CountingStorage();
  const gos = client(fakeFetch(), { storage, flushAt: 100000, maxQueueSize: 100000 });
  const props = { pad: 'x'.repeat(200) };
  // 1,000 events in one task: each byte of the queue is written about once, not 500 times.
  for (let i = 0; i < 1000; i++) gos.track('Bulk', props);
  await sleep(0);
  const queueBytes = JSON.stringify(storedEvents(storage)).length;
  assert.equal(storedEvents(storage).length, 1000);
  assert.ok(storage.bytes < 1.5 * queueBytes, `wrote ${storage.bytes} bytes for a queue of ${queueBytes}`);

  // Then one event per task (clicks) on top of that queue, and on top of an empty one: the same cost.
  const perCall = async (g, s) => {
    s.writes = 0;
    s.bytes = 0;
    for (let i = 0; i < 100; i++) {
      g.track('Click', props);
      await sleep(0);
    }
    return { writes: s.writes / 100, bytes: s.bytes / 100 };
  };
  const long = await perCall(gos, storage);
  const fresh = new CountingStorage();
  const short = await perCall(client(fakeFetch(), { storage: fresh, flushAt: 100000 }), fresh);
  assert.ok(long.writes <= 1.1, `${long.writes} writes per call`);
  assert.ok(long.bytes <= 2 * short.bytes + 1000, `${long.bytes} bytes per call with 1,000 queued, ${short.bytes} with none`);
  assert.ok(long.bytes < queueBytes / 20, `${long.bytes} bytes per call for a queue of ${queueBytes}`);
  assert.equal(storedEvents(storage).length, 1100);
});

/** Runs fn with a minimal browser (window, document, navigator, localStorage) around the client. */
async function inFakeBrowser(storage, fn) {
  const listeners = {};
  const document = { cookie: '', referrer: '', title: 'Test', visibilityState: 'visible', addEventListener() {} };
  const window = {
    document,
    location: new URL('https://shop.test/pricing'),
    navigator: { onLine: true, userAgent: 'test', language: 'en' },
    localStorage: storage,
    addEventListener(type, f) {
      (listeners[type] ||= []).push(f);
    },
  };
  const fire = (type) => (listeners[type] || []).forEach((f) => f({ type }));
  globalThis.window = window;
  globalThis.document = document;
  try {
    return await fn({ window, fire });
  } finally {
    delete globalThis.window;
    delete globalThis.document;
  }
}

test('in a browser a network error never uses up the retry budget: the stored queue outlives an outage of any length', async () => {
  await inFakeBrowser(new MemoryStorage(), async () => {
    const storage = window.localStorage;
    let offline = 40;
    const fetch = fakeFetch([(c) => (fetch.calls.length <= offline ? { throws: 'Failed to fetch' } : { status: 200 })]);
    const gos = client(fetch, { maxRetries: 2, retryBaseDelay: 1, retryMaxDelay: 4 });
    const id = gos.track('Offline Event');
    await gos.flush(); // resolves after the first failed attempt: the event stays queued and stored
    assert.equal(gos.pending, 1);
    assert.deepEqual(storedEvents(storage).map((e) => e.messageId), [id]);
    await until(() => gos.pending === 0, 5000);
    assert.equal(fetch.calls.length, offline + 1, 'retried in the background until the network came back');
    assert.ok(!gos.errors.some((e) => /dropped/.test(e)), gos.errors.find((e) => /dropped/.test(e)));
    assert.deepEqual(fetch.events().at(-1).messageId, id);
    await sleep(0);
    assert.deepEqual(storedEvents(storage), []);
    await gos.close({ timeout: 0 });
  });
});

test('in a browser leaving the page hands the queue to sendBeacon as text/plain with the write key and its own sentAt in the body; the events stay queued until acknowledged', async () => {
  await inFakeBrowser(new MemoryStorage(), async ({ window, fire }) => {
    const beacons = [];
    window.navigator.sendBeacon = (url, data) => (beacons.push({ url, data }), true);
    const fetch = fakeFetch([{ throws: 'Failed to fetch' }]);
    const gos = client(fetch, { flushAt: 1000, flushInterval: 600000 });
    const id = gos.track('Left The Page', { plan: 'pro' }, { timestamp: new Date(Date.now() - 3 * 86400000) });
    await sleep(20);
    fire('pagehide');
    assert.equal(beacons.length, 1);
    assert.equal(beacons[0].url, 'http://ingest.test/v1/batch');
    // A string: the browser sends it as text/plain;charset=UTF-8, a simple request with no preflight.
    assert.equal(typeof beacons[0].data, 'string');
    const body = JSON.parse(beacons[0].data);
    assert.equal(body.writeKey, 'gos_wk_test');
    assert.deepEqual(body.batch.map((e) => e.messageId), [id]);
    // sentAt is the beacon's time, not the event's: the server corrects a device clock from the two.
    assert.ok(Math.abs(Date.parse(body.sentAt) - Date.now()) < 1000, body.sentAt);
    assert.ok(Date.parse(body.sentAt) - Date.parse(body.batch[0].timestamp) > 2 * 86400000);
    assert.equal(gos.pending, 1, 'a beacon is never acknowledged: the next page may send it again (the server keeps each messageId once)');
    assert.deepEqual(storedEvents(window.localStorage).map((e) => e.messageId), [id]);
    await gos.close({ timeout: 0 });
  });
});

test('in a browser a full localStorage still hands the queue an earlier page stored to the next one: adopted, sent, the room freed', async () => {
  const storage = new QuotaStorage(20000);
  await inFakeBrowser(storage, async () => {
    const down = fakeFetch([{ throws: 'Failed to fetch' }]);
    const first = client(down, { retryBaseDelay: 60000, retryMaxDelay: 60000, beacon: false });
    const ids = Array.from({ length: 10 }, (_, i) => first.track('Stored While Offline', { i }));
    await sleep(0);
    assert.equal(storedEvents(storage).length, 10);
    await first.close({ timeout: 0 });
    // The page fills the storage to the last byte: no write of any kind (lock, copy, probe) fits now.
    storage.fill();
    assert.throws(() => storage.setItem('x', '1'), /quota/);
    const up = fakeFetch();
    const second = client(up, { tabTimeout: 0 });
    assert.equal(second.pending, 10, 'the stored queue is adopted');
    await second.flush();
    assert.deepEqual(up.events().map((e) => e.messageId).sort(), [...ids].sort());
    await sleep(0);
    assert.deepEqual(storedEvents(storage), [], 'sent and forgotten: the room is free again');
    assert.deepEqual(second.errors.filter((e) => /adopt|could not save/.test(e)), []);
    await second.close({ timeout: 0 });
  });
});

test('in a browser a localStorage that cannot be read (blocked) gives one warning; the events are sent from memory', async () => {
  const blocked = {
    get length() {
      throw new DOMException('denied', 'SecurityError');
    },
    key() {
      throw new DOMException('denied', 'SecurityError');
    },
    getItem() {
      throw new DOMException('denied', 'SecurityError');
    },
    setItem() {
      throw new DOMException('denied', 'SecurityError');
    },
    removeItem() {
      throw new DOMException('denied', 'SecurityError');
    },
  };
  await inFakeBrowser(blocked, async () => {
    const fetch = fakeFetch();
    const gos = client(fetch);
    gos.track('a');
    gos.track('b');
    await gos.flush();
    assert.equal(fetch.events().length, 2);
    assert.deepEqual(gos.errors, ['[GrowthOS] localStorage is blocked: queued events live in memory only (sent with sendBeacon when the page is left)']);
    await gos.close({ timeout: 0 });
  });
});

test('in a browser server errors still count toward maxRetries', async () => {
  await inFakeBrowser(new MemoryStorage(), async () => {
    const fetch = fakeFetch([{ status: 503 }]);
    const gos = client(fetch, { maxRetries: 2 });
    gos.track('x');
    await gos.flush();
    assert.equal(fetch.calls.length, 3);
    assert.equal(gos.pending, 0);
    assert.match(gos.errors.join('\n'), /failed 3 times \(503\): dropped/);
    await gos.close({ timeout: 0 });
  });
});

test('in a browser that is offline (navigator.onLine false) nothing is sent until the online event, then at once', async () => {
  await inFakeBrowser(new MemoryStorage(), async ({ window, fire }) => {
    window.navigator.onLine = false;
    const fetch = fakeFetch();
    const gos = client(fetch, { retryBaseDelay: 60000, retryMaxDelay: 60000 });
    gos.track('While Offline');
    await gos.flush(); // resolves: nothing can be sent now, the event stays queued
    await sleep(50);
    assert.equal(fetch.calls.length, 0, 'no request while offline');
    assert.equal(gos.pending, 1);
    window.navigator.onLine = true;
    fire('online');
    await until(() => fetch.calls.length === 1, 1000);
    await until(() => gos.pending === 0, 1000);
    await gos.close({ timeout: 0 });
  });
});

test('in Node a network error counts toward maxRetries (no stored queue): flush resolves once the batch is dropped', async () => {
  const fetch = fakeFetch([{ throws: 'ECONNREFUSED' }]);
  const gos = client(fetch, { maxRetries: 2 });
  gos.track('x');
  await gos.flush();
  assert.equal(fetch.calls.length, 3);
  assert.equal(gos.pending, 0);
  assert.match(gos.errors.join('\n'), /failed 3 times \(network error\): dropped/);
});

test('after a 413 the smaller batch size is kept: later batches do not hit the limit again', async () => {
  const fetch = fakeFetch([(c) => (c.body.batch.length > 3 ? { status: 413, body: { error: { code: 'payload_too_large', message: 'too large' } } } : { status: 200 })]);
  const gos = client(fetch, { flushAt: 1000 });
  for (let i = 0; i < 10; i++) gos.track('E' + i);
  await gos.flush();
  for (let i = 10; i < 20; i++) gos.track('E' + i);
  await gos.flush();
  const sizes = fetch.calls.map((c) => c.body.batch.length);
  assert.equal(sizes.filter((n) => n > 3).length, 2, `two 413s (10, then 5), then no more: ${sizes}`);
  // Half the bytes of the refused batch of 5 (events of about one size): 2 at a time from then on.
  assert.deepEqual(sizes.slice(2), [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
  assert.equal(new Set(fetch.events().map((e) => e.event)).size, 20);
  assert.equal(gos.pending, 0);
});

test('one event too large for a proxy (413 even alone) is dropped without making every later batch a single event', async () => {
  // A proxy in front of the Ingest API that takes at most 3,000 bytes per request, and one event over it.
  const fetch = fakeFetch([(c) => (JSON.stringify(c.body).length > 3000 ? { status: 413 } : { status: 200 })]);
  const gos = client(fetch, { flushAt: 1000 });
  for (let i = 0; i < 10; i++) gos.track('E' + i);
  gos.track('Big', { blob: 'x'.repeat(4000) });
  for (let i = 10; i < 20; i++) gos.track('E' + i);
  await gos.flush();
  assert.equal(gos.pending, 0);
  assert.deepEqual(gos.errors, ['[GrowthOS] server refused a batch of 1 event(s) (413): dropped; no error body']);
  assert.equal(fetch.events().filter((e) => e.event === 'Big').length > 0, true);
  const before = fetch.calls.length;
  for (let i = 20; i < 40; i++) gos.track('E' + i);
  await gos.flush();
  const later = fetch.calls.slice(before).map((c) => c.body.batch.length);
  assert.ok(later.length <= 3, `20 small events after the drop went out in ${later.length} requests: ${later}`);
  const delivered = new Set(fetch.calls.filter((c) => JSON.stringify(c.body).length <= 3000).flatMap((c) => c.body.batch.map((e) => e.event)));
  assert.equal(delivered.size, 40, 'every small event delivered');
  assert.equal(delivered.has('Big'), false);
});

test('two tabs sharing storage: a live tab whose heartbeat is late (timers slowed in the background) has its queue adopted; every event is sent, none lost, some twice', async () => {
  const storage = new MemoryStorage();
  let down = true;
  const accepted = new Map();
  const fetch = fakeFetch([
    (c) => {
      if (down) return { status: 503 };
      for (const e of c.body.batch) accepted.set(e.messageId, (accepted.get(e.messageId) || 0) + 1);
      return { status: 200 };
    },
  ]);
  const tab = () => client(fetch, { storage, flushInterval: 50, maxRetries: 1000, retryMaxDelay: 300, tabTimeout: 2000 });
  const a = tab();
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(a.track('A' + i));
  await sleep(100);
  const b = tab();
  const beat = [...storage.map.keys()].find((k) => k.includes('.hb.') && storage.map.get(k) !== '0');
  // A's heartbeat stops for 1.5 s (its tab in the background), the ingest still down.
  const write = storage.setItem.bind(storage);
  storage.setItem = (k, v) => (k === beat ? undefined : write(k, v));
  storage.map.set(beat, '1');
  await sleep(1500);
  assert.equal(b.pending, 5, 'B adopted the queue of A, which looked closed');
  assert.equal(a.pending, 5, 'A still holds it');
  storage.setItem = write;
  down = false;
  await until(() => a.pending === 0 && b.pending === 0, 10000);
  assert.deepEqual([...accepted.keys()].sort(), [...ids].sort(), 'every event sent');
  // Sent by both: the Ingest API stores each messageId once.
  assert.ok([...accepted.values()].every((n) => n >= 1 && n <= 2), String([...accepted.values()]));
  await a.close({ timeout: 0 });
  await b.close({ timeout: 0 });
});

test('a page whose Array.prototype.toJSON returns a string (Prototype.js 1.6) still sends arrays as arrays', async () => {
  // What Prototype.js 1.6 defines: JSON.stringify({a: [1]}) then gives {"a":"[1]"}.
  Object.defineProperty(Array.prototype, 'toJSON', {
    value: function () {
      return '[' + this.join(', ') + ']';
    },
    writable: true,
    configurable: true,
  });
  try {
    assert.equal(JSON.stringify({ a: [1, 2] }), '{"a":"[1, 2]"}');
    const fetch = fakeFetch();
    const gos = client(fetch);
    gos.track('Order Completed', { products: [{ sku: 'a' }, { sku: 'b' }], tags: ['x'] });
    await gos.flush();
    const [event] = fetch.events();
    assert.deepEqual(event.properties, { products: [{ sku: 'a' }, { sku: 'b' }], tags: ['x'] });
    // The page's own method is back once the SDK is done.
    assert.equal(typeof Array.prototype.toJSON, 'function');
  } finally {
    delete Array.prototype.toJSON;
  }
});

test('a call after close() in Node, where nothing would ever send it, is dropped with a warning instead of queued in silence', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch, { storage: false });
  gos.track('Before');
  await gos.close({ timeout: 1000 });
  assert.equal(fetch.events().length, 1, 'close() flushed what was queued');

  const id = gos.track('After');

  assert.equal(id, undefined, 'no messageId: nothing was queued');
  assert.equal(gos.pending, 0);
  assert.ok(gos.errors.some((m) => /track called after close\(\): dropped/.test(m)), JSON.stringify(gos.errors));
});

test('a call after close() in a browser is kept in storage for the next page, as close() promises', async () => {
  const storage = new MemoryStorage();
  const gos = client(fakeFetch(), { storage });
  await gos.close({ timeout: 0 });

  const id = gos.track('After');

  assert.match(id, UUID_V4);
  assert.ok(JSON.stringify([...storage.map.values()]).includes(id) || gos.pending === 1, 'kept for the next page');
  assert.deepEqual(gos.errors.filter((m) => /after close/.test(m)), []);
});

test("the anonymous id's cookie is tried on the site's domains, broadest first, and on none for an IP address or a one-label host", async () => {
  const { cookieDomains } = await import('../../dist/esm/cookies.js');
  assert.deepEqual(cookieDomains('www.example.com'), ['example.com', 'www.example.com']);
  assert.deepEqual(cookieDomains('a.shop.example.co.uk'), ['co.uk', 'example.co.uk', 'shop.example.co.uk', 'a.shop.example.co.uk']);
  assert.deepEqual(cookieDomains('example.com.'), ['example.com']);
  assert.deepEqual(cookieDomains('localhost'), []);
  assert.deepEqual(cookieDomains('127.0.0.1'), []);
  assert.deepEqual(cookieDomains('[::1]'), []);
  assert.deepEqual(cookieDomains(''), []);
});

/** A promise and the function that resolves it: a server answer held until the test lets it go. */
function gate() {
  let open;
  const promise = new Promise((r) => (open = r));
  return { promise, open };
}

test("analytics.js callbacks: track(event, properties, options, callback) sends the event at once and calls the callback once, after the POST holding it succeeded", async () => {
  const answer = gate();
  const fetch = fakeFetch([{ status: 200, gate: answer.promise }]);
  // A timeout far away: only the delivery can call it back here.
  const gos = client(fetch, { callbackTimeout: 60000 });
  const called = [];
  const id = gos.track('Clicked Link', { href: '/pricing' }, { userId: 'user_7' }, () => called.push(Date.now()));
  await until(() => fetch.calls.length === 1, 2000);
  await sleep(50);
  const beforeAnswer = called.length;
  answer.open();
  await until(() => called.length === 1, 2000);
  await gos.flush();
  await sleep(50);
  assert.deepEqual([beforeAnswer, called.length], [0, 1], 'not before the answer; once after it');
  assert.ok(called[0] >= fetch.answered[0], 'called after the server acknowledged the batch');
  const [event] = fetch.events();
  assert.deepEqual([event.messageId, event.event, event.properties, event.userId], [id, 'Clicked Link', { href: '/pricing' }, 'user_7']);
  assert.deepEqual(gos.errors, []);
});

test('analytics.js callbacks: with a slow server the callback runs after the timeout (300 ms by default, callbackTimeout), once, and the event is still delivered', async () => {
  const answer = gate();
  const fetch = fakeFetch([{ status: 200, gate: answer.promise }]);
  const gos = client(fetch);
  const called = [];
  const start = Date.now();
  gos.track('Clicked Link', {}, {}, () => called.push(Date.now() - start));
  await until(() => called.length === 1, 3000);
  assert.equal(fetch.answered.length, 0, 'the server had not answered yet');
  assert.ok(called[0] >= 295, `not before the 300 ms (${called[0]})`);
  answer.open();
  await until(() => gos.pending === 0, 3000);
  await sleep(50);
  assert.equal(called.length, 1, 'not called again on delivery');
  assert.equal(fetch.events().length, 1);
  const held = gate();
  const quick = client(fakeFetch([{ status: 200, gate: held.promise }]), { callbackTimeout: 50 });
  const at = Date.now();
  let after;
  quick.track('x', () => (after = Date.now() - at));
  await until(() => after !== undefined, 3000);
  held.open();
  assert.ok(after >= 45, `callbackTimeout: 50 (${after})`);
  await quick.flush();
});

test('analytics.js callbacks: every shorter form takes a function as its last argument, never as properties, traits, options or an id', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  const calls = {};
  const cb = (name) => () => (calls[name] = (calls[name] || 0) + 1);
  gos.track('A', cb('track(event, cb)'));
  gos.track('B', { b: 1 }, cb('track(event, props, cb)'));
  gos.identify('user_1', cb('identify(id, cb)'));
  gos.identify('user_1', { plan: 'pro' }, cb('identify(id, traits, cb)'));
  gos.identify({ seats: 3 }, cb('identify(traits, cb)'));
  gos.page(cb('page(cb)'));
  gos.page('Home', cb('page(name, cb)'));
  gos.page('Docs', 'Start', { s: 1 }, { userId: 'user_9' }, cb('page(category, name, props, options, cb)'));
  gos.group('acme', cb('group(id, cb)'));
  gos.group('acme', { size: 5 }, {}, cb('group(id, traits, options, cb)'));
  gos.alias('user_2', cb('alias(id, cb)'));
  gos.alias('user_3', 'user_2', {}, cb('alias(id, previous, options, cb)'));
  await gos.flush();
  assert.deepEqual(gos.errors, [], 'no call dropped');
  const events = fetch.events();
  assert.deepEqual(
    events.slice(0, 5).map((e) => [e.type, e.event || e.name || e.groupId || e.previousId || e.userId, e.properties || e.traits]).map((x) => JSON.stringify(x)),
    [
      ['track', 'A', {}],
      ['track', 'B', { b: 1 }],
      ['identify', 'user_1', {}],
      ['identify', 'user_1', { plan: 'pro' }],
      ['identify', 'user_1', { seats: 3 }],
    ].map((x) => JSON.stringify(x)),
  );
  const page = events.find((e) => e.type === 'page' && e.name === 'Start');
  assert.deepEqual([page.category, page.properties.s, page.userId], ['Docs', 1, 'user_9']);
  assert.equal(events.filter((e) => e.type === 'page').length, 3);
  assert.deepEqual(events.filter((e) => e.type === 'group').map((e) => e.traits), [{}, { size: 5 }]);
  assert.deepEqual(events.filter((e) => e.type === 'alias').map((e) => [e.previousId, e.userId]), [['user_1', 'user_2'], ['user_2', 'user_3']]);
  await until(() => Object.keys(calls).length === 12, 2000);
  await sleep(400);
  assert.deepEqual(Object.values(calls), new Array(12).fill(1), JSON.stringify(calls));
});

test('analytics.js callbacks: a callback that throws is reported and breaks nothing: later events are sent and their callbacks run; a call dropped at once still calls back', async () => {
  const fetch = fakeFetch();
  const gos = client(fetch);
  let thrown = 0;
  let next = 0;
  gos.track('First', {}, {}, () => {
    thrown++;
    throw new Error('boom');
  });
  await until(() => thrown === 1, 2000);
  gos.track('Second', {}, {}, () => next++);
  await until(() => next === 1, 2000);
  // An id the Ingest API would refuse: the call is dropped, the navigation waiting on it is not blocked.
  let dropped = 0;
  gos.identify('', {}, {}, () => dropped++);
  await until(() => dropped === 1, 1000);
  await sleep(400);
  assert.deepEqual([thrown, next, dropped], [1, 1, 1]);
  assert.deepEqual(fetch.events().map((e) => e.event), ['First', 'Second']);
  assert.ok(gos.errors.some((m) => /callback/.test(m) && /boom/.test(m)), gos.errors.join('\n'));
  assert.equal(gos.pending, 0);
});

test('in a browser a long ?ref= is cut to 128 characters, never inside one: an emoji across the cut would leave half of it, and the Ingest API refuses every event whose context holds one (400 invalid_character)', async () => {
  await inFakeBrowser(new MemoryStorage(), async ({ window }) => {
    window.location = new URL('https://shop.test/?ref=' + 'a'.repeat(127) + '😀' + 'tail');
    const fetch = fakeFetch();
    const gos = client(fetch);
    gos.track('Landed');
    await gos.flush();
    const code = fetch.events()[0].context.referral_code;
    const unpaired = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    assert.deepEqual([unpaired.test(code), Array.from(code).length, code], [false, 128, 'a'.repeat(127) + '😀']);
    await gos.close({ timeout: 0 });
    // A code an earlier version stored cut inside an emoji is forgotten: the events go without it.
    window.localStorage.setItem('gos_referral_code', 'a'.repeat(127) + '\ud83d');
    window.location = new URL('https://shop.test/');
    const next = client(fetch);
    next.track('Next Page');
    await next.flush();
    assert.equal(fetch.events().at(-1).context.referral_code, undefined);
    await next.close({ timeout: 0 });
  });
});
