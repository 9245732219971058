// The web components module where there is no DOM (Node, a server render of Next.js, Nuxt or
// SvelteKit): it must load, and registering must do nothing. Their behaviour in a browser:
// test/browser/components.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('importing the components in Node (no HTMLElement) succeeds and defineGrowthOSElements() is a no-op', async () => {
  assert.equal(typeof globalThis.HTMLElement, 'undefined');
  const m = await import('../../dist/esm/components/index.js');
  assert.equal(typeof m.WaitlistElement, 'function');
  assert.deepEqual(Object.keys(m.ELEMENTS).sort(), ['growthos-referral', 'growthos-social-proof', 'growthos-survey', 'growthos-waitlist']);
  assert.doesNotThrow(() => m.defineGrowthOSElements());
  // A registry given explicitly is used.
  const defined = new Map();
  m.defineGrowthOSElements({ get: (n) => defined.get(n), define: (n, c) => defined.set(n, c) });
  assert.equal(defined.size, 4);
});
