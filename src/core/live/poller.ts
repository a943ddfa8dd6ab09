import { PartialAnswerError } from '../partial.js';

/**
 * A live model: one poller per source (k9s's model layer). It refreshes on its own interval with a
 * fast first tick, never runs two refreshes of its source at once, backs off exponentially with
 * jitter on errors and throttling, keeps the last good data when a refresh fails, stamps every
 * snapshot with its fetch time, and tells listeners. Nothing thrown by a source escapes it.
 */

export type SourceState = 'loading' | 'ok' | 'stale' | 'error';

export interface SourceHealth {
  /** loading: nothing fetched yet; ok: the last refresh worked; error: it failed (older data may remain); stale: failing for longer than staleAfter. */
  readonly state: SourceState;
  /** When the data on hand was fetched. */
  readonly fetchedAt?: number;
  /** Since when the data on hand has been too old (refreshes failing). */
  readonly staleSince?: number;
  readonly error?: string;
  readonly errorAt?: number;
  /** Whether the last error was throttling (HTTP 429, ThrottlingException). */
  readonly throttled?: boolean;
  /** Refreshes failed in a row. */
  readonly failures: number;
  readonly nextRefreshAt?: number;
}

export interface Snapshot<T> {
  readonly name: string;
  readonly data?: T;
  readonly health: SourceHealth;
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A poller alone must not keep a headless process alive.
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface PollerOptions<T> {
  readonly name: string;
  readonly fetch: (signal: AbortSignal) => Promise<T>;
  readonly intervalMs: number;
  /** Delay before the first refresh; 0 by default (the fast first tick). */
  readonly firstDelayMs?: number;
  /** A refresh taking longer than this is abandoned and counts as an error. */
  readonly timeoutMs?: number;
  readonly backoff?: { readonly baseMs?: number; readonly maxMs?: number; readonly jitter?: number };
  /** Data older than this while refreshes fail makes the source stale; 3 intervals by default. */
  readonly staleAfterMs?: number;
  readonly timers?: Timers;
  /** Random numbers in [0, 1), for jitter (tests pass a fixed one). */
  readonly random?: () => number;
}

export type Listener<T> = (snapshot: Snapshot<T>) => void;

/** Whether an error means "slow down": HTTP 429 or an AWS throttling exception. */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; code?: string; status?: number; statusCode?: number; $metadata?: { httpStatusCode?: number } };
  const status = e?.status ?? e?.statusCode ?? e?.$metadata?.httpStatusCode;
  return status === 429 || /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(`${e?.name ?? ''} ${e?.code ?? ''}`);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

export class Poller<T> {
  private data?: T;
  private fetchedAt?: number;
  private failures = 0;
  private error?: string;
  private errorAt?: number;
  private throttled = false;
  /** How long the server asked us to wait (Retry-After), if it did. */
  private retryAfterMs?: number;
  private inFlight?: Promise<void>;
  private timer?: unknown;
  private nextRefreshAt?: number;
  private running = false;
  private readonly listeners = new Set<Listener<T>>();
  private readonly timers: Timers;
  private readonly random: () => number;

  constructor(private readonly options: PollerOptions<T>) {
    this.timers = options.timers ?? REAL_TIMERS;
    this.random = options.random ?? Math.random;
  }

  get name(): string {
    return this.options.name;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.options.firstDelayMs ?? 0);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.nextRefreshAt = undefined;
  }

  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Refreshes now, unless a refresh is already running (then waits for that one). */
  refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight = this.runOnce().finally(() => {
      this.inFlight = undefined;
      if (this.running) this.schedule(this.failures > 0 ? this.backoffDelay() : this.options.intervalMs);
    });
    return this.inFlight;
  }

  snapshot(): Snapshot<T> {
    return { name: this.options.name, data: this.data, health: this.health() };
  }

  private health(): SourceHealth {
    const now = this.timers.now();
    const staleAfter = this.options.staleAfterMs ?? this.options.intervalMs * 3;
    let state: SourceState;
    let staleSince: number | undefined;
    if (this.failures === 0) state = this.fetchedAt === undefined ? 'loading' : 'ok';
    else if (this.fetchedAt !== undefined && now - this.fetchedAt > staleAfter) {
      state = 'stale';
      staleSince = this.fetchedAt + staleAfter;
    } else state = 'error';
    return {
      state,
      fetchedAt: this.fetchedAt,
      staleSince,
      error: this.failures > 0 ? this.error : undefined,
      errorAt: this.failures > 0 ? this.errorAt : undefined,
      throttled: this.failures > 0 ? this.throttled : undefined,
      failures: this.failures,
      nextRefreshAt: this.nextRefreshAt,
    };
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.nextRefreshAt = this.timers.now() + delay;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delay);
  }

  /** Exponential backoff with jitter: base × 2^(failures-1), capped, ± jitter; throttling starts higher. */
  private backoffDelay(): number {
    const base = (this.options.backoff?.baseMs ?? 1000) * (this.throttled ? 2 : 1);
    const max = Math.max(this.options.backoff?.maxMs ?? 60_000, this.options.intervalMs);
    const jitter = this.options.backoff?.jitter ?? 0.3;
    const raw = Math.min(max, base * 2 ** Math.min(30, this.failures - 1));
    const jittered = Math.max(0, Math.round(raw * (1 - jitter + 2 * jitter * this.random())));
    // A server that says when to come back (Retry-After) is believed, up to the cap.
    return this.retryAfterMs !== undefined ? Math.max(jittered, Math.min(max, this.retryAfterMs)) : jittered;
  }

  private async runOnce(): Promise<void> {
    const controller = new AbortController();
    const timeoutMs = this.options.timeoutMs ?? Math.max(5_000, this.options.intervalMs * 2);
    let timeout: unknown;
    try {
      const data = await Promise.race([
        this.options.fetch(controller.signal),
        new Promise<never>((_, reject) => {
          timeout = this.timers.setTimeout(() => {
            controller.abort();
            reject(new Error(`no answer within ${Math.round(timeoutMs / 100) / 10}s`));
          }, timeoutMs);
        }),
      ]);
      this.data = data;
      this.fetchedAt = this.timers.now();
      this.failures = 0;
      this.error = undefined;
      this.throttled = false;
    } catch (error) {
      // Part of the source answered: show what it read, and still count the failure.
      if (error instanceof PartialAnswerError) this.data = error.partial as T;
      this.failures += 1;
      this.error = errorMessage(error);
      this.errorAt = this.timers.now();
      this.throttled = isThrottling(error);
      const after = (error as { retryAfterMs?: unknown })?.retryAfterMs;
      this.retryAfterMs = typeof after === 'number' && Number.isFinite(after) && after > 0 ? after : undefined;
    } finally {
      if (timeout !== undefined) this.timers.clearTimeout(timeout);
    }
    this.notify();
  }

  private notify(): void {
    const snap = this.snapshot();
    for (const l of this.listeners) {
      try {
        l(snap);
      } catch {
        // A listener's bug must not stop the poller.
      }
    }
  }
}
