import { uuidv4 } from '../uuid.js';
import { backoffDelay, isRetryable, serverDelay } from '../retry.js';
import { VERSION } from '../version.js';
import { EventQueue, utf8Bytes, type QueuedEvent } from './queue.js';
import type { Callback, CallOptions, EventType, JsonObject, KeyValueStorage, TrackingEvent, TrackingOptions } from './types.js';
import { stringify } from '../json.js';
import { ANONYMOUS_ID_KEY, PARTICIPANT_KEY, RESET_EVENT, readCookie, writeCookie } from '../cookies.js';

const DEFAULT_HOST = 'https://ingest.growthos.io';
/** The Ingest API takes at most 2,500 events per batch. */
const MAX_BATCH_EVENTS = 2500;
/** sendBeacon refuses bodies over 64 KiB. */
const BEACON_BYTES = 60000;
const ANON_KEY = ANONYMOUS_ID_KEY;
const USER_KEY = 'gos_user_id';
const REF_KEY = 'gos_referral_code';

type Win = Window & typeof globalThis;

function browserWindow(): Win | undefined {
  return typeof window !== 'undefined' && typeof document !== 'undefined' ? (window as Win) : undefined;
}

function base64(text: string): string {
  if (typeof btoa === 'function') return btoa(unescape(encodeURIComponent(text)));
  // Node < 16 without btoa
  const B = (globalThis as unknown as { Buffer: { from(s: string): { toString(enc: string): string } } }).Buffer;
  return B.from(text).toString('base64');
}

/**
 * analytics.js's callback and the arguments before it: the callback is the last argument given (an
 * `undefined` after it is no argument), whichever the form (`track(event, callback)`,
 * `track(event, properties, callback)`, …). A function anywhere else is taken as what its place
 * holds (a function as the user id, `identify(fn, traits)`, is refused as before).
 */
function splitCallback(args: unknown[]): [unknown[], Callback | undefined] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return end > 0 && typeof args[end - 1] === 'function' ? [args.slice(0, end - 1), args[end - 1] as Callback] : [args, undefined];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An id the caller may pass: a string, or a number (or bigint) from a database. */
export type Id = string | number;

/**
 * Half a character: a UTF-16 surrogate without its other half (the Ingest API refuses text holding
 * one). No lookbehind: Safari before 16.4 cannot parse it, and the bundle would not load at all.
 */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

/** The Ingest API's longest id or event name, in characters (code points). */
const MAX_ID_CHARS = 255;

/** Whether `text` is longer than the Ingest API takes for an id or an event name. */
function tooLong(text: string): boolean {
  return text.length > MAX_ID_CHARS && Array.from(text).length > MAX_ID_CHARS;
}

/**
 * A user, group or previous id as text: a non-empty string as is, a finite number (or a bigint) as
 * its decimal text (what the Ingest API makes of a numeric id), at most 255 characters (the
 * server refuses every event carrying a longer one). Anything else throws: the call is reported
 * and dropped, never recorded against another id.
 */
function idText(value: unknown, what: string): string {
  let text: string | undefined;
  if (typeof value === 'string' && value) text = value;
  else if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number' && isFinite(value) && !/e/i.test(String(value))) text = String(value);
  if (text !== undefined) {
    if (!tooLong(text)) return text;
    throw new Error(`${what} may be at most ${MAX_ID_CHARS} characters (got ${Array.from(text).length}): call dropped`);
  }
  const shown = typeof value === 'string' ? "''" : typeof value === 'symbol' ? 'a symbol' : typeof value === 'number' ? String(value) : 'a ' + (Array.isArray(value) ? 'array' : typeof value);
  throw new Error(`${what} must be a non-empty string or a finite number (got ${shown}): call dropped`);
}

/** The result of one request, as the queue needs it. */
interface SendResult {
  status: number; // 0: no response (network error or timeout)
  headers?: { get(name: string): string | null };
  body?: unknown;
}

/**
 * The tracking client: `identify`, `track`, `page`, `group`, `alias` queue events that are sent in
 * batches (by count, bytes and time) to the Ingest API, retried with exponential backoff and full
 * jitter (honouring `Retry-After` and `X-RateLimit-*`), never retried when the server says the
 * request is wrong (400: dropped with a warning). No method throws.
 */
