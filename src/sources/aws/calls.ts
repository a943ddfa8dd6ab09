/**
 * What every AWS adapter does around an SDK call: turn a failure into one Error that names the API
 * and the resource (the SDK's own messages rarely say which call or which resource failed), while
 * keeping the SDK's `name` and `$metadata` so that isThrottling() in core/live/poller.ts still sees
 * "ThrottlingException" or HTTP 429; follow NextToken pages without looping forever; and bound how
 * many calls run at once.
 */

import { DeadlineError, seconds } from '../deadlines.js';

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  $fault?: 'client' | 'server';
}

/** A failed AWS call. `name` is the SDK error's name (ThrottlingException, ClusterNotFoundException, …). */
export class AwsApiError extends Error {
  readonly api: string;
  readonly resource?: string;
  readonly $metadata?: SdkErrorShape['$metadata'];
  readonly code?: string;

  constructor(api: string, resource: string | undefined, cause: unknown) {
    super(`${api}${resource ? ` (${resource})` : ''} failed: ${reasonOf(cause)}`, { cause });
    const e = (cause ?? {}) as SdkErrorShape;
    this.name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : 'AwsApiError';
    this.api = api;
    this.resource = resource;
    this.$metadata = e.$metadata;
    this.code = e.code;
  }
}

/** A short, human reason for an SDK failure. */
export function reasonOf(cause: unknown): string {
  const e = (cause ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]!.trim() : String(cause);
  if (e.name === 'AbortError' || e.name === 'TimeoutError') {
    const reason = (cause as { cause?: unknown }).cause;
    if (reason instanceof DeadlineError) return `no answer within ${seconds(reason.ms)}`;
    return e.name === 'TimeoutError' ? `no answer in time (${message})` : 'cancelled (no answer in time)';
  }
  // A non-AWS answer (an HTML 5xx page from a proxy or a broken endpoint) fails deserialisation.
  if (status !== undefined && /Deserialization error|Unexpected token|not valid JSON|Unexpected end/i.test(message))
    return `HTTP ${status} with an unreadable body`;
  const name = e.name && e.name !== 'Error' && !message.includes(e.name) ? `${e.name}: ` : '';
  const http = status !== undefined && !/HTTP \d{3}/.test(message) ? ` (HTTP ${status})` : '';
  return `${name}${message || 'unknown error'}${http}`;
}

/** Runs one SDK call; a failure becomes an AwsApiError naming `api` and `resource`. */
export async function call<T>(api: string, resource: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof AwsApiError ? error : new AwsApiError(api, resource, error);
  }
}

/** Stops between pages when the caller gave up (the poller's timeout aborts the signal). */
export function throwIfAborted(signal: AbortSignal | undefined, api: string, resource?: string): void {
  if (signal?.aborted) {
    const cause = Object.assign(new Error('aborted'), { name: 'AbortError' });
    throw new AwsApiError(api, resource, cause);
  }
}

/**
 * Follows a NextToken-style pager to the end. A server that hands back a token it already gave
 * (moto's Application Auto Scaling does) is an error, not an endless loop; so is a runaway listing.
 */
export async function collectPages<P>(
  api: string,
  resource: string | undefined,
  fetchPage: (token: string | undefined) => Promise<{ readonly page: P; readonly next?: string }>,
  options: { readonly signal?: AbortSignal; readonly maxPages?: number; readonly stop?: (page: P) => boolean } = {},
): Promise<P[]> {
  const pages: P[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  const maxPages = options.maxPages ?? 1000;
  for (;;) {
    throwIfAborted(options.signal, api, resource);
    const { page, next } = await call(api, resource, () => fetchPage(token));
    pages.push(page);
    if (!next || options.stop?.(page)) return pages;
    if (seen.has(next))
      throw new AwsApiError(
        api,
        resource,
        new Error(`the server repeated the page token ${JSON.stringify(next.slice(0, 40))}`),
      );
    if (pages.length >= maxPages)
      throw new AwsApiError(api, resource, new Error(`more than ${maxPages} pages; giving up`));
    seen.add(next);
    token = next;
  }
}

/** Splits items into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Maps with at most `limit` calls in flight, keeping order; the first failure rejects. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Epoch ms of an SDK timestamp (a Date; some servers send strings), or undefined. */
export function epochMs(value: Date | string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}
