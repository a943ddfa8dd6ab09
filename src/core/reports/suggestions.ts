import type { Alarm, Point } from '../model.js';
import type { Policy } from '../policy/types.js';
import { ruleIdForAlarmName } from '../runbooks/match.js';
import type { Firing, ThresholdSuggestion, WindowSuggestion } from './types.js';

/**
 * The changes the handoff suggests for a noisy alarm: a threshold that would have spared the responders
 * its unanswered firings, or a longer breach duration. A threshold is suggested only for an alarm that
 * compares a number with a fixed threshold (comparisonOf), from at least MIN_SUGGESTION_HISTORY_MS of its
 * metric history (alarms.ts), and never at or past its next level or outside its unit's range (limitOf).
 */

/** The smallest round number (two significant digits) above x. */
export function niceAbove(x: number): number {
  if (x === 0) return 1;
  const step = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 1);
  const v = (Math.floor(x / step + 1e-9) + 1) * step;
  return Number(v.toPrecision(12));
}

/** The largest round number (two significant digits) at or below x. */
export function niceAtMost(x: number): number {
  if (x === 0) return 0;
  const step = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 1);
  return Number((Math.floor(x / step + 1e-9) * step).toPrecision(12));
}

/** The largest round number (two significant digits) strictly below x. */
export function niceBelow(x: number): number {
  const v = niceAtMost(x);
  if (v < x) return v;
  const step = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 1);
  return Number((v - step).toPrecision(12));
}

/** How far a threshold may move: below the next level (a warning's critical threshold), and within the unit's range (a percentage at most 100). */
export interface ThresholdLimit {
  /** The next level's threshold: the suggestion stays strictly on this side of it. */
  readonly next?: number;
  /** The highest (for 'above'; lowest for 'below') value the metric can take: the suggestion may equal it. */
  readonly bound?: number;
}

/** Minimum metric history (first to last point) a threshold suggestion is based on. */
export const MIN_SUGGESTION_HISTORY_MS = 24 * 60 * 60_000;

/**
 * A threshold that would have avoided unanswered firings while keeping the answered ones: above the
 * highest unanswered peak when every answered peak is higher still; else at (a round number just under)
 * the lowest answered peak, avoiding those unanswered firings that peaked below it. When no threshold
 * spares every answered firing and avoids any unanswered one, the threshold above every unanswered peak
 * is given with the answered firings it would lose. `direction: 'below'` mirrors all of it (an alarm on a
 * value falling under its threshold).
 */
export function suggestThreshold(
  current: number,
  direction: 'above' | 'below',
  firings: readonly Pick<Firing, 'peak' | 'unanswered'>[],
  unit?: string,
  limit: ThresholdLimit = {},
): ThresholdSuggestion | 'would-cross-next' | undefined {
  const sign = direction === 'above' ? 1 : -1;
  const u = firings.filter((f) => f.unanswered && f.peak !== undefined).map((f) => sign * f.peak!);
  const a = firings.filter((f) => !f.unanswered && f.peak !== undefined).map((f) => sign * f.peak!);
  const unanswered = firings.filter((f) => f.unanswered).length;
  if (!u.length) return undefined;
  const cur = sign * current;
  const above = niceAbove(Math.max(...u));
  const minA = a.length ? Math.min(...a) : Infinity;
  let t = above <= minA ? above : niceAtMost(minA);
  let avoided = u.filter((v) => v < t).length;
  let lost = 0;
  if (avoided === 0 || t <= cur) {
    t = above;
    avoided = u.length;
    lost = a.filter((v) => v < t).length;
  }
  // Never at or past the next level, never outside the unit's range: the highest round value allowed
  // instead, if it still avoids an unanswered firing.
  const ceiling = Math.min(
    limit.next !== undefined ? niceBelow(sign * limit.next) : Infinity,
    limit.bound !== undefined ? sign * limit.bound : Infinity,
  );
  if (t > ceiling) {
    t = ceiling;
    avoided = u.filter((v) => v < t).length;
    lost = a.filter((v) => v < t).length;
    if (avoided === 0 || t <= cur) return 'would-cross-next';
  }
  if (t <= cur) return undefined;
  return {
    current,
    suggested: sign * t,
    avoided,
    unanswered,
    lostAnswered: lost,
    ...(unit ? { unit } : {}),
    direction,
  };
}

