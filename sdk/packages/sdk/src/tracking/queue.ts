import type { KeyValueStorage } from './types.js';
import { stringify } from '../json.js';

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

/** Any character outside ASCII (whose UTF-8 length is not its length). */
const NON_ASCII = /[^\x00-\x7f]/;

export function utf8Bytes(text: string): number {
  // Most events are ASCII: one scan, no copy (encoding 10,000 stored events took 86 ms in Chromium).
  if (!NON_ASCII.test(text)) return text.length;
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
 * Adopting a stored queue takes about this many ms of a task, then yields: 10,000 stored events
 * (the default maxQueueSize, about 5 MB) took one task of 0.5-2 s in Chromium when adopted at once.
 */
const ADOPT_SLICE_MS = 8;
/** And at most this many stored segments (1,000 events) per task, however fast the device. */
const ADOPT_SLICE_SEGMENTS = 20;

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
  /** Tabs whose stored queue is being adopted, a slice per task: their keys still to take. */
  private adopting: { tab: string; keys: string[]; lockKey: string; locked: boolean; touched: number }[] = [];
  private sliceScheduled = false;
  /** The messageIds queued or adopted while an adoption runs (an event stored twice is taken once). */
  private adoptKnown: Set<string> | undefined;
  private onAdopted: ((count: number) => void) | undefined;

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

  /**
   * Adopts the queues of tabs whose heartbeat is older than `staleAfter` ms. A long stored queue
   * (thousands of events from a long offline period) is adopted a slice at a time: each task takes
   * stored segments for about `ADOPT_SLICE_MS` (at least one, at most `ADOPT_SLICE_SEGMENTS`), writes them as ours and only then
   * removes theirs, and leaves the rest to the next task, so the page never waits for all of it.
   * Returns how many events were adopted now; `later` hears of those adopted in later tasks.
   */
  adoptOrphans(staleAfter: number, later?: (count: number) => void): number {
    const s = this.storage;
    if (!s) return 0;
    if (later) this.onAdopted = later;
    try {
      if (!this.adopting.length) this.claimOrphans(s, staleAfter);
    } catch (e) {
      this.warn('could not adopt queued events: ' + String(e));
    }
    return this.adoptSlice();
  }

  /** Whether stored events of other tabs are still being adopted (a slice per task). */
  get adoptingOrphans(): boolean {
    return this.adopting.length > 0;
  }

  /** Finds the tabs whose heartbeat stopped and takes their lock; their keys are adopted by slices. */
  private claimOrphans(s: KeyValueStorage, staleAfter: number): void {
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
      this.adopting.push({ tab, keys, lockKey, locked, touched: now });
    });
  }

  /**
   * Adopts stored segments of the claimed tabs for about ADOPT_SLICE_MS (at least one segment), and
   * schedules the next slice when some are left. Each segment's events are written as ours before
   * its key is removed (when the storage is full, its key holds the room ours need: then it is
   * removed first and ours written into the room it leaves).
   */
  private adoptSlice(): number {
    const s = this.storage;
    if (!s || !this.adopting.length) return 0;
    const started = Date.now();
    const known = this.adoptKnown || (this.adoptKnown = new Set(this.events.map((e) => e.id)));
    let adopted = 0;
    let segments = 0;
    try {
      while (this.adopting.length) {
        const job = this.adopting[0];
        const key = job.keys.shift();
        if (key !== undefined) {
          segments++;
          let theirs: unknown;
          try {
            theirs = JSON.parse(s.getItem(key) || '[]');
          } catch {
            theirs = [];
          }
          for (const e of Array.isArray(theirs) ? theirs : []) {
            if (e && typeof e.messageId === 'string' && !known.has(e.messageId)) {
              const json = stringify(e);
              this.append({ id: e.messageId, json, bytes: utf8Bytes(json) });
              known.add(e.messageId);
              adopted++;
            }
          }
          const saved = this.write(true);
          s.removeItem(key);
          if (!saved) this.write();
        }
        if (!job.keys.length) {
          this.adopting.shift();
          s.removeItem(this.prefix + '.hb.' + job.tab);
          if (job.locked) s.removeItem(job.lockKey);
        } else if (job.locked && Date.now() - job.touched > 1000) {
          // Still ours: a long adoption keeps its lock fresh, so no other tab starts on the same keys.
          job.touched = Date.now();
          s.setItem(job.lockKey, this.tabId + ':' + job.touched);
        }
        if (Date.now() - started >= ADOPT_SLICE_MS || segments >= ADOPT_SLICE_SEGMENTS) break;
      }
    } catch (e) {
      // Storage gone or refusing: what was copied is kept (and written when it can be); the rest
      // stays stored for a later page.
      this.adopting = [];
      this.warn('could not adopt queued events: ' + String(e));
    }
    if (!this.adopting.length) this.adoptKnown = undefined;
    if (this.adopting.length && !this.sliceScheduled) {
      this.sliceScheduled = true;
      const next = setTimeout(() => {
        this.sliceScheduled = false;
        const n = this.adoptSlice();
        if (n && this.onAdopted) this.onAdopted(n);
      }, 0);
      const t = next as unknown as { unref?: () => void };
      if (t && typeof t.unref === 'function') t.unref();
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
