import { uuidv4 } from '../uuid.js';
import { backoffDelay, isRetryable, isRetryableConflict, serverDelay, sleep } from '../retry.js';
import { VERSION } from '../version.js';
import { GrowthOSError } from './errors.js';
import { PageList } from './pagination.js';
import { ROUTES, type ManagementResources } from './generated/routes.js';
import type { Page, RequestOptions, RouteSpec } from './types.js';
import { stringify } from '../json.js';

export interface ManagementOptions {
  /** A secret key (`gos_sk_…`) with the scopes of the routes you call, or an admin key for workspaces. */
  secretKey: string;
  /** Management API base URL (default `https://api.growthos.io`; `http://localhost:8082` locally). */
  host?: string;
  /**
   * Retries of a failed idempotent call (a read, or a write with its Idempotency-Key): network
   * errors, 408, 429, 5xx, 409 idempotency_key_in_use and concurrent_update (default 2). A write
   * sent without an Idempotency-Key (`request({ idempotent: false })`) is never retried.
   */
  maxRetries?: number;
  /** Timeout of each attempt in ms (default 30 000). */
  timeout?: number;
  /** Backoff: first delay ceiling and largest delay in ms (defaults 500 and 20 000). */
  retryBaseDelay?: number;
  retryMaxDelay?: number;
  fetch?: typeof fetch;
  /**
   * Lets the client be constructed in a web page (there is a `window` and a `document`), where it
   * otherwise throws: a secret key in a page is readable by every visitor, who then has the key's
   * full access to the workspace (read and delete contacts, roll keys). Only for a page no one
   * else can open (an internal tool on your own machine), never with a key of a live workspace.
   * Node, Deno, Bun and web workers (no `document`) need nothing.
   */
  dangerouslyAllowBrowser?: boolean;
}

export interface RawRequest {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /**
   * Whether a write may carry an Idempotency-Key and so be retried (default true). With `false`
   * the write is sent once, without a key, unless `options.idempotencyKey` gives one.
   */
  idempotent?: boolean;
  /** A POST that changes nothing (an analytics query, a segment preview): retried as a GET is. */
  read?: boolean;
  options?: RequestOptions;
}

/** A browser page (or a test runner emulating one): there is a `window` and a `document`. */
function inAWebPage(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined';
}

const OPTION_KEYS = ['idempotencyKey', 'ifMatch', 'maxRetries', 'timeout', 'headers'];

/**
 * The Management API client (server side: never ship a secret key to a browser; in a web page the
 * constructor throws unless `dangerouslyAllowBrowser: true` is passed). One property per
 * resource, generated from the Management API's OpenAPI document: `contacts.create({...})`,
 * `apiKeys.roll(id, {...})`, `analytics.query({...})`, `for await (const c of contacts.list())`.
 */
