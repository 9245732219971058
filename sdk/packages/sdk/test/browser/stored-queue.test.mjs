// The tracking bundle in headless Chromium with a long queue an earlier page stored (a long offline
// period): the next page's init must not wait for it. Against a small fake ingest (no stack needed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { launch } from '../browser.mjs';

const bundle = readFileSync(new URL('../../dist/browser/growthos.min.js', import.meta.url));
const received = [];
let server;
let origin;
let browser;

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
      for (const e of JSON.parse(Buffer.concat(chunks).toString('utf8')).batch) received.push(e.messageId);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end('{"success":true}');
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><html><head><title>Stored queue</title><script src="/growthos.min.js"></script></head><body></body></html>');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
});

test('10,000 events stored by an earlier page: init adopts a slice and returns at once, the rest is adopted in later tasks and every stored event is sent', async (t) => {
  const ctx = await browser.newContext();
  const tab = await ctx.newPage();
  await tab.goto(origin + '/first');
  // An earlier page records 10,000 events and sends none (as if offline all along).
  const stored = await tab.evaluate(async () => {
    window.gos = GrowthOS.init({ writeKey: 'gos_wk_stored', host: location.origin, flushAt: 1e9, flushInterval: 1e9, maxQueueSize: 20000, beacon: false, onError: () => {} });
    for (let i = 0; i < 10000; i++) gos.track('Offline Event', { i, plan: 'growth', feature: 'referral_program' });
    await new Promise((r) => setTimeout(r, 50));
    // What localStorage (5 MB in Chromium) could hold: the queue of the next page.
    return Object.keys(localStorage).filter((k) => /\.qs\./.test(k)).flatMap((k) => JSON.parse(localStorage.getItem(k)).map((e) => e.messageId));
  });
  assert.ok(stored.length > 8000, `${stored.length} events stored`);
  await tab.goto(origin + '/next'); // pagehide: the first page's queue is written and its heartbeat stopped
  const next = await tab.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(Math.round(e.duration)))).observe({ type: 'longtask' });
    const started = performance.now();
    window.gos = GrowthOS.init({ writeKey: 'gos_wk_stored', host: location.origin, maxQueueSize: 20000, beacon: false, onError: () => {} });
    return { initMs: Math.round(performance.now() - started), pending: gos.pending };
  });
  const deadline = Date.now() + 60000;
  while (stored.some((id) => !received.includes(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const longTasks = await tab.evaluate(() => longTasks);
  const report = `init ${next.initMs} ms with ${next.pending} of ${stored.length} adopted; long tasks after: ${longTasks.join(', ') || 'none'} ms`;
  assert.ok(next.pending <= 1000, `init adopts one slice (at most 1,000 events), the rest later: ${report}`);
  assert.ok(next.initMs < 400, `init returns at once (it took 0.75-2 s adopting everything in one task): ${report}`);
  assert.deepEqual(stored.filter((id) => !received.includes(id)), [], `every stored event reached the ingest: ${report}`);
  t.diagnostic(report);
  assert.equal(await tab.evaluate(() => gos.pending), 0);
  await ctx.close();
});
