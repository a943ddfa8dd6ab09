import type { EventInput, Journal, JournalEvent } from '../journal/index.js';
import type { Alarm, MetricRef, Point } from '../model.js';
import type { Policy, PolicyRule } from '../policy/types.js';
import { ruleIdForAlarmName } from '../runbooks/match.js';
import { bindingQuery } from '../policy/query.js';
import type { MetricQuery, MetricSeries, MetricSource } from '../../sources/ports.js';

/**
 * The metric evidence of an incident: the series its report and postmortem show (each of its alarms'
 * metrics, and the API and business metrics the impact figures are computed from), captured into the
 * journal while the world that produced them can still be read. A sandbox run's world is gone when the
 * program ends, and replaying its scenario later would not replay what the responder did to it; CloudWatch
 * keeps one-minute data for 15 days only. Reports read the capture, so they say the same whenever and
 * however they are run.
 */

/** Ids of the impact series (an alarm's series is keyed by the alarm's name). */
export const IMPACT_SERIES = ['requests', 'errors', 'p95', 'users', 'syncFailures'] as const;
export type ImpactSeriesId = (typeof IMPACT_SERIES)[number];
const IMPACT_PREFIX = 'impact:';

/** Before the first alarm and after the recovery, so a chart shows the calm on both sides. */
export const EVIDENCE_BEFORE_MS = 60 * 60_000;
export const EVIDENCE_AFTER_MS = 30 * 60_000;
/** At most this many points a series: long incidents are captured at a coarser step. */
const MAX_POINTS = 1_440;

export function ruleFor(
  policy: Policy,
  alarm: Pick<Alarm, 'name' | 'ruleId'> | undefined,
  name: string,
): PolicyRule | undefined {
  const id = alarm?.ruleId ?? ruleIdForAlarmName(name, policy.rules);
  return id ? policy.rules.find((r) => r.id === id) : undefined;
}

/**
 * The query of an alarm's own metric, as its rule computes it: a rate rule divides by its denominator, a
 * rule computed by metric math is read as its alarm computes it.
 */
export function alarmQuery(policy: Policy, alarm: Alarm): MetricQuery | undefined {
  if (!alarm.metric) return undefined;
  const rule = ruleFor(policy, alarm, alarm.name);
  const math =
    rule?.metric.expression && rule.metric.namespace === alarm.metric.namespace
      ? bindingQuery(alarm.name, rule.metric, alarm.metric.dimensions)
      : undefined;
  if (math) return math;
  return {
    id: alarm.name,
    metric: alarm.metric,
    ...(alarm.metric.statistic ? { statistic: alarm.metric.statistic } : {}),
    ...(rule?.metric.denominator ? { denominator: rule.metric.denominator } : {}),
  };
}

function ruleMetric(policy: Policy, id: string, denominator = false): MetricRef | undefined {
  const rule = policy.rules.find((r) => r.id === id);
  if (!rule) return undefined;
  return {
    namespace: rule.metric.namespace,
    name: denominator && rule.metric.denominator ? rule.metric.denominator : rule.metric.name,
    dimensions: {},
    statistic: rule.metric.statistic,
  };
}

/** The API and business series the impact figures are computed from, by IMPACT_SERIES id. */
export function impactQueries(policy: Policy): MetricQuery[] {
  const q = (id: ImpactSeriesId, metric: MetricRef | undefined, statistic: string): MetricQuery | undefined =>
    metric ? { id, metric, statistic } : undefined;
  return [
    q('requests', ruleMetric(policy, 'error-rate', true), 'Sum'),
    q('errors', ruleMetric(policy, 'error-rate'), 'Sum'),
    q('p95', ruleMetric(policy, 'api-latency-p95'), 'Average'),
    q('users', ruleMetric(policy, 'active-sessions'), 'Average'),
    q('syncFailures', ruleMetric(policy, 'sync-failure-rate'), 'Sum'),
  ].filter((x): x is MetricQuery => x !== undefined);
}

/** One step for a range: a minute, or coarser so that no series has more than MAX_POINTS. */
export function evidenceStep(from: number, to: number): number {
  return Math.max(60, Math.ceil((to - from) / 1000 / MAX_POINTS / 60) * 60);
}

