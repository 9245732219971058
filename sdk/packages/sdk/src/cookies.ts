// The SDK's first-party cookie (the visitor's anonymous id), one rule for the tracking client and the
// web components: written on the site's own domain when the browser takes it, so www.example.com and
// app.example.com share one visitor (as analytics.js does), else on the page's host only.

const YEAR_SECONDS = 31536000;

/** The cookie (and storage key) of the visitor's anonymous id, the tracking client's and the components'. */
export const ANONYMOUS_ID_KEY = 'gos_anonymous_id';

/**
 * The start of the localStorage key of a campaign's participant token, kept by the waitlist and
 * referral components ({@code gos_participant_<host> <campaign>}) and forgotten by the client's reset().
 */
export const PARTICIPANT_KEY = 'gos_participant_';

/**
 * The window event the client's reset() dispatches after it forgot the participant tokens: the
 * components on the page (perhaps of another bundle) stop showing the previous person's state.
 * Other tabs learn it from localStorage's own `storage` event.
 */
export const RESET_EVENT = 'growthos:reset';

/** The domain found for this page's host, found once. */
let site: { host: string; domain: string } | undefined;

function pageDocument(): Document | undefined {
  return typeof document !== 'undefined' && typeof location !== 'undefined' ? document : undefined;
}

/** A cookie's value; null where there is none, or no cookies (a sandboxed iframe's document.cookie throws). */
export function readCookie(name: string): string | null {
  const d = pageDocument();
  if (!d) return null;
  try {
    for (const part of d.cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
    }
  } catch {
    // no cookies here, or a value that is no URI component
  }
  return null;
}

/**
 * The domains a cookie of `hostname` could be set on, broadest first (`a.example.co.uk`:
 * `co.uk`, `example.co.uk`, `a.example.co.uk`); none for an IP address or a one-label host such as
 * `localhost`, whose cookies are the host's only.
 */
export function cookieDomains(hostname: string): string[] {
  const host = hostname.replace(/\.$/, '');
  if (!host.includes('.') || host.includes(':') || /^[\d.]+$/.test(host)) return [];
  const labels = host.split('.');
  const domains: string[] = [];
  for (let i = labels.length - 2; i >= 0; i--) domains.push(labels.slice(i).join('.'));
  return domains;
}

/**
 * The broadest domain of the page's host the browser takes a cookie on (it refuses a public suffix:
 * `co.uk`, `github.io`), tried with a short-lived probe cookie; '' for the host only.
 */
function siteDomain(d: Document): string {
  const host = location.hostname;
  if (site && site.host === host) return site.domain;
  let found = '';
  for (const candidate of cookieDomains(host)) {
    const probe = 'gos_probe_' + Math.random().toString(36).slice(2, 10);
    try {
      d.cookie = `${probe}=1; Domain=${candidate}; Path=/; Max-Age=10; SameSite=Lax`;
      if (d.cookie.indexOf(probe + '=1') >= 0) {
        d.cookie = `${probe}=; Domain=${candidate}; Path=/; Max-Age=0; SameSite=Lax`;
        found = candidate;
        break;
      }
    } catch {
      break;
    }
  }
  site = { host, domain: found };
  return found;
}

/**
 * Keeps `value` for a year: on `domain` when one is given (`false`: the host only), else on the
 * site's domain. Once it is written site-wide, a host-only cookie of the same name (what the SDK
 * wrote before 2026-12-06) is removed, so the hosts of one site come to share one value.
 */
export function writeCookie(name: string, value: string, domain?: string | false): void {
  const d = pageDocument();
  if (!d) return;
  try {
    const attributes = `; Path=/; SameSite=Lax${location.protocol === 'https:' ? '; Secure' : ''}`;
    const on = domain === false ? '' : domain || siteDomain(d);
    d.cookie = `${name}=${encodeURIComponent(value)}; Max-Age=${YEAR_SECONDS}${attributes}${on ? '; Domain=' + on : ''}`;
    if (on) d.cookie = `${name}=; Max-Age=0${attributes}`;
  } catch {
    // cookies blocked
  }
}
