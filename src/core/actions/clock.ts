/**
 * Time for the remediation engine and the runbook runner. Verification and some checks wait (an alarm
 * to return to OK, a deployment to finish, a provider to come back); how they wait depends on the
 * world they talk to. Against real sources a wait sleeps. Against the frozen sandbox of a drill a wait
 * ADVANCES simulated time, so a game day of an hour and a half runs in a second or two. Nothing above
 * this interface knows which.
 */
export interface Clock {
  /** The current time as the sources see it (epoch ms). */
  now(): number;
  /** Lets `ms` pass: sleeps, or moves simulated time forward. Rejects when the signal aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  /** How often to look again while waiting for something (the sandbox evaluates alarms per minute). */
  readonly pollMs: number;
}

function aborted(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the wait was stopped');
}

/** The wall clock: waits sleep (timers that do not keep the process alive on their own). */
export function realClock(pollMs = 15_000, now: () => number = Date.now): Clock {
  return {
    now,
    pollMs,
    wait(ms, signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(aborted(signal));
        const timer = setTimeout(
          () => {
            signal?.removeEventListener('abort', stop);
            resolve();
          },
          Math.max(0, ms),
        );
        const stop = () => {
          clearTimeout(timer);
          reject(aborted(signal!));
        };
        signal?.addEventListener('abort', stop, { once: true });
      });
    },
  };
}

/** What a simulated world offers: its clock and a way to move it (the sandbox's now() and advance()). */
export interface Simulated {
  now(): number;
  advance(ms: number): void;
}

/**
 * Simulated time: a wait advances the world by `ms` at once. It still yields to the event loop, so that
 * progress listeners and a UI stay responsive while a drill fast-forwards.
 */
export function simulatedClock(world: Simulated, pollMs = 60_000): Clock {
  return {
    now: () => world.now(),
    pollMs,
    async wait(ms, signal) {
      if (signal?.aborted) throw aborted(signal);
      if (ms > 0) world.advance(ms);
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}
