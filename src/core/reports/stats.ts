import type { PriorityName } from '../model.js';
import type { Policy } from '../policy/types.js';
import type { DurationStats, PriorityRow, ReportIncident } from './types.js';

/**
 * The response figures every report uses, defined once:
 * - MTTA (mean time to acknowledge): from the incident's trigger (its creation) to its first
 *   acknowledgement, averaged over the incidents that were acknowledged. An incident resolved without
 *   anyone acknowledging it does not count towards MTTA (it is counted in "not acknowledged").
 * - MTTR (mean time to resolve): from the trigger to the resolution, averaged over the incidents that
 *   were resolved. Open incidents do not count (they are listed as open).
 * Both are given with the median beside the mean: one long incident moves the mean a lot.
 */

export function mean(xs: readonly number[]): number | undefined {
  if (!xs.length) return undefined;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function median(xs: readonly number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function durationStats(xs: readonly number[]): DurationStats {
  const m = mean(xs);
  const md = median(xs);
  return { count: xs.length, ...(m !== undefined ? { meanMs: m } : {}), ...(md !== undefined ? { medianMs: md } : {}) };
}

/** Trigger → first acknowledgement, for incidents that were acknowledged. */
export function timeToAcknowledge(i: ReportIncident): number | undefined {
  return i.acknowledgedAt !== undefined ? Math.max(0, i.acknowledgedAt - i.createdAt) : undefined;
}

/** Trigger → resolution, for incidents that were resolved. */
export function timeToResolve(i: ReportIncident): number | undefined {
  return i.resolvedAt !== undefined && i.status === 'resolved' ? Math.max(0, i.resolvedAt - i.createdAt) : undefined;
}

export function mtta(incidents: readonly ReportIncident[]): DurationStats {
  return durationStats(incidents.map(timeToAcknowledge).filter((x): x is number => x !== undefined));
}

export function mttr(incidents: readonly ReportIncident[]): DurationStats {
  return durationStats(incidents.map(timeToResolve).filter((x): x is number => x !== undefined));
}

const PRIORITIES: readonly (PriorityName | 'none')[] = ['P1', 'P2', 'P3', 'P4', 'none'];

/** Incidents by priority with MTTA and MTTR; a priority with no incidents is left out, except P1–P4 when `all`. */
export function byPriority(incidents: readonly ReportIncident[], policy: Policy, all = false): PriorityRow[] {
  const groups = new Map<PriorityName | 'none', ReportIncident[]>();
  for (const i of incidents) {
    const key = i.priority ?? 'none';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  const rows: PriorityRow[] = [];
  for (const p of PRIORITIES) {
    const g = groups.get(p) ?? [];
    if (!g.length && !(all && p !== 'none')) continue;
    const target = p === 'none' ? undefined : policy.priorities.find((d) => d.name === p)?.responseTargetMinutes;
    const missed = target === undefined ? 0 : g.filter((i) => (timeToAcknowledge(i) ?? -1) > target * 60_000).length;
    rows.push({
      priority: p,
      incidents: g.length,
      open: g.filter((i) => i.status !== 'resolved' && i.endedWithRun === undefined).length,
      mtta: mtta(g),
      mttr: mttr(g),
      missedResponseTarget: missed,
    });
  }
  return rows;
}

/** Slope of the least-squares line through (x, y). */
export function slope(points: readonly { x: number; y: number }[]): number | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? undefined : num / den;
}
