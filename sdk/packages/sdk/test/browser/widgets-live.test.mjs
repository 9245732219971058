// The web components against the live stack run.mjs started: campaigns created and activated
// through the Management API with the secret key, a page on another origin (a small server on
// 127.0.0.1) embedding the script-tag bundle with the write key, so every widget call is a CORS
// request (preflight for the Authorization header, then the origin check of allowed_widget_origins).
// Results are read back through the Management API. Screenshots in target/screenshots/*-live.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import GrowthOS from '../../dist/esm/index.js';
import { credentials, eventsOf, sleep } from '../stack.mjs';
import { fillPage, launch } from '../browser.mjs';

const creds = credentials();
const mgmt = new GrowthOS.Management({ secretKey: creds.secret_key, host: creds.management_url });
const bundle = readFileSync(new URL('../../dist/browser/growthos-components.js', import.meta.url));
const shots = join(process.env.GROWTHOS_SDK_TARGET || 'target', 'screenshots');
mkdirSync(shots, { recursive: true });
const unique = Date.now().toString(36);
const INGEST = creds.ingest_url.replace(/\/+$/, '');

let server;
let origin;
let browser;

before(async () => {
  // Any path serves the page (surveys target URLs); `html` is the body, its host="HOST" and
  // write-key="WK" attributes filled in (fillPage).
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/growthos-components.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      return res.end(bundle);
    }
    const html = fillPage(url.searchParams.get('html') || '', INGEST, creds.write_key);
    // The page records every growthos:* event from its <head>, before the bundle and the elements:
    // an element starts on its own (a fetch, then growthos:loaded), and a browser may run that while
    // the rest of the page is still being parsed; a listener at the end of the body missed it then
    // (seen once on a loaded machine: waiting for growthos:loaded timed out).
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.write(`<!doctype html><html lang="en"><head><title>Widgets live</title>
<script>window.seen=[];for(const n of ['loaded','joined','copied','displayed','answered','responded','dismissed','error'])document.addEventListener('growthos:'+n,e=>seen.push({type:e.type,detail:e.detail}));</script>
<script src="/growthos-components.js"></script></head>
<body style="margin:24px;background:#f3f4f6">${html}`);
    // trickle=1: the end of the page comes 1.5 s later, as from a slow network or a parser that
    // yields under load; the elements have started and loaded before it.
    setTimeout(() => res.end('\n</body></html>'), url.searchParams.get('trickle') ? 1500 : 0);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  assert.notEqual(new URL(INGEST).origin, origin, 'the page is on another origin than the ingest');
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
  await setAllowedOrigins([]).catch(() => undefined);
});

async function open(path, html, query = '') {
  const ctx = await browser.newContext({ viewport: { width: 520, height: 460 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  // Every widget request the page makes, with its headers and body, and the CORS header of its answer.
  const widgetCalls = [];
  page.on('requestfinished', async (r) => {
    if (!r.url().startsWith(INGEST + '/v1/widgets')) return;
    const resp = await r.response();
    widgetCalls.push({ method: r.method(), url: r.url(), headers: r.headers(), body: r.postData() ? JSON.parse(r.postData()) : undefined, status: resp && resp.status(), acao: resp && resp.headers()['access-control-allow-origin'] });
  });
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(INGEST + '/v1/widgets')) widgetCalls.push({ method: r.method(), url: r.url(), headers: r.headers(), body: r.postData() ? JSON.parse(r.postData()) : undefined, failed: r.failure() && r.failure().errorText });
  });
  // The CORS preflights the browser sends (visible through the DevTools protocol only).
  const preflights = [];
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.method === 'OPTIONS' && e.request.url.startsWith(INGEST)) preflights.push({ id: e.requestId, url: e.request.url, headers: e.request.headers });
  });
  cdp.on('Network.responseReceived', (e) => {
    const p = preflights.find((x) => x.id === e.requestId);
    if (p) Object.assign(p, { status: e.response.status, allowHeaders: e.response.headers['Access-Control-Allow-Headers'] || e.response.headers['access-control-allow-headers'] });
  });
  await page.goto(`${origin}${path}?html=${encodeURIComponent(html)}${query}`);
  return { ctx, page, errors, widgetCalls, preflights };
}

