// The four web components (script-tag bundle growthos-components.js) in headless Chromium against
// a small fake server answering with the real widget routes' shapes (WidgetCampaign,
// WidgetParticipant, {survey}, survey_response, social_proof_feed; unknown body fields are 400 as on
// the Ingest API): errors that are hard to provoke on the live stack, keyboard use, DOM events,
// theming, and a screenshot of each in its default theme (target/screenshots/). The same components
// against the live stack: widgets-live.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fillPage, launch } from '../browser.mjs';

const bundle = readFileSync(new URL('../../dist/browser/growthos-components.js', import.meta.url));
/** The tracking client's script-tag bundle, on pages opened with `&tracking=1` (its reset() is a logout). */
const trackingBundle = readFileSync(new URL('../../dist/browser/growthos.min.js', import.meta.url));
const shots = join(process.env.GROWTHOS_SDK_TARGET || 'target', 'screenshots');
mkdirSync(shots, { recursive: true });

const WK = 'gos_wk_widgets';
const calls = [];
const fake = { merged: {}, feedStatus: 200, joinStatus: 200, responseStatus: 200, interactionFailures: 0, surveyDelay: 0, campaignDelay: 0 };
// The envelopes the services send with a 429 and a 5xx: words for the developer, not the visitor.
const RATE_LIMITED = { error: { code: 'rate_limited', message: 'Rate limit of 10 requests per second exceeded for this API key; retry after 1 s.', details: [{ field: 'api_key', reason: 'rate_limited' }] }, request_id: 'req_rl' };
const INTERNAL = { error: { code: 'internal_error', message: 'Something went wrong on our side. It is safe to retry; quote the request id if it persists.', details: [] }, request_id: 'req_500' };
const UNAVAILABLE = { error: { code: 'service_unavailable', message: 'The database is unavailable right now; retry shortly.', details: [{ field: 'service', reason: 'unavailable' }] }, request_id: 'req_503' };
const survey = {
  id: 'cmp_survey',
  object: 'survey',
  name: 'NPS',
  questions: [
    { id: 'q1', type: 'nps', text: 'How likely are you to recommend us to a friend?', required: true, logic: [{ if: { op: 'gte', value: 10 }, then: { jump_to: 'end' } }] },
    { id: 'q2', type: 'single_choice', text: 'What do you use most?', choices: ['Referrals', 'Waitlists', 'Surveys'], allow_other: false },
    { id: 'q3', type: 'text', text: 'Anything else?', required: false, max_length: 1000 },
  ],
  thank_you: { headline: 'Thanks for helping us improve!', body: null },
  delay_seconds: 0,
  revision: 'rev1',
};
const campaignInfo = {
  object: 'widget_campaign', id: 'cmp_wait', type: 'waitlist', name: 'Beta', status: 'active', starts_at: null, ends_at: null,
  counts: { participants: 1234, waiting: 1233 },
  referral: { landing_url: 'https://example.com/join', share_parameter: 'ref', spots_per_referral: 1, require_verification: false, rewards: null },
  leaderboard: [],
};
const joined = {
  object: 'widget_participant', campaign_id: 'cmp_wait', campaign_type: 'waitlist', participant_token: 'pt_1', referral_code: 'ALICE42',
  share_url: 'https://example.com/join?ref=ALICE42', position: 42, people_ahead: 41, total: 1234, qualified_referrals: 0,
  referrals: { pending: 0, qualified: 0, rewarded: 0 }, verification_required: false, verified: false, admitted: false, joined_at: '2026-12-03T01:00:00Z',
};
const BODY_FIELDS = { participants: ['email', 'referral_code', 'client_id', 'anonymous_id'], displays: ['interaction_id', 'anonymous_id', 'user_id', 'url'], dismissals: ['interaction_id', 'anonymous_id', 'user_id', 'url'], responses: ['response_id', 'anonymous_id', 'user_id', 'answers', 'completed', 'url', 'question_ids', 'revision'] };

let server;
let origin;
let browser;

function send(res, status, body, headers = {}) {
  // Any origin may read the answers (as with an empty allowed_widget_origins): a sandboxed iframe's is opaque.
  res.writeHead(status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', ...headers });
  res.end(JSON.stringify(body));
}

before(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks);
    const body = chunks.length ? JSON.parse(raw.toString()) : undefined;
    calls.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), body, bytes: raw.length, auth: req.headers.authorization, token: req.headers['growthos-participant-token'] });
    if (url.pathname === '/growthos-components.js' || url.pathname === '/growthos.min.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      return res.end(url.pathname === '/growthos.min.js' ? trackingBundle : bundle);
    }
    // The page's own script is a file (script-src 'self' allows it; a strict policy blocks inline ones),
    // run before the components load: it records policy violations and every growthos:* event.
    if (url.pathname === '/page.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      return res.end(`window.violations=[];document.addEventListener('securitypolicyviolation',e=>violations.push(e.violatedDirective+' '+e.blockedURI+' '+e.sample));
window.seen=[];for(const n of ['joined','copied','displayed','answered','responded','dismissed','loaded','error'])document.addEventListener('growthos:'+n,e=>seen.push({type:e.type,detail:e.detail}));`);
    }
    // A browser without constructable stylesheets (Safari before 16.4, Firefox before 101).
    // A browser without the Navigation API (Firefox before 147, Safari before 26).
    if (url.pathname === '/no-navigation.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      return res.end('delete window.navigation; delete Window.prototype.navigation; if (window.navigation) throw new Error("navigation still there");');
    }
    if (url.pathname === '/no-adopt.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      return res.end('delete ShadowRoot.prototype.adoptedStyleSheets; delete Document.prototype.adoptedStyleSheets;');
    }
    // css=<rules>: the page's own stylesheet, a file (style-src 'self' allows it).
    if (url.pathname === '/page.css') {
      res.writeHead(200, { 'Content-Type': 'text/css' });
      return res.end(url.searchParams.get('css') || '');
    }
    if (url.pathname === '/page' || url.pathname.startsWith('/app/')) {
      // csp=<policy>: the page is served with that Content-Security-Policy (and no inline style of its own).
      const csp = url.searchParams.get('csp');
      const css = url.searchParams.get('css');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...(csp ? { 'Content-Security-Policy': csp } : {}) });
      return res.end(`<!doctype html><html lang="en"><head><title>Widgets</title>
<script src="/page.js"></script>${url.searchParams.get('noadopt') ? '<script src="/no-adopt.js"></script>' : ''}${url.searchParams.get('nonavigation') ? '<script src="/no-navigation.js"></script>' : ''}
<script src="/growthos-components.js"></script>${url.searchParams.get('tracking') ? '<script src="/growthos.min.js"></script>' : ''}${css ? `<link rel="stylesheet" href="/page.css?css=${encodeURIComponent(css)}">` : ''}</head>
<body${csp ? '' : ' style="margin:24px;background:#f3f4f6"'}>${url.searchParams.get('html')}</body></html>`);
    }
    // The Ingest API refuses a path with any percent-encoding (400 non_canonical_path) before CORS
    // runs: the browser cannot read the answer, so the page sees a network error.
    if (url.pathname.includes('%')) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ error: { code: 'validation_error', message: 'The request path is not in canonical form: it has percent-encoded characters; send them unencoded.', details: [{ field: 'path', reason: 'non_canonical_path' }] } }));
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'Authorization, Content-Type, GrowthOS-Participant-Token' });
      return res.end();
    }
    // A web site (a single-page app) answering every path with its index.html: not the Ingest API.
    if (url.pathname.startsWith('/site/')) {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Access-Control-Allow-Origin': '*' });
      return res.end('<!doctype html><title>Our site</title><div id="app"></div>');
    }
    if (req.headers.authorization !== 'Bearer ' + WK) return send(res, 401, { error: { code: 'unauthorized', message: 'bad key' } });
    const p = url.pathname;
    const kind = p.split('/').pop();
    const unknown = body && BODY_FIELDS[kind] && Object.keys(body).filter((k) => !BODY_FIELDS[kind].includes(k));
    if (unknown && unknown.length) return send(res, 400, { error: { code: 'validation_error', message: 'Unknown field', details: unknown.map((field) => ({ field, reason: 'unknown_field' })) } });
    if (p.startsWith('/v1/widgets/campaigns/cmp_unknown')) return send(res, 404, { error: { code: 'not_found', message: "No such campaign: 'cmp_unknown'.", details: [{ field: 'id', reason: 'not_found', message: 'No campaign has this id.' }] }, request_id: 'req_404' });
    if (p.endsWith('/participants/me')) {
      // fake.otherHostRefuses: the API by the name localhost (another host to the elements) knows no token.
      if (req.headers['growthos-participant-token'] !== 'pt_1' || (fake.otherHostRefuses && req.headers.host.startsWith('localhost'))) return send(res, 401, { error: { code: 'unauthorized', message: 'invalid token', details: [{ field: 'GrowthOS-Participant-Token', reason: 'invalid_token' }] } });
      const { participant_token: _t, ...state } = fake.joined || joined;
      return send(res, 200, state);
    }
    if (p.endsWith('/participants') && req.method === 'POST') {
      if (fake.joinStatus === 429) return send(res, 429, RATE_LIMITED, { 'Retry-After': '1' });
      if (fake.joinStatus === 500) return send(res, 500, INTERNAL);
      if (fake.joinStatus !== 200) return send(res, fake.joinStatus, { error: { code: 'validation_error', message: 'This e-mail address cannot join this waitlist.', details: [{ field: 'email', reason: 'invalid_email' }] } });
      return send(res, 201, fake.joined || joined);
    }
    if (/^\/v1\/widgets\/campaigns\/[^/]+$/.test(p)) {
      if (fake.campaignDelay) await new Promise((ok) => setTimeout(ok, fake.campaignDelay));
      // Held until the test lets it go (a request in flight for as long as the test needs, however loaded the machine).
      if (fake.campaignGate) await fake.campaignGate.promise;
      return send(res, 200, { ...campaignInfo, id: p.split('/').pop() });
    }
    // surveyUrl: the survey is targeted at the pages whose URL contains it (a URL rule "contains").
    if (p === '/v1/widgets/surveys' && fake.surveyUrl && !String(url.searchParams.get('url')).includes(fake.surveyUrl)) return send(res, 200, { survey: null });
    if (p === '/v1/widgets/surveys') return send(res, 200, { survey: { ...(fake.survey || survey), delay_seconds: fake.surveyDelay } });
    if ((kind === 'displays' || kind === 'dismissals') && fake.interactionFailures > 0) {
      fake.interactionFailures--;
      return send(res, 503, { error: { code: 'service_unavailable', message: 'Retry.' } });
    }
    if (kind === 'displays' || kind === 'dismissals') return send(res, 200, { object: 'survey_' + kind.slice(0, -1), campaign_id: 'cmp_survey', recorded: true });
    if (kind === 'responses' && fake.responseStatus === 409)
      return send(res, 409, { error: { code: 'duplicate_resource', message: 'This visitor already responded to this survey.', details: [{ field: 'response_id', reason: 'already_responded' }] } });
    if (kind === 'responses' && fake.responseStatus !== 200) return send(res, fake.responseStatus, UNAVAILABLE);
    // The Ingest API's body limit (limits.max-body-size, 500 KB).
    if (raw.length > 500 * 1024) return send(res, 413, { error: { code: 'payload_too_large', message: 'The body is larger than 512000 bytes.', details: [{ field: 'body', reason: 'too_large' }] } });
    // Answers merge on the response id, as the Ingest API merges them.
    const stored = (kind === 'responses' && fake.merged[body.response_id]) || {};
    const merged = kind === 'responses' && { ...stored, ...body.answers };
    const dropped = [];
    // surveyNow: the survey as changed on the server since the widget fetched it, checked as the Ingest API checks it.
    if (kind === 'responses' && fake.surveyNow) {
      const now = new Map(fake.surveyNow.questions.map((q) => [q.id, q]));
      const shown = body.question_ids;
      const details = [];
      for (const [id, a] of Object.entries(body.answers || {})) {
        const q = now.get(id);
        if (!q && !(shown && shown.includes(id))) details.push({ field: 'answers.' + id, reason: 'unknown_question' });
        // An answer the edit made invalid: dropped when the widget showed another revision, else refused.
        const invalid = q && a != null && ((q.choices && !q.allow_other && ![a].flat().every((c) => q.choices.includes(c))) || (q.max_length && a.length > q.max_length));
        const stale = body.revision && body.revision !== fake.surveyNow.revision && (!shown || shown.includes(id));
        if (invalid && !stale) details.push({ field: 'answers.' + id, reason: q.choices ? 'invalid_choice' : 'too_long' });
        // Dropped: not stored, listed in dropped_answers (as SurveyWidgets does).
        if (invalid && stale) {
          dropped.push(id);
          if (id in stored) merged[id] = stored[id];
          else delete merged[id];
        }
      }
      if (body.completed) {
        for (const q of now.values()) if (q.required && (!shown || shown.includes(q.id)) && merged[q.id] == null) details.push({ field: 'answers.' + q.id, reason: 'required' });
      }
      if (details.length) return send(res, 400, { error: { code: 'validation_error', message: 'Invalid answers.', details } });
    }
    if (kind === 'responses') {
      fake.merged[body.response_id] = merged;
      return send(res, 200, { id: body.response_id, object: 'survey_response', campaign_id: 'cmp_survey', answers: merged, completed: body.completed, dropped_answers: dropped });
    }
    if (p.endsWith('/feed')) {
      if (fake.feedStatus !== 200) return send(res, 500, { error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
      if (fake.feed) return send(res, 200, fake.feed);
      return send(res, 200, {
        object: 'social_proof_feed',
        campaign: 'cmp_sp',
        items: [{ id: 'spi_1', message: 'Alice S. from Berlin joined the waitlist 2 minutes ago', time_ago: '2 minutes ago' }, { id: 'spi_2', message: 'Bob from Lyon joined the waitlist 5 minutes ago', time_ago: '5 minutes ago' }],
        counters: [{ message: '1,234 people joined this week', count: 1234 }],
      });
    }
    send(res, 404, { error: { code: 'not_found', message: 'no route' } });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
});

/**
 * Opens the page with `html` (its host="HOST…" attributes: the fake Ingest API, write-key="WK": its write key). `site`: the page's
 * origin, by default the API's; `customerSite()` gives another one (localhost), as on a customer's site.
 * `clock`: Playwright's fake clock is installed before the page's scripts run (Date, timers,
 * performance.now; time still flows as in real time, and `page.clock.runFor(ms)` runs the page's
 * timers through `ms` of simulated time at once): for the waits that are for the components' own
 * timers. The clock's `performance` answers `getEntries*()` with nothing; the page's real ones are
 * kept (resource entries tell when a request has been answered).
 */
async function open(html, query = '', { site = origin, viewport = { width: 520, height: 420 }, reducedMotion, clock } = {}) {
  const ctx = await browser.newContext({ viewport, ...(reducedMotion ? { reducedMotion } : {}) });
  if (clock) {
    await ctx.addInitScript(() => (window.realPerformance = window.performance));
    await ctx.clock.install();
    await ctx.addInitScript(() => {
      if (performance === window.realPerformance) throw new Error('the clock did not replace performance');
      for (const k of ['getEntries', 'getEntriesByName', 'getEntriesByType']) performance[k] = (...args) => window.realPerformance[k](...args);
    });
  }
  // The default host (no `host` attribute) must never be called from a test: refuse and record it.
  const production = [];
  await ctx.route('https://ingest.growthos.io/**', (route) => {
    production.push(route.request().url());
    return route.abort();
  });
  const page = await ctx.newPage();
  const errors = [];
  const warnings = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.goto(`${site}/page?html=${encodeURIComponent(fillPage(html, origin, WK))}${query}`);
  return { ctx, page, errors, warnings, production };
}

/** Another origin than the Ingest API's (same server, by the name localhost): a customer's site. */
const customerSite = () => origin.replace('127.0.0.1', 'localhost');
/** Where the components keep a campaign's participant token for the fake Ingest API (`host` = `origin`). */
const tokenKey = (campaign, host = origin) => `gos_participant_${host} ${campaign}`;

const events = (page, type) => page.evaluate((t) => window.seen.filter((e) => e.type === t), 'growthos:' + type);
/** How many times the social proof feed was fetched since `calls` was last emptied. */
const feedFetches = () => calls.filter((c) => c.path.endsWith('/feed')).length;
/** The texts of the social proof toast's elements of one part (`message`, `counter`). */
const proofTexts = (page, part) =>
  page.evaluate((p) => [...document.querySelector('growthos-social-proof').shadowRoot.querySelectorAll(`[part~=${p}]`)].map((e) => e.textContent), part);
/** On a page with the fake clock: runs its timers through `ms`, then gives the fetches they started 300 ms of real time to be answered. */
async function runThenSettle(page, ms) {
  await page.clock.runFor(ms);
  await page.waitForTimeout(300);
}

/**
 * On a page opened with the fake clock: waits (up to `timeout` ms of real time) until `done()`
 * (checked in Node) is true, running the page's timers 100 ms of simulated time at a step
 * meanwhile; the network answers in real time. A retry's back-off (400 ms, 800 ms, a Retry-After
 * of 1 s) passes in a few steps instead of being waited for.
 */
async function runUntil(page, done, timeout = 10000) {
  const end = Date.now() + timeout;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`not done after ${timeout} ms: ${done}`);
    await page.clock.runFor(100);
  }
}

test('waitlist: keyboard only, join with e-mail, position shown, growthos:joined fired, state kept on the next visit', async () => {
  calls.length = 0;
  fake.joinStatus = 200;
  const { ctx, page, errors } = await open('<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>', '&ref=BOB7');
  // The form must be there before the first key: a Tab pressed while the element was still
  // rendering (the first test of a cold browser, in one CI run) focused nothing, and the keys went
  // nowhere.
  await page.waitForSelector('growthos-waitlist >> input');
  await page.keyboard.press('Tab');
  await page.keyboard.type('ada@example.com');
  assert.equal(await page.locator('growthos-waitlist >> input').inputValue(), 'ada@example.com', 'typed into the e-mail field');
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-waitlist >> [part~=position]');
  const text = await page.locator('growthos-waitlist >> [part~=result]').innerText();
  assert.match(text, /#42 of 1,234/);
  assert.match(text, /41 ahead/);
  const [join] = calls.filter((c) => c.method === 'POST');
  assert.equal(join.auth, 'Bearer ' + WK, 'the write key in the Authorization header');
  assert.deepEqual(Object.keys(join.body).sort(), ['anonymous_id', 'client_id', 'email', 'referral_code']);
  assert.equal(join.body.anonymous_id, await page.evaluate(() => localStorage.getItem('gos_anonymous_id')), "the visitor's anonymous id");
  assert.equal(join.body.email, 'ada@example.com');
  assert.equal(join.body.referral_code, 'BOB7', 'ref of the landing URL');
  assert.ok(join.body.client_id);
  assert.equal((await events(page, 'joined'))[0].detail.position, 42);
  assert.equal((await events(page, 'joined'))[0].detail.participant_token, undefined);
  await page.locator('growthos-waitlist').screenshot({ path: join_(shots, 'growthos-waitlist.png') });
  await page.reload();
  await page.waitForSelector('growthos-waitlist >> [part~=position]');
  assert.ok(calls.some((c) => c.path.endsWith('/participants/me') && c.token === 'pt_1'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

function join_(dir, file) {
  return join(dir, file);
}

test('waitlist errors: an invalid e-mail is flagged without a request; a server refusal is announced', async () => {
  calls.length = 0;
  const { ctx, page } = await open('<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>');
  await page.locator('growthos-waitlist >> input').fill('not-an-email');
  await page.locator('growthos-waitlist >> button').click();
  assert.equal(await page.locator('growthos-waitlist >> input').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('growthos-waitlist >> [role=alert]').innerText(), /valid email/);
  // The field is described by the message: a screen reader on the field reads why it is invalid.
  const described = await page.locator('growthos-waitlist >> input').getAttribute('aria-describedby');
  assert.ok(described, 'the invalid field names its description');
  assert.match(await page.locator(`growthos-waitlist >> #${described}`).innerText(), /valid email/);
  assert.equal(calls.filter((c) => c.method === 'POST').length, 0);
  fake.joinStatus = 400;
  await page.locator('growthos-waitlist >> input').fill('blocked@example.com');
  await page.locator('growthos-waitlist >> button').click();
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:error' && e.detail.status === 400));
  assert.match(await page.locator('growthos-waitlist >> [role=alert]').innerText(), /cannot join/);
  fake.joinStatus = 200;
  await ctx.close();
});

