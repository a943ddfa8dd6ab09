/**
 * Every request has a deadline, from this one place. Three limits:
 * - connect: opening a connection to a server (TCP and TLS);
 * - request: one HTTP request, from sending it to the last byte of the answer (a server that accepts and
 *   never answers, or answers a byte at a time, is abandoned when it passes);
 * - source: all that a headless command (status, doctor, the reports) waits for one source, retries,
 *   pages and rate-limit waits included; past it the source is reported as not answering (exit 4).
 * The cockpit's pollers have their own timeout per refresh (core/live/poller.ts) on top of the request one.
 *
 * Defaults below; `timeouts.connect|request|source` in the configuration (seconds), or
 * VITASCOPE_TIMEOUT_CONNECT|REQUEST|SOURCE, change them (the tests shorten them).
 */
import type { Config } from '../config/schema.js';

export interface Deadlines {
  readonly connectMs: number;
  readonly requestMs: number;
  readonly sourceMs: number;
}

export const DEFAULT_DEADLINES: Deadlines = { connectMs: 3_000, requestMs: 10_000, sourceMs: 20_000 };

/** The deadlines the configuration (with its environment overrides) asks for, defaults for the rest. */
export function deadlinesFor(config: Pick<Config, 'timeouts'>): Deadlines {
  const t = config.timeouts ?? {};
  const ms = (seconds: number | undefined, fallback: number) =>
    seconds === undefined ? fallback : Math.round(seconds * 1000);
  return {
    connectMs: ms(t.connect, DEFAULT_DEADLINES.connectMs),
    requestMs: ms(t.request, DEFAULT_DEADLINES.requestMs),
    sourceMs: ms(t.source, DEFAULT_DEADLINES.sourceMs),
  };
}

/**
 * One signal that aborts when any of the given ones does. AbortSignal.any exists from Node 20.3;
 * this keeps the adapters working on every Node 20 the package admits.
 */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  const any = (AbortSignal as unknown as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any(present);
  const controller = new AbortController();
  for (const s of present) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

/** "2 s", "0.5 s": how a deadline reads in a message. */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** A deadline passed: nothing (or not all) came back in time. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(
    readonly what: string,
    readonly ms: number,
    /** True when the source had already missed a deadline in this command and was not asked again. */
    readonly earlier = false,
  ) {
    super(
      earlier
        ? `${what}: not asked again (no answer within ${seconds(ms)} earlier)`
        : `${what}: no answer within ${seconds(ms)}`,
    );
  }
}

/**
 * Runs `run` with a signal that aborts after `ms` (or when `outer` does), and gives up on it then even if
 * it ignores the signal: the promise rejects with a DeadlineError at the deadline whatever `run` does.
 */
export async function withDeadline<T>(
  what: string,
  ms: number,
  run: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onOuter: (() => void) | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    const stop = (reason: unknown) => {
      controller.abort(reason);
      reject(reason);
    };
    timer = setTimeout(() => stop(new DeadlineError(what, ms)), ms);
    if (outer?.aborted) stop(outer.reason);
    else if (outer) outer.addEventListener('abort', (onOuter = () => stop(outer.reason)), { once: true });
  });
  try {
    return await Promise.race([run(controller.signal), gaveUp]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (onOuter) outer?.removeEventListener('abort', onOuter);
  }
}