const seen = (page, type) => page.evaluate((t) => window.seen.filter((e) => e.type === t), 'growthos:' + type);

/**
 * Waits for `selector` in the page `open` returned; when it never shows, fails with what the page
 * did meanwhile (its widget calls, the component events it fired, its errors), so a failure says why.
 */
async function shows(opened, selector, options) {
  try {
    await opened.page.waitForSelector(selector, options);
  } catch (e) {
    const events = await opened.page.evaluate(() => window.seen.map((x) => ({ type: x.type, detail: x.detail }))).catch((err) => String(err));
    throw new Error(`${selector} never showed (${e.message.split('\n')[0]}); widget calls: ${JSON.stringify(opened.widgetCalls)}; events: ${JSON.stringify(events)}; page errors: ${opened.errors.map(String).join(' | ')}`);
  }
}

/**
 * Waits for the component event `growthos:<type>`; fails at once when a growthos:error came instead
 * (a 429 or 5xx of a loaded stack, a refused origin), and on timeout with what the page did.
 */
async function fired(opened, type, options) {
  const name = 'growthos:' + type;
  const report = async () => {
    const events = await opened.page.evaluate(() => window.seen.map((x) => ({ type: x.type, detail: x.detail }))).catch((err) => String(err));
    return `widget calls: ${JSON.stringify(opened.widgetCalls)}; events: ${JSON.stringify(events)}; page errors: ${opened.errors.map(String).join(' | ')}`;
  };
  try {
    await opened.page.waitForFunction((t) => window.seen.some((e) => e.type === t || e.type === 'growthos:error'), name, options);
  } catch (e) {
    throw new Error(`${name} never came (${e.message.split('\n')[0]}); ${await report()}`);
  }
  if (!(await opened.page.evaluate((t) => window.seen.some((e) => e.type === t), name))) throw new Error(`growthos:error instead of ${name}; ${await report()}`);
}

async function activeCampaign(type, settings, name) {
  const created = await mgmt.campaigns.create({ type, name: `${name} ${unique}`, settings });
  assert.equal(created.status, 'draft');
  const active = await mgmt.campaigns.update(created.id, { status: 'active' });
  assert.equal(active.status, 'active');
  return created.id;
}

async function setAllowedOrigins(list) {
  await mgmt.settings.update({ allowed_widget_origins: list });
}

/** The ingest's answer to a GET from `from` (Node's fetch sends the Origin header as given). */
async function statusFrom(from, path) {
  const res = await fetch(INGEST + path, { headers: { Authorization: 'Bearer ' + creds.write_key, Origin: from } });
  return res.status;
}

/** allowed_widget_origins is cached by the ingest for up to 5 s: wait until a request from the page's origin gets `status`. */
async function untilOriginAnswer(path, status, timeout = 15000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await statusFrom(origin, path);
    if (last === status) return;
    await sleep(250);
  }
  throw new Error(`a request from ${origin} never got ${status} (last ${last})`);
}

async function participants(campaign) {
  return mgmt.campaigns.participants.list(campaign, { limit: 100 }).toArray();
}

let waitlist;

