// Verifies deliveries recorded by StandardWebhooksLibraryTests with the Standard Webhooks
// library, exactly as a receiver would: `node verify.mjs deliveries.json`.
// The file holds [{secret, headers: {"webhook-id", "webhook-timestamp", "webhook-signature"}, body}].
// Prints one line per delivery, "verified <webhook-id>" or "rejected <webhook-id> <reason>".
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';

const deliveries = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const d of deliveries) {
  // The library takes the secret with or without its "whsec_" prefix.
  const wh = new Webhook(d.secret);
  try {
    const payload = wh.verify(d.body, d.headers);
    console.log(`verified ${d.headers['webhook-id']} ${payload.type}`);
  } catch (e) {
    console.log(`rejected ${d.headers['webhook-id']} ${e.message}`);
  }
}
