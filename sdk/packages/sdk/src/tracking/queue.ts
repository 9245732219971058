import type { KeyValueStorage } from './types.js';

/** One queued event, serialised once when it was recorded (a snapshot of the caller's objects). */
export interface QueuedEvent {
  /** Its messageId. */
  readonly id: string;
  /** The event as JSON: what is sent and what is stored, never serialised again. */
  readonly json: string;
  /** UTF-8 bytes of `json`. */
  readonly bytes: number;
  /** The storage segment it is written in. */
  seg: number;
}

/** One encoder for every event (adopting a stored queue of thousands made one per event). */
const encoder = typeof TextEncoder !== 'undefined' ? new TextEncoder() : undefined;

export function utf8Bytes(text: string): number {
  if (encoder) return encoder.encode(text).length;
  return unescape(encodeURIComponent(text)).length;
}

/** Runs `fn` at the end of the current task; taken when the SDK loads, before a page may replace Promise. */
const microtask: (fn: () => void) => void =
  typeof queueMicrotask === 'function' ? queueMicrotask : ((P) => (fn: () => void) => void P.resolve().then(fn))(Promise);

/** A segment is closed once it holds this many events or bytes: a write costs at most about this. */
const SEGMENT_EVENTS = 50;
const SEGMENT_BYTES = 16000;

/**
 * The events not yet acknowledged by the server. With a storage (browsers: `localStorage`) the
 * queue is kept in segments of at most 50 events or 16 KB (`<prefix>.qs.<tab>.<n>`, a JSON array
 * each); a change rewrites only the segments it touched, at the end of the current task (one
 * microtask: many events recorded in one task cost one write per segment), and `persist()` writes
 * at once (the page is being hidden or closed). So recording an event costs the same whatever the
 * length of the queue. Each tab keeps its own keys (no two tabs write the same key) plus a
 * heartbeat, and a tab adopts the queues of tabs whose heartbeat stopped (closed, reloaded,
 * crashed) under a lock. Adoption may copy an event twice in a race, never lose one; the server
 * stores each messageId once. Queues written by earlier versions (`<prefix>.q.<tab>`, one array)
 * are adopted too.
 */
export class EventQueue {
  private events: QueuedEvent[] = [];
  private unsaved = false;
  private readonly segPrefix: string;
  private readonly beatKey: string;
  /** Segments changed since the last write. */
  private readonly dirty = new Set<number>();
  private writeScheduled = false;
  private tail = 0;
  private tailEvents = 0;
  private tailBytes = 0;

  constructor(
    private readonly storage: KeyValueStorage | undefined,
    private readonly prefix: string,
    private readonly tabId: string,
    private readonly maxSize: number,
    private readonly warn: (message: string) => void,
  ) {
    this.segPrefix = prefix + '.qs.' + tabId + '.';
    this.beatKey = prefix + '.hb.' + tabId;
  }

  get size(): number {
    return this.events.length;
  }

  all(): readonly QueuedEvent[] {
    return this.events;
  }

  push(event: { id: string; json: string; bytes: number }): void {
    this.append(event);
    if (this.events.length > this.maxSize) {
      const dropped = this.events.splice(0, this.events.length - this.maxSize);
      for (const e of dropped) this.dirty.add(e.seg);
      this.warn(`queue full (${this.maxSize} events): dropped ${dropped.length} oldest`);
    }
    this.changed();
  }

  /** Forgets the events with these messageIds (acknowledged or dropped). */
  remove(ids: Set<string>): void {
    if (ids.size === 0) return;
    const kept: QueuedEvent[] = [];
    for (const e of this.events) {
      if (ids.has(e.id)) this.dirty.add(e.seg);
      else kept.push(e);
    }
    this.events = kept;
    this.changed();
  }

  /**
   * Writes what changed now, synchronously (pagehide). With `everything`, rewrites every segment
   * (a page restored from the back/forward cache, whose keys another page may have adopted).
   */
  persist(everything = false): void {
    if (!this.storage) return;
    if (everything) for (const e of this.events) this.dirty.add(e.seg);
    this.write();
  }

  beat(alive = true): void {
    if (!this.storage) return;
    try {
      this.storage.setItem(this.beatKey, alive ? String(Date.now()) : '0');
    } catch {
      // storage full or unavailable: the queue still lives in memory
    }
  }