test('waitlist: a participant token the server no longer accepts (401) is forgotten and the form is offered', async () => {
  calls.length = 0;
  const { ctx, page, errors } = await open('<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>');
  await page.evaluate((k) => localStorage.setItem(k, 'pt_replaced'), tokenKey('cmp_wait'));
  await page.reload();
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:loaded'));
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), tokenKey('cmp_wait')), null);
  assert.equal(await page.locator('growthos-waitlist >> form').isVisible(), true);
  assert.match(await page.locator('growthos-waitlist >> [part~=count]').innerText(), /1,233 people are waiting/);
  assert.ok(calls.some((c) => c.path.endsWith('/participants/me') && c.token === 'pt_replaced'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('waitlist: retrying the same e-mail keeps the client_id of the attempt; another e-mail is a new attempt', async () => {
  calls.length = 0;
  fake.joinStatus = 503;
  const { ctx, page } = await open('<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>');
  await page.locator('growthos-waitlist >> input').fill('ada@example.com');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:error' && e.detail.status === 503), null, { timeout: 10000 });
  const first = calls.filter((c) => c.method === 'POST');
  assert.equal(first.length, 3, 'a 503 is retried twice');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.seen.filter((e) => e.type === 'growthos:error').length === 2, null, { timeout: 10000 });
  await page.locator('growthos-waitlist >> input').fill('bea@example.com');
  fake.joinStatus = 200;
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-waitlist >> [part~=position]');
  const posts = calls.filter((c) => c.method === 'POST');
  assert.equal(new Set(posts.filter((c) => c.body.email === 'ada@example.com').map((c) => c.body.client_id)).size, 1);
  assert.notEqual(posts[posts.length - 1].body.client_id, posts[0].body.client_id);
  await ctx.close();
});

test('waitlist without a landing URL (share_url null): the joined state promises no link to share', async () => {
  const was = fake.joined;
  fake.joined = { ...joined, share_url: null };
  try {
    const { ctx, page } = await open('<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>');
    await page.locator('growthos-waitlist >> input').fill('ada@example.com');
    await page.keyboard.press('Enter');
    await page.waitForSelector('growthos-waitlist >> [part~=position]');
    assert.doesNotMatch(await page.locator('growthos-waitlist >> [part~=referrals]').innerText(), /Share your link/);
    assert.equal(await page.locator('growthos-waitlist >> #share').count(), 0);
    await ctx.close();
  } finally {
    fake.joined = was;
  }
});

test('referral: the invite link and code are shown; copying fires growthos:copied', async () => {
  const { ctx, page } = await open('<growthos-referral campaign="cmp_ref" host="HOST" write-key="WK" heading="Give $10, get $10"></growthos-referral>');
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  await page.locator('growthos-referral >> input').fill('ada@example.com');
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-referral >> [part~=code]');
  assert.match(await page.locator('growthos-referral >> [part~=code]').innerText(), /ALICE42/);
  assert.equal(await page.locator('growthos-referral >> #share').inputValue(), joined.share_url);
  await page.locator('growthos-referral >> button[part~=copy]').click();
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:copied'));
  await page.locator('growthos-referral').screenshot({ path: join(shots, 'growthos-referral.png') });
  await ctx.close();
});

test('survey: displayed, answered question by question with the keyboard, partial then complete responses', async () => {
  calls.length = 0;
  const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK" user-id="user_1"></growthos-survey>');
  await page.waitForSelector('growthos-survey >> [part~=question]');
  assert.equal(await page.locator('growthos-survey >> [role=dialog]').count(), 1);
  await page.locator('growthos-survey').screenshot({ path: join(shots, 'growthos-survey.png') });
  const q = calls.find((c) => c.path === '/v1/widgets/surveys');
  assert.equal(q.query.user_id, 'user_1');
  assert.ok(q.query.anonymous_id && q.query.url);
  // NPS: the first radio has focus; arrows move and select, Enter submits.
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.seen.filter((e) => e.type === 'growthos:answered').length === 1);
  await page.waitForSelector('growthos-survey >> text=What do you use most?');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-survey >> textarea');
  await page.keyboard.type('Love it');
  await page.locator('growthos-survey >> button[type=submit]').press('Enter');
  await page.waitForSelector('growthos-survey >> [part~=thanks]');
  const responses = calls.filter((c) => c.path.endsWith('/responses'));
  assert.deepEqual(responses.map((r) => r.body.completed), [false, false, true]);
  // Each post carries the answer just given: they merge on the server, on the response id.
  assert.deepEqual(responses.map((r) => r.body.answers), [{ q1: 9 }, { q2: 'Waitlists' }, { q3: 'Love it' }]);
  assert.equal(new Set(responses.map((r) => r.body.response_id)).size, 1, 'one response id for the whole response');
  assert.ok(calls.some((c) => c.path === '/v1/widgets/campaigns/cmp_survey/displays'));
  assert.deepEqual((await events(page, 'responded'))[0].detail.answers, { q1: 9, q2: 'Waitlists', q3: 'Love it' });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('survey: a campaign attribute (which it does not read) set while shown starts nothing again', async () => {
  calls.length = 0;
  const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK" user-id="user_1"></growthos-survey>');
  await page.waitForSelector('growthos-survey >> [part~=question]');
  const before = calls.length;
  await page.evaluate(() => document.querySelector('growthos-survey').setAttribute('campaign', 'cmp_other'));
  await page.waitForTimeout(300);
  assert.equal(calls.length, before, 'no request');
  assert.equal(await page.locator('growthos-survey >> [part~=question]').count(), 1, 'the question stays on screen');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("survey: an Other text equal to a ticked choice is sent once (the API refuses a choice listed twice)", async () => {
  calls.length = 0;
  fake.survey = {
    ...survey,
    questions: [{ id: 'm', type: 'multiple_choice', text: 'Which do you use?', choices: ['Docs', 'API'], allow_other: true, required: true }],
  };
  try {
    const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK" user-id="user_1"></growthos-survey>');
    await page.waitForSelector('growthos-survey >> text=Which do you use?');
    await page.locator('growthos-survey >> input[value="Docs"]').check();
    await page.locator('growthos-survey >> #o').fill('Docs ');
    await page.locator('growthos-survey >> button[type=submit]').click();
    await page.waitForSelector('growthos-survey >> [part~=thanks]');
    const responses = calls.filter((c) => c.path.endsWith('/responses'));
    assert.deepEqual(responses.map((r) => r.body.answers), [{ m: ['Docs'] }]);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.survey = undefined;
  }
});

test('survey changed while the visitor answers it (a question removed, a required one added): the answers as shown are taken, with the ids of the questions shown', async () => {
  calls.length = 0;
  // The widget fetched q1-q3; meanwhile q2 was removed and a required q4 added.
  fake.surveyNow = { questions: [survey.questions[0], survey.questions[2], { id: 'q4', type: 'text', text: 'Which plan?', required: true }] };
  try {
    const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK" user-id="user_1"></growthos-survey>');
    await page.waitForSelector('growthos-survey >> [part~=question]');
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForSelector('growthos-survey >> text=What do you use most?');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector('growthos-survey >> textarea', { timeout: 5000 });
    await page.keyboard.type('Love it');
    await page.locator('growthos-survey >> button[type=submit]').press('Enter');
    await page.waitForSelector('growthos-survey >> [part~=thanks]', { timeout: 5000 });
    const responses = calls.filter((c) => c.path.endsWith('/responses'));
    assert.deepEqual(responses.map((r) => r.body.question_ids), [['q1', 'q2', 'q3'], ['q1', 'q2', 'q3'], ['q1', 'q2', 'q3']]);
    assert.deepEqual(responses.map((r) => r.body.answers), [{ q1: 9 }, { q2: 'Waitlists' }, { q3: 'Love it' }]);
    assert.deepEqual(await events(page, 'error'), []);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.surveyNow = undefined;
  }
});

test('survey edited while the visitor answers it (the choice they pick removed): the widget sends the revision it showed, the API drops that answer instead of refusing it, and the visitor finishes', async () => {
  calls.length = 0;
  // The widget fetched revision rev1; meanwhile q2's choice "Waitlists" was removed (rev2).
  fake.surveyNow = { revision: 'rev2', questions: [survey.questions[0], { ...survey.questions[1], choices: ['Referrals', 'Surveys'] }, survey.questions[2]] };
  try {
    const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK" user-id="user_1"></growthos-survey>');
    await page.waitForSelector('growthos-survey >> [part~=question]');
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForSelector('growthos-survey >> text=What do you use most?');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector('growthos-survey >> textarea', { timeout: 5000 });
    await page.keyboard.type('Love it');
    await page.locator('growthos-survey >> button[type=submit]').press('Enter');
    await page.waitForSelector('growthos-survey >> [part~=thanks]', { timeout: 5000 });
    const responses = calls.filter((c) => c.path.endsWith('/responses'));
    assert.deepEqual(responses.map((r) => r.body.revision), ['rev1', 'rev1', 'rev1']);
    // growthos:responded lists the answers the server stored, not the one it dropped.
    const [responded] = await events(page, 'responded');
    assert.deepEqual(responded.detail.answers, { q1: 9, q3: 'Love it' });
    assert.deepEqual(fake.merged[responded.detail.response_id], { q1: 9, q3: 'Love it' });
    assert.deepEqual(await events(page, 'error'), []);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.surveyNow = undefined;
  }
});

test('survey of the most questions with the longest answers (50 texts of 5,000 emoji, 20 KB each): each post carries the answer just given, under the 500 KB body limit, and the visitor finishes with every answer stored', async () => {
  calls.length = 0;
  fake.survey = { ...survey, questions: Array.from({ length: 50 }, (_, i) => ({ id: 't' + i, type: 'text', text: 'Tell us more (' + i + ')', max_length: 5000 })) };
  try {
    const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK" user-id="user_1"></growthos-survey>');
    for (let i = 0; i < 50; i++) {
      await page.waitForSelector(`growthos-survey >> text=Question ${i + 1} of 50`, { timeout: 5000 });
      await page.locator('growthos-survey >> textarea').evaluate((t) => (t.value = '😀'.repeat(5000)));
      await page.locator('growthos-survey >> button[type=submit]').click();
    }
    await page.waitForSelector('growthos-survey >> [part~=thanks]', { timeout: 5000 });
    const responses = calls.filter((c) => c.path.endsWith('/responses'));
    assert.equal(responses.length, 50);
    assert.ok(Math.max(...responses.map((r) => r.bytes)) < 25 * 1024, 'each post carries one answer');
    const stored = fake.merged[responses[0].body.response_id];
    assert.deepEqual(Object.keys(stored).length, 50);
    assert.ok(Object.values(stored).every((a) => a === '😀'.repeat(5000)));
    assert.deepEqual(await events(page, 'error'), []);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.survey = undefined;
  }
});

test("survey: a page URL over the API's 2,000 characters is sent cut between characters, never inside a %XX escape or a character's escapes (the API would read a broken URL)", async () => {
  const html = '<growthos-survey host="HOST" write-key="WK" user-id="user_1"></growthos-survey>';
  // The page's URL without a query of our own: its length tells where 2,000 falls in ours.
  // A shorter URL is sent whole, an escape at its end too.
  calls.length = 0;
  const first = await open(html, '&w=caf%C3%A9');
  await first.page.waitForSelector('growthos-survey >> [part~=question]');
  const whole = await first.page.evaluate(() => location.href);
  assert.equal(calls.find((c) => c.path === '/v1/widgets/surveys').query.url, whole);
  const base = whole.length - '&w=caf%C3%A9'.length;
  await first.ctx.close();
  // A query of "€" (%E2%82%AC, 9 characters each) whose escapes straddle character 2,000 at each offset.
  for (let offset = 1; offset <= 9; offset++) {
    calls.length = 0;
    const query = '&pad=' + 'a'.repeat(2000 - base - '&pad='.length - offset) + '%E2%82%AC'.repeat(3);
    const { ctx, page, errors } = await open(html, query);
    await page.waitForSelector('growthos-survey >> [part~=question]');
    const href = await page.evaluate(() => location.href);
    assert.ok(href.length > 2000, 'the page URL is longer than the API takes');
    const sent = calls.find((c) => c.path === '/v1/widgets/surveys').query.url;
    assert.ok(href.startsWith(sent) && sent.length <= 2000, `offset ${offset}: a prefix of the page URL`);
    assert.doesNotThrow(() => decodeURIComponent(sent), `offset ${offset}: ${sent.slice(-12)} is not cut inside an escape or a character`);
    assert.ok(sent.length >= 2000 - 18, `offset ${offset}: cut at most one character early (${sent.length})`);
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

test('survey answered already (another tab, an earlier visit): the 409 already_responded closes it with a message, not an error', async () => {
  calls.length = 0;
  fake.responseStatus = 409;
  try {
    const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK" user-id="user_1"></growthos-survey>');
    await page.waitForSelector('growthos-survey >> [part~=question]');
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForSelector('growthos-survey >> [part~=thanks]');
    assert.equal(await page.locator('growthos-survey >> [part~=thanks]').textContent(), 'You have already answered this survey. Thank you!');
    assert.equal(await page.locator('growthos-survey >> [role=dialog]').count(), 0, 'the questions are gone');
    assert.equal(calls.filter((c) => c.path.endsWith('/responses')).length, 1, 'not retried');
    assert.deepEqual(await events(page, 'error'), []);
    assert.deepEqual(await events(page, 'answered'), []);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.responseStatus = 200;
  }
});

test('survey appearing after its delay leaves the focus in the field the visitor is typing in', async () => {
  fake.surveyDelay = 1;
  const asks = () => calls.filter((c) => c.path === '/v1/widgets/surveys').length;
  const asked = asks();
  // The fake clock: 80 ms of simulated time between two keys (2 s in all): the survey's 1 s delay ends while the keys are typed.
  const { ctx, page, errors } = await open('<label>Message <input id="msg"></label><growthos-survey host="HOST" write-key="WK"></growthos-survey>', '', { clock: true });
  await page.focus('#msg');
  // The survey has been found (its delay runs from its answer on) before the typing starts.
  for (const end = Date.now() + 10000; asks() === asked; await new Promise((ok) => setTimeout(ok, 20))) {
    if (Date.now() > end) throw new Error('the survey was not asked for in 10 s');
  }
  await page.waitForTimeout(100);
  let typed = '';
  for (let i = 0; i < 25; i++) {
    await page.keyboard.type('a');
    typed += 'a';
    await page.clock.runFor(80);
  }
  await page.waitForSelector('growthos-survey >> [part~=question]');
  assert.equal(await page.inputValue('#msg'), typed, 'every key went to the page field');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'msg');
  assert.equal(await page.locator('growthos-survey >> [role=dialog]').count(), 1, 'the survey is shown meanwhile');
  assert.deepEqual(errors, []);
  fake.surveyDelay = 0;
  await ctx.close();
});

test('survey: Escape dismisses it and records the dismissal', async () => {
  calls.length = 0;
  const { ctx, page } = await open('<growthos-survey host="HOST" write-key="WK"></growthos-survey>');
  await page.waitForSelector('growthos-survey >> [part~=question]');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:dismissed'));
  assert.equal(await page.locator('growthos-survey >> [role=dialog]').count(), 0);
  await page.waitForTimeout(100);
  assert.ok(calls.some((c) => c.path.endsWith('/dismissals')));
  await ctx.close();
});

test('survey: a display and a dismissal are each retried with their own interaction_id', async () => {
  calls.length = 0;
  fake.interactionFailures = 1;
  // The fake clock: the retries' back-off passes in simulated time.
  const { ctx, page } = await open('<growthos-survey host="HOST" write-key="WK"></growthos-survey>', '', { clock: true });
  await page.waitForSelector('growthos-survey >> [part~=question]');
  const displayed = () => calls.filter((c) => c.path.endsWith('/displays'));
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:displayed'));
  await runUntil(page, () => displayed().length >= 2, 5000);
  const displays = displayed();
  assert.equal(displays.length, 2, 'the 503 is retried once, then it succeeds');
  assert.match(displays[0].body.interaction_id, /^[0-9a-f-]{36}$/);
  assert.equal(displays[1].body.interaction_id, displays[0].body.interaction_id, 'the retry carries the same id');
  fake.interactionFailures = 1;
  await page.keyboard.press('Escape');
  const dismissed = () => calls.filter((c) => c.path.endsWith('/dismissals'));
  await runUntil(page, () => dismissed().length >= 2, 5000);
  const dismissals = dismissed();
  assert.equal(dismissals.length, 2);
  assert.equal(dismissals[1].body.interaction_id, dismissals[0].body.interaction_id);
  assert.notEqual(dismissals[0].body.interaction_id, displays[0].body.interaction_id, 'a dismissal is another interaction');
  fake.interactionFailures = 0;
  await ctx.close();
});

test('social proof: the feed one item at a time with its counter; dismissable from the keyboard', async () => {
  fake.feedStatus = 200;
  const { ctx, page } = await open('<growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK" interval="700"></growthos-social-proof>');
  await page.waitForSelector('growthos-social-proof >> [part~=message]');
  const live = page.locator('growthos-social-proof >> [part~=message]');
  assert.match(await live.innerText(), /^(Alice S\. from Berlin|Bob from Lyon) joined the waitlist \d+ minutes ago$/, 'the message as rendered by the server, once');
  assert.match(await page.locator('growthos-social-proof >> [part~=counter]').innerText(), /1,234 people/);
  await page.locator('growthos-social-proof').screenshot({ path: join(shots, 'growthos-social-proof.png') });
  await page.waitForFunction(() => document.querySelector('growthos-social-proof').shadowRoot.querySelector('[part~=message]').textContent.includes('Bob'));
  await page.locator('growthos-social-proof >> button').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:dismissed'));
  await ctx.close();
});

test('social proof: a failing feed fires growthos:error and never throws into the page', async () => {
  fake.feedStatus = 500;
  const { ctx, page, errors } = await open('<growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK"></growthos-social-proof>');
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:error'));
  assert.deepEqual(errors, []);
  fake.feedStatus = 200;
  await ctx.close();
});

test('themable: CSS custom properties reach the shadow DOM and parts are stylable', async () => {
  const { ctx, page } = await open('<style>growthos-waitlist{--gos-color-primary:rgb(200, 0, 0)}growthos-waitlist::part(heading){text-transform:uppercase}</style><growthos-waitlist campaign="c" host="HOST" write-key="WK"></growthos-waitlist>');
  const button = page.locator('growthos-waitlist >> button');
  assert.equal(await button.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(200, 0, 0)');
  assert.equal(await page.locator('growthos-waitlist >> h2').evaluate((h) => getComputedStyle(h).textTransform), 'uppercase');
  await ctx.close();
});

test("a Content-Security-Policy without 'unsafe-inline' in style-src: all four are styled by their theme and cause no violation", async () => {
  fake.feedStatus = 200;
  fake.surveyDelay = 0;
  const csp = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'";
  const { ctx, page, errors } = await open(
    '<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist><growthos-referral campaign="cmp_ref" host="HOST" write-key="WK"></growthos-referral>' +
      '<growthos-survey host="HOST" write-key="WK"></growthos-survey><growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK"></growthos-social-proof>',
    '&csp=' + encodeURIComponent(csp),
  );
  await page.waitForSelector('growthos-survey >> [part~=question]');
  await page.waitForSelector('growthos-social-proof >> [part~=message]');
  await page.waitForSelector('growthos-referral >> [part~=count]');
  const styled = await page.evaluate(() =>
    ['growthos-waitlist', 'growthos-referral', 'growthos-survey', 'growthos-social-proof'].map((tag) => {
      const root = document.querySelector(tag).shadowRoot;
      const box = getComputedStyle(root.querySelector('.box'));
      const button = getComputedStyle(root.querySelector('button'));
      return [tag, box.borderTopWidth, box.borderTopStyle, button.fontWeight];
    }),
  );
  assert.deepEqual(styled, [
    ['growthos-waitlist', '1px', 'solid', '600'],
    ['growthos-referral', '1px', 'solid', '600'],
    ['growthos-survey', '1px', 'solid', '600'],
    ['growthos-social-proof', '1px', 'solid', '600'],
  ]);
  // The survey's own rules too: the NPS radios are visually hidden behind their numbers.
  assert.equal(await page.locator('growthos-survey >> input[type=radio]').first().evaluate((i) => getComputedStyle(i).opacity), '0');
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a host that answers 200 with HTML (a web site, not the Ingest API): a clear growthos:error, the neutral message, nothing thrown', async () => {
  const { ctx, page, errors, warnings } = await open(
    '<growthos-waitlist campaign="cmp_wait" host="HOST/site" write-key="WK"></growthos-waitlist><growthos-survey host="HOST/site" write-key="WK"></growthos-survey>' +
      '<growthos-social-proof campaign="cmp_sp" host="HOST/site" write-key="WK"></growthos-social-proof>',
  );
  await page.waitForFunction(() => window.seen.filter((e) => e.type === 'growthos:error').length === 3, null, { timeout: 5000 }).catch(() => undefined);
  const failed = (await events(page, 'error')).map((e) => [e.detail.status, e.detail.code]);
  assert.deepEqual(failed, [[200, 'invalid_response'], [200, 'invalid_response'], [200, 'invalid_response']]);
  assert.deepEqual(await events(page, 'loaded'), [], 'no growthos:loaded with an empty campaign');
  assert.equal(await page.locator('growthos-waitlist >> [part~=error]').innerText(), 'This is not available right now. Please try again later.');
  assert.ok(warnings.some((w) => /without JSON: is host=".*\/site" the GrowthOS Ingest API\?/.test(w)), warnings.join('\n'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('in a sandboxed iframe (opaque origin: document.cookie and localStorage throw) the survey is shown and its display recorded', async () => {
  calls.length = 0;
  fake.surveyDelay = 0;
  const inner = `/page?html=${encodeURIComponent(`<growthos-survey host="${origin}" write-key="${WK}"></growthos-survey>`)}`;
  const { ctx, page, errors } = await open(`<iframe sandbox="allow-scripts" src="${inner}" style="width:480px;height:380px"></iframe>`);
  const frame = () => page.frames().find((f) => f !== page.mainFrame());
  await page.waitForFunction(() => document.querySelector('iframe') && true);
  for (let i = 0; i < 100 && !(frame() && (await frame().evaluate(() => !!window.seen).catch(() => false))); i++) await page.waitForTimeout(50);
  await frame().waitForFunction(() => window.seen.some((e) => e.type === 'growthos:displayed' || e.type === 'growthos:error'));
  const seen = await frame().evaluate(() => window.seen.map((e) => [e.type, e.detail]));
  assert.deepEqual(seen.map(([type]) => type), ['growthos:displayed'], JSON.stringify(seen));
  assert.ok(await frame().evaluate(() => !!document.querySelector('growthos-survey').shadowRoot.querySelector('[part~=question]')));
  for (let i = 0; i < 100 && !calls.some((c) => c.path.endsWith('/displays')); i++) await page.waitForTimeout(50);
  const display = calls.find((c) => c.path.endsWith('/displays'));
  assert.match(display.body.anonymous_id, /^[0-9a-f-]{36}$/, 'an anonymous id for this page');
  assert.deepEqual(errors, []);
  await ctx.close();
});

// Attributes set after the element is connected (createElement, append, then setAttribute), the
// imperative pattern of many frameworks: one start with the final attributes.
test('attributes set after connect: one start with the final attributes, one growthos:loaded, no error, no request to the default host', async () => {
  calls.length = 0;
  const { ctx, page, errors, production } = await open('');
  await page.evaluate(([host, key]) => {
    const el = document.createElement('growthos-waitlist');
    document.body.append(el);
    el.setAttribute('campaign', 'cmp_wait');
    el.setAttribute('host', host);
    el.setAttribute('write-key', key);
  }, [origin, WK]);
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:loaded'));
  await page.waitForTimeout(1500);
  const widgetCalls = calls.filter((c) => c.path.startsWith('/v1/'));
  assert.deepEqual(widgetCalls.map((c) => c.path), ['/v1/widgets/campaigns/cmp_wait'], 'one request, for the final campaign');
  assert.equal((await events(page, 'loaded')).length, 1);
  assert.deepEqual(await events(page, 'error'), []);
  assert.deepEqual(production, [], 'nothing sent to https://ingest.growthos.io');
  assert.equal(await page.locator('growthos-waitlist >> [part~=error]').isHidden(), true);
  assert.match(await page.locator('growthos-waitlist >> [part~=count]').innerText(), /1,233 people are waiting/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('survey with attributes set after connect: exactly one display POST and one growthos:displayed', async () => {
  calls.length = 0;
  const { ctx, page, errors, production } = await open('');
  await page.evaluate(([host, key]) => {
    const s = document.createElement('growthos-survey');
    document.body.append(s);
    s.setAttribute('host', host);
    s.setAttribute('write-key', key);
  }, [origin, WK]);
  await page.waitForSelector('growthos-survey >> [part~=question]');
  await page.waitForTimeout(1500);
  assert.equal(calls.filter((c) => c.path.endsWith('/displays')).length, 1, 'one display recorded');
  assert.equal(calls.filter((c) => c.path === '/v1/widgets/surveys').length, 1);
  assert.equal((await events(page, 'displayed')).length, 1);
  assert.deepEqual(await events(page, 'error'), []);
  assert.deepEqual(production, []);
  assert.equal(await page.locator('growthos-survey >> form').count(), 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('an attribute changed while a start is still loading supersedes it: the stale answer is never rendered or announced', async () => {
  calls.length = 0;
  let release;
  fake.campaignGate = { promise: new Promise((ok) => (release = ok)) };
  try {
    const { ctx, page, errors } = await open('<growthos-waitlist campaign="cmp_old" host="HOST" write-key="WK" heading="Old"></growthos-waitlist>');
    await page.waitForFunction(() => document.querySelector('growthos-waitlist').shadowRoot.querySelector('h2'));
    // The request for cmp_old is in flight (the server has it and holds its answer).
    while (!calls.some((c) => c.path === '/v1/widgets/campaigns/cmp_old')) await new Promise((ok) => setTimeout(ok, 20));
    await page.evaluate(() => {
      const el = document.querySelector('growthos-waitlist');
      el.setAttribute('campaign', 'cmp_new');
      el.setAttribute('heading', 'New');
    });
    // The restart has sent its request: both answers go out now, the stale one included.
    while (!calls.some((c) => c.path === '/v1/widgets/campaigns/cmp_new')) await new Promise((ok) => setTimeout(ok, 20));
    release();
    await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:loaded'));
    await page.waitForTimeout(1200);
    const loaded = await events(page, 'loaded');
    assert.deepEqual(loaded.map((e) => e.detail.id), ['cmp_new'], 'only the current campaign is announced');
    assert.deepEqual(await events(page, 'error'), []);
    assert.equal(await page.locator('growthos-waitlist >> h2').innerText(), 'New');
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    release();
    fake.campaignGate = undefined;
  }
});

test('missing campaign or write key: no request, growthos:error missing_attribute naming it, a console warning, nothing broken shown', async () => {
  calls.length = 0;
  const { ctx, page, errors, warnings, production } = await open(
    '<growthos-waitlist id="a" host="HOST" write-key="WK"></growthos-waitlist><growthos-social-proof id="b" campaign="cmp_sp" host="HOST"></growthos-social-proof><growthos-waitlist id="c"></growthos-waitlist><growthos-survey id="d" host="HOST"></growthos-survey>',
  );
  await page.waitForFunction(() => window.seen.filter((e) => e.type === 'growthos:error').length === 4);
  await page.waitForTimeout(500);
  assert.deepEqual(calls.filter((c) => c.path.startsWith('/v1/')), [], 'no request');
  assert.deepEqual(production, [], 'nothing sent to the default host');
  const found = await page.evaluate(() => window.seen.filter((e) => e.type === 'growthos:error').map((e) => e.detail));
  for (const d of found) assert.equal(d.code, 'missing_attribute');
  assert.deepEqual(found.map((d) => d.details.map((x) => x.field).join(',')).sort(), ['campaign', 'campaign,write-key', 'write-key', 'write-key']);
  assert.equal(warnings.filter((w) => /needs the attribute/.test(w)).length, 4, warnings.join('\n'));
  const text = await page.evaluate(() => [...document.querySelectorAll('growthos-waitlist, growthos-social-proof, growthos-survey')].map((e) => e.shadowRoot.textContent.replace(/:host[\s\S]*$/, '').trim()));
  for (const t of text) assert.doesNotMatch(t, /could not reach/);
  assert.equal(await page.locator('growthos-waitlist#a >> form').count(), 0, 'no form that cannot work');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a campaign id that needs encoding (/, space, ä, ..) shows what an unknown campaign shows, with no request: 404 not_found, the neutral message', async () => {
  calls.length = 0;
  const NEUTRAL = /^This is not available right now\. Please try again later\.$/;
  const ids = ['cmp_unknown', 'cmp_a/b', '../feed', 'cmp ä', 'cmp_a?b=1'];
  const html = ids
    // host on another origin than the page (as in production), so CORS decides what the page may read
    .flatMap((id) => ['waitlist', 'referral', 'social-proof'].map((tag) => `<growthos-${tag} data-id="${id}" campaign="${id}" host="${origin.replace('127.0.0.1', 'localhost')}" write-key="WK"></growthos-${tag}>`))
    .join('');
  const { ctx, page, errors, warnings } = await open(html);
  await page.waitForFunction((n) => window.seen.filter((e) => e.type === 'growthos:error').length === n, ids.length * 3, { timeout: 10000 });
  await page.waitForTimeout(300);
  const states = await page.evaluate(() =>
    [...document.querySelectorAll('[data-id]')].map((el) => {
      const box = el.shadowRoot.querySelector('[part~=error]');
      return { tag: el.tagName.toLowerCase(), id: el.dataset.id, shown: box && !box.hidden ? box.textContent : null };
    }),
  );
  const details = await page.evaluate(() => window.seen.filter((e) => e.type === 'growthos:error').map((e) => ({ tag: e.target && e.target.tagName, ...e.detail })));
  assert.equal(details.length, ids.length * 3);
  for (const d of details) {
    assert.equal(d.status, 404, JSON.stringify(d));
    assert.equal(d.code, 'not_found', JSON.stringify(d));
  }
  for (const s of states) {
    if (s.tag === 'growthos-social-proof') assert.equal(s.shown, null, `${s.tag} ${s.id}: nothing shown`);
    else assert.match(s.shown || '', NEUTRAL, `${s.tag} ${s.id}: the unknown campaign's message, not "could not reach"`);
  }
  assert.deepEqual(calls.filter((c) => c.path.startsWith('/v1/') && !c.path.includes('cmp_unknown')), [], 'no request for an id that cannot exist');
  assert.ok(warnings.some((w) => /404 not_found/.test(w) && /cmp_a\/b/.test(w)), warnings.join('\n'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('wrong write key: the visitor sees a neutral message; the server error is in growthos:error and the console', async () => {
  const { ctx, page, errors, warnings } = await open('<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="gos_wk_wrong"></growthos-waitlist>');
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:error'));
  const [err] = await events(page, 'error');
  assert.equal(err.detail.status, 401);
  assert.equal(err.detail.message, 'bad key', 'the server message for the developer');
  const shown = await page.locator('growthos-waitlist >> [part~=error]').innerText();
  assert.doesNotMatch(shown, /bad key/);
  assert.match(shown, /not available/);
  assert.ok(warnings.some((w) => /401/.test(w) && /bad key/.test(w)), warnings.join('\n'));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('429 and 5xx: the visitor sees the neutral message; growthos:error keeps the server code and message', async () => {
  const NEUTRAL = /^This is not available right now\. Please try again later\.$/;
  fake.joinStatus = 429;
  // The fake clock: the retries' back-off (Retry-After: 1, then 400 and 800 ms) passes in simulated time.
  const { ctx, page, errors } = await open('<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>', '', { clock: true });
  try {
    const shown = () => page.locator('growthos-waitlist >> [part~=error]').innerText();
    await page.locator('growthos-waitlist >> input').fill('ada@example.com');
    await page.keyboard.press('Enter');
    await runUntil(page, () => page.evaluate(() => window.seen.some((e) => e.type === 'growthos:error' && e.detail.status === 429)));
    const [limited] = await events(page, 'error');
    assert.equal(limited.detail.code, 'rate_limited');
    assert.equal(limited.detail.message, RATE_LIMITED.error.message, 'the server message for the developer');
    assert.equal(limited.detail.request_id, 'req_rl');
    assert.match(await shown(), NEUTRAL);
    fake.joinStatus = 500;
    await page.keyboard.press('Enter');
    await runUntil(page, () => page.evaluate(() => window.seen.some((e) => e.type === 'growthos:error' && e.detail.status === 500)));
    const failed = (await events(page, 'error')).find((e) => e.detail.status === 500);
    assert.equal(failed.detail.code, 'internal_error');
    assert.equal(failed.detail.message, INTERNAL.error.message);
    assert.match(await shown(), NEUTRAL);
    fake.joinStatus = 200;
    await page.locator('growthos-waitlist >> input').fill('bea@example.com');
    await page.keyboard.press('Enter');
    await page.waitForSelector('growthos-waitlist >> [part~=position]');
    assert.equal(await page.locator('growthos-waitlist >> [part~=error]').isHidden(), true, 'a later success hides it');

    fake.responseStatus = 503;
    const survey = await open('<growthos-survey host="HOST" write-key="WK"></growthos-survey>', '', { clock: true });
    await survey.page.waitForSelector('growthos-survey >> [part~=question]');
    for (let i = 0; i < 9; i++) await survey.page.keyboard.press('ArrowRight');
    await survey.page.keyboard.press('Enter');
    await runUntil(survey.page, () => survey.page.evaluate(() => window.seen.some((e) => e.type === 'growthos:error' && e.detail.status === 503)));
    const [unavailable] = await events(survey.page, 'error');
    assert.equal(unavailable.detail.code, 'service_unavailable');
    assert.equal(unavailable.detail.message, UNAVAILABLE.error.message);
    assert.match(await survey.page.locator('growthos-survey >> [part~=error]').innerText(), NEUTRAL);
    assert.deepEqual(survey.errors, []);
    await survey.ctx.close();
  } finally {
    fake.joinStatus = 200;
    fake.responseStatus = 200;
    await ctx.close();
  }
  assert.deepEqual(errors, []);
});

/** Counts the changes of the social proof message from now on (a MutationObserver). */
const countRotations = (page) =>
  page.evaluate(() => {
    if (window.rotationObserver) window.rotationObserver.disconnect();
    window.rotations = 0;
    const el = document.querySelector('growthos-social-proof');
    window.rotationObserver = new MutationObserver(() => window.rotations++);
    window.rotationObserver.observe(el.shadowRoot, { subtree: true, childList: true, characterData: true });
  });

test('social proof: interval="1" is clamped to 1000 ms; interval="0" rotates every 1000 ms too', async () => {
  fake.feedStatus = 200;
  // The fake clock: the 2.5 s below are simulated time the rotation's interval runs through at once.
  const { ctx, page } = await open('<growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK" interval="500"></growthos-social-proof>', '', { clock: true });
  await page.waitForSelector('growthos-social-proof >> [part~=message]');
  for (const interval of ['1', '0']) {
    const loaded = (await events(page, 'loaded')).length;
    await page.evaluate((v) => document.querySelector('growthos-social-proof').setAttribute('interval', v), interval);
    // The restart fetches the feed once more and renders it.
    await page.waitForFunction((n) => window.seen.filter((e) => e.type === 'growthos:loaded').length > n, loaded);
    await page.waitForTimeout(100);
    await countRotations(page);
    // An interval of 0 left unclamped would hold the fake clock at one instant: a failure, not a hang.
    const ran = page.clock.runFor(2500);
    ran.catch(() => undefined);
    let guard;
    await Promise.race([ran, new Promise((_, no) => (guard = setTimeout(() => no(new Error(`interval="${interval}": 2.5 s of the page's timers did not run in 20 s`)), 20000)))]).finally(() => clearTimeout(guard));
    const rotations = await page.evaluate(() => window.rotations);
    assert.ok(rotations >= 1 && rotations <= 3, `interval="${interval}": about one change a second, got ${rotations} in 2.5 s`);
  }
  await ctx.close();
});

test('social proof moved or removed and re-added: the rotation resumes, with one interval, without fetching the feed again', async () => {
  calls.length = 0;
  fake.feedStatus = 200;
  // The fake clock: the 1.5 s and 3.5 s below are simulated time the page's timers run through at once.
  const { ctx, page, errors } = await open('<div id="a"><growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK" interval="1000"></growthos-social-proof></div><div id="b"></div>', '', { clock: true });
  await page.waitForSelector('growthos-social-proof >> [part~=message]');
  // A framework moving the element: removed and inserted elsewhere in one task.
  await page.evaluate(() => document.querySelector('#b').append(document.querySelector('growthos-social-proof')));
  // Removed, and added back later.
  await page.evaluate(() => {
    window.parked = document.querySelector('growthos-social-proof');
    window.parked.remove();
  });
  await page.clock.runFor(1500);
  await page.evaluate(() => document.querySelector('#a').append(window.parked));
  await countRotations(page);
  await page.clock.runFor(3500);
  const rotations = await page.evaluate(() => window.rotations);
  assert.ok(rotations >= 2 && rotations <= 4, `about one change a second after the re-add, got ${rotations}`);
  // A feed request the re-add or a timer would have sent meanwhile reaches the server.
  await page.waitForTimeout(300);
  assert.equal(feedFetches(), 1, 'the feed is fetched once');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('social proof: the feed is fetched again every refresh ms: the item on screen shows its new age, new items join the rotation, a failed refresh keeps it; refresh="0" never refetches', async () => {
  calls.length = 0;
  fake.feedStatus = 200;
  const feed = (items, count) => ({ object: 'social_proof_feed', campaign: 'cmp_sp', items, counters: [{ message: `${count} people joined this week`, count }] });
  const alice = (age) => ({ id: 'spi_1', message: `Alice S. from Berlin joined the waitlist ${age}`, time_ago: age });
  fake.feed = feed([alice('just now')], 1234);
  try {
    // The fake clock: the minutes below are simulated time the page's timers run through at once.
    const { ctx, page, errors } = await open('<growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK" interval="1000" refresh="30000"></growthos-social-proof>', '', { clock: true });
    await page.waitForSelector('growthos-social-proof >> [part~=message]');
    assert.deepEqual(await proofTexts(page, 'message'), ['Alice S. from Berlin joined the waitlist just now']);
    // 30 s later Alice's activity is older and Carol's is new.
    fake.feed = feed([{ id: 'spi_3', message: 'Carol from Oslo joined the waitlist just now', time_ago: 'just now' }, alice('1 minute ago')], 1240);
    await page.clock.runFor(30000);
    await page.waitForFunction(() => document.querySelector('growthos-social-proof').shadowRoot.querySelector('[part~=counter]').textContent.startsWith('1240'));
    assert.equal(feedFetches(), 2, 'one more fetch after 30 s');
    assert.deepEqual(await proofTexts(page, 'message'), ['Alice S. from Berlin joined the waitlist 1 minute ago'], 'the item on screen shows its age now');
    assert.deepEqual(await proofTexts(page, 'counter'), ['1240 people joined this week']);
    // One item became two: the rotation starts and shows Carol.
    await page.clock.runFor(1500);
    await page.waitForFunction(() => document.querySelector('growthos-social-proof').shadowRoot.querySelector('[part~=message]').textContent.startsWith('Carol'));
    // A failed refresh: what is shown stays, the visitor sees no error, the page gets no growthos:error.
    fake.feedStatus = 500;
    await runThenSettle(page, 30000);
    assert.equal(feedFetches(), 3, 'the refresh was tried');
    assert.equal((await proofTexts(page, 'message')).length, 1);
    assert.deepEqual(await proofTexts(page, 'counter'), ['1240 people joined this week']);
    assert.deepEqual(await events(page, 'error'), []);
    assert.deepEqual(errors, []);
    await ctx.close();

    // refresh="0": the feed is fetched once, however long the page stays open.
    fake.feedStatus = 200;
    calls.length = 0;
    const once = await open('<growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK" refresh="0"></growthos-social-proof>', '', { clock: true });
    await once.page.waitForSelector('growthos-social-proof >> [part~=message]');
    await runThenSettle(once.page, 180000);
    assert.equal(feedFetches(), 1, 'refresh="0" never refetches');
    await once.ctx.close();
  } finally {
    fake.feed = undefined;
    fake.feedStatus = 200;
  }
});

test('social proof: a feed empty when the page loads is fetched again every refresh ms, and the first refresh with activity shows it (growthos:loaded again)', async () => {
  calls.length = 0;
  fake.feedStatus = 200;
  fake.feed = { object: 'social_proof_feed', campaign: 'cmp_sp', items: [], counters: [] };
  try {
    const { ctx, page, errors } = await open('<growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK" refresh="30000"></growthos-social-proof>', '', { clock: true });
    await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:loaded'));
    assert.equal((await proofTexts(page, 'message')).length, 0, 'nothing to show');
    // Still nothing 30 s later: the refresh was made and shows nothing.
    await runThenSettle(page, 30000);
    assert.equal(feedFetches(), 2, 'fetched again after 30 s');
    assert.equal((await proofTexts(page, 'message')).length, 0);
    // A failed refresh: nothing shown, no growthos:error.
    fake.feedStatus = 500;
    await runThenSettle(page, 30000);
    assert.equal(feedFetches(), 3, 'the refresh was tried');
    assert.equal((await proofTexts(page, 'message')).length, 0);
    // Activity now: the next refresh shows it, with its counter.
    fake.feedStatus = 200;
    fake.feed = { object: 'social_proof_feed', campaign: 'cmp_sp', items: [{ id: 'spi_9', message: 'Dana from Porto joined the waitlist just now', time_ago: 'just now' }], counters: [{ message: '1 person joined this week', count: 1 }] };
    await page.clock.runFor(30000);
    await page.waitForSelector('growthos-social-proof >> [part~=message]');
    assert.deepEqual(await proofTexts(page, 'message'), ['Dana from Porto joined the waitlist just now']);
    assert.deepEqual(await proofTexts(page, 'counter'), ['1 person joined this week']);
    assert.equal((await events(page, 'loaded')).length, 2, 'growthos:loaded once for the empty feed, once for the feed it shows');
    assert.deepEqual(await events(page, 'error'), []);
    // From then on it refreshes as a feed that had items at first: one fetch per 30 s.
    const before = feedFetches();
    await runThenSettle(page, 30000);
    assert.equal(feedFetches(), before + 1);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.feed = undefined;
    fake.feedStatus = 200;
  }
});

test('survey removed during its delay and re-added: shown after the rest of the delay, one display; moving a shown survey keeps it', async () => {
  calls.length = 0;
  fake.surveyDelay = 1;
  try {
    // The fake clock: the 1.5 s below are simulated time the page's timers run through at once.
    const { ctx, page, errors } = await open('<div id="a"><growthos-survey host="HOST" write-key="WK"></growthos-survey></div><div id="b"></div>', '', { clock: true });
    await page.waitForFunction(() => !!window.seen); // loaded
    await page.waitForTimeout(400);
    await page.evaluate(() => {
      window.parked = document.querySelector('growthos-survey');
      window.parked.remove();
    });
    await page.clock.runFor(1500);
    // A display the delay's timer would have sent meanwhile reaches the server.
    await page.waitForTimeout(300);
    assert.equal(calls.filter((c) => c.path.endsWith('/displays')).length, 0, 'not shown while removed');
    await page.evaluate(() => document.querySelector('#b').append(window.parked));
    await page.clock.runFor(1000);
    await page.waitForSelector('growthos-survey >> [part~=question]', { timeout: 3000 });
    await page.keyboard.press('ArrowRight');
    await page.evaluate(() => document.querySelector('#a').append(document.querySelector('growthos-survey')));
    await page.clock.runFor(1500);
    // A second survey request or display the move would have sent reaches the server.
    await page.waitForTimeout(300);
    assert.equal(await page.locator('growthos-survey >> [part~=question]').count(), 1, 'still shown after the move');
    assert.equal(calls.filter((c) => c.path.endsWith('/displays')).length, 1, 'one display recorded');
    assert.equal(calls.filter((c) => c.path === '/v1/widgets/surveys').length, 1);
    assert.equal((await events(page, 'displayed')).length, 1);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.surveyDelay = 0;
  }
});

// A customer's production page: another origin than the Ingest API, and the strictest usual
// policy: no 'unsafe-inline' or 'unsafe-eval' anywhere, connections to the Ingest API only.
test("a strict Content-Security-Policy (script-src 'self', style-src 'self', connect-src the Ingest API): all four styled; joining, answering a survey and the feed work; no violation", async () => {
  calls.length = 0;
  fake.joinStatus = 200;
  fake.feedStatus = 200;
  fake.surveyDelay = 0;
  const csp = `default-src 'self'; script-src 'self'; style-src 'self'; connect-src ${origin}`;
  const { ctx, page, errors } = await open(
    '<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist><growthos-referral campaign="cmp_ref" host="HOST" write-key="WK"></growthos-referral>' +
      '<growthos-survey host="HOST" write-key="WK"></growthos-survey><growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK"></growthos-social-proof>',
    '&csp=' + encodeURIComponent(csp),
    { site: customerSite(), viewport: { width: 520, height: 1400 } },
  );
  await page.waitForSelector('growthos-survey >> [part~=question]');
  await page.waitForSelector('growthos-social-proof >> [part~=message]');
  await page.waitForSelector('growthos-referral >> [part~=count]');
  const styled = await page.evaluate(() =>
    ['growthos-waitlist', 'growthos-referral', 'growthos-survey', 'growthos-social-proof'].map((tag) => {
      const root = document.querySelector(tag).shadowRoot;
      const box = getComputedStyle(root.querySelector('.box'));
      const button = getComputedStyle(root.querySelector('button'));
      return [tag, box.borderTopWidth, box.borderTopStyle, button.fontWeight, button.backgroundColor];
    }),
  );
  assert.deepEqual(styled, [
    ['growthos-waitlist', '1px', 'solid', '600', 'rgb(29, 78, 216)'],
    ['growthos-referral', '1px', 'solid', '600', 'rgb(29, 78, 216)'],
    ['growthos-survey', '1px', 'solid', '600', 'rgba(0, 0, 0, 0)'],
    ['growthos-social-proof', '1px', 'solid', '600', 'rgba(0, 0, 0, 0)'],
  ]);
  assert.match(await page.locator('growthos-social-proof >> [part~=message]').innerText(), /Alice S\. from Berlin/);
  // Join with the keyboard.
  await page.locator('growthos-waitlist >> input').focus();
  await page.keyboard.type('ada@example.com');
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-waitlist >> [part~=position]');
  // Answer the survey with the keyboard: 10 (Left from 0 wraps to 10) ends it.
  await page.locator('growthos-survey >> input[type=radio]').first().focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-survey >> [part~=thanks]');
  const response = calls.find((c) => c.path.endsWith('/responses'));
  assert.deepEqual([response.body.answers, response.body.completed], [{ q1: 10 }, true]);
  assert.equal(calls.filter((c) => c.method === 'POST' && c.path.endsWith('/participants')).length, 1);
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual((await events(page, 'error')).map((e) => e.detail), []);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(shots, 'strict-csp.png'), fullPage: true });
  await ctx.close();
});

// axe-core (dev dependency): the accessibility rules, run in the page.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.x A/AA rules (and its best practices) run inside Chromium on `selector` (shadow DOM included). */
async function axe(page, state, selector) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axeSource);
  const found = await page.evaluate(
    (sel) =>
      window.axe.run({ include: [[sel]] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }).then((r) =>
        r.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.flat().join(' >> ') + ': ' + n.failureSummary) })),
      ),
    selector,
  );
  return found.map((v) => ({ state, ...v }));
}

test('accessibility (axe-core in Chromium): no WCAG 2.2 A/AA violation in the main states of the four components', async () => {
  fake.joinStatus = 200;
  fake.feedStatus = 200;
  fake.surveyDelay = 0;
  fake.survey = undefined;
  const { ctx, page, errors } = await open(
    '<main><h1>Product</h1><growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist><growthos-referral campaign="cmp_ref" host="HOST" write-key="WK"></growthos-referral>' +
      '<growthos-survey host="HOST" write-key="WK"></growthos-survey><growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK"></growthos-social-proof></main>',
    '',
    { viewport: { width: 520, height: 1400 } },
  );
  await page.waitForSelector('growthos-survey >> [part~=question]');
  await page.waitForSelector('growthos-social-proof >> [part~=message]');
  await page.waitForSelector('growthos-referral >> [part~=count]');
  const found = [];
  found.push(...(await axe(page, 'waitlist form', 'growthos-waitlist')));
  found.push(...(await axe(page, 'social proof', 'growthos-social-proof')));
  found.push(...(await axe(page, 'survey: NPS question', 'growthos-survey')));
  // An invalid e-mail: the error is shown and the field described by it.
  await page.locator('growthos-waitlist >> input').fill('nope');
  await page.locator('growthos-waitlist >> input').press('Enter');
  await page.waitForSelector('growthos-waitlist >> [part~=error]:not([hidden])');
  found.push(...(await axe(page, 'waitlist: invalid e-mail', 'growthos-waitlist')));
  await page.locator('growthos-waitlist >> input').fill('ada@example.com');
  await page.locator('growthos-waitlist >> input').press('Enter');
  await page.waitForSelector('growthos-waitlist >> [part~=position]');
  found.push(...(await axe(page, 'waitlist: joined', 'growthos-waitlist')));
  await page.locator('growthos-referral >> input').fill('bob@example.com');
  await page.locator('growthos-referral >> input').press('Enter');
  await page.waitForSelector('growthos-referral >> [part~=code]');
  found.push(...(await axe(page, 'referral: joined', 'growthos-referral')));
  // Survey: a required question left unanswered, then each kind of question, then the thanks.
  await page.locator('growthos-survey >> button[type=submit]').click();
  await page.waitForSelector('growthos-survey >> [part~=error]:not([hidden])');
  found.push(...(await axe(page, 'survey: required answer missing', 'growthos-survey')));
  await page.locator('growthos-survey >> input[value="7"]').check({ force: true });
  await page.locator('growthos-survey >> button[type=submit]').click();
  await page.waitForSelector('growthos-survey >> input[type=radio][value=Referrals]');
  found.push(...(await axe(page, 'survey: single choice', 'growthos-survey')));
  await page.locator('growthos-survey >> button[type=submit]').click();
  await page.waitForSelector('growthos-survey >> textarea');
  found.push(...(await axe(page, 'survey: text', 'growthos-survey')));
  await page.locator('growthos-survey >> button[type=submit]').click();
  await page.waitForSelector('growthos-survey >> [part~=thanks]');
  found.push(...(await axe(page, 'survey: thanks', 'growthos-survey')));
  assert.deepEqual(found, [], JSON.stringify(found, null, 1));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('survey closed from the keyboard (Escape, or Enter on ×) gives the focus back to where it was before it entered the survey', async () => {
  fake.surveyDelay = 1;
  try {
    for (const close of ['Escape', 'close button']) {
      const { ctx, page, errors } = await open('<label>Message <input id="msg"></label><growthos-survey host="HOST" write-key="WK"></growthos-survey><button id="after">After</button>');
      await page.focus('#msg');
      await page.waitForSelector('growthos-survey >> [part~=question]');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'msg', 'appearing, it left the focus where the visitor was');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.tagName), 'GROWTHOS-SURVEY', 'Tab enters the survey');
      assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.getAttribute('aria-label')), 'Close survey');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.type), 'radio', 'then the scale');
      if (close === 'Escape') await page.keyboard.press('Escape');
      else {
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Enter');
      }
      await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:dismissed'));
      assert.equal(await page.evaluate(() => document.activeElement.id), 'msg', `${close}: the focus is back in the page field`);
      assert.deepEqual(errors, []);
      await ctx.close();
    }
  } finally {
    fake.surveyDelay = 0;
  }
});

test("several on one page, in another shadow root and in an iframe, with the page's own CSS: each styled and working alone; their CSS stays inside; re-adding one duplicates nothing", async () => {
  calls.length = 0;
  fake.joinStatus = 200;
  // A hostile page stylesheet: rules on every element (so on the custom elements themselves) and on the tags used inside.
  const css =
    '* { box-sizing: content-box; font-size: 30px; color: #fff; line-height: .5; letter-spacing: 3px; text-transform: uppercase; text-align: center } ' +
    'body { background: #111 } button { display: none } label { display: none } input { width: 10px; border: 0 } h2 { color: red } p { margin: 60px }';
  const html =
    '<h2 id="own">Page heading</h2><p id="ownp">Page text <button id="ownb">Page button</button></p>' +
    '<growthos-waitlist id="w1" campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>' +
    '<growthos-waitlist id="w2" campaign="cmp_wait2" host="HOST" write-key="WK" heading="Second list"></growthos-waitlist>' +
    '<div id="app"><template shadowrootmode="open"><section><growthos-referral id="r1" campaign="cmp_ref" host="HOST" write-key="WK"></growthos-referral></section></template></div>' +
    `<iframe id="frame" style="width:480px;height:300px" src="/page?html=${encodeURIComponent(fillPage('<growthos-waitlist campaign="cmp_framed" host="HOST" write-key="WK"></growthos-waitlist>', origin, WK))}"></iframe>`;
  const { ctx, page, errors } = await open(html, '&css=' + encodeURIComponent(css), { viewport: { width: 520, height: 1800 } });
  await page.waitForSelector('#w1 >> [part~=count]');
  await page.waitForSelector('#w2 >> [part~=count]');
  await page.waitForSelector('#r1 >> [part~=count]');
  const frame = page.frameLocator('#frame');
  await frame.locator('growthos-waitlist >> [part~=count]').waitFor();
  // The components look the same whatever the page's rules: their theme, not the page's.
  const look = (selector) =>
    page.locator(selector).evaluate((el) => {
      const root = el.shadowRoot;
      const s = (q) => getComputedStyle(root.querySelector(q));
      return {
        text: [s('.box').fontSize, s('.box').color, s('.box').lineHeight, s('.box').letterSpacing, s('.box').textTransform, s('.box').textAlign],
        button: [s('button').display, s('button').fontSize],
        label: s('label').display,
        input: [s('input').boxSizing, s('input').borderTopWidth, Math.round(root.querySelector('input').getBoundingClientRect().width) > 200],
        h2: s('h2').color,
      };
    });
  const expected = {
    text: ['16px', 'rgb(17, 24, 39)', '24px', 'normal', 'none', 'start'],
    button: ['block', '16px'],
    label: 'block',
    input: ['border-box', '1px', true],
    h2: 'rgb(17, 24, 39)',
  };
  await page.screenshot({ path: join(shots, 'hostile-page-css.png'), fullPage: true });
  for (const selector of ['#w1', '#w2', '#r1']) assert.deepEqual(await look(selector), expected, selector);
  // Nothing of theirs reaches the page: no stylesheet added to the document, its own elements as its CSS says.
  assert.deepEqual(
    await page.evaluate(() => [document.styleSheets.length, document.adoptedStyleSheets.length, getComputedStyle(document.querySelector('#ownb')).display, getComputedStyle(document.querySelector('#own')).color]),
    [1, 0, 'none', 'rgb(255, 0, 0)'],
  );
  // Removed and re-added (state kept, nothing fetched again), then joined with the keyboard: one request, one event.
  await page.evaluate(() => {
    const el = document.querySelector('#w1');
    el.remove();
    document.body.append(el);
  });
  await page.locator('#w1 >> input').focus();
  await page.keyboard.type('ada@example.com');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#w1 >> [part~=position]');
  // The one in another shadow root, with the keyboard too.
  await page.locator('#r1 >> input').focus();
  await page.keyboard.type('bob@example.com');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#r1 >> [part~=code]');
  await page.waitForTimeout(300);
  const posts = calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.body.email]);
  assert.deepEqual(posts, [
    ['/v1/widgets/campaigns/cmp_wait/participants', 'ada@example.com'],
    ['/v1/widgets/campaigns/cmp_ref/participants', 'bob@example.com'],
  ]);
  assert.equal(calls.filter((c) => c.path === '/v1/widgets/campaigns/cmp_wait').length, 1, 'the campaign is fetched once, not again when re-added');
  assert.deepEqual((await events(page, 'joined')).length, 2);
  assert.equal(await page.locator('#w2 >> form').isVisible(), true, 'the other waitlist is untouched');
  assert.equal(await frame.locator('growthos-waitlist >> form').isVisible(), true);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('survey in forced colours (Windows high contrast): the value chosen on a scale looks chosen', async () => {
  fake.surveyDelay = 0;
  const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK"></growthos-survey>');
  await page.emulateMedia({ forcedColors: 'active' });
  await page.waitForSelector('growthos-survey >> [part~=question]');
  // The focus is on 0 (the survey took it); Right three times chooses 3.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  // The colours as seen: a transparent background shows the box's (forced colours make it the Canvas colour).
  const look = await page.locator('growthos-survey').evaluate((el) => {
    const canvas = getComputedStyle(el.shadowRoot.querySelector('.box')).backgroundColor;
    return [...el.shadowRoot.querySelectorAll('.scale label')].slice(2, 5).map((l) => {
      const c = getComputedStyle(l.querySelector('span'));
      return [l.querySelector('input').checked, /, 0\)$/.test(c.backgroundColor) ? canvas : c.backgroundColor, c.color, c.borderTopColor];
    });
  });
  assert.deepEqual(look.map(([checked]) => checked), [false, true, false]);
  assert.notDeepEqual(look[1].slice(1), look[0].slice(1), `the chosen value differs from the others: ${JSON.stringify(look)}`);
  assert.deepEqual(look[0].slice(1), look[2].slice(1));
  await page.locator('growthos-survey').screenshot({ path: join(shots, 'growthos-survey-forced-colors.png') });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("an element moved into a same-origin iframe's document keeps its theme (a constructed stylesheet of that document)", async () => {
  const { ctx, page, errors } = await open('<iframe id="f" src="/page?html=%3Cp%3Eframe%3C%2Fp%3E"></iframe><growthos-waitlist id="w" campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>');
  await page.waitForSelector('#w >> [part~=count]');
  await page.waitForFunction(() => document.querySelector('#f').contentDocument && document.querySelector('#f').contentDocument.readyState === 'complete');
  const before = await page.locator('#w').evaluate((el) => getComputedStyle(el.shadowRoot.querySelector('.box')).borderTopWidth);
  const after = await page.evaluate(() => {
    const el = document.querySelector('#w');
    document.querySelector('#f').contentDocument.body.append(el);
    const root = el.shadowRoot;
    return [root.querySelector('.box').ownerDocument === document.querySelector('#f').contentDocument, getComputedStyle(root.querySelector('.box')).borderTopWidth, getComputedStyle(root.querySelector('button')).fontWeight];
  });
  assert.deepEqual([before, ...after], ['1px', true, '1px', '600']);
  assert.deepEqual(errors, []);
  await ctx.close();
});

/** The element that has the focus, inside shadow roots. */
const focused = (page) =>
  page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a.tagName + (a.type ? ':' + a.type : '');
  });

test('a join or a survey answer that fails after pressing its button from the keyboard leaves the focus in the form: on the field to correct, or on the button to retry', async () => {
  try {
    for (const [status, expected] of [
      [400, 'INPUT:email'],
      [500, 'BUTTON:submit'],
    ]) {
      fake.joinStatus = status;
      // The fake clock: the retries' back-off passes in simulated time.
      const { ctx, page, errors } = await open('<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>', '', { clock: true });
      await page.waitForSelector('growthos-waitlist >> [part~=count]');
      await page.locator('growthos-waitlist >> input').focus();
      await page.keyboard.type('ada@example.com');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await runUntil(page, () => page.locator('growthos-waitlist >> [part~=error]:not([hidden])').count());
      assert.equal(await focused(page), expected, `join answered ${status}`);
      assert.deepEqual(errors, []);
      await ctx.close();
    }
    fake.joinStatus = 200;
    fake.responseStatus = 503;
    const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK"></growthos-survey>', '', { clock: true });
    await page.waitForSelector('growthos-survey >> [part~=question]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'BUTTON:submit');
    await page.keyboard.press('Enter');
    await runUntil(page, () => page.locator('growthos-survey >> [part~=error]:not([hidden])').count());
    assert.equal(await focused(page), 'BUTTON:submit', 'survey answer answered 503 three times');
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.joinStatus = 200;
    fake.responseStatus = 200;
  }
});

test('two survey elements on one page (a layout that includes it twice): the survey is shown once and its display recorded once', async () => {
  calls.length = 0;
  fake.surveyDelay = 0;
  const { ctx, page, errors } = await open('<growthos-survey id="s1" host="HOST" write-key="WK"></growthos-survey><p>Page</p><growthos-survey id="s2" host="HOST" write-key="WK"></growthos-survey>');
  await page.waitForSelector('growthos-survey >> [part~=question]');
  await page.waitForTimeout(800);
  assert.equal(await page.locator('growthos-survey >> [role=dialog]').count(), 1, 'one dialog');
  assert.equal(calls.filter((c) => c.path.endsWith('/displays')).length, 1, 'one display');
  assert.equal((await events(page, 'displayed')).length, 1);
  // Closed, it stays closed: the other element does not show it then.
  await page.keyboard.press('Escape');
  await page.waitForTimeout(500);
  assert.equal(await page.locator('growthos-survey >> [role=dialog]').count(), 0);
  assert.equal(calls.filter((c) => c.path.endsWith('/dismissals')).length, 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("a browser without constructable stylesheets under a strict style-src: with the page's nonce in nonce=\"…\" the components' <style> is allowed and they are styled", async () => {
  fake.feedStatus = 200;
  fake.surveyDelay = 0;
  const csp = `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-r4nd0m'; connect-src ${origin}`;
  const { ctx, page, errors } = await open(
    '<growthos-waitlist nonce="r4nd0m" campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist><growthos-survey nonce="r4nd0m" host="HOST" write-key="WK"></growthos-survey>' +
      '<growthos-social-proof nonce="r4nd0m" campaign="cmp_sp" host="HOST" write-key="WK"></growthos-social-proof>',
    '&noadopt=1&csp=' + encodeURIComponent(csp),
    { site: customerSite(), viewport: { width: 520, height: 1200 } },
  );
  await page.waitForSelector('growthos-survey >> [part~=question]');
  await page.waitForSelector('growthos-social-proof >> [part~=message]');
  await page.waitForSelector('growthos-waitlist >> [part~=count]');
  assert.equal(await page.evaluate(() => 'adoptedStyleSheets' in ShadowRoot.prototype), false, 'constructable stylesheets are gone');
  const styled = await page.evaluate(() =>
    ['growthos-waitlist', 'growthos-survey', 'growthos-social-proof'].map((tag) => {
      const root = document.querySelector(tag).shadowRoot;
      return [tag, root.querySelectorAll('style').length, getComputedStyle(root.querySelector('.box')).borderTopWidth, getComputedStyle(root.querySelector('button')).fontWeight];
    }),
  );
  assert.deepEqual(styled, [
    ['growthos-waitlist', 1, '1px', '600'],
    ['growthos-survey', 1, '1px', '600'],
    ['growthos-social-proof', 1, '1px', '600'],
  ]);
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('two waitlist elements of one campaign (header and footer): joining in one shows the joined state in both, with one join and one growthos:joined', async () => {
  calls.length = 0;
  fake.joinStatus = 200;
  const { ctx, page, errors } = await open(
    '<growthos-waitlist id="header" campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>' +
      '<growthos-waitlist id="other" campaign="cmp_other" host="HOST" write-key="WK"></growthos-waitlist>' +
      '<growthos-waitlist id="footer" campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>',
    '',
    { viewport: { width: 520, height: 1200 } },
  );
  await page.waitForFunction(() => window.seen.filter((e) => e.type === 'growthos:loaded').length === 3);
  await page.locator('#header >> input').fill('ada@example.com');
  await page.locator('#header >> input').press('Enter');
  await page.waitForSelector('#header >> [part~=position]');
  await page.waitForSelector('#footer >> [part~=position]', { timeout: 3000 });
  assert.match(await page.locator('#footer >> [part~=result]').innerText(), /#42 of 1,234/);
  assert.equal(await page.locator('#footer >> form').isVisible(), false, 'no second join offered');
  // Another campaign's element is not concerned.
  assert.equal(await page.locator('#other >> form').isVisible(), true);
  assert.equal(calls.filter((c) => c.method === 'POST').length, 1);
  assert.equal((await events(page, 'joined')).length, 1, 'one join, one growthos:joined');
  // The focus stays where the visitor joined.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'header');
  // A third element of the campaign added later (a page section rendered afterwards) shows it too.
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', `<growthos-waitlist id="late" campaign="cmp_wait" host="${document.querySelector('#header').getAttribute('host')}" write-key="${document.querySelector('#header').getAttribute('write-key')}"></growthos-waitlist>`));
  await page.waitForSelector('#late >> [part~=position]', { timeout: 3000 });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('two waitlist elements of one campaign with storage blocked: joining in one still shows the joined state in the other', async () => {
  calls.length = 0;
  fake.joinStatus = 200;
  const { ctx, page, errors } = await open(
    '<growthos-waitlist id="header" campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist><growthos-waitlist id="footer" campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>',
    '',
    { viewport: { width: 520, height: 1000 } },
  );
  await page.waitForFunction(() => window.seen.filter((e) => e.type === 'growthos:loaded').length === 2);
  await page.evaluate(() => Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } }));
  await page.locator('#footer >> input').fill('ada@example.com');
  await page.locator('#footer >> input').press('Enter');
  await page.waitForSelector('#footer >> [part~=position]');
  await page.waitForSelector('#header >> [part~=position]', { timeout: 3000 });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('referral: "copied" is announced to screen readers: the confirmation is the text of a status live region', async () => {
  const { ctx, page } = await open('<growthos-referral campaign="cmp_ref" host="HOST" write-key="WK"></growthos-referral>');
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  await page.locator('growthos-referral >> input').fill('ada@example.com');
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-referral >> [part~=code]');
  // The live region is in the document before its text changes (else screen readers miss it), empty.
  const status = page.locator('growthos-referral').getByRole('status');
  assert.equal(await status.count(), 1, 'one status region');
  assert.equal((await status.textContent()).trim(), '');
  await page.locator('growthos-referral >> button[part~=copy]').click();
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:copied'));
  assert.match(await status.textContent(), /copied/i);
  // As the accessibility tree has it: a status (a polite live region) saying so.
  assert.match(await page.locator('growthos-referral').ariaSnapshot(), /- status: .*copied/i);
  await ctx.close();
  // Nothing copied (the clipboard refused, no copy command): not announced as copied; the link is selected to copy by hand.
  const refused = await open('<growthos-referral campaign="cmp_ref" host="HOST" write-key="WK"></growthos-referral>');
  await refused.page.locator('growthos-referral >> input').fill('bea@example.com');
  await refused.page.keyboard.press('Enter');
  await refused.page.waitForSelector('growthos-referral >> [part~=code]');
  await refused.page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    document.execCommand = () => false;
  });
  await refused.page.locator('growthos-referral >> button[part~=copy]').click();
  const said = refused.page.locator('growthos-referral').getByRole('status');
  await refused.page.waitForFunction(() => document.querySelector('growthos-referral').shadowRoot.querySelector('[role=status]').textContent !== '');
  assert.match(await said.textContent(), /selected/);
  assert.doesNotMatch(await said.textContent(), /copied/i);
  assert.equal((await refused.page.evaluate(() => window.seen.filter((e) => e.type === 'growthos:copied'))).length, 0);
  assert.deepEqual(await refused.page.evaluate(() => { const i = document.querySelector('growthos-referral').shadowRoot.querySelector('#share'); return [i.selectionStart, i.selectionEnd === i.value.length]; }), [0, true]);
  await refused.ctx.close();
});

test('social proof: the rotating feed is not announced (no live region), and it does not rotate while hovered, focused, or with prefers-reduced-motion', async () => {
  fake.feedStatus = 200;
  const html = '<growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK" interval="1000"></growthos-social-proof>';
  // The fake clock: each 2.5 s below is simulated time the rotation's interval runs through at once.
  const { ctx, page, errors } = await open(html, '', { clock: true });
  await page.waitForSelector('growthos-social-proof >> [part~=message]');
  const live = await page.evaluate(() => Array.from(document.querySelector('growthos-social-proof').shadowRoot.querySelectorAll('[aria-live],[role=status],[role=log],[role=alert],[role=marquee],[role=timer]')).map((e) => e.outerHTML));
  assert.deepEqual(live, [], 'no live region: a feed changing every few seconds would interrupt a screen reader each time');
  assert.match(await page.locator('growthos-social-proof >> [part~=message]').innerText(), /joined the waitlist/, 'the message is still there to be read');
  // Hovered: paused (WCAG 2.2.2), rotating again once the pointer leaves.
  await page.locator('growthos-social-proof >> [part~=message]').hover();
  await countRotations(page);
  await page.clock.runFor(2500);
  assert.equal(await page.evaluate(() => window.rotations), 0, 'no rotation while hovered');
  await page.mouse.move(510, 410);
  await page.clock.runFor(2500);
  assert.ok((await page.evaluate(() => window.rotations)) >= 1, 'rotates again after the pointer left');
  // Focused (a keyboard user on the dismiss button): paused.
  await page.locator('growthos-social-proof >> button').focus();
  await countRotations(page);
  await page.clock.runFor(2500);
  assert.equal(await page.evaluate(() => window.rotations), 0, 'no rotation while the focus is in it');
  assert.deepEqual(errors, []);
  await ctx.close();
  // prefers-reduced-motion: the first item stays.
  const reduced = await open(html, '', { reducedMotion: 'reduce', clock: true });
  await reduced.page.waitForSelector('growthos-social-proof >> [part~=message]');
  await countRotations(reduced.page);
  await reduced.page.clock.runFor(2500);
  assert.equal(await reduced.page.evaluate(() => window.rotations), 0, 'no rotation with prefers-reduced-motion: reduce');
  await reduced.ctx.close();
});

test('the joined state: after a keyboard join the focus moved there shows the focus ring; after a mouse join none is drawn', async () => {
  fake.joinStatus = 200;
  const ring = (page) =>
    page.evaluate(() => {
      const root = document.querySelector('growthos-waitlist').shadowRoot;
      const el = root.activeElement;
      const style = el && getComputedStyle(el);
      return el && { part: el.getAttribute('part'), focusVisible: el.matches(':focus-visible'), outline: style.outlineStyle + ' ' + style.outlineWidth };
    });
  // Enter on the button (Tab to it), or Enter in the field.
  for (const viaButton of [true, false]) {
    const keyboard = await open('<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>');
    await keyboard.page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:loaded'));
    await keyboard.page.keyboard.press('Tab');
    await keyboard.page.keyboard.type('ada@example.com');
    if (viaButton) await keyboard.page.keyboard.press('Tab');
    await keyboard.page.keyboard.press('Enter');
    await keyboard.page.waitForSelector('growthos-waitlist >> [part~=position]');
    assert.deepEqual(await ring(keyboard.page), { part: 'position', focusVisible: true, outline: 'solid 3px' }, viaButton ? 'Enter on the button' : 'Enter in the field');
    await keyboard.ctx.close();
  }
  const mouse = await open('<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>');
  await mouse.page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:loaded'));
  await mouse.page.locator('growthos-waitlist >> input').click();
  await mouse.page.keyboard.type('bea@example.com');
  await mouse.page.locator('growthos-waitlist >> button').click();
  await mouse.page.waitForSelector('growthos-waitlist >> [part~=position]');
  const r = await ring(mouse.page);
  assert.equal(r && r.part, 'position', 'the focus moved to the result');
  assert.deepEqual({ focusVisible: r.focusVisible, outline: r.outline.split(' ')[0] }, { focusVisible: false, outline: 'none' });
  await mouse.ctx.close();
});

test("an element given another host neither sends nor forgets the participant token of this host's campaign", async () => {
  calls.length = 0;
  fake.joinStatus = 200;
  const { ctx, page, errors } = await open('<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>');
  await page.locator('growthos-waitlist >> input').fill('ada@example.com');
  await page.locator('growthos-waitlist >> button').click();
  await page.waitForSelector('growthos-waitlist >> [part~=position]');
  const stored = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('gos_participant_')));
  assert.deepEqual(stored, [[tokenKey('cmp_wait'), 'pt_1']], 'the token is kept for this host and campaign');
  // A tag of the same campaign pointing elsewhere (a staging snippet, an injected element).
  calls.length = 0;
  await page.evaluate(([host, key]) => document.body.insertAdjacentHTML('beforeend', `<growthos-waitlist id="other" campaign="cmp_wait" host="${host}" write-key="${key}"></growthos-waitlist>`), [customerSite(), WK]);
  await page.waitForSelector('#other >> form');
  await page.waitForFunction(() => window.seen.filter((e) => e.type === 'growthos:loaded').length >= 2);
  assert.deepEqual(calls.filter((c) => c.token), [], 'no request carried the token');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), tokenKey('cmp_wait')), 'pt_1', 'still kept');
  assert.ok(await page.locator('growthos-waitlist:not(#other) >> [part~=position]').isVisible(), 'the first element still shows the place');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a participant token kept by an earlier version under the campaign alone moves to the key of the host that accepts it, and stays where it is when another host refuses it', async () => {
  calls.length = 0;
  fake.joinStatus = 200;
  fake.otherHostRefuses = true;
  try {
    // First an element of the campaign on another host (a staging snippet): it refuses the token.
    const { ctx, page, errors } = await open(`<growthos-waitlist id="staging" campaign="cmp_wait" host="${customerSite()}" write-key="WK"></growthos-waitlist>`);
    await page.evaluate(() => localStorage.setItem('gos_participant_cmp_wait', 'pt_1'));
    await page.reload();
    await page.waitForSelector('#staging >> form');
    await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:loaded'));
    const stored = () => page.evaluate(() => Object.fromEntries(Object.entries(localStorage).filter(([k]) => k.startsWith('gos_participant_'))));
    assert.deepEqual(await stored(), { gos_participant_cmp_wait: 'pt_1' }, 'refused elsewhere: kept where it was');
    // Then the element of the host that issued it: the place is shown and the token moves to its key.
    await page.evaluate(([host, key]) => document.body.insertAdjacentHTML('beforeend', `<growthos-waitlist id="prod" campaign="cmp_wait" host="${host}" write-key="${key}"></growthos-waitlist>`), [origin, WK]);
    await page.waitForSelector('#prod >> [part~=position]');
    assert.deepEqual(await stored(), { [tokenKey('cmp_wait')]: 'pt_1' });
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.otherHostRefuses = false;
  }
});

test('a returning participant: the joined state is shown without taking the focus or scrolling the page to the element', async () => {
  fake.joinStatus = 200;
  const { ctx, page, errors } = await open(
    '<input id="search" aria-label="Search"><div style="height:2000px">Article</div><growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>',
  );
  await page.evaluate((k) => localStorage.setItem(k, 'pt_1'), tokenKey('cmp_wait'));
  await page.reload();
  await page.waitForSelector('growthos-waitlist >> [part~=position]', { state: 'attached' });
  await page.waitForTimeout(200);
  assert.deepEqual(await page.evaluate(() => [document.activeElement.tagName, window.scrollY]), ['BODY', 0], 'the page stays where the visitor is');
  // A visitor already typing in a field of the page keeps typing there.
  await page.evaluate((k) => localStorage.setItem(k, 'pt_1'), tokenKey('cmp_wait'));
  await page.reload({ waitUntil: 'commit' });
  await page.locator('#search').focus();
  await page.waitForSelector('growthos-waitlist >> [part~=position]', { state: 'attached' });
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the same campaign open in two tabs: joining in one shows the joined state in the other, which offers no second join', async () => {
  calls.length = 0;
  fake.joinStatus = 200;
  const html = '<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>';
  const first = await open(html);
  const second = await first.ctx.newPage();
  await second.goto(first.page.url());
  for (const p of [first.page, second]) await p.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:loaded'));
  await first.page.locator('growthos-waitlist >> input').fill('ada@example.com');
  await first.page.locator('growthos-waitlist >> input').press('Enter');
  await first.page.waitForSelector('growthos-waitlist >> [part~=position]');
  await second.waitForSelector('growthos-waitlist >> [part~=position]', { timeout: 5000 });
  assert.equal(await second.locator('growthos-waitlist >> form').isVisible(), false);
  assert.equal(calls.filter((c) => c.method === 'POST').length, 1);
  // The other tab read its state with the token (never by e-mail), and fired no growthos:joined of its own.
  assert.ok(calls.some((c) => c.path.endsWith('/participants/me') && c.token === 'pt_1'));
  assert.equal((await second.evaluate(() => window.seen.filter((e) => e.type === 'growthos:joined'))).length, 0);
  assert.deepEqual(first.errors, []);
  await first.ctx.close();
});

test('a logout without a page load (the client\'s reset() in a single-page app): the element on screen and one the router mounts afresh show the join form, not the previous person\'s place and link', async () => {
  calls.length = 0;
  fake.joinStatus = 200;
  const { ctx, page, errors } = await open('<div id="app"><growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist></div>', '&tracking=1');
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:loaded'));
  await page.locator('growthos-waitlist >> input').fill('ada@example.com');
  await page.locator('growthos-waitlist >> input').press('Enter');
  await page.waitForSelector('growthos-waitlist >> [part~=position]');
  await page.evaluate(() => GrowthOS.init({ writeKey: 'WK', host: location.origin }).reset());
  await page.waitForSelector('growthos-waitlist >> form', { state: 'visible', timeout: 5000 });
  assert.equal(await page.locator('growthos-waitlist >> [part~=position]').count(), 0, 'the place in line is gone');
  // The app's router renders the page again after the logout: a new element of the same campaign.
  const loaded = (await events(page, 'loaded')).length;
  await page.evaluate(() => {
    const app = document.getElementById('app');
    app.innerHTML = app.innerHTML;
  });
  await page.waitForFunction((n) => window.seen.filter((e) => e.type === 'growthos:loaded').length > n, loaded);
  assert.equal(await page.locator('growthos-waitlist >> form').isVisible(), true, 'the new element offers the form');
  assert.equal(await page.locator('growthos-waitlist >> [part~=position]').count(), 0);
  assert.equal(calls.filter((c) => c.path.endsWith('/participants/me')).length, 0, 'nothing asked for the forgotten participant');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a logout in another tab of the site: this tab\'s element stops showing the previous person\'s place and link', async () => {
  fake.joinStatus = 200;
  const html = '<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>';
  const first = await open(html, '&tracking=1');
  const second = await first.ctx.newPage();
  await second.goto(first.page.url());
  for (const p of [first.page, second]) await p.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:loaded'));
  await first.page.locator('growthos-waitlist >> input').fill('ada@example.com');
  await first.page.locator('growthos-waitlist >> input').press('Enter');
  await second.waitForSelector('growthos-waitlist >> [part~=position]', { timeout: 5000 });
  await first.page.evaluate(() => GrowthOS.init({ writeKey: 'WK', host: location.origin }).reset());
  await second.waitForSelector('growthos-waitlist >> form', { state: 'visible', timeout: 5000 });
  assert.equal(await second.locator('growthos-waitlist >> [part~=position]').count(), 0);
  assert.deepEqual(first.errors, []);
  await first.ctx.close();
});

test('long words (a German compound, a URL) wrap inside the card on a 320 px phone: nothing sticks out of a waitlist (or referral), survey or social-proof card, the page does not scroll sideways', async () => {
  fake.joinStatus = 200;
  fake.surveyDelay = 0;
  const word = 'Produktverbesserungsbenachrichtigungswartelistenanmeldung';
  const url = 'https://docs.example.com/guides/getting-started/installation-on-windows-subsystem-for-linux';
  fake.survey = { ...survey, questions: [{ id: 'q1', type: 'single_choice', text: `Did you find what you needed on ${url}?`, choices: ['Ja', `Nein: ${word}`], allow_other: false }] };
  fake.feed = { object: 'social_proof_feed', campaign: 'cmp_sp', items: [{ id: 'spi_1', message: `Someone from ${word} joined 2 minutes ago`, time_ago: '2 minutes ago' }], counters: [{ message: `1,234 people joined ${url}`, count: 1234 }] };
  try {
    const { ctx, page, errors } = await open(
      `<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK" heading="${word}"></growthos-waitlist>
<growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK"></growthos-social-proof>
<growthos-survey host="HOST" write-key="WK"></growthos-survey>`,
      '',
      { viewport: { width: 320, height: 900 } },
    );
    await page.waitForSelector('growthos-waitlist >> [part~=heading]');
    await page.waitForSelector('growthos-survey >> [part~=question]');
    await page.waitForSelector('growthos-social-proof >> [part~=message]');
    // Every element of each card ends inside the card's content box (its padding), and the page is not wider than the phone.
    const sticking = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('growthos-waitlist, growthos-survey, growthos-social-proof')) {
        const box = el.shadowRoot.querySelector('.box');
        const right = box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight);
        for (const e of box.querySelectorAll('*')) {
          const r = e.getBoundingClientRect();
          if (r.width && r.right > right + 0.5) out.push(`${el.tagName.toLowerCase()} ${e.tagName.toLowerCase()} ends at ${Math.round(r.right)} px, the card's content at ${Math.round(right)} px`);
          // Its text sticking out of it (a block as wide as the card, a word wider): inputs scroll their own text.
          else if (!/^(INPUT|TEXTAREA)$/.test(e.tagName) && e.scrollWidth > e.clientWidth + 1) out.push(`${el.tagName.toLowerCase()} ${e.tagName.toLowerCase()}'s text is ${e.scrollWidth} px wide in ${e.clientWidth} px`);
        }
      }
      return out;
    });
    assert.deepEqual(sticking, []);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 320, 'no horizontal scrolling');
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.survey = undefined;
    fake.feed = undefined;
  }
});

test('survey: a single-choice question with Other is one answer: typing in Other after picking a choice sends the typed text (the choice is unticked), picking a choice after typing sends the choice (the text is cleared)', async () => {
  calls.length = 0;
  fake.survey = {
    ...survey,
    questions: [
      { id: 's', type: 'single_choice', text: 'How did you hear about us?', choices: ['Search', 'A friend'], allow_other: true, required: true },
      { id: 't', type: 'single_choice', text: 'Which plan are you on?', choices: ['Free', 'Pro'], allow_other: true, required: true },
    ],
  };
  try {
    const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK" user-id="user_1"></growthos-survey>');
    await page.waitForSelector('growthos-survey >> text=How did you hear about us?');
    // Picked "Search" first, then changed their mind: there is no way to untick a radio but to type.
    await page.locator('growthos-survey >> input[value="Search"]').check();
    await page.locator('growthos-survey >> #o').fill('A podcast');
    const unticked = await page.locator('growthos-survey >> input[value="Search"]').isChecked();
    await page.locator('growthos-survey >> button[type=submit]').click();
    await page.waitForSelector('growthos-survey >> text=Which plan are you on?');
    // Typed first, then picked a choice.
    await page.locator('growthos-survey >> #o').fill('Enterprise trial');
    await page.locator('growthos-survey >> input[value="Pro"]').check();
    const cleared = await page.locator('growthos-survey >> #o').inputValue();
    await page.locator('growthos-survey >> button[type=submit]').click();
    await page.waitForSelector('growthos-survey >> [part~=thanks]');
    const responses = calls.filter((c) => c.path.endsWith('/responses'));
    assert.deepEqual(responses.map((r) => r.body.answers), [{ s: 'A podcast' }, { t: 'Pro' }]);
    assert.deepEqual([unticked, cleared], [false, '']);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.survey = undefined;
  }
});

test('social proof dismissed from the keyboard (Enter or Space on ×) gives the focus back to where it was before it entered the toast, not to the top of the page', async () => {
  fake.feedStatus = 200;
  for (const key of ['Enter', 'Space']) {
    const { ctx, page, errors } = await open('<label>Name <input id="name"></label><growthos-social-proof campaign="cmp_sp" host="HOST" write-key="WK"></growthos-social-proof><button id="after">After</button>');
    await page.waitForSelector('growthos-social-proof >> [part~=message]');
    await page.focus('#name');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.shadowRoot && document.activeElement.shadowRoot.activeElement.getAttribute('aria-label')), 'Dismiss', 'Tab reaches the × of the toast');
    await page.keyboard.press(key);
    await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:dismissed'));
    assert.equal(await page.evaluate(() => document.activeElement.id || document.activeElement.tagName), 'name', `${key}: the focus is back in the page field`);
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

test('survey: a free-text limit counts characters as the server does (an emoji is one): max_length emoji typed or pasted are kept whole and sent; what goes over is cut where it was inserted, the caret after it', async () => {
  calls.length = 0;
  fake.survey = {
    ...survey,
    questions: [
      { id: 'why', type: 'text', text: 'Why?', required: true, max_length: 10 },
      { id: 'how', type: 'single_choice', text: 'How did you hear about us?', choices: ['Search'], allow_other: true, required: true },
    ],
  };
  try {
    const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK" user-id="user_1"></growthos-survey>');
    const box = page.locator('growthos-survey >> textarea');
    await box.waitFor();
    await box.focus();
    // Typed one by one, then pasted: ten emoji are 20 UTF-16 units, within the server's 10 characters.
    for (let i = 0; i < 5; i++) await page.keyboard.type('😀');
    await page.keyboard.insertText('🎉'.repeat(5));
    const typed = await box.inputValue();
    // Full: one more character (typed or pasted) is not added.
    await page.keyboard.type('a');
    await page.keyboard.insertText('🙂🙂');
    const full = await box.inputValue();
    // A paste in the middle with room for one character keeps its first one; the caret follows it.
    await box.evaluate((t) => {
      t.value = '😀'.repeat(9);
      t.setSelectionRange(4, 4);
    });
    await page.keyboard.insertText('ab');
    const middle = await box.evaluate((t) => [t.value, t.selectionStart, t.selectionEnd]);
    await box.evaluate((t) => (t.value = ''));
    await page.keyboard.insertText('😀'.repeat(5) + '🎉'.repeat(5));
    await page.locator('growthos-survey >> button[type=submit]').click();
    await page.waitForSelector('growthos-survey >> text=How did you hear about us?');
    // The Other field: the server takes 500 characters.
    await page.locator('growthos-survey >> #o').focus();
    await page.keyboard.insertText('🎉'.repeat(501));
    const other = await page.locator('growthos-survey >> #o').inputValue();
    await page.locator('growthos-survey >> button[type=submit]').click();
    await page.waitForSelector('growthos-survey >> [part~=thanks]');
    assert.deepEqual(
      { typed, full, middle, other: [...other].length },
      { typed: '😀'.repeat(5) + '🎉'.repeat(5), full: '😀'.repeat(5) + '🎉'.repeat(5), middle: ['😀😀a' + '😀'.repeat(7), 5, 5], other: 500 },
    );
    const responses = calls.filter((c) => c.path.endsWith('/responses'));
    assert.deepEqual(responses.map((r) => r.body.answers), [{ why: '😀'.repeat(5) + '🎉'.repeat(5) }, { how: '🎉'.repeat(500) }]);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.survey = undefined;
  }
});

/** The survey questions asked for so far (GET /v1/widgets/surveys), with the URL each was asked for. */
const surveyAsks = () => calls.filter((c) => c.path === '/v1/widgets/surveys').map((c) => new URL(c.query.url).pathname + new URL(c.query.url).hash);

test('single-page app: a survey targeted at /pricing shows when the app navigates there with history.pushState (no page load), one request for a burst of route changes', async () => {
  calls.length = 0;
  fake.surveyUrl = '/pricing';
  fake.surveyDelay = 0;
  try {
    // The fake clock: the 600 ms below are simulated time the page's timers run through at once.
    const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK"></growthos-survey>', '', { clock: true });
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.includes('/v1/widgets/surveys')));
    await page.waitForTimeout(300);
    assert.equal(await page.locator('growthos-survey >> [role=dialog]').count(), 0, 'nothing targeted at the landing page');
    // A router's navigation: pushState, then the replaceState some routers add at once (scroll state).
    await page.evaluate(() => {
      history.pushState({}, '', '/app/pricing');
      history.replaceState({ scroll: 0 }, '', '/app/pricing');
    });
    await page.waitForSelector('growthos-survey >> [role=dialog]', { timeout: 5000 });
    assert.deepEqual(surveyAsks(), ['/page', '/app/pricing'], 'asked again once, for the new URL');
    assert.equal(calls.filter((c) => c.path.endsWith('/displays')).length, 1);
    assert.equal((await events(page, 'displayed')).length, 1);
    // Open and navigated within the app: it stays (the visitor may be answering it), nothing asked.
    await page.evaluate(() => history.pushState({}, '', '/app/pricing#faq'));
    await page.clock.runFor(600);
    assert.equal(await page.locator('growthos-survey >> [role=dialog]').count(), 1);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.surveyUrl = undefined;
  }
});

test('single-page app without the Navigation API: pushState, the back button (popstate) and a hash change re-check; a survey dismissed or answered in this page is not shown again; one still waiting for its delay is dropped when the page changes', async () => {
  calls.length = 0;
  fake.surveyUrl = '/pricing';
  fake.surveyDelay = 0;
  try {
    // The fake clock: the 2.5 s below are simulated time the page's timers run through at once.
    const { ctx, page, errors } = await open('<growthos-survey host="HOST" write-key="WK"></growthos-survey>', '&nonavigation=1', { clock: true });
    assert.equal(await page.evaluate(() => 'navigation' in window), false, 'no Navigation API on this page');
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.includes('/v1/widgets/surveys')));
    await page.evaluate(() => history.pushState({}, '', '/app/pricing'));
    await page.waitForSelector('growthos-survey >> [role=dialog]', { timeout: 5000 });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:dismissed'));
    // Away and back with the back button: asked again (the server may offer it), not shown again.
    await page.evaluate(() => history.pushState({}, '', '/app/home'));
    await page.waitForFunction((n) => performance.getEntriesByType('resource').filter((r) => r.name.includes('/v1/widgets/surveys')).length === n, 3, { timeout: 5000 });
    await page.goBack();
    await page.waitForFunction((n) => performance.getEntriesByType('resource').filter((r) => r.name.includes('/v1/widgets/surveys')).length === n, 4, { timeout: 5000 });
    await page.waitForTimeout(300);
    assert.equal(await page.locator('growthos-survey >> [role=dialog]').count(), 0, 'dismissed in this page: not shown again');
    // A hash route (#/pricing) of a router without history: shown after its delay unless the visitor moves on first.
    fake.survey = { ...survey, id: 'cmp_survey2' };
    fake.surveyDelay = 2;
    const asked = (n) => page.waitForFunction((n) => performance.getEntriesByType('resource').filter((r) => r.name.includes('/v1/widgets/surveys')).length === n, n, { timeout: 5000 });
    await page.evaluate(() => history.pushState({}, '', '/app/home'));
    await asked(5);
    await page.evaluate(() => (location.hash = '#/pricing'));
    await asked(6);
    await page.evaluate(() => (location.hash = '#/team'));
    await asked(7);
    await page.clock.runFor(2500);
    assert.equal(await page.locator('growthos-survey >> [role=dialog]').count(), 0, 'the page it was meant for was left before its delay');
    assert.deepEqual(surveyAsks(), ['/page', '/app/pricing', '/app/home', '/app/pricing', '/app/home', '/app/home#/pricing', '/app/home#/team']);
    assert.equal(calls.filter((c) => c.path.endsWith('/displays')).length, 1, 'one display: the first survey');
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    fake.surveyUrl = undefined;
    fake.survey = undefined;
    fake.surveyDelay = 0;
  }
});

// ---- The page's language: every string a visitor sees (or a screen reader reads) can be replaced
// by a text-<key> attribute; without one, the English default. ----

/** Every English default (or a fragment of one) of the four components, and the fake server's 400 message. */
const ENGLISH = [
  'Join the waitlist', 'Invite your friends', 'Get my invite link', 'Email address', 'people are waiting', 'person is waiting', 'people have joined',
  'Please enter a valid email address.', 'This email address has already joined.', 'cannot join', 'Something went wrong', 'We could not reach the server',
  'This is not available right now', 'You are', 'ahead of you', 'friend', 'Share your link', 'Your link', 'Copy link', 'Link copied.', 'The link is selected',
  "You're in!", 'Your spot on the waitlist', 'Check your inbox', 'Your referral code', 'successful referral', 'pending', 'Question 1 of', 'Question 2 of', 'Question 3 of', 'Close survey',
  'Submit', 'Next', 'Please write an answer.', 'Please choose an answer.', 'Your answer', 'Other', 'You have already answered', 'Thank you!', 'Dismiss',
];

const FR = {
  waitlist:
    'lang="fr" heading="Rejoignez la liste d’attente" button-label="M’inscrire" text-email-label="Adresse e-mail" text-count="{count} personnes attendent." ' +
    'text-count-one="{count} personne attend." text-invalid-email="Saisissez une adresse e-mail valide." text-already-joined="Cette adresse est déjà inscrite." ' +
    'text-error="Cette adresse ne peut pas s’inscrire." text-unavailable="Indisponible pour le moment. Réessayez plus tard." text-network="Serveur injoignable : vérifiez votre connexion." ' +
    'text-position="Vous êtes {position} sur {total} ({ahead} devant vous)." text-friends="{count} amis inscrits avec votre lien." text-friends-one="{count} ami inscrit avec votre lien." ' +
    'text-share="Partagez votre lien : chaque ami inscrit vous fait avancer." text-verify="Confirmez votre adresse depuis votre boîte de réception." text-link-label="Votre lien" ' +
    'text-copy="Copier le lien" text-copied="Lien copié." text-copy-by-hand="Le lien est sélectionné : copiez-le avec Ctrl+C (⌘C sur Mac)." text-admitted="C’est fait !" ' +
    'text-admitted-body="Votre place est confirmée."',
  referral:
    'lang="fr" heading="Invitez vos amis" button-label="Obtenir mon lien" text-email-label="Adresse e-mail" text-count="{count} personnes inscrites." text-link-label="Votre lien" ' +
    'text-copy="Copier le lien" text-code="Votre code de parrainage : {code}" text-referrals="{count} parrainages réussis." text-referrals-one="{count} parrainage réussi." ' +
    'text-referrals-pending="{count} parrainages réussis, {pending} en attente." text-referrals-pending-one="{count} parrainage réussi, {pending} en attente."',
  survey:
    'text-progress="Question {number} sur {total}" text-close="Fermer le questionnaire" text-next="Suivant" text-submit="Envoyer" text-other="Autre" ' +
    'text-answer-label="Votre réponse" text-required-choice="Choisissez une réponse." text-required-text="Écrivez une réponse." text-thanks="Merci !" ' +
    'text-already-answered="Vous avez déjà répondu à ce questionnaire. Merci !"',
  'social-proof': 'text-dismiss="Fermer"',
};

/** What a visitor sees in the element's shadow root, and what a screen reader reads in its aria-label, placeholder and title attributes. */
function seen(page, selector) {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel).shadowRoot;
    const text = Array.from(root.children).map((c) => c.innerText || '');
    const attrs = Array.from(root.querySelectorAll('[aria-label],[placeholder],[title]')).flatMap((e) =>
      ['aria-label', 'placeholder', 'title'].map((a) => e.getAttribute(a)).filter(Boolean),
    );
    return [...text, ...attrs].join('\n');
  }, selector);
}

/**
 * Drives each component through every state a visitor can reach, with `attrs` (per kind) on the
 * elements, and returns what was shown in each state.
 */
async function tour(attrs) {
  const states = {};
  const a = (kind) => attrs[kind] || '';
  const frenchSurvey = {
    ...survey,
    questions: [
      { id: 'q1', type: 'nps', text: 'Recommanderiez-vous ce produit ?', required: true },
      { id: 'q2', type: 'single_choice', text: 'Que préférez-vous ?', choices: ['Parrainage', 'Liste d’attente'], allow_other: true },
      { id: 'q3', type: 'text', text: 'Un commentaire ?', required: true },
    ],
    thank_you: null,
  };
  try {
    // Waitlist: the form with its count, an invalid e-mail, a 409, a 400 with the server's words, a 500, then joined.
    {
      // The fake clock: the 500's retries' back-off passes in simulated time.
      const { ctx, page } = await open(`<growthos-waitlist id="w" campaign="cmp_wait" host="HOST" write-key="WK" ${a('waitlist')}></growthos-waitlist>`, '', { clock: true });
      await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      await page.waitForSelector('#w >> [part~=count]:not([hidden])');
      states['waitlist form'] = await seen(page, '#w');
      const error = async (name, status) => {
        fake.joinStatus = status;
        const before = await events(page, 'error');
        await page.locator('#w >> button').click();
        await runUntil(page, () => page.evaluate((n) => window.seen.filter((e) => e.type === 'growthos:error').length > n, before.length));
        states[name] = await seen(page, '#w');
      };
      await page.locator('#w >> input').fill('not-an-email');
      await error('waitlist invalid e-mail', 200);
      await page.locator('#w >> input').fill('ada@example.com');
      await error('waitlist already joined (409)', 409);
      await error('waitlist refused (400)', 400);
      await error('waitlist unavailable (500)', 500);
      fake.joinStatus = 200;
      fake.joined = { ...joined, qualified_referrals: 1, verification_required: true };
      await page.locator('#w >> button').click();
      await page.waitForSelector('#w >> [part~=position]');
      states['waitlist joined'] = await seen(page, '#w');
      await page.locator('#w >> button[part~=copy]').click();
      await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:copied'));
      states['waitlist copied'] = await seen(page, '#w');
      await page.evaluate(() => {
        navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
        document.execCommand = () => false;
      });
      const copied = await page.evaluate(() => document.querySelector('#w').shadowRoot.querySelector('[role=status]').textContent);
      await page.locator('#w >> button[part~=copy]').click();
      await page.waitForFunction((was) => document.querySelector('#w').shadowRoot.querySelector('[role=status]').textContent !== was, copied);
      states['waitlist copy by hand'] = await seen(page, '#w');
      await ctx.close();
    }
    // Waitlist: friends in the plural, admitted (no position), and a server that cannot be reached.
    {
      fake.joined = { ...joined, qualified_referrals: 3 };
      const { ctx, page } = await open(`<growthos-waitlist id="w" campaign="cmp_wait" host="HOST" write-key="WK" ${a('waitlist')}></growthos-waitlist>
<growthos-waitlist id="x" campaign="cmp_wait2" host="HOST" write-key="WK" ${a('waitlist')}></growthos-waitlist>
<growthos-waitlist id="n" campaign="cmp_wait" host="http://127.0.0.1:1" write-key="WK" ${a('waitlist')}></growthos-waitlist>`);
      await page.locator('#w >> input').fill('ada@example.com');
      await page.locator('#w >> button').click();
      await page.waitForSelector('#w >> [part~=position]');
      states['waitlist joined, 3 friends'] = await seen(page, '#w');
      fake.joined = { ...joined, campaign_id: 'cmp_wait2', position: null, people_ahead: null, admitted: true, share_url: null };
      await page.locator('#x >> input').fill('ada@example.com');
      await page.locator('#x >> button').click();
      await page.waitForSelector('#x >> [part~=position]');
      states['waitlist admitted'] = await seen(page, '#x');
      await page.waitForSelector('#n >> [part~=error]:not([hidden])', { timeout: 10000 });
      states['waitlist network error'] = await seen(page, '#n');
      await ctx.close();
    }
    // Referral: the form, then joined with one and with three qualified referrals and some pending.
    for (const [name, referrals] of [['referral joined, 1 referral', { pending: 0, qualified: 1, rewarded: 0 }], ['referral joined, 3 referrals, 2 pending', { pending: 2, qualified: 3, rewarded: 0 }]]) {
      fake.joined = { ...joined, campaign_id: 'cmp_ref', campaign_type: 'referral', position: null, people_ahead: null, total: null, referrals };
      const { ctx, page } = await open(`<growthos-referral id="r" campaign="cmp_ref" host="HOST" write-key="WK" ${a('referral')}></growthos-referral>`);
      await page.waitForSelector('#r >> [part~=count]:not([hidden])');
      states['referral form'] = await seen(page, '#r');
      await page.locator('#r >> input').fill('ada@example.com');
      await page.locator('#r >> button').click();
      await page.waitForSelector('#r >> [part~=code]');
      states[name] = await seen(page, '#r');
      await ctx.close();
    }
    // Survey: a required choice left empty, Other, a required text left empty, Submit, the thanks; then one answered already.
    fake.survey = frenchSurvey;
    {
      const { ctx, page } = await open(`<growthos-survey id="s" host="HOST" write-key="WK" ${a('survey')}></growthos-survey>`);
      await page.waitForSelector('#s >> [part~=question]');
      states['survey question 1'] = await seen(page, '#s');
      await page.locator('#s >> button[type=submit]').click();
      await page.waitForSelector('#s >> [part~=error]:not([hidden])');
      states['survey choice missing'] = await seen(page, '#s');
      await page.locator('#s >> [part~=option]').nth(5).click();
      await page.locator('#s >> button[type=submit]').click();
      await page.waitForSelector('#s >> #o');
      states['survey question 2 (Other)'] = await seen(page, '#s');
      await page.locator('#s >> button[type=submit]').click();
      await page.waitForSelector('#s >> textarea');
      states['survey question 3 (text)'] = await seen(page, '#s');
      await page.locator('#s >> button[type=submit]').click();
      await page.waitForSelector('#s >> [part~=error]:not([hidden])');
      states['survey text missing'] = await seen(page, '#s');
      await page.locator('#s >> textarea').fill('Très bien');
      await page.locator('#s >> button[type=submit]').click();
      await page.waitForSelector('#s >> [part~=thanks]');
      states['survey thanks'] = await seen(page, '#s');
      await ctx.close();
    }
    fake.responseStatus = 409;
    {
      const { ctx, page } = await open(`<growthos-survey id="s" host="HOST" write-key="WK" ${a('survey')}></growthos-survey>`);
      await page.waitForSelector('#s >> [part~=question]');
      await page.locator('#s >> [part~=option]').nth(5).click();
      await page.locator('#s >> button[type=submit]').click();
      await page.waitForSelector('#s >> [part~=thanks]');
      states['survey answered already'] = await seen(page, '#s');
      await ctx.close();
    }
    fake.responseStatus = 200;
    // Social proof: the toast and its × (its messages are the server's).
    fake.feed = { object: 'social_proof_feed', campaign: 'cmp_sp', items: [{ id: 'spi_1', message: 'Alice de Lyon s’est inscrite', time_ago: 'il y a 2 minutes' }], counters: [] };
    {
      const { ctx, page } = await open(`<growthos-social-proof id="p" campaign="cmp_sp" host="HOST" write-key="WK" ${a('social-proof')}></growthos-social-proof>`);
      await page.waitForSelector('#p >> [part~=message]');
      states['social proof'] = await seen(page, '#p');
      await ctx.close();
    }
  } finally {
    Object.assign(fake, { joinStatus: 200, responseStatus: 200, joined: undefined, survey: undefined, feed: undefined });
  }
  return states;
}

/**
 * Each state of `expected` was reached and shows each of its texts; with `noEnglish`, none of the
 * English defaults either.
 */
function assertShown(states, expected, { noEnglish = false } = {}) {
  for (const [state, texts] of Object.entries(expected)) {
    assert.ok(state in states, `state ${state} reached`);
    for (const t of texts) assert.ok(states[state].includes(t), `${state}: "${t}" shown in\n${states[state]}`);
    if (noEnglish) {
      const english = ENGLISH.filter((t) => states[state].includes(t));
      assert.deepEqual(english, [], `${state}: English left in\n${states[state]}`);
    }
  }
}

test('in the page’s language: French text-* attributes replace every string a visitor sees or a screen reader reads, in every state, placeholders filled, counts written the French way (lang="fr")', async () => {
  const states = await tour(FR);
  const expected = {
    'waitlist form': ['Rejoignez la liste d’attente', 'Adresse e-mail', '1\u202f233 personnes attendent.', 'M’inscrire'],
    'waitlist invalid e-mail': ['Saisissez une adresse e-mail valide.'],
    'waitlist already joined (409)': ['Cette adresse est déjà inscrite.'],
    'waitlist refused (400)': ['Cette adresse ne peut pas s’inscrire.'],
    'waitlist unavailable (500)': ['Indisponible pour le moment. Réessayez plus tard.'],
    'waitlist joined': ['Vous êtes #42 sur 1\u202f234 (41 devant vous).', '1 ami inscrit avec votre lien.', 'Partagez votre lien', 'Confirmez votre adresse', 'Votre lien', 'Copier le lien'],
    'waitlist copied': ['Lien copié.'],
    'waitlist copy by hand': ['Le lien est sélectionné : copiez-le avec Ctrl+C (⌘C sur Mac).'],
    'waitlist joined, 3 friends': ['3 amis inscrits avec votre lien.'],
    'waitlist admitted': ['C’est fait !', 'Votre place est confirmée.'],
    'waitlist network error': ['Serveur injoignable : vérifiez votre connexion.'],
    'referral form': ['Invitez vos amis', '1\u202f234 personnes inscrites.', 'Obtenir mon lien'],
    'referral joined, 1 referral': ['Votre code de parrainage : ALICE42', '1 parrainage réussi.'],
    'referral joined, 3 referrals, 2 pending': ['3 parrainages réussis, 2 en attente.'],
    'survey question 1': ['Question 1 sur 3', 'Fermer le questionnaire', 'Suivant'],
    'survey choice missing': ['Choisissez une réponse.'],
    'survey question 2 (Other)': ['Question 2 sur 3', 'Autre'],
    'survey question 3 (text)': ['Votre réponse', 'Envoyer'],
    'survey text missing': ['Écrivez une réponse.'],
    'survey thanks': ['Merci !'],
    'survey answered already': ['Vous avez déjà répondu à ce questionnaire. Merci !'],
    'social proof': ['Fermer'],
  };
  assertShown(states, expected, { noEnglish: true });
});

test('without text-* attributes the components show their English defaults in every state', async () => {
  const states = await tour({});
  const expected = {
    'waitlist form': ['Join the waitlist', 'Email address', '1,233 people are waiting.'],
    'waitlist invalid e-mail': ['Please enter a valid email address.'],
    'waitlist already joined (409)': ['This email address has already joined.'],
    'waitlist refused (400)': ['This e-mail address cannot join this waitlist.'],
    'waitlist unavailable (500)': ['This is not available right now. Please try again later.'],
    'waitlist joined': ['You are #42 of 1,234 (41 ahead of you).', '1 friend joined with your link.', 'Share your link: each friend who joins moves you up.', 'Check your inbox to confirm your email address.', 'Your link', 'Copy link'],
    'waitlist copied': ['Link copied.'],
    'waitlist copy by hand': ['The link is selected: copy it with Ctrl+C (⌘C on a Mac).'],
    'waitlist joined, 3 friends': ['3 friends joined with your link.'],
    'waitlist admitted': ["You're in!", 'Your spot on the waitlist has been confirmed.'],
    'waitlist network error': ['We could not reach the server. Check your connection and try again.'],
    'referral form': ['Invite your friends', '1,234 people have joined.', 'Get my invite link'],
    'referral joined, 1 referral': ['Your referral code: ALICE42', '1 successful referral.'],
    'referral joined, 3 referrals, 2 pending': ['3 successful referrals, 2 pending.'],
    'survey question 1': ['Question 1 of 3', 'Close survey', 'Next'],
    'survey choice missing': ['Please choose an answer.'],
    'survey question 2 (Other)': ['Question 2 of 3', 'Other'],
    'survey question 3 (text)': ['Your answer', 'Submit'],
    'survey text missing': ['Please write an answer.'],
    'survey thanks': ['Thank you!'],
    'survey answered already': ['You have already answered this survey. Thank you!'],
    'social proof': ['Dismiss'],
  };
  assertShown(states, expected);
});

test('a language without a singular (Japanese) sets text-<key> only: it is used for a count of 1 too, the value in its place', async () => {
  fake.joined = { ...joined, campaign_id: 'cmp_ref', campaign_type: 'referral', position: null, people_ahead: null, total: null, referrals: { pending: 0, qualified: 1, rewarded: 0 } };
  try {
    const { ctx, page } = await open('<growthos-referral id="r" campaign="cmp_ref" host="HOST" write-key="WK" text-code="紹介コード：{code}" text-referrals="紹介成功：{count}件"></growthos-referral>');
    await page.locator('#r >> input').fill('ada@example.com');
    await page.locator('#r >> button').click();
    await page.waitForSelector('#r >> [part~=code]');
    const shown = await seen(page, '#r');
    assert.ok(shown.includes('紹介コード：ALICE42'), shown);
    assert.ok(shown.includes('紹介成功：1件'), shown);
    assert.ok(!shown.includes('successful referral'), shown);
    await ctx.close();
  } finally {
    fake.joined = undefined;
  }
});

test("counts are written as the language of the element, of an element around it or of the page says (1.234 in German, 1'234 in Swiss German, 1,234 in English); a tag the browser does not know gives 1,234", async () => {
  const cases = [
    ['<growthos-waitlist id="w" lang="de" campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>', '1.233 people are waiting.'],
    ['<div lang="de-CH"><growthos-referral id="w" campaign="cmp_wait" host="HOST" write-key="WK"></growthos-referral></div>', "1'234 people have joined."],
    ['<div lang="fr"><growthos-waitlist id="w" campaign="cmp_wait" host="HOST" write-key="WK" text-count="{count} personnes attendent."></growthos-waitlist></div>', '1\u202f233 personnes attendent.'],
    ['<growthos-waitlist id="w" lang="en_US" campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>', '1,233 people are waiting.'],
    ['<growthos-waitlist id="w" lang="" campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>', '1,233 people are waiting.'],
  ];
  for (const [html, text] of cases) {
    const { ctx, page, errors } = await open(html);
    await page.waitForSelector('#w >> [part~=count]:not([hidden])');
    assert.equal(await page.locator('#w >> [part~=count]').innerText(), text, html);
    assert.deepEqual(errors, []);
    await ctx.close();
  }
  // An element in a shadow root (no [lang] around it there) reads the page's.
  const { ctx, page } = await open(`<div id="host"></div><script type="module">
document.documentElement.lang = 'de';
document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<growthos-waitlist campaign="cmp_wait" host="HOST" write-key="WK"></growthos-waitlist>';
</script>`);
  await page.waitForFunction(() => document.getElementById('host').shadowRoot.querySelector('growthos-waitlist')?.shadowRoot?.querySelector('[part~=count]:not([hidden])'));
  const inShadow = await page.evaluate(() => document.getElementById('host').shadowRoot.querySelector('growthos-waitlist').shadowRoot.querySelector('[part~=count]').innerText);
  assert.equal(inShadow, '1.233 people are waiting.');
  await ctx.close();
});