export class Analytics {
  readonly writeKey: string;
  readonly host: string;
  private readonly opts: Required<Omit<TrackingOptions, 'storage' | 'onError' | 'fetch' | 'host' | 'writeKey' | 'cookieDomain'>>;
  private readonly cookieDomain: string | false | undefined;
  private readonly storage: KeyValueStorage | undefined;
  private readonly queue: EventQueue;
  private readonly fetchImpl: typeof fetch | undefined;
  private readonly onError?: (error: Error) => void;
  private anonId: string;
  private user: string | undefined;
  private referral: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private beatTimer: ReturnType<typeof setInterval> | undefined;
  private draining: Promise<void> | undefined;
  private notBefore = 0;
  /** Failed attempts that use up the retry budget: server errors, and network errors in Node. */
  private attempts = 0;
  /**
   * The messageIds of the batch being retried: it is sent as it is until delivered or dropped, and
   * `attempts` is its budget. An event queued meanwhile waits for the next batch and its own full
   * budget (until 2026-12-07 it joined the failing batch and could be dropped with it after one
   * attempt).
   */
  private retrying?: Set<string>;
  /** Consecutive failed attempts of any kind: the backoff's exponent. */
  private failures = 0;
  /**
   * Most bytes of events per batch that something on the way (the Ingest API, a proxy) takes: a 413
   * ("content too large") halves the bytes of the batch it refused, and this client keeps under that.
   * A single event answered 413 is too large by itself: dropped, without lowering this (a batch
   * count halved down to it made every later request carry one event).
   */
  private byteCap = Infinity;
  private closed = false;
  private wake: (() => void) | undefined;
  /** The callbacks waiting on queued events, by messageId: each runs once (see {@link Callback}). */
  private readonly callbacks = new Map<string, Set<() => void>>();

