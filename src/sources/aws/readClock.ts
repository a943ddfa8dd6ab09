/**
 * The deadline of one read that may take many calls (an Insights query and its polls, a paged scan): one
 * signal that fires at the deadline or when the caller aborts, so that a slow answer is cut at the deadline
 * and the read returns what it has, marked incomplete.
 */
import { anySignal, DeadlineError } from '../deadlines.js';

/** Started when a read starts; done() when it ends (its timer would otherwise keep a short command alive). */
export class Clock {
  readonly ends: number;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  readonly signal: AbortSignal;
  private readonly outer: AbortSignal | undefined;

  constructor(
    what: string,
    readonly ms: number,
    outer: AbortSignal | undefined,
  ) {
    this.outer = outer;
    this.ends = Date.now() + ms;
    this.timer = setTimeout(() => this.controller.abort(new DeadlineError(what, ms)), ms);
    this.timer.unref?.();
    this.signal = anySignal([outer, this.controller.signal]);
  }
  /** The caller gave up (a failure to report), as opposed to the deadline (an incomplete answer). */
  get outerAborted(): boolean {
    return this.outer?.aborted === true;
  }
  get expired(): boolean {
    return this.controller.signal.aborted || Date.now() >= this.ends;
  }
  left(): number {
    return Math.max(0, this.ends - Date.now());
  }
  done(): void {
    clearTimeout(this.timer);
  }
}

/** Waits `ms`, or less when the signal fires first (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
