export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: unknown };

export type EventType = 'identify' | 'track' | 'page' | 'screen' | 'group' | 'alias';

/** One event as the Ingest API (Segment's HTTP Tracking API) takes it. */
export interface TrackingEvent {
  type: EventType;
  messageId: string;
  timestamp: string;
  anonymousId?: string;
  userId?: string;
  event?: string;
  name?: string;
  category?: string;
  groupId?: string;
  previousId?: string;
  properties?: JsonObject;
  traits?: JsonObject;
  context?: JsonObject;
  integrations?: JsonObject;
}

/** Per-call options, as in analytics.js. */
export interface CallOptions {
  userId?: string;
  anonymousId?: string;
  /** Date or RFC 3339 string; default now. */
  timestamp?: Date | string;
  context?: JsonObject;
  integrations?: JsonObject;
  /** Your own id for the event (default a UUID v4); the server stores each id once. */
  messageId?: string;
}

/**
 * The function analytics.js takes as the last argument of `track`, `identify`, `page`, `group` and
 * `alias`: called once, when the batch holding the event was delivered (or refused, or dropped) or
 * after `callbackTimeout` ms (300), whichever comes first, so that what waits on it (a navigation
 * after a link click) is never held up. Called with no argument; what it throws is reported to
 * `onError`.
 */
export type Callback = () => void;

/** Minimal synchronous key-value storage (`localStorage` has this shape). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

export interface TrackingOptions {
  /** The workspace's write key (`gos_wk_…`). Required. */
  writeKey: string;
  /** Ingest API base URL (default `https://ingest.growthos.io`; `http://localhost:8081` locally). */
  host?: string;
  /** Send when this many events are queued (default 20). */
  flushAt?: number;
  /** Send queued events at least this often, in ms (default 5000). */
  flushInterval?: number;
  /** Largest request body in bytes (default 450 000, under the Ingest API's 500 KB). */
  maxBatchBytes?: number;
  /**
   * Largest event in bytes of JSON (default 32 768, the Ingest API's 32 KB limit, which it counts
   * over the event's values only, so an event this size is never refused); larger ones are dropped.
   */
  maxEventBytes?: number;
  /**
   * Most events kept waiting; the oldest are dropped beyond it, with a warning (default 10 000).
   * In browsers the only way events leave the queue unsent besides the server's refusals and
   * `maxRetries` server errors.
   */
  maxQueueSize?: number;
  /**
   * Retries of a batch the server answered 408, 429 or 5xx before it is dropped (default 10).
   * Network errors count too in Node; in browsers they never drop a batch (it is retried at most
   * `retryMaxDelay` apart, and at once on the `online` event).
   */
  maxRetries?: number;
  /**
   * Backoff: first delay ceiling and largest delay, in ms (defaults 500 and 60 000). A
   * `Retry-After` longer than the backoff is waited instead, never a shorter one.
   */
  retryBaseDelay?: number;
  retryMaxDelay?: number;
  /** Request timeout in ms (default 10 000). */
  timeout?: number;
  /**
   * Longest wait, in ms, before a call's callback runs when its event was not delivered by then
   * (default 300, analytics.js's `timeout`).
   */
  callbackTimeout?: number;
  /**
   * Where the queue and ids are kept. Browsers default to `localStorage` (shared by the tabs of
   * the site, surviving reloads); Node keeps them in memory. `false` forces memory.
   */
  storage?: KeyValueStorage | false;
  /**
   * Where the anonymous id's cookie (`gos_anonymous_id`) is kept. By default on the site's own
   * domain, the broadest one the browser takes (`example.com` for `www.example.com`), so the
   * visitor keeps one anonymous id across `www.` and `app.` (as analytics.js does); a domain of your
   * own (`'example.com'`), or `false` for the page's host only.
   */
  cookieDomain?: string | false;
  /**
   * A tab (or page) whose heartbeat in the storage is older than this, in ms, is gone: another tab
   * adopts its queued events (default 10 000). A reload hands its queue over at once.
   */
  tabTimeout?: number;
  /** Use `navigator.sendBeacon` when the page is hidden (default true in browsers). */
  beacon?: boolean;
  /** Capture `ref` / `referral_code` from the landing URL into `context.referral_code` (default true). */
  captureReferral?: boolean;
  /** Called with each problem instead of `console.warn` (dropped events, failures). */
  onError?: (error: Error) => void;
  /** The `fetch` to use (default the global one). */
  fetch?: typeof fetch;
}
