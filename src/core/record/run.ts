import { randomBytes } from 'node:crypto';

/**
 * A tag for one sandbox run (one simulated world, lived in the cockpit or a drill): every run replays the
 * same simulated times, so its incidents carry the tag in their ids ("PSB1001.mx3k9a") and the journal
 * keeps runs apart. Six characters: the time, to sort roughly, and randomness, to never collide.
 */
export function newRunTag(now = Date.now()): string {
  return `${now.toString(36).slice(-4)}${randomBytes(2).toString('hex').slice(0, 2)}`;
}
