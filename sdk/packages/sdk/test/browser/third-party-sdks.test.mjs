// Segment's and RudderStack's own browser SDKs, from npm (pinned in package.json), set up exactly as
// README.md's "Pointing Segment and RudderStack SDKs at GrowthOS" says, on a page of another origin
// in real headless Chromium against the real ingest service: what they send must be stored, once.
// Each SDK is bundled here with esbuild from its npm package, as a site's build would; the page
// loads nothing else (no CDN: this machine reaches only the npm registry, and a site should not
// need one either).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import GrowthOS from '../../dist/esm/index.js';
import { credentials, eventsOf } from '../stack.mjs';
import { launch } from '../browser.mjs';

const creds = credentials();
const mgmt = new GrowthOS.Management({ secretKey: creds.secret_key, host: creds.management_url });
const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ingest = new URL(creds.ingest_url);

/** An IIFE bundle of `source` (an ES module importing from the SDK's npm package). */
async function bundle(source) {
  const out = await build({
    stdin: { contents: source, resolveDir: pkgDir, loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].contents;
}

const scripts = {};
let server;
let origin;
let browser;

before(async () => {
  scripts['/segment.js'] = await bundle(
    "import { AnalyticsBrowser } from '@segment/analytics-next'; window.AnalyticsBrowser = AnalyticsBrowser;",
  );
  scripts['/rudderstack.js'] = await bundle(
    "import { RudderAnalytics } from '@rudderstack/analytics-js/bundled'; window.RudderAnalytics = RudderAnalytics;",
  );
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (scripts[url.pathname]) {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      return res.end(scripts[url.pathname]);
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><html><head><title>Third-party SDKs</title></head><body></body></html>');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  assert.notEqual(ingest.origin, origin, 'the page is on another origin than the Ingest API');
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
});

/**
 * Runs `visit(tab)` on a page of the site with `script` loaded, then `check(what visit returned,
 * tab)` while the page is still open (the SDK may still be sending); fails if the browser saw any
 * request to the Ingest API refused or failing.
 */
async function onSitePage(script, visit, check) {
  const ctx = await browser.newContext();
  try {
    const tab = await ctx.newPage();
    const refused = [];
    tab.on('response', (r) => {
      if (r.url().startsWith(ingest.origin) && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
    });
    tab.on('requestfailed', (r) => {
      if (r.url().startsWith(ingest.origin)) refused.push(`failed ${r.url()}: ${r.failure()?.errorText}`);
    });
    await tab.goto(origin + '/');
    await tab.addScriptTag({ url: script });
    await check(await visit(tab), tab);
    assert.deepEqual(refused, [], `no request of ${script} was refused`);
  } finally {
    await ctx.close();
  }
}

function once(events, type, name) {
  const found = events.filter((e) => e.type === type && (name === undefined || e.event === name || e.name === name));
  assert.equal(found.length, 1, `one ${type} ${name ?? ''}: ${JSON.stringify(events.map((e) => [e.type, e.event ?? e.name]))}`);
  return found[0];
}

/**
 * The identify, track, page and group each page below sends, as stored: once each, with their
 * fields, and the identify's traits on the user's one contact.
 */
async function checkSession({ userId, anonymousId, properties, groupId, seats }) {
  assert.ok(anonymousId, 'the SDK gave the visitor an anonymous id');
  const byUser = await eventsOf(mgmt, { user_id: userId }, (evs) => evs.length >= 4);
  const identify = once(byUser, 'identify');
  assert.equal(identify.anonymous_id, anonymousId);
  assert.equal(identify.traits.email, `${userId}@example.com`);
  assert.deepEqual(once(byUser, 'track', 'Browser SDK Event').properties, properties);
  const page = once(byUser, 'page');
  assert.equal(page.name, 'Getting started');
  assert.equal(page.properties.category, 'Docs');
  const group = once(byUser, 'group');
  assert.equal(group.group_id, groupId);
  assert.deepEqual(group.traits, { name: 'Acme', seats });
  const contacts = await mgmt.contacts.list({ user_id: userId }).toArray();
  assert.equal(contacts.length, 1);
  assert.equal(contacts[0].email, `${userId}@example.com`);
  return byUser;
}

test("analytics.js (@segment/analytics-next) with README's settings: identify, track, page and group are stored once", async () => {
  const userId = `seg-browser-${Date.now()}`;
  await onSitePage('/segment.js', (tab) =>
    tab.evaluate(
      async ({ writeKey, apiHost, userId }) => {
        // README.md, word for word but for the host.
        const analytics = AnalyticsBrowser.load({
          writeKey,
          cdnSettings: { integrations: { 'Segment.io': { apiKey: writeKey, apiHost, protocol: 'http' } } },
        });
        await analytics.identify(userId, { email: `${userId}@example.com`, plan: 'pro' });
        await analytics.track('Browser SDK Event', { sdk: 'segment', n: 1 });
        await analytics.page('Docs', 'Getting started');
        await analytics.group('acme-seg', { name: 'Acme', seats: 5 });
        const [a] = await analytics;
        return a.user().anonymousId();
      },
      { writeKey: creds.write_key, apiHost: `${ingest.host}/v1`, userId },
    ),
    async (anonymousId) => {
      const byUser = await checkSession({ userId, anonymousId, properties: { sdk: 'segment', n: 1 }, groupId: 'acme-seg', seats: 5 });
      assert.equal(once(byUser, 'track', 'Browser SDK Event').context.library.name, 'analytics.js');
      assert.equal(once(byUser, 'page').properties.url, origin + '/');
    },
  );
});

test("analytics.js batching delivery (deliveryStrategy 'batching', /v1/b) is stored once", async () => {
  const userId = `seg-batch-${Date.now()}`;
  await onSitePage('/segment.js', (tab) =>
    tab.evaluate(
      async ({ writeKey, apiHost, userId }) => {
        const analytics = AnalyticsBrowser.load({
          writeKey,
          cdnSettings: {
            integrations: {
              'Segment.io': {
                apiKey: writeKey,
                apiHost,
                protocol: 'http',
                deliveryStrategy: { strategy: 'batching', config: { size: 3, timeout: 500 } },
              },
            },
          },
        });
        await analytics.identify(userId, { email: `${userId}@example.com` });
        await analytics.track('Batched Browser Event', { i: 1 });
        await analytics.track('Batched Browser Event', { i: 2 });
      },
      { writeKey: creds.write_key, apiHost: `${ingest.host}/v1`, userId },
    ),
    async () => {
      const byUser = await eventsOf(mgmt, { user_id: userId }, (evs) => evs.length >= 3);
      once(byUser, 'identify');
      assert.deepEqual(
        byUser.filter((e) => e.type === 'track').map((e) => e.properties.i).sort(),
        [1, 2],
        JSON.stringify(byUser),
      );
    },
  );
});

test("RudderStack's JavaScript SDK (@rudderstack/analytics-js) with README's settings: identify, track, page, group and alias are stored once", async () => {
  const userId = `rs-browser-${Date.now()}`;
  await onSitePage('/rudderstack.js', (tab) =>
    tab.evaluate(
      ({ writeKey, dataPlaneUrl, userId }) =>
        new Promise((resolve, reject) => {
          const rudderanalytics = new RudderAnalytics();
          // README.md, word for word but for the host.
          rudderanalytics.load(writeKey, dataPlaneUrl, {
            getSourceConfig: () => ({ source: { id: 'growthos', config: {}, destinations: [] } }),
            onLoaded: () => {
              rudderanalytics.identify(userId, { email: `${userId}@example.com`, plan: 'pro' });
              rudderanalytics.track('Browser SDK Event', { sdk: 'rudderstack', n: 2 });
              rudderanalytics.page('Docs', 'Getting started');
              rudderanalytics.group('acme-rs', { name: 'Acme', seats: 7 });
              window.rudderanalytics = rudderanalytics;
              resolve(rudderanalytics.getAnonymousId());
            },
          });
          setTimeout(() => reject(new Error('RudderStack did not load in 15 s')), 15000);
        }),
      { writeKey: creds.write_key, dataPlaneUrl: ingest.origin, userId },
    ),
    async (anonymousId, tab) => {
      await checkSession({ userId, anonymousId, properties: { sdk: 'rudderstack', n: 2 }, groupId: 'acme-rs', seats: 7 });
      // After the rest is stored: the SDK sends its calls concurrently, and an alias that arrives
      // before the identify makes the new id the contact's user id (docs/contacts.md), where this
      // test looks the contact up by the old one.
      await tab.evaluate((to) => window.rudderanalytics.alias(to), `${userId}-new`);
      const [alias] = await eventsOf(mgmt, { user_id: `${userId}-new`, type: 'alias' }, (evs) => evs.length >= 1);
      assert.equal(alias.previous_id, userId, JSON.stringify(alias));
      // The new id joins the user's one contact (until 2026-12-06 it made a second, empty one).
      const [contact] = await mgmt.contacts.list({ user_id: userId }).toArray();
      assert.equal(alias.contact_id, contact.id, JSON.stringify(alias));
      // And the new id, the one the app uses from now on, finds that contact too (until 2026-12-07
      // the user_id filter compared the contact's own user id only, and found nothing).
      const byNewId = await mgmt.contacts.list({ user_id: `${userId}-new` }).toArray();
      assert.deepEqual(byNewId.map((c) => c.id), [contact.id]);
    },
  );
});