/** How long a breach would have had to last to page: longer than the unanswered firings, not the answered ones. */
export function suggestWindow(
  firings: readonly Firing[],
  periodEnd: number,
  currentMinutes?: number,
): WindowSuggestion | undefined {
  const dur = (f: Firing) => (f.clearedAt ?? periodEnd) - f.at;
  const u = firings.filter((f) => f.unanswered && f.clearedAt !== undefined).map(dur);
  const a = firings.filter((f) => !f.unanswered).map(dur);
  const unanswered = firings.filter((f) => f.unanswered).length;
  if (!u.length) return undefined;
  const longest = Math.floor(Math.max(...u) / 60_000) + 1;
  const minA = a.length ? Math.floor(Math.min(...a) / 60_000) : Infinity;
  let minutes = longest <= minA ? longest : minA;
  let avoided = u.filter((d) => d < minutes * 60_000).length;
  let lost = 0;
  if (avoided === 0) {
    minutes = longest;
    avoided = u.length;
    lost = a.filter((d) => d < minutes * 60_000).length;
  }
  if (currentMinutes !== undefined && minutes <= currentMinutes) return undefined;
  return { minutes, avoided, unanswered, lostAnswered: lost };
}

/** Peak (or trough) of a series between two instants. */
export function peakBetween(
  points: readonly Point[],
  from: number,
  to: number,
  direction: 'above' | 'below',
): number | undefined {
  let best: number | undefined;
  for (const p of points) {
    if (p.t < from || p.t > to || !Number.isFinite(p.v)) continue;
    if (best === undefined || (direction === 'above' ? p.v > best : p.v < best)) best = p.v;
  }
  return best;
}

export function directionOf(alarm: Pick<Alarm, 'comparison'> | undefined): 'above' | 'below' {
  return alarm?.comparison?.includes('LessThan') ? 'below' : 'above';
}

/** How an alarm compares: a number with a fixed threshold, a derived value (baseline ratio, drop, share of a limit), or a state (up or down). */
export type Comparison = 'absolute' | 'derived' | 'state';

/** The policy rule an alarm belongs to: its own rule id, else the one its name follows. */
function ruleOf(policy: Policy, alarm: Alarm | undefined, name: string) {
  const id = alarm?.ruleId ?? ruleIdForAlarmName(name, policy.rules);
  return id ? policy.rules.find((r) => r.id === id) : undefined;
}

/**
 * How an alarm compares, for threshold suggestions: a state (up/down: boolean unit or a state rule), a
 * derived value (a baseline ratio, a drop, a share of a limit, or what the gatherer found not to compare
 * its metric directly), or a number against a fixed threshold (absolute, or a count of consecutive events).
 */
export function comparisonOf(
  policy: Policy,
  alarm: Alarm | undefined,
  name: string,
  absolute?: (alarmName: string) => boolean,
): Comparison {
  const rule = ruleOf(policy, alarm, name);
  if ((alarm?.unit ?? rule?.unit) === 'boolean' || rule?.comparison.kind === 'state') return 'state';
  if (rule && rule.comparison.kind !== 'absolute' && rule.comparison.kind !== 'consecutive') return 'derived';
  if (absolute && !absolute(name)) return 'derived';
  return 'absolute';
}

const LEVELS = ['info', 'warning', 'critical'] as const;

function levelOf(alarm: Alarm | undefined, name: string): (typeof LEVELS)[number] | undefined {
  if (alarm?.level) return alarm.level;
  return LEVELS.find((l) => name.endsWith(`-${l}`));
}

/**
 * Where an alarm's threshold may not go: the next level's threshold — another alarm on the same metric
 * with a higher level, else the policy rule's next threshold (a warning's critical) — and, for a
 * percentage, 100 % (0 % for an alarm on falling values).
 */
export function limitOf(policy: Policy, alarms: readonly Alarm[], name: string): ThresholdLimit {
  const alarm = alarms.find((a) => a.name === name);
  const level = levelOf(alarm, name);
  const rule = ruleOf(policy, alarm, name);
  const direction = directionOf(alarm);
  const higher = level ? LEVELS.slice(LEVELS.indexOf(level) + 1) : [];
  const sameMetric = (a: Alarm) =>
    a.name !== name &&
    alarm?.metric !== undefined &&
    a.metric !== undefined &&
    a.metric.namespace === alarm.metric.namespace &&
    a.metric.name === alarm.metric.name &&
    JSON.stringify(Object.entries(a.metric.dimensions).sort()) ===
      JSON.stringify(Object.entries(alarm.metric.dimensions).sort());
  let next: number | undefined;
  for (const l of higher) {
    const sibling = alarms.find((a) => sameMetric(a) && a.level === l && a.threshold !== undefined);
    next = sibling?.threshold ?? rule?.thresholds[l];
    if (next !== undefined) break;
  }
  const unit = alarm?.unit ?? rule?.unit;
  const bound = unit === 'percent' ? (direction === 'above' ? 100 : 0) : undefined;
  return { ...(next !== undefined ? { next } : {}), ...(bound !== undefined ? { bound } : {}) };
}
