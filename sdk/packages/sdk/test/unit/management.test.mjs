import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import GrowthOS, { GrowthOSError, Management } from '../../dist/esm/index.js';
import { ROUTES } from '../../dist/esm/management/generated/routes.js';
import { routesOf } from '../../scripts/routes.mjs';
import { fakeFetch } from '../helpers.mjs';

const snapshot = JSON.parse(readFileSync(new URL('../../../../openapi/management.json', import.meta.url), 'utf8'));

function mgmt(fetch, options = {}) {
  return new GrowthOS.Management({ secretKey: 'gos_sk_test', host: 'http://mgmt.test', fetch, retryBaseDelay: 1, ...options });
}

test('the client has one method per operation of the OpenAPI snapshot it was built from', () => {
  const fresh = routesOf(snapshot).map(({ summary, scope, ...spec }) => spec);
  assert.deepEqual(ROUTES, fresh, 'dist was generated from another document: run npm run build');
  let count = 0;
  for (const path of Object.values(snapshot.paths)) count += Object.keys(path).filter((m) => m !== 'parameters').length;
  assert.equal(ROUTES.length, count);
  const m = mgmt(fakeFetch());
  for (const r of ROUTES) {
    const fn = r.name.reduce((node, part) => node && node[part], m);
    assert.equal(typeof fn, 'function', r.name.join('.'));
  }
  // the names SPEC §10 promises
  for (const name of ['contacts.create', 'apiKeys.roll', 'analytics.query', 'contacts.list', 'campaigns.participants.list', 'segments.del']) {
    assert.ok(ROUTES.some((r) => r.name.join('.') === name), name);
  }
});

test('a write carries a new Idempotency-Key, the same one on each of its retries', async () => {
  const fetch = fakeFetch([{ status: 500, body: { error: { code: 'internal_error', message: 'x' } } }, { status: 201, body: { id: 'cntct_1' } }]);
  const m = mgmt(fetch);
  const contact = await m.contacts.create({ email: 'a@example.com' });
  assert.equal(contact.id, 'cntct_1');
  assert.equal(fetch.calls.length, 2);
  const [first, second] = fetch.calls.map((c) => c.headers['Idempotency-Key']);
  assert.match(first, /^[0-9a-f-]{36}$/);
  assert.equal(second, first);
  assert.equal(fetch.calls[0].headers.Authorization, 'Bearer gos_sk_test');
  assert.deepEqual(fetch.calls[0].body, { email: 'a@example.com' });
  await m.contacts.create({ email: 'b@example.com' });
  assert.notEqual(fetch.calls[2].headers['Idempotency-Key'], first, 'a new call, a new key');
});

test('an explicit idempotencyKey and ifMatch become headers, not query parameters', async () => {
  const fetch = fakeFetch([{ status: 200, body: { id: 'cntct_1' } }]);
  const m = mgmt(fetch);
  await m.contacts.update('cntct_1', { traits: { plan: 'pro' } }, { idempotencyKey: 'k-1', ifMatch: 3 });
  const [call] = fetch.calls;
  assert.equal(call.method, 'PATCH');
  assert.equal(call.url, 'http://mgmt.test/v1/contacts/cntct_1');
  assert.equal(call.headers['Idempotency-Key'], 'k-1');
  assert.equal(call.headers['If-Match'], '3');
});

// Path parameters are ids, which need no encoding (the services refuse a percent-encoded path);
// one that would need it is a 404 without a request: see 'a path parameter no id can be…'.
test('reads carry no Idempotency-Key; path parameters are sent as they are', async () => {
  const fetch = fakeFetch([{ status: 200, body: { id: 'x' } }]);
  const m = mgmt(fetch);
  await m.campaigns.participants.retrieve('cmp_1', 'part_2');
  assert.equal(fetch.calls[0].url, 'http://mgmt.test/v1/campaigns/cmp_1/participants/part_2');
  assert.equal(fetch.calls[0].headers['Idempotency-Key'], undefined);
});

