// Sends identify, track and a batch of tracks through the real Segment and RudderStack Node SDKs,
// each with its default settings except where to send (the only change the README asks of a user).
// Usage: node send.mjs <ingest url> <write key> <run id>
// Prints one JSON line per call: {sdk, type, event, userId, error}; exits 1 on a failure
// the SDK reported.
import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';

const [url, writeKey, runId] = process.argv.slice(2);
if (!url || !writeKey || !runId) {
  console.error('usage: node send.mjs <ingest url> <write key> <run id>');
  process.exit(2);
}

const results = [];
let failed = false;

function report(sdk, type, message, error) {
  const line = {
    sdk,
    type,
    event: message.event ?? null,
    userId: message.userId ?? null,
    error: error ? String(error.message ?? error) : null,
  };
  if (error) failed = true;
  results.push(line);
}

async function segment() {
  const analytics = new Analytics({ writeKey, host: url });
  analytics.on('error', (err) => {
    failed = true;
    console.error('segment error', err);
  });
  const userId = `segment-${runId}`;
  const call = (type, params) =>
    new Promise((resolve) => {
      analytics[type](params, (err, ctx) => {
        report('segment', type, params, err);
        resolve();
      });
    });
  // identify and track, then five tracks in one batch; closeAndFlush sends what is queued.
  const sent = [
    call('identify', { userId, traits: { email: `${userId}@example.com`, plan: 'pro' } }),
    call('track', { userId, event: 'Segment Signed Up', properties: { source: 'node-sdk' } }),
  ];
  for (let i = 0; i < 5; i++) {
    sent.push(call('track', { userId, event: `Segment Batch ${i}`, properties: { i } }));
  }
  await analytics.closeAndFlush({ timeout: 60000 });
  await Promise.all(sent);
}

async function rudder() {
  const client = new RudderAnalytics(writeKey, { dataPlaneUrl: url, logLevel: 'error' });
  const userId = `rudder-${runId}`;
  const call = (type, params) =>
    new Promise((resolve) => {
      client[type](params, (err) => {
        report('rudder', type, params, err);
        resolve();
      });
    });
  const first = [
    call('identify', { userId, traits: { email: `${userId}@example.com`, plan: 'pro' } }),
    call('track', { userId, event: 'Rudder Signed Up', properties: { source: 'node-sdk' } }),
  ];
  await client.flush();
  await Promise.all(first);
  const batch = [];
  for (let i = 0; i < 5; i++) {
    batch.push(call('track', { userId, event: `Rudder Batch ${i}`, properties: { i } }));
  }
  await client.flush();
  await Promise.all(batch);
}

try {
  await segment();
  await rudder();
} catch (err) {
  failed = true;
  console.error(err);
}
for (const line of results) {
  console.log(JSON.stringify(line));
}
process.exit(failed ? 1 : 0);