  constructor(options: TrackingOptions) {
    // The calls work unbound too (`btn.addEventListener('click', gos.flush)`, `items.forEach(gos.track)`):
    // none throws into the page, however it is called.
    for (const m of ['identify', 'track', 'page', 'group', 'alias', 'reset', 'flush', 'close'] as const) {
      (this as Record<string, unknown>)[m] = (this[m] as (...a: unknown[]) => unknown).bind(this);
    }
    const o = options || ({} as TrackingOptions);
    this.writeKey = String(o.writeKey || '');
    this.host = String(o.host || DEFAULT_HOST).replace(/\/+$/, '');
    this.onError = o.onError;
    this.opts = {
      flushAt: Math.max(1, o.flushAt ?? 20),
      flushInterval: Math.max(0, o.flushInterval ?? 5000),
      maxBatchBytes: o.maxBatchBytes ?? 450000,
      maxEventBytes: o.maxEventBytes ?? 32768,
      maxQueueSize: o.maxQueueSize ?? 10000,
      maxRetries: o.maxRetries ?? 10,
      retryBaseDelay: o.retryBaseDelay ?? 500,
      retryMaxDelay: o.retryMaxDelay ?? 60000,
      timeout: o.timeout ?? 10000,
      callbackTimeout: Math.max(0, o.callbackTimeout ?? 300),
      beacon: o.beacon ?? true,
      captureReferral: o.captureReferral ?? true,
      tabTimeout: o.tabTimeout ?? 10000,
    };
    this.cookieDomain = o.cookieDomain;
    this.fetchImpl = o.fetch || (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
    const win = browserWindow();
    this.storage = o.storage === false ? undefined : o.storage || (win ? safeLocalStorage(win) : undefined);
    if (!this.writeKey) this.warn('no writeKey given: events will be rejected');
    if (win && o.storage === undefined && !this.storage) {
      this.warn('localStorage is blocked: queued events live in memory only (sent with sendBeacon when the page is left)');
    }
    this.queue = new EventQueue(this.storage, 'gos.' + this.writeKey, uuidv4(), this.opts.maxQueueSize, (m) =>
      this.warn(m),
    );
    this.anonId = this.load(ANON_KEY, true) || uuidv4();
    this.save(ANON_KEY, this.anonId, true);
    // A user id over the limit (stored by an earlier version) would get every event refused.
    const user = this.load(USER_KEY);
    this.user = user && !tooLong(user) ? user : undefined;
    // Half an emoji (a ?ref= cut inside one by an earlier version) would get every event refused.
    const referral = this.load(REF_KEY);
    this.referral = referral && !UNPAIRED_SURROGATE.test(referral) ? referral : undefined;
    if (this.storage) this.watchOtherTabs();
    if (win) this.attachToPage(win);
    else this.attachToProcess();
    // What an earlier page left goes out from the next task, not during init: handing a batch of
    // hundreds of KB to fetch costs Chromium tens of ms of the page's main thread.
    if (this.queue.size) this.retryLater(0);
  }

  /** The anonymous id of this browser (or of this client in Node). */
  get anonymousId(): string {
    return this.anonId;
  }

  get userId(): string | undefined {
    return this.user;
  }

  /** The referral code captured from the landing URL, if any. */
  get referralCode(): string | undefined {
    return this.referral;
  }

  /** Events waiting for the server's acknowledgement. */
  get pending(): number {
    return this.queue.size;
  }

  /**
   * Who the user is: sets the user id for later calls and records traits. A number is taken as its
   * decimal text; without an id (`identify(traits)`) the traits go to the current user. Any other
   * id (`''`, `true`, `NaN`, an array, …) is reported to `onError` and the call dropped. A function
   * as the last argument is analytics.js's callback ({@link Callback}): `identify(userId, traits,
   * options, callback)`, `identify(userId, callback)`, `identify(traits, callback)`, ….
   */
  identify(
    userId?: Id | JsonObject | null | Callback,
    traits?: JsonObject | null | Callback,
    options?: CallOptions | Callback,
    callback?: Callback,
  ): string | undefined;
  identify(...all: unknown[]): string | undefined {
    const [args, callback] = splitCallback(all);
    return this.withCallback(callback, () => {
      let [userId, traits, options] = args;
      if (isObject(userId)) {
        options = traits || undefined;
        traits = userId;
        userId = undefined;
      }
      if (userId !== undefined && userId !== null) {
        const id = idText(userId, 'identify: the user id');
        this.user = id;
        this.save(USER_KEY, id);
      }
      return this.enqueue('identify', { traits: isObject(traits) ? traits : {} }, options as CallOptions | undefined);
    });
  }

  /**
   * Something the user did. A function as the last argument is analytics.js's callback
   * ({@link Callback}): `track(event, properties, options, callback)`, `track(event, callback)`,
   * `track(event, properties, callback)`. The event is then sent at once, as analytics.js sends
   * each event, and the callback runs once it was delivered or after `callbackTimeout` (300 ms):
   * `track('Clicked Link', { href }, () => (location.href = href))`.
   */
  track(event: string, properties?: JsonObject | null | Callback, options?: CallOptions | Callback, callback?: Callback): string | undefined;
  track(event: string, ...rest: unknown[]): string | undefined {
    const [args, callback] = splitCallback(rest);
    return this.withCallback(callback, () => {
      const [properties, options] = args;
      if (typeof event !== 'string' || !event) throw new Error('track needs an event name');
      if (tooLong(event)) throw new Error(`track: the event name may be at most ${MAX_ID_CHARS} characters: call dropped`);
      return this.enqueue('track', { event, properties: isObject(properties) ? properties : {} }, options as CallOptions | undefined);
    });
  }

  /**
   * A page view; in browsers the page's url, path, title, referrer and search are added. Takes the
   * forms analytics.js takes: `page(properties?, options?)`, `page(name, properties?, options?)`
   * and `page(category, name, properties?, options?)` (two strings: the category, then the name;
   * the category goes in `category` and `properties.category`), each with analytics.js's callback
   * ({@link Callback}) as an optional last argument: `page(category, name, properties, options,
   * callback)`, `page(name, callback)`, `page(callback)`.
   */
  page(properties?: JsonObject | null | Callback, options?: CallOptions | Callback, callback?: Callback): string | undefined;
  page(name: string | null | undefined, properties?: JsonObject | null | Callback, options?: CallOptions | Callback, callback?: Callback): string | undefined;
  page(
    category: string | null | undefined,
    name: string,
    properties?: JsonObject | null | Callback,
    options?: CallOptions | Callback,
    callback?: Callback,
  ): string | undefined;
  page(...all: unknown[]): string | undefined {
    const [args, callback] = splitCallback(all);
    return this.withCallback(callback, () => {
      const [a, b, c, d] = args;
      let category: unknown, name: unknown, properties: unknown, options: unknown;
      if (isObject(a)) [properties, options] = [a, b];
      else if (typeof b === 'string') [category, name, properties, options] = [a, b, c, d];
      else [name, properties, options] = [a, b, c];
      const props: JsonObject = { ...pageProperties(), ...(isObject(properties) ? properties : {}) };
      const fields: Partial<TrackingEvent> = { properties: props };
      if (typeof category === 'string' && category) {
        fields.category = category;
        props.category = category;
      }
      if (typeof name === 'string' && name) fields.name = name;
      return this.enqueue('page', fields, (options as CallOptions) || undefined);
    });
  }

  /**
   * Puts the user in a group (account, company); a numeric id is taken as its decimal text. A
   * function as the last argument is analytics.js's callback ({@link Callback}).
   */
  group(groupId: Id, traits?: JsonObject | null | Callback, options?: CallOptions | Callback, callback?: Callback): string | undefined;
  group(groupId: Id, ...rest: unknown[]): string | undefined {
    const [args, callback] = splitCallback(rest);
    return this.withCallback(callback, () => {
      const [traits, options] = args;
      const id = idText(groupId, 'group: the group id');
      return this.enqueue('group', { groupId: id, traits: isObject(traits) ? traits : {} }, options as CallOptions | undefined);
    });
  }

  /**
   * Links `previousId` to `userId`, which becomes the current user. `previousId` defaults to the
   * current user id, else the anonymous id (as in analytics.js): to link this browser's anonymous
   * id, call `alias(userId)` before `identify(userId)`, or pass `alias(userId, gos.anonymousId)`.
   * A function as the last argument is analytics.js's callback ({@link Callback}):
   * `alias(userId, callback)`, `alias(userId, previousId, options, callback)`.
   */
  alias(userId: Id, previousId?: Id | null | Callback, options?: CallOptions | Callback, callback?: Callback): string | undefined;
  alias(userId: Id, ...rest: unknown[]): string | undefined {
    const [args, callback] = splitCallback(rest);
    return this.withCallback(callback, () => {
      const [previousId, options] = args as [Id | null | undefined, CallOptions | undefined];
      const user = idText(userId, 'alias: the user id');
      const previous =
        previousId === undefined || previousId === null ? this.user || this.anonId : idText(previousId, 'alias: the previous id');
      const id = this.enqueue('alias', { previousId: previous }, { ...options, userId: user });
      this.user = user;
      this.save(USER_KEY, user);
      return id;
    });
  }

  /**
   * Forgets the user (logout): a new anonymous id, no user id, no referral code (the next person on
   * this browser did not come through the first one's link), and no campaign participant of the
   * web components (their `gos_participant_<host> <campaign>` tokens: the next person sees the join form,
   * not the first one's place and link). Queued events are kept.
   */
  reset(): void {
    this.safe(() => {
      this.user = undefined;
      this.remove(USER_KEY);
      this.referral = undefined;
      this.remove(REF_KEY);
      this.anonId = uuidv4();
      this.save(ANON_KEY, this.anonId, true);
      const win = browserWindow();
      const s = win && safeLocalStorage(win);
      if (s) {
        for (let i = s.length; i-- > 0; ) {
          const k = s.key(i);
          if (k && k.startsWith(PARTICIPANT_KEY)) s.removeItem(k);
        }
      }
      // The components on this page stop showing the previous person's place and link (a single-
      // page app logs out without a page load); other tabs hear the removals from localStorage.
      if (win) win.dispatchEvent(new CustomEvent(RESET_EVENT));
      return undefined;
    });
  }

  /**
   * Sends every queued event now (after the backoff of a retry, if one is pending). Never rejects.
   * Resolves when the queue is empty, or what remains was dropped (refused by the server, or
   * server errors (408, 429, 5xx) `maxRetries` times in a row), or, in browsers only, when the
   * network is missing (a network error or timeout, or `navigator.onLine` false): the events stay
   * queued and stored and are retried in the background with backoff (at most `retryMaxDelay`
   * apart, at once on the `online` event), never dropped for that. In Node a network error counts
   * toward `maxRetries` like a server error, so with the server down `flush()` resolves after the
   * retries (about 2 minutes with the defaults) with the batch dropped.
   */
  flush(): Promise<void> {
    try {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      if (!this.draining) {
        this.draining = this.drain()
          .catch((e) => this.warn('flush failed: ' + String(e)))
          .then(() => {
            this.draining = undefined;
          });
      }
      return this.draining;
    } catch (e) {
      this.warn(String(e));
      return Promise.resolve();
    }
  }

  /**
   * Flushes for at most `timeout` ms (default 10 000), then stops this client: timers cleared,
   * pending retries abandoned (in browsers the events stay in storage for the next page).
   */
  async close(options: { timeout?: number } = {}): Promise<void> {
    const timeout = options.timeout ?? 10000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.flush(), new Promise<void>((r) => (timer = setTimeout(r, timeout)))]);
    if (timer) clearTimeout(timer);
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.beatTimer) clearInterval(this.beatTimer);
    if (this.wake) this.wake();
    live.delete(this);
    // Given up with events still queued and no storage to keep them for a next run: said so, as
    // every other way an event is lost is (until 2026-12-07 only the transient "could not reach"
    // warnings of the attempts showed). A request still in flight may yet deliver some of them.
    if (this.queue.size && !this.storage) this.warn(`close(): ${this.queue.size} event(s) not acknowledged within ${timeout} ms: no longer retried`);
  }

  // --- internals -----------------------------------------------------------------------------

  /**
   * Runs a call (as `safe` does) and, given analytics.js's callback, arranges for it to run once:
   * when the batch holding the event is delivered (or refused or dropped: its fate is known), or
   * after `callbackTimeout`, whichever is first. The event is sent at once (analytics.js sends each
   * event as it comes); a call dropped at once calls back on the next task, never synchronously.
   */
  private withCallback(callback: Callback | undefined, call: () => string | undefined): string | undefined {
    const id = this.safe(call);
    if (!callback) return id;
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      const waiting = id ? this.callbacks.get(id) : undefined;
      if (waiting) {
        waiting.delete(settle);
        if (!waiting.size) this.callbacks.delete(id!);
      }
      try {
        const r = callback() as unknown;
        // An async callback's rejection is reported too, never left unhandled.
        if (r && typeof (r as Promise<unknown>).then === 'function') {
          (r as Promise<unknown>).then(undefined, (e: unknown) => this.warn('callback threw: ' + (e instanceof Error ? e.message : String(e))));
        }
      } catch (e) {
        this.warn('callback threw: ' + (e instanceof Error ? e.message : String(e)));
      }
    };
    // Not unref'd: a callback is short, and a Node script waiting on it should see it run.
    timer = setTimeout(settle, id ? this.opts.callbackTimeout : 0);
    if (id) {
      let waiting = this.callbacks.get(id);
      if (!waiting) this.callbacks.set(id, (waiting = new Set()));
      waiting.add(settle);
      if (!this.closed) void this.flush();
    }
    return id;
  }

  /** The events of these messageIds left the queue (delivered, refused or dropped): their callbacks run. */
  private settled(ids: Iterable<string>): void {
    if (!this.callbacks.size) return;
    for (const id of ids) {
      const waiting = this.callbacks.get(id);
      if (waiting) Array.from(waiting).forEach((settle) => settle());
    }
  }

  private enqueue(type: EventType, fields: Partial<TrackingEvent>, options?: CallOptions): string | undefined {
    if (this.closed && !this.storage) {
      // Nothing would ever send it (no timer, no storage for the next page): say so, as
      // analytics-node does for a call after closeAndFlush().
      this.warn(`${type} called after close(): dropped`);
      return undefined;
    }
    const o = options || {};
    const context: JsonObject = {
      ...baseContext(),
      ...(isObject(o.context) ? o.context : {}),
    };
    if (this.referral && context.referral_code === undefined) context.referral_code = this.referral;
    const timestamp =
      o.timestamp instanceof Date ? o.timestamp.toISOString() : typeof o.timestamp === 'string' ? o.timestamp : new Date().toISOString();
    const event: TrackingEvent = {
      type,
      messageId: typeof o.messageId === 'string' && o.messageId ? o.messageId : uuidv4(),
      timestamp,
      anonymousId: o.anonymousId || this.anonId,
      ...fields,
      context,
    };
    const userId = o.userId || this.user;
    if (userId) event.userId = userId;
    if (isObject(o.integrations)) event.integrations = o.integrations;
    // Serialised once, now: the event is what the caller's objects hold at the call (later changes,
    // or a cycle added later, do not reach it), and sending or storing it never serialises again.
    let json: string;
    try {
      json = stringify(event);
    } catch (e) {
      this.warn(`${type} event could not be serialised (${(e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ')}): dropped`);
      return undefined;
    }
    const size = utf8Bytes(json);
    if (size > this.opts.maxEventBytes) {
      this.warn(`${type} event of ${size} bytes is over the ${this.opts.maxEventBytes}-byte limit: dropped`);
      return undefined;
    }
    this.queue.push({ id: event.messageId, json, bytes: size });
    this.schedule();
    return event.messageId;
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.queue.size >= this.opts.flushAt && !this.draining) {
      void this.flush();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.opts.flushInterval);
      unref(this.timer);
    }
  }

  /** One batch: as many queued events as fit the byte budget, the event limit and the cap. */
  private nextBatch(): QueuedEvent[] {
    const retrying = this.retrying;
    if (retrying) {
      const again = this.queue.all().filter((e) => retrying.has(e.id));
      if (again.length) return again;
      // All of it left the queue otherwise (the queue overflowing, a 400 naming them): a new batch, a new budget.
      this.retrying = undefined;
      this.attempts = 0;
    }
    const budget = Math.min(this.opts.maxBatchBytes - 200 - this.writeKey.length, this.byteCap); // the envelope: batch, sentAt, writeKey
    const batch: QueuedEvent[] = [];
    let bytes = 0;
    for (const e of this.queue.all()) {
      if (batch.length >= MAX_BATCH_EVENTS) break;
      const size = e.bytes + 1;
      if (batch.length && bytes + size > budget) break;
      batch.push(e);
      bytes += size;
    }
    return batch;
  }

  private async drain(): Promise<void> {
    while (this.queue.size && !this.closed) {
      const wait = this.notBefore - Date.now();
      if (wait > 0) {
        // not unref'd: a pending retry keeps Node alive, so queued events are not lost at exit
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, wait);
          this.wake = () => (clearTimeout(t), resolve());
        });
        this.wake = undefined;
        if (this.closed) return;
      }
      if (this.isOffline()) {
        // No request while the browser knows it is offline: the online event resumes at once;
        // the timer only covers a missed event.
        this.retryLater(this.opts.retryMaxDelay);
        return;
      }
      const batch = this.nextBatch();
      if (!batch.length) return;
      const result = await this.send(batch);
      const ids = new Set(batch.map((e) => e.id));
      const limited = serverDelay(result.headers);
      if (result.status >= 200 && result.status < 300) {
        this.done(ids);
        // An empty bucket: wait for its reset instead of spending a request on a 429.
        this.notBefore = limited ? Date.now() + Math.min(limited, 60000) : 0;
        continue;
      }
      if (result.status === 413 && batch.length > 1) {
        // Something on the way takes less than we thought: half the bytes, and this client (this
        // page, this process) keeps under that; a new one starts from maxBatchBytes and learns again.
        this.byteCap = Math.min(this.byteCap, Math.floor(batchBytes(batch) / 2));
        this.retrying = undefined;
        continue;
      }
      if (result.status === 400) {
        const bad = badEventIndexes(result.body, batch.length);
        if (bad.length) {
          const badIds = new Set(bad.map((i) => batch[i].id));
          this.warn(`server refused ${bad.length} event(s) (400): dropped; ${describe(result.body)}`);
          this.queue.remove(badIds);
          this.settled(badIds);
          continue;
        }
      }
      if (result.status !== 0 && !isRetryable(result.status)) {
        this.warn(`server refused a batch of ${batch.length} event(s) (${result.status}): dropped; ${describe(result.body)}`);
        this.done(ids);
        continue;
      }
      // In browsers a missing network uses up nothing: the queue is stored, and the page may come
      // back online any time. In Node (no stored queue) it counts, so a process can exit.
      const offline = result.status === 0 && this.keepsOffline();
      this.failures++;
      if (!offline) this.attempts++;
      this.retrying = ids;
      if (this.attempts > this.opts.maxRetries) {
        this.warn(`batch of ${batch.length} event(s) failed ${this.attempts} times (${result.status || 'network error'}): dropped`);
        this.done(ids);
        continue;
      }
      const backoff = backoffDelay(this.failures - 1, {
        baseDelay: this.opts.retryBaseDelay,
        maxDelay: this.opts.retryMaxDelay,
      });
      // Retry-After (or the rate-limit reset) is a floor, not the schedule: the Ingest API answers
      // 503 with Retry-After: 1 while its database is down, and waiting only that spent the retry
      // budget in about 11 s, every client retrying in step. The backoff grows and spreads them.
      this.notBefore = Date.now() + Math.max(backoff, limited !== undefined ? Math.min(limited, 3600000) : 0);
      if (offline) {
        this.retryLater(this.notBefore - Date.now());
        return;
      }
    }
  }

  /** The batch of `ids` is over (delivered, refused or dropped): out of the queue, and the next starts afresh. */
  private done(ids: Set<string>): void {
    this.queue.remove(ids);
    this.settled(ids);
    this.retrying = undefined;
    this.attempts = 0;
    this.failures = 0;
  }

  /** Browsers keep their queue through any outage (network errors are not counted). */
  private keepsOffline(): boolean {
    return !!browserWindow();
  }

  /** The browser says it has no network: sending now would only fail. */
  private isOffline(): boolean {
    const win = browserWindow();
    try {
      return !!win && !!win.navigator && win.navigator.onLine === false;
    } catch {
      return false;
    }
  }

  /** A flush after `delay` ms (the retry of a batch that found no network in browsers, or what init adopted). */
  private retryLater(delay: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, Math.max(0, delay));
    unref(this.timer);
  }

  private async send(batch: QueuedEvent[]): Promise<SendResult> {
    const f = this.fetchImpl;
    if (!f) return { status: 0 };
    const browser = !!browserWindow();
    // text/plain and the key in the body in browsers: a "simple" request, no CORS preflight.
    const body = envelope(batch, browser ? this.writeKey : undefined);
    const headers: Record<string, string> = {};
    if (browser) {
      headers['Content-Type'] = 'text/plain';
    } else {
      headers['Content-Type'] = 'application/json';
      headers['Authorization'] = 'Basic ' + base64(this.writeKey + ':');
      headers['User-Agent'] = '@growthos/sdk ' + VERSION;
    }
    const controller = typeof AbortController !== 'undefined' ? new AbortController() : undefined;
    const timer = controller ? setTimeout(() => controller.abort(), this.opts.timeout) : undefined;
    try {
      const res = await f(this.host + '/v1/batch', {
        method: 'POST',
        headers,
        body,
        signal: controller && controller.signal,
        keepalive: browser && batchBytes(batch) + 300 < BEACON_BYTES ? true : undefined,
      });
      let answer: unknown;
      try {
        answer = await res.json();
      } catch {
        answer = undefined;
      }
      if (res.ok && !(isObject(answer) && answer.success === true)) {
        // The Ingest API acknowledges with {"success": true} once the events are stored. Another
        // 2xx (a captive portal's login page, a host that is a web site) stored nothing: the
        // events stay queued, as after a network error.
        this.warn(`${this.host} answered ${res.status} without the Ingest API's {"success": true} (a captive portal, or host is not the Ingest API): the events stay queued`);
        return { status: 0 };
      }
      return { status: res.status, headers: res.headers, body: answer };
    } catch (e) {
      this.warn('could not reach ' + this.host + ': ' + String(e));
      return { status: 0 };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Page hidden or closing: hand the queue to sendBeacon. Events stay queued until ACKed. */
  private beaconFlush(win: Win): void {
    const nav = win.navigator;
    if (!this.opts.beacon || !nav || typeof nav.sendBeacon !== 'function') return;
    const events = this.queue.all();
    let chunk: QueuedEvent[] = [];
    let bytes = 0;
    const sendChunk = () => {
      if (!chunk.length) return;
      try {
        nav.sendBeacon(this.host + '/v1/batch', envelope(chunk, this.writeKey));
      } catch {
        // the queue keeps them for the next page
      }
      chunk = [];
      bytes = 0;
    };
    for (const e of events) {
      const size = e.bytes + 1;
      if (bytes + size > BEACON_BYTES - 300 - this.writeKey.length) sendChunk();
      chunk.push(e);
      bytes += size;
    }
    sendChunk();
  }

  /** Takes over the queues other tabs (or a previous page) left, and keeps this tab's heartbeat. */
  private watchOtherTabs(): void {
    // A long stored queue is adopted a slice per task (init does not wait for it): each slice
    // schedules a flush like any new event.
    const adopted = () => this.schedule();
    this.queue.adoptOrphans(this.opts.tabTimeout, adopted);
    this.queue.beat();
    this.beatTimer = setInterval(() => {
      this.queue.beat();
      if (this.queue.adoptOrphans(this.opts.tabTimeout, adopted)) this.schedule();
    }, Math.max(500, Math.min(2000, this.opts.tabTimeout / 4)));
    unref(this.beatTimer);
  }

  private attachToPage(win: Win): void {
    if (this.opts.captureReferral) {
      try {
        const params = new URLSearchParams(win.location.search);
        const code = params.get('ref') || params.get('referral_code');
        if (code) {
          // 128 characters, cut between two (half an emoji is refused by the Ingest API with the whole event).
          this.referral = Array.from(code).slice(0, 128).join('');
          this.save(REF_KEY, this.referral);
        }
      } catch {
        // no usable location
      }
    }
    // Another tab of the site signed in or out (identify, alias, reset, a new ?ref=): this one
    // follows, as analytics.js reads its user from storage on every call. Only a tab sharing this
    // localStorage hears it; a client given storage of its own (or none) keeps its own identity.
    if (this.storage && this.storage === safeLocalStorage(win)) {
      win.addEventListener('storage', (e) => {
        if (e.storageArea === this.storage) this.safe(() => this.followOtherTab(e.key, e.newValue));
      });
    }
    const onHide = () => {
      this.safe(() => {
        this.beaconFlush(win);
        // A reload or a new page adopts what is left at once instead of waiting for staleness.
        this.queue.persist();
        this.queue.beat(false);
        return undefined;
      });
    };
    win.addEventListener('pagehide', onHide);
    // Back online: retry now instead of at the end of the backoff.
    win.addEventListener('online', () => {
      if (this.closed || !this.queue.size) return;
      this.notBefore = 0;
      this.failures = 0;
      if (this.wake) this.wake();
      void this.flush();
    });
    win.addEventListener('pageshow', (e) => {
      if ((e as PageTransitionEvent).persisted) this.queue.persist(true);
    });
    // Hidden (tab switched, app backgrounded, possibly about to be discarded): send now, with
    // fetch keepalive; sendBeacon is kept for pagehide, when the page is really going.
    // A hidden page may be discarded without a pagehide: what is not written yet is written now.
    win.document.addEventListener('visibilitychange', () => {
      if (win.document.visibilityState !== 'hidden') return;
      this.safe(() => this.queue.persist());
      if (this.queue.size) void this.flush();
    });
  }

  /** Another tab changed a stored identity key (`key` null: the storage was cleared). */
  private followOtherTab(key: string | null, value: string | null): undefined {
    if (key === null || key === USER_KEY) this.user = value && !tooLong(value) ? value : undefined;
    if (key === null || key === REF_KEY) this.referral = value && !UNPAIRED_SURROGATE.test(value) ? value : undefined;
    // A cleared storage leaves the cookie, which keeps the visitor's anonymous id.
    if (key === ANON_KEY && value) this.anonId = value;
    return undefined;
  }

  private attachToProcess(): void {
    live.add(this);
    const proc = (globalThis as { process?: { on?: (event: string, fn: () => void) => void } }).process;
    if (exitHook || !proc || typeof proc.on !== 'function') return;
    exitHook = true;
    // The event loop is empty but events are queued: send them before Node exits. A flush keeps
    // the loop busy; beforeExit comes again when it is done, with nothing left to send.
    proc.on('beforeExit', () => {
      live.forEach((client) => {
        if (client.pending && !client.closed) void client.flush();
      });
    });
  }

  private safe<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.warn(e instanceof Error ? e.message : String(e));
      return undefined;
    }
  }

  private warn(message: string): void {
    const error = new Error('[GrowthOS] ' + message);
    try {
      if (this.onError) this.onError(error);
      else if (typeof console !== 'undefined') console.warn(error.message);
    } catch {
      // never into the host page
    }
  }

  private load(key: string, cookieToo = false): string | null {
    let value: string | null = null;
    if (cookieToo) value = readCookie(key);
    try {
      if (!value && this.storage) value = this.storage.getItem(key);
    } catch {
      value = null;
    }
    return value;
  }

  private save(key: string, value: string, cookieToo = false): void {
    try {
      if (this.storage) this.storage.setItem(key, value);
    } catch {
      // storage full or blocked
    }
    if (cookieToo) writeCookie(key, value, this.cookieDomain);
  }

  private remove(key: string): void {
    try {
      if (this.storage) this.storage.removeItem(key);
    } catch {
      // ignore
    }
  }
}