  /** Adopts the queues of tabs whose heartbeat is older than `staleAfter` ms. Returns how many events. */
  adoptOrphans(staleAfter: number): number {
    const s = this.storage;
    if (!s) return 0;
    let adopted = 0;
    try {
      const legacy = this.prefix + '.q.';
      const segmented = this.prefix + '.qs.';
      const tabs = new Map<string, string[]>();
      for (let i = 0; i < s.length; i++) {
        const key = s.key(i);
        if (!key) continue;
        let tab: string | undefined;
        if (key.indexOf(legacy) === 0) tab = key.slice(legacy.length);
        else if (key.indexOf(segmented) === 0) tab = key.slice(segmented.length).split('.')[0];
        if (!tab || tab === this.tabId) continue;
        const keys = tabs.get(tab) || [];
        keys.push(key);
        tabs.set(tab, keys);
      }
      const now = Date.now();
      tabs.forEach((keys, tab) => {
        const beat = Number(s.getItem(this.prefix + '.hb.' + tab) || 0);
        if (now - beat < staleAfter) return;
        const lockKey = this.prefix + '.lock.' + tab;
        const lock = s.getItem(lockKey);
        if (lock && now - Number(lock.split(':')[1] || 0) < staleAfter) return;
        const mine = this.tabId + ':' + now;
        // A full storage refuses the lock too: adopt without it then (a race with another tab may
        // copy an event twice, never lose one), or the stored events would wait for room forever.
        let locked = true;
        try {
          s.setItem(lockKey, mine);
        } catch {
          locked = false;
        }
        if (locked && s.getItem(lockKey) !== mine) return;
        const segOf = (k: string) => (k.indexOf(segmented) === 0 ? Number(k.split('.').pop()) || 0 : -1);
        keys.sort((a, b) => segOf(a) - segOf(b));
        const known = new Set(this.events.map((e) => e.id));
        for (const key of keys) {
          let theirs: unknown;
          try {
            theirs = JSON.parse(s.getItem(key) || '[]');
          } catch {
            theirs = [];
          }
          for (const e of Array.isArray(theirs) ? theirs : []) {
            if (e && typeof e.messageId === 'string' && !known.has(e.messageId)) {
              const json = JSON.stringify(e);
              this.append({ id: e.messageId, json, bytes: utf8Bytes(json) });
              known.add(e.messageId);
              adopted++;
            }
          }
        }
        // Written before theirs are removed; when the storage is full their keys hold the room ours
        // need, so then they are removed first and ours written into the room they leave.
        const saved = this.write(true);
        for (const key of keys) s.removeItem(key);
        s.removeItem(this.prefix + '.hb.' + tab);
        if (locked) s.removeItem(lockKey);
        if (!saved) this.write();
      });
    } catch (e) {
      this.warn('could not adopt queued events: ' + String(e));
    }
    return adopted;
  }

  private append(event: { id: string; json: string; bytes: number }): void {
    if (this.tailEvents >= SEGMENT_EVENTS || this.tailBytes >= SEGMENT_BYTES) {
      this.tail++;
      this.tailEvents = 0;
      this.tailBytes = 0;
    }
    this.events.push({ id: event.id, json: event.json, bytes: event.bytes, seg: this.tail });
    this.tailEvents++;
    this.tailBytes += event.bytes;
    this.dirty.add(this.tail);
  }

  /** Writes at the end of the current task: a burst of changes costs one write per segment. */
  private changed(): void {
    if (!this.storage || this.writeScheduled) return;
    this.writeScheduled = true;
    try {
      microtask(() => {
        this.writeScheduled = false;
        this.write();
      });
    } catch {
      // no usable microtask (a page replaced Promise): written now, and the next change schedules again
      this.writeScheduled = false;
      this.write();
    }
  }

  /** The events of one segment: a run of the queue, which is ordered by segment. */
  private segment(seg: number): QueuedEvent[] {
    const ev = this.events;
    let lo = 0;
    let hi = ev.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ev[mid].seg < seg) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < ev.length && ev[end].seg === seg) end++;
    return ev.slice(lo, end);
  }

  /** Writes the segments that changed; false when the storage refused (then `quiet`: no warning). */
  private write(quiet = false): boolean {
    const s = this.storage;
    if (!s || !this.dirty.size) return true;
    try {
      // Removals first: they free the room the writes may need.
      const full: number[] = [];
      this.dirty.forEach((seg) => {
        if (this.segment(seg).length) full.push(seg);
        else {
          s.removeItem(this.segPrefix + seg);
          this.dirty.delete(seg);
        }
      });
      // Stops at the first failure: a full storage costs one attempt per change, not one per segment.
      for (const seg of full) {
        s.setItem(this.segPrefix + seg, '[' + this.segment(seg).map((e) => e.json).join(',') + ']');
        this.dirty.delete(seg);
      }
      this.beat();
      this.unsaved = false;
      return true;
    } catch (e) {
      // Storage full or blocked: the queue still lives in memory, and the segments not written are
      // tried again at the next change. Said once, not per event.
      if (quiet) return false;
      if (!this.unsaved) this.warn('could not save the event queue (kept in memory): ' + String(e));
      this.unsaved = true;
      return false;
    }
  }
}
