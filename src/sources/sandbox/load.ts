import { hashString, jitter } from './noise.js';

/**
 * The shape of ordinary demand: a health app used most in the morning and the evening (Tokyo time),
 * a little less at weekends. Everything the sandbox measures scales from this.
 */

// Relative demand at each hour of the day in Tokyo, 0:00 to 23:00.
const HOURLY = [
  0.3, 0.2, 0.15, 0.12, 0.12, 0.18, 0.42, 0.72, 0.85, 0.78, 0.72, 0.7, 0.78, 0.72, 0.66, 0.64, 0.66, 0.72, 0.8, 0.9,
  1.0, 0.98, 0.8, 0.5,
];
const TOKYO_OFFSET_MIN = 9 * 60;

/** Peak API demand in requests per minute. */
export const PEAK_REQUESTS_PER_MINUTE = 9000;

/** Relative demand (0–1) at epoch ms t, smooth between hours. */
export function demandShape(t: number): number {
  const minuteOfWeek = Math.floor(t / 60_000 + TOKYO_OFFSET_MIN);
  const minuteOfDay = ((minuteOfWeek % 1440) + 1440) % 1440;
  const hour = Math.floor(minuteOfDay / 60);
  const frac = (minuteOfDay % 60) / 60;
  const a = HOURLY[hour]!;
  const b = HOURLY[(hour + 1) % 24]!;
  // Day 0 of the epoch (1970-01-01) was a Thursday; in Tokyo days start 9 h earlier in UTC.
  const day = Math.floor((t / 60_000 + TOKYO_OFFSET_MIN) / 1440);
  const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  const weekend = weekday === 0 || weekday === 6 ? 0.85 : 1;
  return (a + (b - a) * frac) * weekend;
}

const KEYS = new Map<string, number>();
/** A stable numeric key for a metric name, for the noise functions. */
export function keyOf(name: string): number {
  let k = KEYS.get(name);
  if (k === undefined) {
    k = hashString(name);
    KEYS.set(name, k);
  }
  return k;
}

/** value × (1 ± amplitude), deterministic per (seed, name, minute). */
export function noisy(seed: number, name: string, minute: number, value: number, amplitude: number): number {
  return value * (1 + amplitude * jitter(seed, keyOf(name), minute));
}
