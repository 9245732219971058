// What the integration and browser tests know about the stack run.mjs started.
import { readFileSync } from 'node:fs';

export function credentials() {
  const raw = process.env.GROWTHOS_TEST_CREDENTIALS;
  if (!raw) {
    throw new Error('no stack: run these tests through `npm run test:integration` (test/integration/run.mjs)');
  }
  return JSON.parse(raw);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls the Management API's events until `check(events)` holds (events are stored at ACK). */
export async function eventsOf(mgmt, query, check, timeout = 20000) {
  const end = Date.now() + timeout;
  let events = [];
  while (Date.now() < end) {
    events = await mgmt.events.list({ ...query, limit: 100 }).toArray();
    if (check(events)) return events;
    await sleep(200);
  }
  throw new Error(`events of ${JSON.stringify(query)} never matched; last: ${JSON.stringify(events.map((e) => [e.type, e.event, e.message_id]))}`);
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}