/** The request body: the events' JSON as it was recorded, in the Ingest API's envelope. */
function envelope(batch: readonly QueuedEvent[], writeKey: string | undefined): string {
  let body = '{"batch":[' + batch.map((e) => e.json).join(',') + '],"sentAt":' + JSON.stringify(new Date().toISOString());
  if (writeKey !== undefined) body += ',"writeKey":' + JSON.stringify(writeKey);
  return body + '}';
}

function batchBytes(batch: readonly QueuedEvent[]): number {
  let n = 0;
  for (const e of batch) n += e.bytes + 1;
  return n;
}

function unref(timer: unknown): void {
  const t = timer as { unref?: () => void };
  if (t && typeof t.unref === 'function') t.unref();
}

/** Node: clients with queued events, flushed when the event loop runs empty (beforeExit). */
const live = new Set<Analytics>();
let exitHook = false;

/**
 * The page's localStorage when it can be read. A full one (every write a QuotaExceededError) is
 * still used: it may hold the queue an earlier page stored, to adopt and send (which frees room);
 * its failed writes keep the queue in memory, with one warning.
 */
function safeLocalStorage(win: Win): KeyValueStorage | undefined {
  try {
    const s = win.localStorage;
    s.getItem(ANON_KEY);
    return s;
  } catch {
    return undefined;
  }
}

