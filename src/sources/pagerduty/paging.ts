/**
 * PagerDuty's classic pagination: offset/limit (limit at most 100) and `more`. Every page is followed,
 * with guards against a server that never stops saying `more` (Prism's static example of GET /incidents
 * always answers more: true at offset 0): an empty page, a page of nothing new, or PagerDuty's own
 * ceiling on offsets ends the walk.
 */
import { arr, int, obj, str } from './raw.js';

export const PAGE_LIMIT = 100;
/** PagerDuty refuses offset + limit beyond 10 000 in classic pagination. */
export const MAX_OFFSET = 10_000;

export interface PageWalk {
  readonly items: unknown[];
  /** Requests made. */
  readonly pages: number;
  /** Why the walk stopped. */
  readonly stop: 'done' | 'empty' | 'repeated' | 'ceiling';
}

/**
 * Fetches pages of `key` (e.g. "incidents") until the server says there are no more. Items with an id
 * seen before are dropped (pages can shift while new items arrive).
 */
export async function walkPages(
  fetchPage: (offset: number, limit: number) => Promise<unknown>,
  key: string,
  limit: number = PAGE_LIMIT,
): Promise<PageWalk> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  let offset = 0;
  let pages = 0;
  for (;;) {
    const page = obj(await fetchPage(offset, limit));
    pages += 1;
    const batch = arr(page?.[key]);
    let fresh = 0;
    for (const item of batch) {
      const id = str(obj(item)?.id);
      if (id !== undefined) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      items.push(item);
      fresh += 1;
    }
    if (page?.more !== true) return { items, pages, stop: 'done' };
    if (batch.length === 0) return { items, pages, stop: 'empty' };
    if (fresh === 0) return { items, pages, stop: 'repeated' };
    // Advance by the page size the server applied (it caps limit), never by less than one item.
    const applied = int(page.limit);
    offset += applied !== undefined && applied > 0 ? applied : Math.max(1, batch.length);
    if (offset >= MAX_OFFSET) return { items, pages, stop: 'ceiling' };
  }
}
