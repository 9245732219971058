import type { Page } from './types.js';

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

  /** Every item, up to `max` (default 10 000). */
  async toArray(max = 10000): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) {
      out.push(item);
      if (out.length >= max) break;
    }
    return out;
  }
}
