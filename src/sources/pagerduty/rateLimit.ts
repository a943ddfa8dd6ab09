/**
 * PagerDuty's rate limit: on 429 it says how long to wait, in Retry-After (seconds or an HTTP date) or
 * in the IETF draft headers (ratelimit-reset: seconds until the window resets). We wait that long, within
 * a bound, a few times; then give up with an error the live model recognises as throttling.
 */

export interface RateLimitOptions {
  /** Retries after the first 429 of a call (3 by default). */
  readonly maxRetries?: number;
  /** The longest wait we accept; a longer requested wait fails the call at once (30 s by default). */
  readonly maxWaitMs?: number;
  /** The first wait when PagerDuty says nothing, doubled at every retry (1 s by default). */
  readonly defaultWaitMs?: number;
}

export const RATE_LIMIT_DEFAULTS: Required<RateLimitOptions> = {
  maxRetries: 3,
  maxWaitMs: 30_000,
  defaultWaitMs: 1_000,
};

type HeaderSource = { get(name: string): string | null } | Readonly<Record<string, string | string[] | undefined>>;

function header(headers: HeaderSource | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  }
  const value = (headers as Readonly<Record<string, string | string[] | undefined>>)[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Seconds (decimals tolerated) as ms, or undefined. */
function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Math.round(Number(value) * 1000);
}

/** How long the 429's headers ask us to wait, in ms, or undefined when they do not say. */
export function requestedWaitMs(headers: HeaderSource | undefined, now: number = Date.now()): number | undefined {
  const retryAfter = header(headers, 'retry-after');
  const fromRetryAfter = seconds(retryAfter);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  if (retryAfter) {
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const reset = seconds(header(headers, 'ratelimit-reset') ?? header(headers, 'x-ratelimit-reset'));
  if (reset === undefined) return undefined;
  // Some servers send an epoch time instead of a delta; anything past 2001 in seconds is one.
  if (reset > 1_000_000_000_000) return Math.max(0, reset - now);
  return reset;
}

/** The wait before retry number `retry` (0-based), or undefined when the call should give up. */
export function nextWait(
  retry: number,
  requested: number | undefined,
  options: Required<RateLimitOptions>,
): number | undefined {
  if (retry >= options.maxRetries) return undefined;
  const wait = requested ?? options.defaultWaitMs * 2 ** retry;
  return wait > options.maxWaitMs ? undefined : wait;
}
