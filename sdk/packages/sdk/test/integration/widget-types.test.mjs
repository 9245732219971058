// The payload types of the web components (dist/esm/components/*.d.ts: WidgetCampaign,
// WidgetParticipant, WidgetSurvey, SocialProofFeed), which a TypeScript page uses for the
// growthos:* event details, against what the live Ingest API answers: every field the server sends,
// at any depth, is declared. The declarations are read with the TypeScript compiler (a dev
// dependency); the answers come from the widget routes with the stack's write key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import GrowthOS from '../../dist/esm/index.js';
import { credentials } from '../stack.mjs';

const creds = credentials();
const mgmt = new GrowthOS.Management({ secretKey: creds.secret_key, host: creds.management_url });
const INGEST = creds.ingest_url.replace(/\/+$/, '');
const unique = Date.now().toString(36);
const dir = fileURLToPath(new URL('../../dist/esm/components/', import.meta.url));

/** Every interface of the components' declarations: name -> its members (nested object types as members too). */
function interfaces() {
  const out = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.d.ts'))) {
    const src = ts.createSourceFile(file, readFileSync(join(dir, file), 'utf8'), ts.ScriptTarget.Latest, true);
    src.forEachChild((node) => {
      if (ts.isInterfaceDeclaration(node)) out.set(node.name.text, node.members);
    });
  }
  return out;
}

const declared = interfaces();

/** The members of a type: an object literal or a declared interface (also inside an array or a union with null). */
function membersOf(type) {
  if (!type) return undefined;
  if (ts.isTypeLiteralNode(type)) return type.members;
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) return declared.get(type.typeName.text);
  if (ts.isArrayTypeNode(type)) return membersOf(type.elementType);
  if (ts.isUnionTypeNode(type)) for (const t of type.types) if (membersOf(t)) return membersOf(t);
  if (ts.isParenthesizedTypeNode(type)) return membersOf(type.type);
  return undefined;
}

/** Paths of the fields of `value` that `members` does not declare. */
function undeclared(value, members, path) {
  const out = [];
  const names = new Map(members.map((m) => [m.name && m.name.text, m]));
  for (const [key, v] of Object.entries(value)) {
    const m = names.get(key);
    if (!m) {
      out.push(`${path}.${key}`);
      continue;
    }
    const item = Array.isArray(v) ? v.find((x) => x && typeof x === 'object') : v;
    const nested = membersOf(m.type);
    if (item && typeof item === 'object' && nested) out.push(...undeclared(item, nested, `${path}.${key}${Array.isArray(v) ? '[]' : ''}`));
  }
  return out;
}

async function widget(path, init = {}) {
  const res = await fetch(INGEST + '/v1/widgets' + path, {
    ...init,
    headers: { Authorization: 'Bearer ' + creds.write_key, ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
  });
  const body = await res.json();
  assert.ok(res.ok, `${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function active(type, settings) {
  const c = await mgmt.campaigns.create({ type, name: `Types ${type} ${unique}`, settings });
  await mgmt.campaigns.update(c.id, { status: 'active' });
  return c.id;
}

test("the components' payload types declare every field the live widget routes send (growthos:loaded, growthos:joined, the survey, the feed)", async () => {
  const referral = await active('referral', {
    landing_url: 'https://example.com/r',
    reward_rules: [{ side: 'referrer', every: 2, limit: 3, reward: { type: 'cash', amount: 25, currency: 'EUR', description: 'Cash' } }],
  });
  const waitlist = await active('waitlist', { landing_url: 'https://example.com/w' });
  const joined = await widget(`/campaigns/${waitlist}/participants`, { method: 'POST', body: JSON.stringify({ email: `types+${unique}@example.com`, client_id: 'types-' + unique }) });
  await widget(`/campaigns/${referral}/participants`, { method: 'POST', body: JSON.stringify({ email: `types+${unique}@example.com`, client_id: 'types-r-' + unique }) });
  const feedCampaign = await active('social_proof', { source: { campaign: waitlist, activity: 'joined' }, template: 'Someone joined {time_ago}' });
  const path = `/types-${unique}/`;
  const survey = await active('survey', {
    questions: [
      { id: 'score', type: 'nps', text: 'How likely?', required: true, logic: [{ if: { op: 'gte', value: 9 }, then: { jump_to: 'end' } }] },
      { id: 'why', type: 'single_choice', text: 'Why?', choices: ['Price', 'Speed'], allow_other: true },
      { id: 'stars', type: 'rating', text: 'Stars?', scale: 5 },
      { id: 'more', type: 'text', text: 'More?', max_length: 500 },
    ],
    targeting: { url: { match: 'contains', value: path } },
    thank_you: { headline: 'Thanks', body: 'We read every answer.' },
  });
  const found = await widget(`/surveys?anonymous_id=types-${unique}&url=${encodeURIComponent('https://example.com' + path)}`);
  assert.equal(found.survey && found.survey.id, survey);

  const answers = [
    ['WidgetCampaign', await widget(`/campaigns/${referral}`)],
    ['WidgetCampaign', await widget(`/campaigns/${waitlist}`)],
    ['WidgetParticipant', joined],
    ['WidgetSurvey', found.survey],
    ['SocialProofFeed', await widget(`/campaigns/${feedCampaign}/feed`)],
  ];
  const missing = [];
  for (const [name, body] of answers) {
    assert.ok(declared.has(name), `${name} is declared`);
    missing.push(...undeclared(body, [...declared.get(name)], name));
  }
  assert.deepEqual([...new Set(missing)], []);
});