function baseContext(): JsonObject {
  const context: JsonObject = { library: { name: '@growthos/sdk', version: VERSION } };
  const win = browserWindow();
  if (win) {
    try {
      context.page = pageProperties();
      context.userAgent = win.navigator.userAgent;
      context.locale = win.navigator.language;
    } catch {
      // partial context is fine
    }
  }
  return context;
}

function pageProperties(): JsonObject {
  const win = browserWindow();
  if (!win) return {};
  try {
    const loc = win.location;
    return {
      path: loc.pathname,
      referrer: win.document.referrer,
      search: loc.search,
      title: win.document.title,
      url: loc.href,
    };
  } catch {
    return {};
  }
}

/** The events a 400 names (`details[].field` = `batch[3]…`), when every detail names one. */
function badEventIndexes(body: unknown, count: number): number[] {
  const details = isObject(body) && isObject(body.error) ? body.error.details : undefined;
  if (!Array.isArray(details) || !details.length) return [];
  const out = new Set<number>();
  for (const d of details) {
    const m = isObject(d) && typeof d.field === 'string' ? /^batch\[(\d+)\]/.exec(d.field) : null;
    if (!m || Number(m[1]) >= count) return [];
    out.add(Number(m[1]));
  }
  return Array.from(out);
}

function describe(body: unknown): string {
  if (isObject(body) && isObject(body.error)) {
    return String(body.error.code || '') + ': ' + String(body.error.message || '');
  }
  return 'no error body';
}
