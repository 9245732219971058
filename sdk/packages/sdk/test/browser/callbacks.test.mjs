// analytics.js's callback in a real page (the tracking bundle, as a script tag, in headless Chromium)
// against a small fake ingest (no stack needed): a link click tracked with a callback that navigates,
// the way Segment users write it. The callback runs once the event was delivered, or after the
// timeout when the server is slow, so the navigation is never blocked and the event is not lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { launch } from '../browser.mjs';

const bundle = readFileSync(new URL('../../dist/browser/growthos.min.js', import.meta.url));
/** What reached the server, in order: batches (with their messageIds and events) and page loads. */
const log = [];
/** A promise the ingest waits for before it answers a batch (a slow server), or undefined. */
let hold;
let server;
let origin;
let browser;

const PAGE = `<!doctype html><html><head><title>Callbacks</title><script src="/growthos.min.js"></script></head><body>
<a id="pricing" href="/pricing">Pricing</a>
<script>
  window.gos = GrowthOS.init({ writeKey: 'gos_wk_cb', host: location.origin, onError: (e) => console.warn(e.message) });
  document.getElementById('pricing').addEventListener('click', (e) => {
    e.preventDefault();
    const href = e.currentTarget.href;
    window.calledBack = 0;
    gos.track('Clicked Link', { href }, () => {
      window.calledBack++;
      location.href = href;
    });
  });
</script></body></html>`;

before(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/growthos.min.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      return res.end(bundle);
    }
    if (url.pathname === '/v1/batch' && req.method === 'POST') {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const events = JSON.parse(Buffer.concat(chunks).toString('utf8')).batch;
      const entry = { kind: 'batch', events: events.map((e) => e.event || e.type), ids: events.map((e) => e.messageId), at: Date.now() };
      log.push(entry);
      if (hold) await hold;
      entry.answeredAt = Date.now();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end('{"success":true}');
    }
    log.push({ kind: 'page', path: url.pathname, at: Date.now() });
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(PAGE);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
});

test('a link click tracked with a callback that navigates: the event is delivered first, then the callback runs once and the page goes', async () => {
  log.length = 0;
  hold = undefined;
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(origin + '/home');
  await tab.click('#pricing');
  await tab.waitForURL('**/pricing', { timeout: 5000 });
  const batch = log.find((e) => e.kind === 'batch' && e.events.includes('Clicked Link'));
  const pricing = log.find((e) => e.kind === 'page' && e.path === '/pricing');
  assert.ok(batch, 'the click reached the ingest: ' + JSON.stringify(log));
  assert.ok(batch.answeredAt <= pricing.at, 'the server had acknowledged it before the next page was asked for: ' + JSON.stringify(log));
  assert.equal(log.filter((e) => e.kind === 'page' && e.path === '/pricing').length, 1, 'navigated once');
  await ctx.close();
});

test('a slow ingest does not hold the navigation: the callback runs after the 300 ms timeout, and the event still arrives', async () => {
  log.length = 0;
  let release;
  hold = new Promise((r) => (release = r));
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(origin + '/home');
  const clicked = Date.now();
  await tab.click('#pricing');
  await tab.waitForURL('**/pricing', { timeout: 5000 });
  const navigatedAfter = Date.now() - clicked;
  const batch = log.find((e) => e.kind === 'batch' && e.events.includes('Clicked Link'));
  assert.ok(batch, 'the click was sent before the page went: ' + JSON.stringify(log));
  assert.equal(batch.answeredAt, undefined, 'the server had not answered when the page went');
  assert.ok(navigatedAfter >= 250, `the callback waited for the timeout (${navigatedAfter} ms)`);
  release();
  hold = undefined;
  // The request survives the navigation (keepalive), and the next page holds the stored copy: the event is delivered.
  const deadline = Date.now() + 10000;
  while (!log.some((e) => e.kind === 'batch' && e.answeredAt && e.ids.includes(batch.ids[0])) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(log.some((e) => e.kind === 'batch' && e.answeredAt && e.ids.includes(batch.ids[0])), 'the event was delivered');
  await ctx.close();
});