export class Management {
  readonly host: string;
  private readonly secretKey: string;
  private readonly maxRetries: number;
  private readonly timeout: number;
  private readonly retryBaseDelay: number;
  private readonly retryMaxDelay: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ManagementOptions) {
    if (!options || !options.secretKey) throw new TypeError('Management needs a secretKey');
    if (inAWebPage() && options.dangerouslyAllowBrowser !== true) {
      throw new Error(
        'GrowthOS Management refuses to run in a browser: its secret key (gos_sk_…) would be readable by ' +
          'every visitor of the page, who would then have full access to the workspace. Call the ' +
          'Management API from your server (tracking and the web components need only the write key, ' +
          'gos_wk_…). If you know the page is never served to anyone else, pass dangerouslyAllowBrowser: true.',
      );
    }
    this.secretKey = options.secretKey;
    this.host = String(options.host || 'https://api.growthos.io').replace(/\/+$/, '');
    this.maxRetries = options.maxRetries ?? 2;
    this.timeout = options.timeout ?? 30000;
    this.retryBaseDelay = options.retryBaseDelay ?? 500;
    this.retryMaxDelay = options.retryMaxDelay ?? 20000;
    const f = options.fetch || (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
    if (!f) throw new TypeError('no fetch: use Node 18+ or pass options.fetch');
    this.fetchImpl = f;
    for (const route of ROUTES) this.mount(route);
  }

  /** Any route, for what the generated resources do not cover yet. */
  async request<T = unknown>(req: RawRequest): Promise<T> {
    const o = req.options || {};
    const method = req.method.toUpperCase();
    const retries = o.maxRetries ?? this.maxRetries;
    const headers: Record<string, string> = {
      Authorization: 'Bearer ' + this.secretKey,
      Accept: 'application/json',
      'User-Agent': '@growthos/sdk ' + VERSION,
      ...(o.headers || {}),
    };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    const write = method !== 'GET' && method !== 'HEAD';
    const ownKey = Object.keys(headers).some((k) => k.toLowerCase() === 'idempotency-key');
    // A write is sent with an Idempotency-Key when it is idempotent (every generated route is) or
    // when the caller gave a key; only then may it be retried: the server replays a retry of it.
    if (write && !ownKey && (o.idempotencyKey || (req.idempotent ?? true))) {
      headers['Idempotency-Key'] = o.idempotencyKey || uuidv4();
    }
    const retriable = !write || !!req.read || ownKey || headers['Idempotency-Key'] !== undefined;
    if (o.ifMatch !== undefined) headers['If-Match'] = String(o.ifMatch);
    let url = this.host + req.path;
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query || {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) v.forEach((x) => qs.append(k, String(x)));
      else qs.append(k, v instanceof Date ? v.toISOString() : String(v));
    }
    if (qs.toString()) url += '?' + qs.toString();
    const body = req.body === undefined ? undefined : stringify(req.body);

    for (let attempt = 0; ; attempt++) {
      let error: GrowthOSError;
      let retry: boolean;
      let wait: number | undefined;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), o.timeout ?? this.timeout);
      try {
        const res = await this.fetchImpl(url, { method, headers, body, signal: controller.signal });
        const text = await res.text();
        let parsed: unknown = undefined;
        if (text) {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
        }
        if (res.ok) return parsed as T;
        const h: Record<string, string> = {};
        res.headers.forEach((value, key) => (h[key] = value));
        error = GrowthOSError.fromResponse(res.status, parsed, h);
        // A query that ran past the server's statement timeout would run past it again: narrow it.
        retry = (isRetryable(res.status) && error.code !== 'query_timeout') || isRetryableConflict(error.code);
        wait = serverDelay(res.headers);
      } catch (e) {
        error = new GrowthOSError({
          message: 'Could not reach ' + this.host + ': ' + (e instanceof Error ? e.message : String(e)),
          code: 'network_error',
          status: 0,
        });
        retry = true;
      } finally {
        clearTimeout(timer);
      }
      // Only idempotent calls are retried: reads, and writes with their Idempotency-Key. A write
      // without one may have been done by the server although its answer says otherwise.
      if (!retry || !retriable || attempt >= retries) throw error;
      await sleep(
        wait !== undefined
          ? Math.min(wait, 60000)
          : backoffDelay(attempt, { baseDelay: this.retryBaseDelay, maxDelay: this.retryMaxDelay }),
      );
    }
  }

  private mount(route: RouteSpec): void {
    let target = this as unknown as Record<string, unknown>;
    for (const part of route.name.slice(0, -1)) {
      if (!target[part] || typeof target[part] !== 'object') target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[route.name[route.name.length - 1]] = (...args: unknown[]) => this.call(route, args);
  }

  private call(route: RouteSpec, args: unknown[]): unknown {
    let path = route.path;
    let i = 0;
    for (const name of route.pathParams) {
      const value = args[i++];
      if (value === undefined || value === null || value === '') {
        // Like any other failure of the call: a rejected promise (or a list whose pages reject),
        // never a synchronous throw, and no request.
        const error = missingParameter(route, name, value);
        return route.paginated ? new PageList(() => Promise.reject(error)) : Promise.reject(error);
      }
      const text = String(value);
      if (!ID.test(text)) {
        // No id of the API has such a character: encoded, the server refuses the path (400
        // non_canonical_path), and '..' or '.' would even reach another route. So: not found, unsent.
        const error = unknownId(route, name, text);
        return route.paginated ? new PageList(() => Promise.reject(error)) : Promise.reject(error);
      }
      path = path.replace('{' + name + '}', text);
    }
    const body = route.body ? args[i++] : undefined;
    const params = { ...((args[i] as Record<string, unknown>) || {}) };
    const options: RequestOptions = {};
    const query: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params)) {
      if (OPTION_KEYS.indexOf(k) >= 0) (options as Record<string, unknown>)[k] = v;
      else query[k] = v;
    }
    const send = (extra?: Record<string, unknown>) =>
      this.request({
        method: route.method,
        path,
        query: { ...query, ...extra },
        body: body === undefined && route.body === 2 ? {} : body,
        idempotent: route.idempotent,
        read: route.read,
        options,
      });
    if (route.paginated) {
      return new PageList((cursor?: string) => send(cursor ? { cursor } : undefined) as Promise<Page<unknown>>);
    }
    return send();
  }
}

/** Every id of the Management API (`cntct_…`, a survey question's id): letters, digits, `_` and `-`. */
const ID = /^[A-Za-z0-9_-]{1,255}$/;

/** The error of a generated method called with an id no resource can have: 404 `not_found`, as for an unknown id. */
function unknownId(route: RouteSpec, name: string, value: string): GrowthOSError {
  const param = name.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
  const method = route.name.join('.');
  const shown = value.length > 100 ? value.slice(0, 100) + '…' : value;
  return new GrowthOSError({
    message: `${method}: nothing has the ${param} '${shown}' (ids have only letters, digits, '_' and '-'); no request was sent.`,
    code: 'not_found',
    status: 404,
    details: [{ field: param, reason: 'not_found', message: `No resource has this ${param}.` }],
  });
}

/**
 * The error of a generated method called without one of its path parameters (`undefined`, `null`
 * or `''`): the parameter as the method's signature names it (`deliveryId` for `{delivery_id}`).
 */
function missingParameter(route: RouteSpec, name: string, value: unknown): GrowthOSError {
  const param = name.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
  const method = route.name.join('.');
  return new GrowthOSError({
    message: `${method}: the path parameter '${param}' is missing (got ${value === '' ? "''" : String(value)}); no request was sent.`,
    code: 'missing_parameter',
    status: 0,
    details: [{ field: param, reason: 'required', message: `${method} needs '${param}' for ${route.method} ${route.path}.` }],
  });
}

// The resources are added at run time from the route table; their types come from the same table.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Management extends ManagementResources {}
