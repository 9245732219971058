import type { KeyValueStorage, TrackingEvent } from './types.js';

/**
 * The events not yet acknowledged by the server. With a storage (browsers: `localStorage`) every
 * change is written through, so a reload or a crash loses nothing: each tab keeps its own key
 * (`<prefix>.q.<tab>`, no two tabs write the same key) plus a heartbeat, and a tab adopts the
 * queues of tabs whose heartbeat stopped (closed, reloaded, crashed) under a lock. Adoption may
 * copy an event twice in a race, never lose one; the server stores each messageId once.
 */
export class EventQueue {
  private events: TrackingEvent[] = [];
  private unsaved = false;
  private readonly queueKey: string;
  private readonly beatKey: string;

  constructor(
    private readonly storage: KeyValueStorage | undefined,
    private readonly prefix: string,
    private readonly tabId: string,
    private readonly maxSize: number,
    private readonly warn: (message: string) => void,
  ) {
    this.queueKey = prefix + '.q.' + tabId;
    this.beatKey = prefix + '.hb.' + tabId;
  }

  get size(): number {
    return this.events.length;
  }

  all(): readonly TrackingEvent[] {
    return this.events;
  }

  push(event: TrackingEvent): void {
    this.events.push(event);
    if (this.events.length > this.maxSize) {
      const dropped = this.events.splice(0, this.events.length - this.maxSize);
      this.warn(`queue full (${this.maxSize} events): dropped ${dropped.length} oldest`);
    }
    this.persist();
  }

  /** Forgets the events with these messageIds (acknowledged or dropped). */
  remove(ids: Set<string>): void {
    if (ids.size === 0) return;
    this.events = this.events.filter((e) => !ids.has(e.messageId));
    this.persist();
  }

  persist(): void {
    if (!this.storage) return;
    try {
      if (this.events.length) this.storage.setItem(this.queueKey, JSON.stringify(this.events));
      else this.storage.removeItem(this.queueKey);
      this.beat();
      this.unsaved = false;
    } catch (e) {
      // Storage full or blocked: the queue still lives in memory. Said once, not per event.
      if (!this.unsaved) this.warn('could not save the event queue (kept in memory): ' + String(e));
      this.unsaved = true;
    }
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
      const mark = this.prefix + '.q.';
      const tabs: string[] = [];
      for (let i = 0; i < s.length; i++) {
        const key = s.key(i);
        if (key && key.indexOf(mark) === 0 && key !== this.queueKey) tabs.push(key.slice(mark.length));
      }
      const now = Date.now();
      for (const tab of tabs) {
        const beat = Number(s.getItem(this.prefix + '.hb.' + tab) || 0);
        if (now - beat < staleAfter) continue;
        const lockKey = this.prefix + '.lock.' + tab;
        const lock = s.getItem(lockKey);
        if (lock && now - Number(lock.split(':')[1] || 0) < staleAfter) continue;
        const mine = this.tabId + ':' + now;
        s.setItem(lockKey, mine);
        if (s.getItem(lockKey) !== mine) continue;
        const raw = s.getItem(mark + tab);
        let theirs: TrackingEvent[] = [];
        try {
          theirs = raw ? JSON.parse(raw) : [];
        } catch {
          theirs = [];
        }
        const known = new Set(this.events.map((e) => e.messageId));
        for (const e of Array.isArray(theirs) ? theirs : []) {
          if (e && typeof e.messageId === 'string' && !known.has(e.messageId)) {
            this.events.push(e);
            known.add(e.messageId);
            adopted++;
          }
        }
        this.persist();
        s.removeItem(mark + tab);
        s.removeItem(this.prefix + '.hb.' + tab);
        s.removeItem(lockKey);
      }
    } catch (e) {
      this.warn('could not adopt queued events: ' + String(e));
    }
    return adopted;
  }
}