test('errors are GrowthOSError with code, status, details and request_id; a 400 is not retried', async () => {
  const fetch = fakeFetch([
    {
      status: 400,
      headers: { 'X-Request-Id': 'req_h' },
      body: { error: { code: 'validation_error', message: 'email is invalid', details: [{ field: 'email', reason: 'invalid' }] }, request_id: 'req_1' },
    },
  ]);
  const m = mgmt(fetch);
  const error = await m.contacts.create({ email: 'nope' }).catch((e) => e);
  assert.ok(error instanceof GrowthOSError);
  assert.equal(error.status, 400);
  assert.equal(error.code, 'validation_error');
  assert.equal(error.message, 'email is invalid');
  assert.deepEqual(error.details, [{ field: 'email', reason: 'invalid' }]);
  assert.equal(error.request_id, 'req_1');
  assert.equal(fetch.calls.length, 1);
});

test('a 429 is retried after its Retry-After; retries give up after maxRetries', async () => {
  const fetch = fakeFetch([{ status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'rate_limited', message: 'slow' } } }, { status: 200, body: { data: [] } }]);
  const m = mgmt(fetch);
  await m.settings.retrieve();
  assert.equal(fetch.calls.length, 2);
  assert.ok(fetch.calls[1].at - fetch.calls[0].at >= 990);

  const down = fakeFetch([{ status: 503, body: { error: { code: 'service_unavailable', message: 'down' } } }]);
  const error = await mgmt(down, { maxRetries: 2 }).settings.retrieve().catch((e) => e);
  assert.equal(error.code, 'service_unavailable');
  assert.equal(down.calls.length, 3);
});

test('the two reads sent as a POST (an analytics query, a segment preview) are retried as a GET is, without an Idempotency-Key', async () => {
  const unavailable = { status: 503, headers: { 'Retry-After': '0' }, body: { error: { code: 'service_unavailable', message: 'down' } } };
  for (const call of [(m) => m.analytics.query({ kind: 'counts' }), (m) => m.segments.preview({ filter: { all: [] } })]) {
    const fetch = fakeFetch([unavailable, { status: 200, body: {} }]);
    await call(mgmt(fetch));
    assert.equal(fetch.calls.length, 2, 'retried once');
    assert.equal(fetch.calls[0].method, 'POST');
    for (const c of fetch.calls) assert.equal(c.headers['Idempotency-Key'], undefined);
  }
});

test('toArray(n) gives at most n items: none for 0, every one for Infinity, and a rejection for a negative or fractional n', async () => {
  const fetch = fakeFetch([{ status: 200, body: { object: 'list', data: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], has_more: false, next_cursor: null } }]);
  const m = mgmt(fetch);
  assert.deepEqual(await m.contacts.list().toArray(0), []);
  assert.equal(fetch.calls.length, 0, 'nothing fetched for none');
  assert.deepEqual((await m.contacts.list().toArray(2)).map((c) => c.id), ['a', 'b']);
  assert.equal((await m.contacts.list().toArray(Infinity)).length, 3, 'Infinity: every item');
  for (const n of [-1, 2.5, NaN]) {
    const error = await m.contacts.list().toArray(n).catch((e) => e);
    assert.equal(error.code, 'invalid_argument', String(n));
    assert.equal(error.details[0].field, 'max');
  }
});

test('a 503 query_timeout (the statement timeout) is not retried: it would run past it again', async () => {
  const fetch = fakeFetch([{ status: 503, body: { error: { code: 'query_timeout', message: 'narrow it' } } }, { status: 200, body: {} }]);
  const error = await mgmt(fetch).analytics.query({ kind: 'counts' }).catch((e) => e);
  assert.equal(error.code, 'query_timeout');
  assert.equal(fetch.calls.length, 1);
});

test('a 409 concurrent_update is retried after its Retry-After; other 409s are not', async () => {
  const race = fakeFetch([
    { status: 409, headers: { 'Retry-After': '1' }, body: { error: { code: 'concurrent_update', message: 'race' } } },
    { status: 200, body: { id: 'cntct_1', version: 2 } },
  ]);
  const updated = await mgmt(race).contacts.update('cntct_1', { name: 'A' });
  assert.equal(updated.version, 2);
  assert.equal(race.calls.length, 2);
  assert.equal(race.calls[1].headers['Idempotency-Key'], race.calls[0].headers['Idempotency-Key']);
  assert.ok(race.calls[1].at - race.calls[0].at >= 990);

  const stale = fakeFetch([{ status: 409, body: { error: { code: 'version_conflict', message: 'stale' } } }]);
  const error = await mgmt(stale).contacts.update('cntct_1', { name: 'A' }).catch((e) => e);
  assert.equal(error.code, 'version_conflict');
  assert.equal(stale.calls.length, 1);
});

