// Test doubles: a fetch that records requests and answers from a script, and a localStorage.
export function fakeFetch(answers = []) {
  const calls = [];
  const answered = [];
  const script = [...answers];
  const f = async (url, init = {}) => {
    const body = init.body ? JSON.parse(init.body) : undefined;
    calls.push({ url, method: init.method, headers: { ...(init.headers || {}) }, body, at: Date.now() });
    let a = script.length > 1 ? script.shift() : script[0] ?? { status: 200, body: { success: true } };
    if (typeof a === 'function') a = a(calls[calls.length - 1]);
    // delay: a slow server, answering after that many ms.
    if (a.delay) await new Promise((r) => setTimeout(r, a.delay));
    // gate: a promise; the server answers once it resolves (as late as the test needs, however loaded the machine).
    if (a.gate) await a.gate;
    if (a.throws) throw new TypeError(a.throws);
    answered.push(Date.now());
    const headers = new Headers(a.headers || {});
    // A 2xx without a body given answers as the Ingest API does: {"success": true}.
    const answer = a.body === undefined && a.status >= 200 && a.status < 300 ? { success: true } : a.body;
    return new Response(answer === undefined ? null : JSON.stringify(answer), { status: a.status, headers });
  };
  f.calls = calls;
  /** When each answer was handed back (Date.now()), in the order of the calls. */
  f.answered = answered;
  f.events = () => calls.flatMap((c) => (c.body && c.body.batch) || []);
  return f;
}

export class MemoryStorage {
  constructor() {
    this.map = new Map();
  }
  get length() {
    return this.map.size;
  }
  key(i) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k) {
    return this.map.has(k) ? this.map.get(k) : null;
  }
  setItem(k, v) {
    this.map.set(k, String(v));
  }
  removeItem(k) {
    this.map.delete(k);
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function until(check, timeout = 5000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error('condition not met in ' + timeout + ' ms');
}

/** A localStorage with a quota (characters of keys and values, as browsers count): a write over it throws QuotaExceededError. */
export class QuotaStorage extends MemoryStorage {
  constructor(quota) {
    super();
    this.quota = quota;
  }
  used() {
    let n = 0;
    for (const [k, v] of this.map) n += k.length + v.length;
    return n;
  }
  setItem(k, v) {
    const value = String(v);
    const old = this.map.has(k) ? k.length + this.map.get(k).length : 0;
    if (this.used() - old + k.length + value.length > this.quota) {
      throw new DOMException(`Setting the value of '${k}' exceeded the quota.`, 'QuotaExceededError');
    }
    this.map.set(k, value);
  }
  /** Takes the room left with other data, so that any new write fails. */
  fill() {
    const left = this.quota - this.used() - 'junk'.length;
    if (left > 0) this.map.set('junk', 'x'.repeat(left));
  }
}
