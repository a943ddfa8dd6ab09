import type { Point } from '../model.js';

/**
 * Where a metric is heading at its current rate: a least-squares line through the recent points,
 * followed forward until it meets a value. Pure, for the `forecast` of a metric check (checks.ts): a
 * disk at 83 % says little; "full in about 29 minutes at this rate" decides between a page and a ticket.
 */

export type Direction = 'falling' | 'rising';

export type Forecast =
  /** Too few points to draw a line through. */
  | { readonly kind: 'too-few'; readonly points: number }
  /** The newest value already meets the target. */
  | { readonly kind: 'already'; readonly now: number }
  /** At the current rate the target is met after `inMs`. */
  | { readonly kind: 'reaches'; readonly now: number; readonly perHour: number; readonly inMs: number }
  /** The metric is flat or moving away from the target. */
  | { readonly kind: 'not-heading'; readonly now: number; readonly perHour: number };

/** The least-squares slope of the points, per millisecond; undefined with fewer than three or no spread in time. */
export function slope(points: readonly Point[]): number | undefined {
  if (points.length < 3) return undefined;
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? undefined : num / den;
}

/**
 * When the points, followed at their slope from the newest value, cross `target` going `toward`
 * (falling: down to it; rising: up to it).
 */
export function forecastReach(points: readonly Point[], target: number, toward: Direction): Forecast {
  const s = slope(points);
  if (s === undefined) return { kind: 'too-few', points: points.length };
  const now = points[points.length - 1]!.v;
  const perHour = s * 3_600_000;
  if (toward === 'falling' ? now <= target : now >= target) return { kind: 'already', now };
  const heading = toward === 'falling' ? s < 0 : s > 0;
  if (!heading) return { kind: 'not-heading', now, perHour };
  return { kind: 'reaches', now, perHour, inMs: (target - now) / s };
}