test('list iterates every page through next_cursor; .page() fetches one', async () => {
  const pages = {
    '': { data: [{ id: 'a' }, { id: 'b' }], has_more: true, next_cursor: 'c1' },
    c1: { data: [{ id: 'c' }], has_more: true, next_cursor: 'c2' },
    c2: { data: [{ id: 'd' }], has_more: false, next_cursor: null },
  };
  const fetch = fakeFetch([(call) => ({ status: 200, body: pages[new URL(call.url).searchParams.get('cursor') || ''] })]);
  const m = mgmt(fetch);
  const ids = [];
  for await (const c of m.contacts.list({ limit: 2, email: 'x@example.com' })) ids.push(c.id);
  assert.deepEqual(ids, ['a', 'b', 'c', 'd']);
  assert.equal(new URL(fetch.calls[0].url).searchParams.get('limit'), '2');
  assert.equal(new URL(fetch.calls[1].url).searchParams.get('email'), 'x@example.com');
  const first = await m.contacts.list({ limit: 2 }).page();
  assert.equal(first.data.length, 2);
  assert.equal(first.has_more, true);
  assert.equal(fetch.calls.length, 4);
});

test('a missing path parameter is a rejected GrowthOSError naming it, not a thrown TypeError; nothing is sent', async () => {
  const fetch = fakeFetch([{ status: 200, body: { id: 'x' } }]);
  const m = mgmt(fetch);
  const missing = (method, name) => (e) => {
    assert.ok(e instanceof GrowthOSError, String(e));
    assert.equal(e.status, 0);
    assert.equal(e.code, 'missing_parameter');
    assert.deepEqual(e.details.map((d) => [d.field, d.reason]), [[name, 'required']]);
    assert.ok(e.message.startsWith(method + ': '), e.message);
    assert.match(e.message, new RegExp(`'${name}'`));
    return true;
  };
  const calls = [
    [() => m.contacts.retrieve(undefined), 'contacts.retrieve', 'id'],
    [() => m.contacts.update(null, { traits: {} }), 'contacts.update', 'id'],
    [() => m.segments.del(''), 'segments.del', 'id'],
    [() => m.webhookEndpoints.resendDelivery('we_1'), 'webhookEndpoints.resendDelivery', 'deliveryId'],
  ];
  for (const [call, method, name] of calls) {
    let result;
    assert.doesNotThrow(() => (result = call()), method);
    assert.ok(result instanceof Promise, method);
    await assert.rejects(result, missing(method, name));
  }
  const list = m.campaigns.participants.list(undefined, { limit: 5 });
  await assert.rejects(list.page(), missing('campaigns.participants.list', 'id'));
  await assert.rejects(list.toArray(), missing('campaigns.participants.list', 'id'));
  assert.equal(fetch.calls.length, 0, 'no request sent');
  await m.contacts.retrieve('cntct_1');
  assert.equal(fetch.calls.length, 1);
});

test('a path parameter no id can be (/, .., a space, ?, letters outside ASCII) is 404 not_found with no request: never a 400 about the path, never another route', async () => {
  const fetch = fakeFetch([{ status: 200, body: { id: 'x' } }]);
  const m = mgmt(fetch);
  const notFound = (method, name) => (e) => {
    assert.ok(e instanceof GrowthOSError, String(e));
    assert.equal(e.status, 404);
    assert.equal(e.code, 'not_found');
    assert.deepEqual(e.details.map((d) => [d.field, d.reason]), [[name, 'not_found']]);
    assert.ok(e.message.startsWith(method + ': '), e.message);
    assert.match(e.message, /no request was sent/);
    return true;
  };
  for (const id of ['cntct_a/b', '..', '.', 'cntct 1', 'cntct_1?expand=all', 'cntct_ä', 'x'.repeat(256)]) {
    await assert.rejects(m.contacts.retrieve(id), notFound('contacts.retrieve', 'id'), id);
  }
  await assert.rejects(m.campaigns.answers.list('cmp_1', 'q 1').page(), notFound('campaigns.answers.list', 'qid'));
  await assert.rejects(m.webhookEndpoints.resendDelivery('we_1', '../x'), notFound('webhookEndpoints.resendDelivery', 'deliveryId'));
  const list = m.campaigns.participants.list('cmp_1/..', { limit: 5 });
  await assert.rejects(list.page(), notFound('campaigns.participants.list', 'id'));
  assert.equal(fetch.calls.length, 0, 'no request sent');
  await m.contacts.retrieve('cntct_0ujsswThIGTUYm2K8FjOOfXtY1K');
  await m.segments.count('seg-1_A');
  assert.deepEqual(fetch.calls.map((c) => c.url), ['http://mgmt.test/v1/contacts/cntct_0ujsswThIGTUYm2K8FjOOfXtY1K', 'http://mgmt.test/v1/segments/seg-1_A/count']);
});

