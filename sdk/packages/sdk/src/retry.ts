/** Backoff shared by the tracking and the management clients. */

export interface BackoffOptions {
  /** First delay's ceiling in ms (default 500). */
  baseDelay?: number;
  /** Largest delay in ms (default 60 000). */
  maxDelay?: number;
}

/**
 * Exponential backoff with full jitter: a uniformly random delay in [0, min(max, base * 2^attempt)).
 * `attempt` counts from 0 (the first retry).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseDelay ?? 500;
  const max = options.maxDelay ?? 60000;
  const ceiling = Math.min(max, base * Math.pow(2, Math.min(attempt, 30)));
  return Math.floor(random() * ceiling);
}

/** Minimal view of response headers (fetch's Headers or a plain lookup). */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * How long the server asked us to wait, in ms, or undefined when it said nothing:
 * `Retry-After` (seconds or an HTTP date) first, then, when the rate-limit bucket is empty
 * (`X-RateLimit-Remaining: 0`), the time until `X-RateLimit-Reset` (Unix seconds).
 */
export function serverDelay(headers: HeaderLookup | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const retryAfter = headers.get('retry-after');
  if (retryAfter != null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!isNaN(date)) return Math.max(0, date - now);
  }
  const remaining = headers.get('x-ratelimit-remaining');
  const reset = headers.get('x-ratelimit-reset');
  if (remaining != null && Number(remaining) <= 0 && reset != null && isFinite(Number(reset))) {
    return Math.max(0, Number(reset) * 1000 - now);
  }
  return undefined;
}

/** Statuses worth retrying: timeouts, rate limits, and server errors. */
export function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * 409s that say "nothing was done, try again": the same Idempotency-Key is still in flight, or the
 * call lost a race with another one (a deadlock, a row changed or deleted meanwhile).
 */
export function isRetryableConflict(code: string | undefined): boolean {
  return code === 'idempotency_key_in_use' || code === 'concurrent_update';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
