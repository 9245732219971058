// Refusals of the real Ingest API as a page on another origin sees them in real headless Chromium:
// each must be readable (status and envelope), not an opaque network error, so that a browser SDK
// can tell "too large, drop it" from "offline, retry" (docs/security.md, CORS on the tracking routes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { credentials } from '../stack.mjs';
import { launch } from '../browser.mjs';

const creds = credentials();
let server;
let origin;
let browser;

before(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><html><head><title>CORS refusals</title></head><body></body></html>');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
});

/** fetch from the page; what the page can read of the answer, or the network error. */
async function fromPage(tab, url, init) {
  return tab.evaluate(
    async ({ url, init }) => {
      if (init.bigBody) init = { ...init, body: JSON.stringify({ batch: [], pad: 'x'.repeat(init.bigBody) }) };
      try {
        const res = await fetch(url, init);
        let code;
        try {
          code = (await res.json()).error.code;
        } catch {
          code = undefined;
        }
        return { status: res.status, code, requestId: res.headers.get('x-request-id') };
      } catch (e) {
        return { error: String(e) };
      }
    },
    { url, init },
  );
}

test('refusals of the Ingest API are readable by a page on another origin', async () => {
  assert.notEqual(new URL(creds.ingest_url).origin, origin, 'the page is cross-origin');
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(origin + '/');
  const ingest = creds.ingest_url.replace(/\/$/, '');
  const simple = { method: 'POST', headers: { 'Content-Type': 'text/plain' } };
  const key = { Authorization: 'Basic ' + Buffer.from(creds.write_key + ':').toString('base64') };
  const cases = [
    // A host configured with a trailing slash: "https://api.example.com/" + "/v1/batch".
    ['non-canonical path', ingest + '//v1/batch', { ...simple, body: '{"batch":[]}' }, 400, 'validation_error'],
    // Preflighted (Authorization, application/json): the preflight must pass for the 400 to be read.
    ['non-canonical path, preflighted', ingest + '/v1//track', { method: 'POST', headers: { ...key, 'Content-Type': 'application/json' }, body: '{}' }, 400, 'validation_error'],
    // Over growthos.http.max-body-size (1 MB): refused from Content-Length alone.
    ['body over the HTTP limit', ingest + '/v1/batch', { ...simple, bigBody: 1_200_000 }, 413, 'payload_too_large'],
    ['method the route lacks', ingest + '/v1/track', { method: 'GET' }, 405, 'method_not_allowed'],
    ['unknown version', ingest + '/v2/batch', { ...simple, body: '{}' }, 404, 'not_found'],
    ['no key', ingest + '/v1/batch', { ...simple, body: '{"batch":[]}' }, 401, undefined],
  ];
  for (const [what, url, init, status, code] of cases) {
    const seen = await fromPage(tab, url, init);
    assert.equal(seen.error, undefined, `${what}: the page got a network error instead of the answer`);
    assert.equal(seen.status, status, `${what}: ${JSON.stringify(seen)}`);
    if (code) assert.equal(seen.code, code, what);
    assert.match(seen.requestId || '', /^req_/, `${what}: X-Request-Id is exposed`);
  }
  await ctx.close();
});