test('Management needs a secret key', () => {
  assert.throws(() => new Management({}), /secretKey/);
});

test('a non-idempotent write answered 503 is not retried (it has no Idempotency-Key)', async () => {
  const fetch = fakeFetch([{ status: 503, body: { error: { code: 'service_unavailable', message: 'down' } } }]);
  const m = mgmt(fetch);
  await assert.rejects(m.request({ method: 'POST', path: '/v1/things', body: { a: 1 }, idempotent: false }), (e) => {
    assert.ok(e instanceof GrowthOSError);
    assert.equal(e.status, 503);
    return true;
  });
  assert.equal(fetch.calls.length, 1, 'one POST: a retry could write twice');
  assert.equal(fetch.calls[0].headers['Idempotency-Key'], undefined);

  // Same for a 409 that would otherwise be retried, and for a network error.
  const conflict = fakeFetch([{ status: 409, body: { error: { code: 'concurrent_update', message: 'race' } } }]);
  await assert.rejects(mgmt(conflict).request({ method: 'PATCH', path: '/v1/things/1', body: {}, idempotent: false }));
  assert.equal(conflict.calls.length, 1);
  const offline = fakeFetch([{ throws: 'connection refused' }]);
  await assert.rejects(mgmt(offline).request({ method: 'POST', path: '/v1/things', body: {}, idempotent: false }), /network|Could not reach/);
  assert.equal(offline.calls.length, 1);
});

test('a non-idempotent write given an idempotencyKey sends it and is retried with it', async () => {
  const fetch = fakeFetch([{ status: 503, body: { error: { code: 'service_unavailable', message: 'down' } } }, { status: 201, body: { id: 't1' } }]);
  const m = mgmt(fetch);
  const r = await m.request({ method: 'POST', path: '/v1/things', body: {}, idempotent: false, options: { idempotencyKey: 'k-7' } });
  assert.equal(r.id, 't1');
  assert.deepEqual(fetch.calls.map((c) => c.headers['Idempotency-Key']), ['k-7', 'k-7']);
});

/** Runs `fn` with the globals a web page has (`window` and `document`), then takes them away again. */
function inAPage(fn, globals = { window: {}, document: {} }) {
  const saved = Object.keys(globals).map((k) => [k, Object.getOwnPropertyDescriptor(globalThis, k)]);
  for (const [k, v] of Object.entries(globals)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  try {
    return fn();
  } finally {
    for (const [k, d] of saved) {
      if (d) Object.defineProperty(globalThis, k, d);
      else delete globalThis[k];
    }
  }
}

test('in a web page (window and document) a secret key is refused with a clear Error unless dangerouslyAllowBrowser: true', () => {
  inAPage(() => {
    assert.throws(
      () => new Management({ secretKey: 'gos_sk_live', fetch: fakeFetch() }),
      (e) => e instanceof Error && /browser/.test(e.message) && /dangerouslyAllowBrowser/.test(e.message) && !e.message.includes('gos_sk_live'),
    );
    const m = new Management({ secretKey: 'gos_sk_live', fetch: fakeFetch(), dangerouslyAllowBrowser: true });
    assert.equal(typeof m.contacts.create, 'function');
  });
});

test('where there is no document (Node, Deno with its window global, Bun, a web worker) a secret key works as before', () => {
  assert.equal(typeof new Management({ secretKey: 'gos_sk_live', fetch: fakeFetch() }).contacts.list, 'function');
  // Deno (before 2.0) has a global window and no document; a worker has self and no document.
  inAPage(() => assert.equal(typeof new Management({ secretKey: 'gos_sk_live', fetch: fakeFetch() }).contacts.list, 'function'), { window: {} });
  inAPage(() => assert.equal(typeof new Management({ secretKey: 'gos_sk_live', fetch: fakeFetch() }).contacts.list, 'function'), { self: {} });
});
