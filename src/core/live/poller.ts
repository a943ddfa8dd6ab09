import { PartialAnswerError } from '../partial.js';

/**
 * A live model: one poller per source (k9s's model layer). It refreshes on its own interval with a
 * fast first tick, never runs two refreshes of its source at once, backs off exponentially with
 * jitter on errors and throttling, keeps the last good data when a refresh fails, stamps every
 * snapshot with its fetch time, and tells listeners. Nothing thrown by a source escapes it.
 */

export type SourceState = SourceHealth['state'];

/** What every health carries: the refresh schedule, and when the data on hand was fetched. */
interface HealthTiming {
  /** Refreshes failed in a row. */
  readonly failures: number;
  readonly nextRefreshAt?: number;
  /** When the data on hand was fetched. */
  readonly fetchedAt?: number;
}

/** A health with no failure: reading error fields gives undefined, whatever the state. */
interface NoFailure {
  readonly error?: undefined;
  readonly errorAt?: undefined;
  readonly throttled?: undefined;
  readonly staleSince?: undefined;
}

/** The last refresh failed: why and when. */
interface Failure {
  readonly error: string;
  readonly errorAt: number;
  /** Whether the error was throttling (HTTP 429, ThrottlingException); the poller always says. */
  readonly throttled?: boolean;
}

/**
 * A source's health as a tagged value, so that no reader has to infer meaning from an error's wording:
 * - loading: nothing fetched yet;
 * - ok: the last refresh worked;
 * - error: the last refresh failed (older data may remain);
 * - stale: failing for longer than staleAfter, with data older than that (staleSince says since when);
 * - unconfigured: the configuration has no such source (a PagerDuty-only setup has no ECS): never asked.
 */
export type SourceHealth =
  | (HealthTiming & NoFailure & { readonly state: 'loading' })
  | (HealthTiming & NoFailure & { readonly state: 'ok'; readonly fetchedAt: number })
  | (HealthTiming & Failure & { readonly state: 'error'; readonly staleSince?: undefined })
  | (HealthTiming & Failure & { readonly state: 'stale'; readonly fetchedAt: number; readonly staleSince: number })
  | (HealthTiming &
      NoFailure & {
        readonly state: 'unconfigured';
        /** What kind of source is missing: "alarm", "on-call". */ readonly source: string;
      });

/** "no on-call source configured": what an unconfigured source says where its data would be. */
export function unconfiguredText(h: Extract<SourceHealth, { state: 'unconfigured' }>): string {
  return `no ${h.source} source configured`;
}

/** Why a source has nothing to show: its error, or that it is not configured; undefined while loading or ok. */
export function unavailableReason(h: SourceHealth): string | undefined {
  return h.state === 'unconfigured' ? unconfiguredText(h) : h.error;
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
  /**
   * Set when the configuration has no such source (the word for it: "alarm", "on-call"): the poller then
   * never fetches and its health says `unconfigured`, never an error nor "loading".
   */
  readonly unconfigured?: string;
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
  const e = error as {
    name?: string;
    code?: string;
    status?: number;
    statusCode?: number;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e?.status ?? e?.statusCode ?? e?.$metadata?.httpStatusCode;
  return (
    status === 429 || /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(`${e?.name ?? ''} ${e?.code ?? ''}`)
  );
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
    if (this.running || this.options.unconfigured !== undefined) return;
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
    if (this.options.unconfigured !== undefined) return Promise.resolve();
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
    const timing = {
      failures: this.failures,
      ...(this.nextRefreshAt !== undefined ? { nextRefreshAt: this.nextRefreshAt } : {}),
    };
    if (this.options.unconfigured !== undefined)
      return { state: 'unconfigured', source: this.options.unconfigured, ...timing };
    const fetchedAt = this.fetchedAt;
    if (this.failures === 0 || this.error === undefined || this.errorAt === undefined) {
      return fetchedAt === undefined ? { state: 'loading', ...timing } : { state: 'ok', fetchedAt, ...timing };
    }
    const failure = { error: this.error, errorAt: this.errorAt, throttled: this.throttled };
    const staleAfter = this.options.staleAfterMs ?? this.options.intervalMs * 3;
    if (fetchedAt !== undefined && this.timers.now() - fetchedAt > staleAfter) {
      return { state: 'stale', fetchedAt, staleSince: fetchedAt + staleAfter, ...failure, ...timing };
    }
    return { state: 'error', ...(fetchedAt !== undefined ? { fetchedAt } : {}), ...failure, ...timing };
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