test('waitlist, live: a referred visitor on another origin joins; the preflight and origin check pass, the position is shown and stored', async () => {
  waitlist = await activeCampaign('waitlist', { landing_url: 'https://example.com/beta', spots_per_referral: 1 }, 'Live beta');
  // allowed_widget_origins lists the page's origin: the actual requests pass the origin check.
  await setAllowedOrigins([origin, 'https://example.com']);
  await untilOriginAnswer(`/v1/widgets/campaigns/${waitlist}`, 200);
  // The preflight the browser sends for a request with an Authorization header, answered for any origin.
  const preflight = await fetch(`${INGEST}/v1/widgets/campaigns/${waitlist}/participants`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
  });
  assert.ok(preflight.status < 300, `preflight ${preflight.status}`);
  assert.match(preflight.headers.get('access-control-allow-headers') || '', /Authorization/i);

  // Ann joined earlier (through the widget route, as her browser would); Ben comes through her link.
  const ann = await fetch(`${INGEST}/v1/widgets/campaigns/${waitlist}/participants`, {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + creds.write_key, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `ann+${unique}@example.com`, client_id: 'ann-' + unique }),
  }).then((r) => r.json());
  assert.equal(ann.position, 1);

  const opened = await open('/beta', '<growthos-waitlist campaign="' + waitlist + '" host="HOST" write-key="WK"></growthos-waitlist>', '&trickle=1&ref=' + ann.referral_code);
  const { ctx, page, errors, widgetCalls, preflights } = opened;
  await fired(opened, 'loaded');
  assert.match(await page.locator('growthos-waitlist >> [part~=count]').innerText(), /1 person is waiting/);
  await page.locator('growthos-waitlist >> input').fill(`ben+${unique}@example.com`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-waitlist >> [part~=position]');
  const shown = await page.locator('growthos-waitlist >> [part~=result]').innerText();
  assert.match(shown, /#2 of 2/);
  assert.match(shown, /1 ahead of you/);
  await page.locator('growthos-waitlist').screenshot({ path: join(shots, 'growthos-waitlist-live.png') });

  const joinCall = widgetCalls.find((c) => c.method === 'POST' && c.url.endsWith('/participants'));
  assert.equal(joinCall.status, 201);
  assert.equal(joinCall.headers.authorization, 'Bearer ' + creds.write_key, 'write key in the Authorization header');
  assert.equal(joinCall.acao, origin, 'the answer is readable by the page origin');
  assert.deepEqual(Object.keys(joinCall.body).sort(), ['anonymous_id', 'client_id', 'email', 'referral_code']);
  assert.equal(joinCall.body.referral_code, ann.referral_code);
  const joinPreflight = preflights.find((p) => p.url === joinCall.url);
  assert.ok(joinPreflight, 'the browser sent a preflight for the join: ' + JSON.stringify(preflights));
  assert.ok(joinPreflight.status >= 200 && joinPreflight.status < 300, JSON.stringify(joinPreflight));
  assert.match(joinPreflight.allowHeaders || '', /Authorization/i);
  const joined = (await seen(page, 'joined'))[0].detail;
  assert.equal(joined.position, 2);
  assert.equal(joined.participant_token, undefined, 'the token is not handed to the page in events');

  // Stored: Ben is a participant, referred by Ann, second in line.
  const all = await participants(waitlist);
  const ben = all.find((p) => p.email === `ben+${unique}@example.com`);
  assert.ok(ben, JSON.stringify(all));
  // (the list leaves the standing out: position is read per participant)
  const standing = await mgmt.campaigns.participants.retrieve(waitlist, ben.id);
  assert.equal(standing.position, 2);
  assert.equal(standing.total_waiting, 2);
  assert.equal(ben.referred_by, all.find((p) => p.email === `ann+${unique}@example.com`).id);

  // The next visit reads the own state with the participant token, never by e-mail.
  await page.reload();
  await page.waitForSelector('growthos-waitlist >> [part~=position]');
  const me = widgetCalls.find((c) => c.url.endsWith('/participants/me'));
  assert.ok(me && me.status === 200, JSON.stringify(widgetCalls.map((c) => [c.method, c.url, c.status])));
  assert.match(me.headers['growthos-participant-token'], /\S/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('referral program, live: a join whose answer is lost is retried with the same client_id and stored once', async () => {
  const program = await activeCampaign(
    'referral',
    { landing_url: 'https://shop.example.com/', qualifying_event: { event: 'Order Completed' }, reward_rules: [{ side: 'both', every: 1, reward: { type: 'credit', amount: 10, currency: 'usd', description: '$10 each' } }] },
    'Live referrals',
  );
  const opened = await open('/invite', '<growthos-referral campaign="' + program + '" host="HOST" write-key="WK" heading="Give $10, get $10"></growthos-referral>', '&trickle=1');
  const { ctx, page, errors, widgetCalls } = opened;
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  // The first join reaches the server, but the browser sees a network error (the answer is lost).
  let lost = 0;
  await page.route('**/participants', async (route) => {
    if (route.request().method() === 'POST' && lost++ === 0) {
      await route.fetch();
      return route.abort('failed');
    }
    return route.continue();
  });
  await fired(opened, 'loaded');
  await page.locator('growthos-referral >> input').fill(`cleo+${unique}@example.com`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-referral >> [part~=code]', { timeout: 15000 });
  const joins = widgetCalls.filter((c) => c.method === 'POST' && c.url.endsWith('/participants'));
  assert.equal(joins.length, 2, JSON.stringify(joins));
  assert.equal(joins[0].body.client_id, joins[1].body.client_id, 'one client_id for the attempt and its retry');
  assert.equal(joins[1].status, 200, 'the retry replays the stored join');

  const stored = (await participants(program)).filter((p) => p.email === `cleo+${unique}@example.com`);
  assert.equal(stored.length, 1);
  assert.match(await page.locator('growthos-referral >> [part~=code]').innerText(), new RegExp(stored[0].referral_code));
  assert.equal(await page.locator('growthos-referral >> #share').inputValue(), stored[0].share_url);
  await page.locator('growthos-referral >> button[part~=copy]').click();
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:copied'));
  await page.locator('growthos-referral').screenshot({ path: join(shots, 'growthos-referral-live.png') });

  // A second attempt with the same e-mail in a new visit is a new client_id: 409, announced.
  const again = await open('/invite', '<growthos-referral campaign="' + program + '" host="HOST" write-key="WK"></growthos-referral>');
  await fired(again, 'loaded');
  await again.page.locator('growthos-referral >> input').fill(`cleo+${unique}@example.com`);
  await again.page.keyboard.press('Enter');
  await again.page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:error' && e.detail.status === 409));
  assert.match(await again.page.locator('growthos-referral >> [role=alert]').innerText(), /already joined/);
  // growthos:error keeps the server's envelope as sent: the visitor's words are only on the page.
  const dup = await again.page.evaluate(() => window.seen.find((e) => e.type === 'growthos:error' && e.detail.status === 409).detail);
  assert.equal(dup.code, 'duplicate_resource');
  assert.equal(dup.message, 'This e-mail has already joined the campaign.');
  assert.notEqual(again.widgetCalls.find((c) => c.method === 'POST').body.client_id, joins[0].body.client_id);
  await again.ctx.close();
  assert.deepEqual(errors, []);
  await ctx.close();
});

function surveySettings(path) {
  return {
    questions: [
      { id: 'score', type: 'nps', text: 'How likely are you to recommend us?', required: true, logic: [{ if: { op: 'gte', value: 9 }, then: { jump_to: 'end' } }] },
      { id: 'why', type: 'single_choice', text: 'What would make it a 10?', choices: ['Price', 'Speed', 'Support'], allow_other: true },
      { id: 'more', type: 'text', text: 'Anything else?', max_length: 500 },
    ],
    targeting: { url: { match: 'contains', value: path }, delay_seconds: 1 },
    thank_you: { headline: 'Thank you!', body: 'We read every answer.' },
  };
}

test('survey, live: targeted by URL, shown after its delay, answered with the keyboard; the response and its Survey Responded event are stored', async () => {
  const path = `/app/${unique}/home`;
  const survey = await activeCampaign('survey', surveySettings(`/app/${unique}/`), 'Live NPS');
  const userId = 'user_live_' + unique;
  const { ctx, page, errors, widgetCalls } = await open(path, `<growthos-survey host="HOST" write-key="WK" user-id="${userId}"></growthos-survey>`);
  const started = Date.now();
  await page.waitForSelector('growthos-survey >> [part~=question]');
  assert.ok(Date.now() - started >= 700, 'shown after delay_seconds');
  const get = widgetCalls.find((c) => c.url.includes('/v1/widgets/surveys?'));
  const q = new URL(get.url).searchParams;
  assert.equal(q.get('user_id'), userId);
  assert.ok(q.get('anonymous_id'));
  assert.equal(q.get('url'), page.url());
  assert.equal(get.acao, origin);
  await page.locator('growthos-survey').screenshot({ path: join(shots, 'growthos-survey-live.png') });

  // 6: a detractor, so the logic does not jump to the end.
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-survey >> text=What would make it a 10?');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('growthos-survey >> textarea');
  await page.keyboard.type('Faster exports');
  await page.locator('growthos-survey >> button[type=submit]').press('Enter');
  await page.waitForSelector('growthos-survey >> [part~=thanks]');
  assert.match(await page.locator('growthos-survey >> [role=status]').innerText(), /Thank you!\s*We read every answer\./);
  const responded = (await seen(page, 'responded'))[0].detail;
  assert.deepEqual(responded.answers, { score: 6, why: 'Speed', more: 'Faster exports' });

  const posts = widgetCalls.filter((c) => c.method === 'POST' && c.url.endsWith('/responses'));
  assert.deepEqual(posts.map((p) => [p.status, p.body.completed]), [[200, false], [200, false], [200, true]]);
  assert.equal(new Set(posts.map((p) => p.body.response_id)).size, 1);
  assert.ok(widgetCalls.some((c) => c.url.endsWith(`/campaigns/${survey}/displays`) && c.status === 200));

  // Stored: one completed response with the answers, and its event.
  const responses = await mgmt.campaigns.responses.list(survey, { limit: 10 }).page();
  assert.equal(responses.data.length, 1, JSON.stringify(responses));
  assert.equal(responses.data[0].id, responded.response_id);
  assert.equal(responses.data[0].completed, true);
  assert.deepEqual(responses.data[0].answers, { score: 6, why: 'Speed', more: 'Faster exports' });
  assert.equal(responses.data[0].user_id, userId);
  const events = await eventsOf(mgmt, { user_id: userId, event: 'Survey Responded' }, (e) => e.length >= 1);
  assert.equal(events.length, 1);
  assert.equal(events[0].properties.response_id, responded.response_id);
  assert.equal(events[0].properties.campaign_id, survey);
  assert.equal(events[0].context.page.url, page.url());
  const results = await mgmt.campaigns.results(survey);
  assert.equal(results.displays, 1);
  assert.equal(results.completed, 1);

  // once_per_contact: the same visitor is not shown it again.
  await page.reload();
  await page.waitForFunction(() => document.querySelector('growthos-survey') && performance.now() > 2000);
  assert.equal(await page.locator('growthos-survey >> [role=dialog]').count(), 0);
  assert.deepEqual(errors, []);
  await ctx.close();

  // Another visitor closes it with Escape: a dismissal is recorded.
  const other = await open(path, '<growthos-survey host="HOST" write-key="WK"></growthos-survey>');
  await other.page.waitForSelector('growthos-survey >> [part~=question]');
  await other.page.keyboard.press('Escape');
  await other.page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:dismissed'));
  const end = Date.now() + 10000;
  let after;
  do {
    after = await mgmt.campaigns.results(survey);
    if (after.dismissals === 1) break;
    await sleep(200);
  } while (Date.now() < end);
  assert.equal(after.dismissals, 1);
  await other.ctx.close();
});

test('allowed_widget_origins without the page origin: the components show an error state and nothing is stored', async () => {
  assert.ok(waitlist, 'the waitlist test ran first');
  const path = `/app/${unique}-refused/home`;
  const survey = await activeCampaign('survey', surveySettings(`/app/${unique}-refused/`), 'Refused NPS');
  await setAllowedOrigins(['https://example.com']);
  try {
    await untilOriginAnswer(`/v1/widgets/campaigns/${waitlist}`, 403);

    const w = await open('/beta', '<growthos-waitlist campaign="' + waitlist + '" host="HOST" write-key="WK"></growthos-waitlist>');
    await w.page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:error'));
    const alert = w.page.locator('growthos-waitlist >> [role=alert]');
    assert.equal(await alert.isVisible(), true);
    assert.match(await alert.innerText(), /could not reach/);
    await w.page.locator('growthos-waitlist >> input').fill(`refused+${unique}@example.com`);
    await w.page.keyboard.press('Enter');
    await w.page.waitForFunction(() => window.seen.filter((e) => e.type === 'growthos:error').length >= 2, null, { timeout: 15000 });
    assert.equal(await w.page.locator('growthos-waitlist >> [part~=result]').isVisible(), false);
    assert.ok(w.widgetCalls.some((c) => c.method === 'POST' && c.failed), 'the join was attempted and refused: ' + JSON.stringify(w.widgetCalls));
    assert.ok(w.preflights.some((p) => p.url.endsWith('/participants') && p.status < 300), 'the preflight passes; the origin check refuses the request itself');
    await w.page.locator('growthos-waitlist').screenshot({ path: join(shots, 'growthos-waitlist-origin-refused.png') });
    await w.ctx.close();
    assert.equal((await participants(waitlist)).filter((p) => p.email === `refused+${unique}@example.com`).length, 0);

    const s = await open(path, '<growthos-survey host="HOST" write-key="WK" user-id="refused_' + unique + '"></growthos-survey>');
    await s.page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:error'));
    assert.equal(await s.page.locator('growthos-survey >> [role=dialog]').count(), 0);
    await s.ctx.close();
    const results = await mgmt.campaigns.results(survey);
    assert.equal(results.displays, 0);
    assert.equal(results.responses, 0);
  } finally {
    await setAllowedOrigins([]);
    await untilOriginAnswer(`/v1/widgets/campaigns/${waitlist}`, 200);
  }
});

test('social proof, live: the feed of a waitlist join activity, masked by the server, with its counter, not announced as a live region; an opted-out person never shows', async () => {
  const source = await activeCampaign('waitlist', {}, 'Live launch list');
  const people = [
    { email: `anna+${unique}@example.com`, traits: { first_name: 'Anna', last_name: 'Schmidt', city: 'Berlin' } },
    { email: `ben.okafor+${unique}@example.com`, traits: { name: 'Ben Okafor' } },
    { email: `cleo+sp${unique}@example.com`, traits: { first_name: 'Cleo', social_proof_opt_out: true } },
  ];
  for (const p of people) {
    await mgmt.contacts.create(p);
    const r = await fetch(`${INGEST}/v1/widgets/campaigns/${source}/participants`, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + creds.write_key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: p.email, client_id: 'sp-' + p.email }),
    });
    assert.equal(r.status, 201, await r.text());
  }
  const sp = await activeCampaign(
    'social_proof',
    {
      source: { campaign: source, activity: 'joined' },
      template: '{name} from {city|somewhere} joined the waitlist {time_ago}',
      counter: { window: '7d', template: '{count} people joined this week', min_count: 2 },
    },
    'Live social proof',
  );
  const preview = await mgmt.campaigns.feed(sp);
  assert.equal(preview.items.length, 2, JSON.stringify(preview));

  const opened = await open('/launch', `<growthos-social-proof campaign="${sp}" host="HOST" write-key="WK" interval="400"></growthos-social-proof>`);
  const { ctx, page, errors, widgetCalls } = opened;
  await shows(opened, 'growthos-social-proof >> [part~=message]');
  const feedCall = widgetCalls.find((c) => c.url.endsWith(`/campaigns/${sp}/feed`));
  assert.equal(feedCall.status, 200);
  assert.equal(feedCall.acao, origin);
  assert.equal(feedCall.headers.authorization, 'Bearer ' + creds.write_key);
  const loaded = (await seen(page, 'loaded'))[0].detail;
  assert.equal(loaded.object, 'social_proof_feed');
  const live = page.locator('growthos-social-proof >> [part~=message]');
  assert.equal(await live.getAttribute('aria-live'), null, 'a rotating feed is not a live region');
  assert.equal(await page.locator('growthos-social-proof >> [part~=counter]').innerText(), '2 people joined this week');
  // Every item comes round; each is the server's message, masked (no e-mail, no last name), never Cleo's.
  const shown = new Set();
  const end = Date.now() + 5000;
  while (shown.size < 2 && Date.now() < end) {
    shown.add(await live.innerText());
    await sleep(100);
  }
  assert.deepEqual([...shown].sort(), loaded.items.map((i) => i.message).sort());
  assert.deepEqual([...shown].map((m) => m.replace(/ (just now|\d+ \w+ ago)$/, '')).sort(), ['Anna S. from Berlin joined the waitlist', 'Ben O. from somewhere joined the waitlist']);
  for (const m of shown) assert.doesNotMatch(m, /@|Schmidt|Okafor|Cleo/);
  await page.locator('growthos-social-proof').screenshot({ path: join(shots, 'growthos-social-proof-live.png') });
  await page.locator('growthos-social-proof >> button').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'growthos:dismissed'));
  assert.equal(await page.locator('growthos-social-proof >> [part~=message]').count(), 0);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('configured through properties, as React 19, Vue (without .attr), Svelte and Angular ([campaign]) do: el.campaign, el.host and el.writeKey set the attributes and the element starts', async () => {
  const campaign = await activeCampaign('waitlist', {}, 'Props beta');
  const opened = await open('/props', '');
  const { ctx, page, errors } = opened;
  // What those frameworks do for a custom element whose property exists (`key in el`): assign it,
  // from their strict-mode code (an assignment to a getter-only property throws there).
  const thrown = await page.evaluate(
    ({ campaign, host, key }) => {
      const set = new Function('el', 'name', 'value', "'use strict'; el[name] = value;");
      const el = document.createElement('growthos-waitlist');
      try {
        set(el, 'campaign', campaign);
        set(el, 'host', host);
        set(el, 'writeKey', key);
      } catch (e) {
        return String(e);
      } finally {
        document.body.append(el);
      }
      return null;
    },
    { campaign, host: INGEST, key: creds.write_key },
  );
  assert.equal(thrown, null);
  const el = page.locator('growthos-waitlist');
  assert.equal(await el.getAttribute('campaign'), campaign);
  assert.equal(await el.getAttribute('host'), INGEST);
  assert.equal(await el.getAttribute('write-key'), creds.write_key);
  await fired(opened, 'loaded');
  const email = `props+${unique}@example.com`;
  await page.locator('growthos-waitlist >> input').fill(email);
  await page.keyboard.press('Enter');
  await shows(opened, 'growthos-waitlist >> [part~=position]');
  assert.match(await page.locator('growthos-waitlist >> [part~=result]').innerText(), /#1 of 1/);
  assert.equal((await participants(campaign)).filter((p) => p.email === email).length, 1);
  // A framework clearing a prop (null or undefined) removes the attribute; the getters read the attributes.
  assert.deepEqual(
    await page.evaluate(() => {
      const el = document.createElement('growthos-waitlist');
      el.host = 'http://127.0.0.1:1';
      el.host = null;
      el.writeKey = undefined;
      return [el.hasAttribute('host'), el.host, el.hasAttribute('write-key'), el.writeKey];
    }),
    [false, 'https://ingest.growthos.io', false, ''],
  );
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('waitlist, live: a link whose ref= is no referral code (another site\'s long ref=, over the 64 characters a code may have) still lets the visitor join, without a code, instead of a 400 on every try', async () => {
  const campaign = await activeCampaign('waitlist', {}, 'Long ref');
  // Sites and directories add their own ref= to links (ref=producthunt, or a whole URL).
  const ref = 'https://www.producthunt.com/posts/growthos-open-source-growth-platform?utm_source=badge';
  const opened = await open('/launch', `<growthos-waitlist campaign="${campaign}" host="HOST" write-key="WK"></growthos-waitlist>`, '&ref=' + encodeURIComponent(ref));
  const { ctx, page, errors } = opened;
  await fired(opened, 'loaded');
  const email = `longref+${unique}@example.com`;
  await page.locator('growthos-waitlist >> input').fill(email);
  await page.keyboard.press('Enter');
  await fired(opened, 'joined');
  assert.match(await page.locator('growthos-waitlist >> [part~=result]').innerText(), /#1 of 1/);
  const stored = (await participants(campaign)).filter((p) => p.email === email);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].referred_by, null);
  assert.deepEqual(errors, []);
  await ctx.close();
});
