import type { RunState, Slot } from './runState.js';

/**
 * The walk's waits: the pause a drill puts between steps, a check's polling until it passes, and the
 * `waiting` the snapshot shows meanwhile (a check's wait, an action's verification). stop() and
 * skipWait() end a wait through `waitController`; the walk then carries on with what it has.
 */

/** Lets `ms` pass on the clock, unless the walk stops or the wait is skipped. */
export async function waitFor(run: RunState, ms: number): Promise<void> {
  if (ms <= 0 || run.stopped) return;
  run.waitController = new AbortController();
  try {
    await run.options.clock.wait(ms, run.waitController.signal);
  } catch {
    // skipWait() or stop(): carry on with what we have
  } finally {
    run.waitController = undefined;
  }
}

/** Shows that step `s` waits for `what` until `until`. */
export function beginWaiting(run: RunState, s: Slot, what: string, since: number, until: number): void {
  run.waiting = { stepId: s.step.id, what, since, until };
  run.setStatus(s, 'waiting');
  run.emit({ type: 'waiting', stepId: s.step.id, what });
}

/** Clears what beginWaiting showed. */
export function endWaiting(run: RunState, stepId: string): void {
  run.waiting = undefined;
  run.emit({ type: 'waiting', stepId });
}

/**
 * Looks again every clock.pollMs until `passed()` says so, the walk stops, the wait is skipped or
 * `until` comes; the step shows as waiting meanwhile. The caller has judged once already.
 */
export async function pollUntil(run: RunState, s: Slot, since: number, until: number, passed: () => Promise<boolean>): Promise<void> {
  const { clock } = run.options;
  beginWaiting(run, s, s.step.title, since, until);
  while (!run.stopped && clock.now() < until) {
    run.waitController = new AbortController();
    try {
      await clock.wait(Math.min(clock.pollMs, until - clock.now()), run.waitController.signal);
    } catch {
      run.waitController = undefined;
      break;
    }
    run.waitController = undefined;
    if (await passed()) break;
  }
  endWaiting(run, s.step.id);
}
