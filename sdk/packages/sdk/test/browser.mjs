// Headless Chromium from Debian's package (never a downloaded browser), driven by playwright-core.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.GROWTHOS_CHROMIUM || '/usr/bin/chromium';

/** `args`: more Chromium switches (e.g. `--host-resolver-rules` for pages on several host names). */
export async function launch(args = []) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...args,
    ],
  });
}

/**
 * A test page's placeholders filled in: `host="HOST…"` becomes the given host and `write-key="WK"`
 * the given key, in those attributes only. Replacing the bare words everywhere also rewrote a
 * random campaign id that happened to hold "WK" (`cmp_…WKldY…`: the widget call then got a 404).
 */
export const fillPage = (html, host, key) =>
  html.replace(/\bhost="HOST/g, () => `host="${host}`).replace(/\bwrite-key="WK"/g, () => `write-key="${key}"`);