/** Asks once for queries that differ only in their id (a metric's warning and critical alarms). */
async function fetchSeries(
  metrics: MetricSource,
  queries: readonly MetricQuery[],
  range: { start: number; end: number; stepSeconds: number },
): Promise<MetricSeries[]> {
  const keyOf = (q: MetricQuery) =>
    JSON.stringify([
      q.metric.namespace,
      q.metric.name,
      Object.entries(q.metric.dimensions).sort(),
      q.statistic ?? '',
      q.denominator ?? '',
    ]);
  const first = new Map<string, MetricQuery>();
  for (const q of queries) if (!first.has(keyOf(q))) first.set(keyOf(q), q);
  const fetched = new Map((await metrics.getSeries([...first.values()], range)).map((s) => [s.id, s.points]));
  return queries.map((q) => ({ id: q.id, points: fetched.get(first.get(keyOf(q))!.id) ?? [] }));
}

/**
 * Reads the incident's series over [from, to) and returns the event that records them (undefined when
 * no series has a point: nothing to keep).
 */
export async function captureEvent(o: {
  readonly metrics: MetricSource;
  readonly policy: Policy;
  readonly incidentId: string;
  readonly alarms: readonly Alarm[];
  readonly from: number;
  readonly to: number;
  readonly at: number;
  readonly key: string;
  readonly who: EventInput['who'];
}): Promise<EventInput | undefined> {
  // Stored apart from the alarms' series (keyed by alarm name) under a prefix.
  const queries = [
    ...o.alarms.map((a) => alarmQuery(o.policy, a)).filter((q): q is MetricQuery => q !== undefined),
    ...impactQueries(o.policy).map((q) => ({ ...q, id: `${IMPACT_PREFIX}${q.id}` })),
  ];
  if (!queries.length || o.to <= o.from) return undefined;
  const stepSeconds = evidenceStep(o.from, o.to);
  const series = (await fetchSeries(o.metrics, queries, { start: o.from, end: o.to, stepSeconds }))
    .map((s) => ({
      id: s.id,
      points: s.points.filter((p) => Number.isFinite(p.v)).map((p) => [p.t, round(p.v)] as [number, number]),
    }))
    .filter((s) => s.points.length > 0);
  if (!series.length) return undefined;
  return {
    kind: 'metrics.captured',
    who: o.who,
    incidentId: o.incidentId,
    at: o.at,
    key: o.key,
    payload: { from: o.from, to: o.to, stepSeconds, series },
  };
}

/** Six significant digits: enough for any chart or figure, and a smaller journal. */
function round(v: number): number {
  return Number.isInteger(v) ? v : Number(v.toPrecision(6));
}

/** The incident's captured evidence: the widest capture, series by id (alarm name, or IMPACT_SERIES id). */
export interface Evidence {
  readonly from: number;
  readonly to: number;
  readonly stepSeconds: number;
  readonly alarms: ReadonlyMap<string, readonly Point[]>;
  readonly impact: Partial<Record<ImpactSeriesId, readonly Point[]>>;
}

export function evidenceOf(events: readonly JournalEvent[]): Evidence | undefined {
  let best: Extract<JournalEvent, { kind: 'metrics.captured' }> | undefined;
  for (const e of events) {
    if (e.kind !== 'metrics.captured') continue;
    if (
      !best ||
      e.payload.to > best.payload.to ||
      (e.payload.to === best.payload.to && e.payload.from < best.payload.from)
    )
      best = e;
  }
  if (!best) return undefined;
  const alarms = new Map<string, Point[]>();
  const impact: Partial<Record<ImpactSeriesId, Point[]>> = {};
  for (const s of best.payload.series) {
    const points = s.points.map(([t, v]) => ({ t, v }));
    if (s.id.startsWith(IMPACT_PREFIX)) {
      const id = s.id.slice(IMPACT_PREFIX.length) as ImpactSeriesId;
      if ((IMPACT_SERIES as readonly string[]).includes(id)) impact[id] = points;
    } else alarms.set(s.id, points);
  }
  return { from: best.payload.from, to: best.payload.to, stepSeconds: best.payload.stepSeconds, alarms, impact };
}

/** The evidence of an incident as recorded in a journal. */
export function recordedEvidence(journal: Journal, incidentId: string): Evidence | undefined {
  return evidenceOf(journal.query({ incidentId, kinds: ['metrics.captured'] }));
}
