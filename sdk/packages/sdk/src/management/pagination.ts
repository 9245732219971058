import type { Page } from './types.js';
import { GrowthOSError } from './errors.js';

/** The most items toArray() gathers when not told how many. */
const DEFAULT_MAX = 10000;

/**
 * What `list` returns: `for await (const item of client.contacts.list())` walks every page
 * (following `next_cursor`), `.page()` fetches one page, `.pages()` iterates pages.
 */
export class PageList<T> implements AsyncIterable<T> {
  constructor(private readonly fetchPage: (cursor?: string) => Promise<Page<T>>) {}

  /** One page: the first, or the one after `cursor`. */
  page(cursor?: string): Promise<Page<T>> {
    return this.fetchPage(cursor);
  }

  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor: string | undefined;
    for (;;) {
      const page = await this.fetchPage(cursor);
      yield page;
      if (!page.has_more || !page.next_cursor || page.next_cursor === cursor) return;
      cursor = page.next_cursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) {
      for (const item of page.data || []) yield item;
    }
  }

  /**
   * Every item in an array. Without `max` a list of more than 10 000 items rejects with a
   * GrowthOSError `too_many_items` (status 0) rather than resolve with a part of it: iterate it
   * (`for await`) or pass a larger `max`. With `max`, the first `max` items.
   */
  async toArray(max?: number): Promise<T[]> {
    const out: T[] = [];
    if (max !== undefined && max !== Infinity && !(Number.isSafeInteger(max) && max >= 0)) {
      // Until 2026-12-07 toArray(0) and toArray(-1) gave one item, toArray(2.5) three. Infinity
      // is every item, past the default cap.
      throw new GrowthOSError({
        message: `toArray(n): n is the most items wanted, a whole number of 0 or more, or Infinity (got ${String(max)}).`,
        code: 'invalid_argument',
        status: 0,
        details: [{ field: 'max', reason: 'invalid_value', message: 'A whole number of 0 or more.' }],
      });
    }
    if (max === 0) return out;
    for await (const item of this) {
      if (max === undefined && out.length >= DEFAULT_MAX) {
        throw new GrowthOSError({
          message: `toArray(): the list has more than ${DEFAULT_MAX.toLocaleString('en-US')} items; iterate it with for await, or pass the most you want: toArray(n).`,
          code: 'too_many_items',
          status: 0,
          details: [{ field: 'max', reason: 'too_many_items', message: `More than ${DEFAULT_MAX} items.` }],
        });
      }
      out.push(item);
      if (max !== undefined && out.length >= max) break;
    }
    return out;
  }
}
