import type { Clock } from '../actions/clock.js';
import type { Sources } from '../../sources/ports.js';

/** Time for waits: the sources' clock, with waits `speed` times shorter (the sandbox runs faster than the wall clock). */
export function scaledClock(sources: Sources, speed: number): Clock {
  const factor = Math.max(0.001, speed);
  const now = () => Math.floor(sources.now());
  return {
    now,
    pollMs: sources.simulation ? 60_000 : 15_000,
    wait: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(new Error('the wait was stopped'));
        const timer = setTimeout(
          () => {
            signal?.removeEventListener('abort', stop);
            resolve();
          },
          Math.max(0, ms / factor),
        );
        const stop = () => {
          clearTimeout(timer);
          reject(new Error('the wait was stopped'));
        };
        signal?.addEventListener('abort', stop, { once: true });
      }),
  };
}
