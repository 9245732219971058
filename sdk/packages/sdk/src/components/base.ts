// Shared by the four custom elements: configuration from attributes, calls to the widget routes of
// the Ingest API (write key as bearer token), DOM events, the default theme.
import { uuidv4 } from '../uuid.js';

/** Default theme; every colour is a custom property. Text on background and button pass WCAG AA. */
export const THEME = `
:host{display:block;font-family:var(--gos-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--gos-color-text,#111827);font-size:var(--gos-font-size,16px);line-height:1.5}
[hidden]{display:none!important}
.box{background:var(--gos-color-background,#fff);border:1px solid var(--gos-color-border,#6b7280);border-radius:var(--gos-radius,10px);padding:var(--gos-padding,20px);max-width:var(--gos-max-width,420px)}
h2{font-size:1.15em;margin:0 0 .5em}
p{margin:.25em 0 .75em}
label{display:block;font-weight:600;margin-bottom:.25em}
input[type=email],input[type=text],textarea{box-sizing:border-box;width:100%;font:inherit;padding:.55em .7em;border:1px solid var(--gos-color-border,#6b7280);border-radius:calc(var(--gos-radius,10px) / 2);color:inherit;background:var(--gos-color-input,#fff)}
button{font:inherit;font-weight:600;cursor:pointer;padding:.55em 1em;border-radius:calc(var(--gos-radius,10px) / 2);border:1px solid var(--gos-color-primary,#1d4ed8);background:var(--gos-color-primary,#1d4ed8);color:var(--gos-color-on-primary,#fff)}
button.secondary{background:transparent;color:var(--gos-color-primary,#1d4ed8)}
button:disabled{opacity:.6;cursor:progress}
:focus-visible{outline:3px solid var(--gos-color-focus,#b45309);outline-offset:2px}
.row{display:flex;gap:.5em;margin-top:.5em;flex-wrap:wrap}
.error{color:var(--gos-color-error,#b91c1c);font-weight:600}
.big{font-size:1.6em;font-weight:700;margin:0}
`;

/** How a failed widget call reaches the page (`growthos:error` detail): the error envelope's fields. */
export interface WidgetError {
  /** HTTP status; 0 when the server could not be reached (or, in a browser, refused the page's origin). */
  status: number;
  code: string;
  message: string;
  details?: { field?: string; reason?: string; message?: string }[];
  request_id?: string;
}

/** Options of one widget call. `retries`: how often a network error, 429 or 5xx is retried (safe only for idempotent calls). */
export interface CallOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  retries?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
}

function cookie(name: string): string | null {
  const m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
  return m ? decodeURIComponent(m[1]) : null;
}

/** The visitor's anonymous id: the tracking client's when there is one, else a new one kept the same way. */
export function anonymousId(): string {
  let id: string | null = cookie('gos_anonymous_id');
  try {
    id = id || localStorage.getItem('gos_anonymous_id');
  } catch {
    // storage blocked
  }
  if (!id) {
    id = uuidv4();
    document.cookie = `gos_anonymous_id=${encodeURIComponent(id)}; Path=/; Max-Age=31536000; SameSite=Lax`;
    try {
      localStorage.setItem('gos_anonymous_id', id);
    } catch {
      // storage blocked
    }
  }
  return id;
}

/** The user id the tracking client's identify() kept (same storage key), if any. */
export function storedUserId(): string | undefined {
  try {
    return localStorage.getItem('gos_user_id') || undefined;
  } catch {
    return undefined;
  }
}

export { uuidv4 };

export abstract class GrowthOSElement extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['campaign', 'host', 'write-key'];
  }

  protected readonly root: ShadowRoot;
  private started = false;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
  }

  get campaign(): string {
    return this.getAttribute('campaign') || '';
  }

  get host(): string {
    return (this.getAttribute('host') || 'https://ingest.growthos.io').replace(/\/+$/, '');
  }

  get writeKey(): string {
    return this.getAttribute('write-key') || '';
  }

  connectedCallback(): void {
    if (this.started) return;
    this.started = true;
    this.safely(() => this.start());
  }

  attributeChangedCallback(_name: string, old: string | null, value: string | null): void {
    if (this.started && old !== value) this.safely(() => this.start());
  }

  protected abstract start(): void | Promise<void>;

  protected render(html: string): void {
    this.root.innerHTML = `<style>${THEME}${this.css()}</style>${html}`;
  }

  protected css(): string {
    return '';
  }

  protected $<T extends Element = HTMLElement>(selector: string): T {
    return this.root.querySelector(selector) as T;
  }

  /**
   * A call to the widget routes (`/v1/widgets…` of the Ingest API, write key in the Authorization
   * header only); rejects with a WidgetError. Network errors, 429 and 5xx are retried `retries`
   * times with backoff (honouring Retry-After), the request unchanged.
   */
  protected async api<T>(path: string, init: CallOptions = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let error: WidgetError;
      let wait = 400 * 2 ** attempt;
      try {
        const res = await fetch(this.host + '/v1/widgets' + path, {
          method: init.method || 'GET',
          headers: {
            Authorization: 'Bearer ' + this.writeKey,
            ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...(init.headers || {}),
          },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        });
        const text = await res.text();
        let data: any = null;
        try {
          data = text ? JSON.parse(text) : null;
        } catch {
          data = null;
        }
        if (res.ok) return data as T;
        const e = (data && data.error) || {};
        error = {
          status: res.status,
          code: e.code || 'http_' + res.status,
          message: e.message || 'Something went wrong. Please try again.',
          details: e.details,
          request_id: data && data.request_id,
        };
        const after = Number(res.headers.get('Retry-After'));
        if (after > 0) wait = Math.min(after, 10) * 1000;
      } catch {
        error = { status: 0, code: 'network_error', message: 'We could not reach the server. Check your connection and try again.' };
      }
      const transient = error.status === 0 || error.status === 429 || error.status >= 500;
      if (!transient || attempt >= (init.retries || 0)) throw error;
      await sleep(wait);
    }
  }

  /** Fires `growthos:<name>` (bubbles out of the shadow root). */
  protected emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent('growthos:' + name, { detail, bubbles: true, composed: true }));
  }

  protected fail(error: unknown): void {
    const e = error as WidgetError;
    this.emit('error', e);
    const box = this.$('[part~=error]');
    if (box) {
      box.textContent = (e && e.message) || String(error);
      box.hidden = false;
    }
  }

  private safely(fn: () => void | Promise<void>): void {
    try {
      const r = fn();
      if (r && typeof r.catch === 'function') r.catch((e) => this.fail(e));
    } catch (e) {
      this.fail(e);
    }
  }
}
