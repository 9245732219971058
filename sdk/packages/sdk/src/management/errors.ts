/** One entry of an error's `details`: which field, and why. */
export interface GrowthOSErrorDetail {
  field?: string;
  reason?: string;
  message?: string;
  [key: string]: unknown;
}

/**
 * The brand of every GrowthOSError, shared (Symbol.for) by the ESM and the CommonJS copy of the
 * package, which are two different classes when one program loads both.
 */
const BRAND = Symbol.for('growthos.error');

/**
 * An error answer of the GrowthOS API (the envelope `{"error": {code, message, details},
 * "request_id"}`), a request that got no answer (`status` 0, `code` `network_error`), or a call
 * the client did not send because a path parameter was missing (`status` 0, `code`
 * `missing_parameter`, `details` naming it), or a list's `toArray()` over its 10 000-item default
 * (`status` 0, `code` `too_many_items`).
 */
export class GrowthOSError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: GrowthOSErrorDetail[];
  readonly request_id: string | undefined;
  readonly headers: Record<string, string>;

  constructor(init: {
    message: string;
    code: string;
    status: number;
    details?: GrowthOSErrorDetail[];
    request_id?: string;
    headers?: Record<string, string>;
  }) {
    super(init.message);
    this.name = 'GrowthOSError';
    this.code = init.code;
    this.status = init.status;
    this.details = init.details || [];
    this.request_id = init.request_id;
    this.headers = init.headers || {};
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /**
   * `err instanceof GrowthOSError` holds for an error of either copy (import or require) of the
   * package: it checks the brand, not the prototype chain. Subclasses check as usual.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== GrowthOSError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /** Builds the error from a response's status, headers and parsed body (any shape). */
  static fromResponse(status: number, body: unknown, headers: Record<string, string> = {}): GrowthOSError {
    const envelope = (body && typeof body === 'object' ? body : {}) as {
      error?: { code?: unknown; message?: unknown; details?: unknown };
      request_id?: unknown;
    };
    const err = envelope.error && typeof envelope.error === 'object' ? envelope.error : {};
    return new GrowthOSError({
      message: typeof err.message === 'string' ? err.message : `HTTP ${status}`,
      code: typeof err.code === 'string' ? err.code : `http_${status}`,
      status,
      details: Array.isArray(err.details) ? (err.details as GrowthOSErrorDetail[]) : [],
      request_id:
        typeof envelope.request_id === 'string' ? envelope.request_id : headers['x-request-id'] || headers['request-id'],
      headers,
    });
  }
}

Object.defineProperty(GrowthOSError.prototype, BRAND, { value: true });
