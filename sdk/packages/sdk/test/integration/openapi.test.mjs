// The Management types are generated from sdk/openapi/management.json at build time. This test
// fails when the running service's document differs from that snapshot, i.e. when the API changed
// and the types were not regenerated. To refresh the snapshot from the live document, run the
// integration tests with GROWTHOS_UPDATE_OPENAPI=1 (or npm run openapi:update against a stack).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentials } from '../stack.mjs';
import { canonical, normalise } from '../../scripts/openapi-snapshot.mjs';

const snapshotPath = new URL('../../../../openapi/management.json', import.meta.url);

test('the Management API document equals the snapshot the client was generated from', async () => {
  const creds = credentials();
  const res = await fetch(creds.management_url + '/v3/api-docs');
  assert.equal(res.status, 200);
  const live = normalise(await res.json());
  const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8'));
  if (process.env.GROWTHOS_UPDATE_OPENAPI === '1') {
    writeFileSync(snapshotPath, JSON.stringify(live, null, 2) + '\n');
    return;
  }
  if (canonical(live) !== canonical(snapshot)) {
    const dir = join(process.env.GROWTHOS_SDK_TARGET || '.', 'openapi');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'management.live.json'), JSON.stringify(live, null, 2) + '\n');
    assert.fail(
      'sdk/openapi/management.json is not the live Management API document (written to ' +
        join(dir, 'management.live.json') +
        '): the API changed. Regenerate: GROWTHOS_UPDATE_OPENAPI=1 npm run test:integration -- test/integration/openapi.test.mjs ' +
        '(in sdk/packages/sdk), or copy that file over the snapshot, then rebuild.',
    );
  }
});
