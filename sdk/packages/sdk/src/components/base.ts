// Shared by the four custom elements: configuration from attributes, calls to the widget routes of
// the Ingest API (write key as bearer token), DOM events, the default theme.
import { uuidv4 } from '../uuid.js';
import { stringify } from '../json.js';
import { ANONYMOUS_ID_KEY, readCookie, writeCookie } from '../cookies.js';

/**
 * Default theme; every colour is a custom property. Text on background and button pass WCAG AA.
 * The text properties are set on the container, not on `:host`: a page's rules on the element
 * itself (`* { font-size: 30px; color: #fff }`) and what it inherits from the page
 * (`body { text-align: center; text-transform: uppercase }`) stop there.
 */
export const THEME = `
:host{display:block}
[hidden]{display:none!important}
.box{font-family:var(--gos-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--gos-color-text,#111827);font-size:var(--gos-font-size,16px);line-height:1.5;font-style:normal;font-weight:400;letter-spacing:normal;word-spacing:normal;text-transform:none;text-align:start;text-indent:0;text-shadow:none;white-space:normal;overflow-wrap:anywhere;background:var(--gos-color-background,#fff);border:1px solid var(--gos-color-border,#6b7280);border-radius:var(--gos-radius,10px);padding:var(--gos-padding,20px);max-width:var(--gos-max-width,420px)}
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
  /** A record sent and forgotten (a display, a dismissal): not aborted when a later start supersedes the run. */
  keep?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every GrowthOS id (`cmp_…`, a survey's id): letters, digits, `_` and `-`, so nothing in it needs encoding. */
const ID = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * `id` as a path segment of a widget route. An id with anything else (`/`, `?`, a space, `..`,
 * letters outside ASCII) names no campaign, and its encoded path would be refused by the Ingest API
 * before CORS (the page would read a network error): so no request, and the error an unknown
 * campaign gets (404 not_found, the neutral message for the visitor).
 */
export function idSegment(id: string, field = 'campaign'): string {
  if (ID.test(id)) return id;
  const error: WidgetError = {
    status: 404,
    code: 'not_found',
    message: `No such ${field}: '${id}' (an id has only letters, digits, '_' and '-'; no request was sent).`,
    details: [{ field, reason: 'not_found', message: `No ${field} has this id.` }],
  };
  throw error;
}

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
}

/** The visitor's anonymous id: the tracking client's when there is one, else a new one kept the same way. */
export function anonymousId(): string {
  let id: string | null = readCookie(ANONYMOUS_ID_KEY);
  try {
    id = id || localStorage.getItem(ANONYMOUS_ID_KEY);
  } catch {
    // storage blocked
  }
  if (!id) {
    id = uuidv4();
    try {
      writeCookie(ANONYMOUS_ID_KEY, id);
      localStorage.setItem(ANONYMOUS_ID_KEY, id);
    } catch {
      // cookies or storage blocked (a sandboxed iframe): an id for this page only
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

/**
 * What a browser's HTMLElement is, or a stand-in where there is none (Node, server-side rendering):
 * the module then loads, and nothing in it touches the DOM until an element is constructed.
 */
const ElementBase: typeof HTMLElement =
  typeof HTMLElement === 'undefined' ? ((class {} as unknown) as typeof HTMLElement) : HTMLElement;

/** A timer of a run: re-armed when the element is connected again after a disconnect. */
interface RunTimer {
  fn: () => void;
  ms: number;
  repeat: boolean;
  handle?: ReturnType<typeof setTimeout>;
  /** One-shot timers: when it is due (Date.now() clock), to resume with the time left. */
  due?: number;
}

/**
 * One start of an element with the attributes it had then. A later start supersedes it: its
 * fetches are aborted, its awaits never continue (api() never settles for a superseded run), and its
 * timers are cleared, so it renders nothing, fires no event and sets no timer.
 */
class Run {
  readonly controller = typeof AbortController === 'undefined' ? undefined : new AbortController();
  readonly timers = new Set<RunTimer>();
  live = true;
  paused = false;

  arm(t: RunTimer): void {
    const fire = () => {
      if (!t.repeat) this.timers.delete(t);
      t.fn();
    };
    if (t.repeat) {
      t.handle = setInterval(fire, t.ms);
    } else {
      t.due = Date.now() + t.ms;
      t.handle = setTimeout(fire, t.ms);
    }
  }

  disarm(t: RunTimer): void {
    if (t.handle === undefined) return;
    if (t.repeat) clearInterval(t.handle);
    else {
      clearTimeout(t.handle);
      t.ms = Math.max(0, (t.due || 0) - Date.now());
    }
    t.handle = undefined;
  }

  add(t: RunTimer): void {
    this.timers.add(t);
    if (!this.paused) this.arm(t);
  }

  pause(): void {
    this.paused = true;
    this.timers.forEach((t) => this.disarm(t));
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.timers.forEach((t) => this.arm(t));
  }

  end(): void {
    this.live = false;
    this.timers.forEach((t) => this.disarm(t));
    this.timers.clear();
    if (this.controller) this.controller.abort();
  }
}

/**
 * The constructed stylesheets of each document, one per CSS text (so one per kind of element),
 * shared by its roots: a root adopts only sheets of its own document.
 */
const sheets = new WeakMap<Document, Map<string, CSSStyleSheet>>();

/** The default `host`: GrowthOS's hosted Ingest API. */
const PRODUCTION_HOST = 'https://ingest.growthos.io';

export abstract class GrowthOSElement extends ElementBase {
  static get observedAttributes(): string[] {
    return ['host', 'write-key'];
  }

  protected readonly root: ShadowRoot;
  /** The current run (undefined before the first start). */
  private run?: Run;
  /** An attribute changed since the current run started (or there was none yet). */
  private stale = true;
  private queued = false;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
  }

  /**
   * The configuration as properties too, reflecting the attributes: frameworks that set a custom
   * element's existing properties instead of its attributes (React 19, Vue without `.attr`, Svelte,
   * Angular's `[campaign]`) configure the element as `campaign="…"` does; `null` or `undefined`
   * removes the attribute. (Getters alone made those assignments throw in strict-mode code, or be
   * dropped, and the element never started.)
   */
  get campaign(): string {
    return this.getAttribute('campaign') || '';
  }

  set campaign(value: string) {
    this.reflect('campaign', value);
  }

  get host(): string {
    return (this.getAttribute('host') || PRODUCTION_HOST).replace(/\/+$/, '');
  }

  set host(value: string) {
    this.reflect('host', value);
  }

  get writeKey(): string {
    return this.getAttribute('write-key') || '';
  }

  set writeKey(value: string) {
    this.reflect('write-key', value);
  }

  private reflect(name: string, value: unknown): void {
    if (value === null || value === undefined) this.removeAttribute(name);
    else this.setAttribute(name, String(value));
  }

  /** The attributes without which the element makes no request. */
  protected required(): string[] {
    return ['campaign', 'write-key'];
  }

  connectedCallback(): void {
    // Moved into another document (a same-origin iframe): the browser dropped the adopted sheet.
    if (this.root.firstChild && !this.adoptStyles() && !this.root.querySelector('style')) this.styleElement();
    if (this.stale || !this.run) this.queue();
    else this.run.resume();
  }

  /** Moved or removed: the run's timers stop (and resume on the next connect); fetches go on. */
  disconnectedCallback(): void {
    if (this.run) this.run.pause();
  }

  attributeChangedCallback(_name: string, old: string | null, value: string | null): void {
    if (old === value) return;
    this.stale = true;
    if (this.isConnected) this.queue();
  }

  /**
   * Starts once for all the changes of one task (createElement, append and three setAttribute
   * calls start once, with the final attributes).
   */
  private queue(): void {
    if (this.queued) return;
    this.queued = true;
    setTimeout(() => {
      this.queued = false;
      if (!this.isConnected || !this.stale) return;
      this.stale = false;
      this.begin();
    }, 0);
  }

  /** Starts again with the same attributes: the current run is superseded. */
  protected restart(): void {
    this.stale = true;
    if (this.isConnected) this.queue();
  }

  private begin(): void {
    if (this.run) this.run.end();
    const run = (this.run = new Run());
    const missing = this.required().filter((name) => !this.getAttribute(name));
    if (missing.length) {
      this.render('');
      const tag = this.tagName.toLowerCase();
      const error: WidgetError = {
        status: 0,
        code: 'missing_attribute',
        message: `<${tag}> needs the attribute${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; it makes no request without ${missing.length > 1 ? 'them' : 'it'}.`,
        details: missing.map((field) => ({ field, reason: 'missing' })),
      };
      console.warn('GrowthOS: ' + error.message);
      this.emit('error', error);
      return;
    }
    try {
      const r = this.start();
      if (r && typeof r.catch === 'function') r.catch((e) => run.live && this.fail(e));
    } catch (e) {
      this.fail(e);
    }
  }

  protected abstract start(): void | Promise<void>;

  /** Runs `fn` once after `ms`, unless the run is superseded; paused while disconnected. */
  protected runLater(fn: () => void, ms: number): void {
    if (this.run) this.run.add({ fn, ms, repeat: false });
  }

  /** Runs `fn` every `ms` while the run is current and the element connected. */
  protected runEvery(fn: () => void, ms: number): void {
    if (this.run) this.run.add({ fn, ms, repeat: true });
  }

  /** Clears the current run's timers. */
  protected stopTimers(): void {
    const run = this.run;
    if (!run) return;
    run.timers.forEach((t) => run.disarm(t));
    run.timers.clear();
  }

  /**
   * Renders `html` in the shadow root. The theme is a constructed stylesheet adopted by the root
   * (`adoptedStyleSheets`), which a Content-Security-Policy without `'unsafe-inline'` in
   * `style-src` allows; a `<style>` element only where there is none (older browsers).
   */
  protected render(html: string): void {
    const adopted = this.adoptStyles();
    this.root.innerHTML = html;
    if (!adopted) this.styleElement();
  }

  /**
   * The theme as a `<style>` element (browsers without constructable stylesheets), with the
   * element's `nonce` attribute, so a policy with `style-src 'nonce-…'` allows it.
   */
  private styleElement(): void {
    const style = this.ownerDocument.createElement('style');
    // The nonce property: browsers hide the attribute's value once the page has a policy.
    const nonce = this.nonce || this.getAttribute('nonce');
    if (nonce) style.nonce = nonce;
    style.textContent = THEME + this.css();
    this.root.prepend(style);
  }

  /**
   * Adopts the element's stylesheet (one per kind of element and document, shared); false when it
   * cannot. The sheet is constructed by the element's document's window: a root cannot adopt a
   * sheet of another document (an element moved into a same-origin iframe).
   */
  private adoptStyles(): boolean {
    const root = this.root as ShadowRoot & { adoptedStyleSheets?: CSSStyleSheet[] };
    try {
      const doc = this.ownerDocument;
      const view = doc.defaultView as (Window & typeof globalThis) | null;
      const Sheet = view ? view.CSSStyleSheet : CSSStyleSheet;
      if (!root.adoptedStyleSheets || typeof Sheet !== 'function' || !('replaceSync' in Sheet.prototype)) return false;
      const css = THEME + this.css();
      let own = sheets.get(doc);
      if (!own) sheets.set(doc, (own = new Map()));
      let sheet = own.get(css);
      if (!sheet) {
        sheet = new Sheet();
        sheet.replaceSync(css);
        own.set(css, sheet);
      }
      if (root.adoptedStyleSheets[0] !== sheet) root.adoptedStyleSheets = [sheet];
      return true;
    } catch {
      // no constructable stylesheets here: a <style> element
      return false;
    }
  }

  protected css(): string {
    return '';
  }

  /**
   * A string the visitor sees (or a screen reader reads): the element's `text-<key>` attribute,
   * else the English default `en`. With `n` of 1, `text-<key>-one` comes first (a language's
   * singular; one without it sets `text-<key>` only). `{name}` is replaced by `vars.name`; `html`:
   * the text is escaped and the values (markup, already escaped) are inserted as they are.
   */
  protected t(key: string, en: string, vars: Record<string, unknown> = {}, n?: number, html?: boolean): string {
    const text = (n === 1 && this.getAttribute(`text-${key}-one`)) || this.getAttribute('text-' + key) || en;
    return (html ? esc(text) : text).replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
  }

  /**
   * A count as the page's language writes it (`1 234` in French, `1.234` in German): the `lang` of
   * the element or of the nearest element around it, else of the page; `1,234` without one or with
   * a tag the browser does not know.
   */
  protected num(n: unknown): string {
    if (typeof n !== 'number') return esc(n);
    const lang = (this.closest('[lang]') || this.ownerDocument.documentElement).getAttribute('lang');
    try {
      return n.toLocaleString(lang || 'en-US');
    } catch {
      return n.toLocaleString('en-US');
    }
  }

  protected $<T extends Element = HTMLElement>(selector: string): T {
    return this.root.querySelector(selector) as T;
  }

  /**
   * A call to the widget routes (`/v1/widgets…` of the Ingest API, write key in the Authorization
   * header only); rejects with a WidgetError. Network errors, 429 and 5xx are retried `retries`
   * times with backoff (honouring Retry-After), the request unchanged. The call belongs to the
   * current run: when a later start supersedes it, it is aborted and never settles.
   */
  protected async api<T>(path: string, init: CallOptions = {}): Promise<T> {
    const run = init.keep ? undefined : this.run;
    const url = this.host + '/v1/widgets' + path;
    const key = this.writeKey;
    const superseded = () => !!run && !run.live;
    for (let attempt = 0; ; attempt++) {
      let error: WidgetError;
      let wait = 400 * 2 ** attempt;
      try {
        const res = await fetch(url, {
          method: init.method || 'GET',
          headers: {
            Authorization: 'Bearer ' + key,
            ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...(init.headers || {}),
          },
          body: init.body === undefined ? undefined : stringify(init.body),
          signal: run && run.controller ? run.controller.signal : undefined,
        });
        const text = await res.text();
        if (superseded()) return never<T>();
        let data: any = null;
        try {
          data = text ? JSON.parse(text) : null;
        } catch {
          data = null;
        }
        if (res.ok && data && typeof data === 'object') return data as T;
        const e = (data && data.error) || {};
        error = res.ok
          ? // A 2xx without a JSON object: not the Ingest API (`host` is a web site, a captive portal).
            { status: res.status, code: 'invalid_response', message: `${url} answered ${res.status} without JSON: is host="${this.host}" the GrowthOS Ingest API?` }
          : {
              status: res.status,
              code: e.code || 'http_' + res.status,
              message: e.message || 'Something went wrong. Please try again.',
              details: e.details,
              request_id: data && data.request_id,
            };
        const after = Number(res.headers.get('Retry-After'));
        if (after > 0) wait = Math.min(after, 10) * 1000;
      } catch {
        if (superseded()) return never<T>();
        error = { status: 0, code: 'network_error', message: 'We could not reach the server. Check your connection and try again.' };
      }
      const transient = error.status === 0 || error.status === 429 || error.status >= 500;
      if (!transient || attempt >= (init.retries || 0)) throw error;
      await sleep(wait);
      if (superseded()) return never<T>();
    }
  }

  /** Fires `growthos:<name>` (bubbles out of the shadow root). */
  protected emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent('growthos:' + name, { detail, bubbles: true, composed: true }));
  }

  /**
   * Reports an error: the whole error in `growthos:error`; the visitor sees a message meant for
   * them. A configuration problem (401, 403, 404: key, origin, campaign), a rate limit (429) or a
   * server failure (5xx) shows a neutral message, and the server's words, written for the
   * developer ("Rate limit of 10 requests per second exceeded for this API key…"), go to the
   * console.
   */
  protected fail(error: unknown): void {
    // Anything thrown that is not a WidgetError (a bug, an exception of the page) still gives the documented detail.
    const w = error as WidgetError;
    const known = !!w && typeof w === 'object' && typeof w.status === 'number' && typeof w.code === 'string';
    const e: WidgetError = known ? w : { status: 0, code: 'error', message: error instanceof Error ? error.message : String(error) };
    this.emit('error', e);
    // The server's words (a 400) are English: `text-error` replaces them; the component's own messages are already the page's.
    let text = this.visitorText(e) || (e.code === 'network_error' ? this.t('network', e.message) : e.status ? this.t('error', e.message) : e.message);
    if (!known || e.code === 'invalid_response' || e.status === 401 || e.status === 403 || e.status === 404 || e.status === 429 || e.status >= 500) {
      console.warn(`GrowthOS <${this.tagName.toLowerCase()}>: ${e.status} ${e.code}: ${e.message}`);
      text = this.t('unavailable', 'This is not available right now. Please try again later.');
    }
    const box = this.$('[part~=error]');
    if (box) {
      box.textContent = text;
      box.hidden = false;
    }
  }

  /**
   * The visitor's words for an error a component knows better than the server's message (which
   * `growthos:error` keeps as sent); undefined for the server's message.
   */
  protected visitorText(_error: WidgetError): string | undefined {
    return undefined;
  }
}

/** A promise that never settles: what a superseded run's calls return, so its code stops there. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}
