import { bindingQuery } from '../policy/query.js';
import { activeBlocks, BLOCK_ACTIONS } from './blocks.js';
import type { FollowUp, Journal, JournalEvent } from '../journal/index.js';
import type { Alarm, MetricRef, Point, Shift, TimelineEntry } from '../model.js';
import type { Policy, PolicyRule } from '../policy/types.js';
import type { LoadedRunbook } from '../runbooks/lint.js';
import { ruleIdForAlarmName } from '../runbooks/match.js';
import type { MetricQuery, Sources } from '../../sources/ports.js';
import { analyseAlarms, mergeTransitions, transitionsFromHistory, transitionsFromJournal } from './alarms.js';
import { actionRuns } from './actions.js';
import type { HandoffInput } from './handoff.js';
import { impactWindow, type IncidentInput } from './incident.js';
import { fromJournal, fromSource, journalLinks, mergeIncidents, mergeTwo } from './incidents.js';
import type { ImpactSeries, PostmortemInput } from './postmortem.js';
import { latencyTargetMs, SLA_STEP_SECONDS, type CapacitySeries, type ServiceSeries, type SummaryInput } from './summary.js';
import type { AlarmTransition, ChangeItem, Origin, Period, ReportIncident, SourceGap } from './types.js';

/**
 * The impure half of the reports: reads the journal and the sources and hands the pure builders their
 * input. A source that fails does not stop a report: what it would have given is missing, and the report's
 * footer names the source and the error (a "gap").
 */
export interface GatherContext {
  readonly journal: Journal;
  readonly sources: Sources;
  readonly policy: Policy;
  readonly now: number;
  readonly environment: string;
  /** What the incident source is: PagerDuty, or the sandbox's pager. */
  readonly logOrigin: Origin;
  /** The loaded runbooks (undefined: they could not be loaded; the handoff then skips that section). */
  readonly runbooks?: readonly LoadedRunbook[];
  /** At most this many incidents' log entries are read for a handoff (default 200, newest first). */
  readonly timelineLimit?: number;
  /** At most this many noisy alarms get their metric history read for a threshold suggestion (default 10). */
  readonly seriesLimit?: number;
}

const CONCURRENCY = 8;
const HANDOFF_KINDS = [
  'alarm.transition',
  'incident.created',
  'incident.acknowledged',
  'incident.escalated',
  'incident.resolved',
  'action.planned',
  'action.confirmed',
  'action.applied',
  'action.verified',
  'action.failed',
] as const;

class Gaps {
  readonly list: SourceGap[] = [];
  async try<T>(source: string, f: () => Promise<T>): Promise<T | undefined> {
    try {
      return await f();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!this.list.some((g) => g.source === source && g.error === message)) this.list.push({ source, error: message.slice(0, 500) });
      return undefined;
    }
  }
}

/** Runs f over items, at most `limit` at a time, keeping the order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export function ruleFor(policy: Policy, alarm: Pick<Alarm, 'name' | 'ruleId'> | undefined, name: string): PolicyRule | undefined {
  const id = alarm?.ruleId ?? ruleIdForAlarmName(name, policy.rules);
  return id ? policy.rules.find((r) => r.id === id) : undefined;
}

/** Whether the alarm compares its metric's own value with the threshold (so that the metric's peaks can suggest a new one). */
export function comparesDirectly(policy: Policy, alarm: Alarm | undefined, name: string): boolean {
  const rule = ruleFor(policy, alarm, name);
  if (!rule) return alarm?.metric !== undefined;
  return rule.comparison.kind === 'absolute' || rule.comparison.kind === 'consecutive';
}

function metricQuery(policy: Policy, alarm: Alarm): MetricQuery | undefined {
  if (!alarm.metric) return undefined;
  const rule = ruleFor(policy, alarm, alarm.name);
  // A rule computed by metric math (without limits it lacks) is read as its alarm computes it.
  const math = rule?.metric.expression && rule.metric.namespace === alarm.metric.namespace ? bindingQuery(alarm.name, rule.metric, alarm.metric.dimensions) : undefined;
  if (math) return math;
  return {
    id: alarm.name,
    metric: alarm.metric,
    ...(alarm.metric.statistic ? { statistic: alarm.metric.statistic } : {}),
    ...(rule?.metric.denominator ? { denominator: rule.metric.denominator } : {}),
  };
}

function stepFor(span: number, minStep = 60, maxPoints = 1440): number {
  const step = Math.max(minStep, Math.ceil(span / 1000 / maxPoints / 60) * 60);
  return step;
}

async function listAllAlarms(ctx: GatherContext, gaps: Gaps): Promise<Alarm[]> {
  const [a, b] = await Promise.all([
    ctx.sources.alarms ? gaps.try('alarms', () => ctx.sources.alarms!.listAlarms()) : Promise.resolve([]),
    ctx.sources.alerts ? gaps.try('alerts', () => ctx.sources.alerts!.listAlarms()) : Promise.resolve([]),
  ]);
  return [...(a ?? []), ...(b ?? [])];
}

async function historyOf(ctx: GatherContext, gaps: Gaps, names: readonly string[], range: Period, alarms: readonly Alarm[]): Promise<AlarmTransition[]> {
  const source = ctx.sources.alarms;
  if (!source) return [];
  const known = new Set(alarms.map((a) => a.name));
  const lists = await mapLimit(
    names.filter((n) => known.has(n)),
    CONCURRENCY,
    async (name) => transitionsFromHistory(name, (await gaps.try('alarm history', () => source.alarmHistory(name, { from: range.from, to: range.to }))) ?? []),
  );
  return lists.flat();
}

async function seriesFor(ctx: GatherContext, gaps: Gaps, queries: readonly MetricQuery[], range: Period, stepSeconds: number): Promise<Map<string, Point[]>> {
  const out = new Map<string, Point[]>();
  if (!ctx.sources.metrics || !queries.length) return out;
  const result = await gaps.try('metrics', () => ctx.sources.metrics!.getSeries(queries, { start: range.from, end: range.to, stepSeconds }));
  for (const s of result ?? []) if (s.points.length) out.set(s.id, s.points);
  return out;
}

/** Like seriesFor, asking once for queries that differ only in their id (a metric's warning and critical alarms). */
async function seriesOnce(ctx: GatherContext, gaps: Gaps, queries: readonly MetricQuery[], range: Period, stepSeconds: number): Promise<Map<string, Point[]>> {
  const keyOf = (q: MetricQuery) => JSON.stringify([q.metric.namespace, q.metric.name, Object.entries(q.metric.dimensions).sort(), q.statistic ?? '', q.denominator ?? '']);
  const first = new Map<string, MetricQuery>();
  for (const q of queries) if (!first.has(keyOf(q))) first.set(keyOf(q), q);
  const fetched = await seriesFor(ctx, gaps, [...first.values()], range, stepSeconds);
  const out = new Map<string, Point[]>();
  for (const q of queries) {
    const points = fetched.get(first.get(keyOf(q))!.id);
    if (points) out.set(q.id, points);
  }
  return out;
}

async function deployments(ctx: GatherContext, gaps: Gaps, range: Period): Promise<ChangeItem[]> {
  if (!ctx.sources.services) return [];
  const services = (await gaps.try('services', () => ctx.sources.services!.listServices())) ?? [];
  const out: ChangeItem[] = [];
  for (const s of services) {
    for (const d of s.deployments) {
      if (d.createdAt < range.from || d.createdAt >= range.to) continue;
      const td = d.taskDefinition.split('/').pop() ?? d.taskDefinition;
      out.push({ at: d.createdAt, what: `${s.name}: deployment of ${td} (${d.rolloutState}${d.rolloutReason ? `: ${d.rolloutReason}` : ''})` });
    }
  }
  return out;
}

/** The journal's and the source's incidents created in a range, plus every one still open; merged. */
async function incidentsFor(ctx: GatherContext, gaps: Gaps, range: Period, events: readonly JournalEvent[], withOpen: boolean): Promise<ReportIncident[]> {
  const links = journalLinks(events);
  const fromJ = ctx.journal.incidents({ since: range.from, until: range.to });
  if (withOpen) {
    const ids = new Set(fromJ.map((i) => i.id));
    for (const i of ctx.journal.incidents({ status: ['triggered', 'acknowledged'] })) if (!ids.has(i.id)) fromJ.push(i);
  }
  const src = ctx.sources.incidents;
  let fromS: ReportIncident[] = [];
  if (src) {
    const [inRange, open] = await Promise.all([
      gaps.try('incidents', () => src.listIncidents({ since: range.from, until: range.to })),
      withOpen ? gaps.try('incidents', () => src.listIncidents({ statuses: ['triggered', 'acknowledged'] })) : Promise.resolve([]),
    ]);
    const seen = new Set<string>();
    for (const i of [...(inRange ?? []), ...(open ?? [])]) {
      if (seen.has(i.id)) continue;
      seen.add(i.id);
      fromS.push(fromSource(i, ctx.logOrigin));
    }
  }
  fromS = fromS.filter((i) => (i.createdAt >= range.from && i.createdAt < range.to) || (withOpen && i.status !== 'resolved'));
  return mergeIncidents(
    fromJ.map((r) => fromJournal(r, links)),
    fromS,
  );
}

async function logEntriesFor(ctx: GatherContext, gaps: Gaps, incidents: readonly ReportIncident[]): Promise<TimelineEntry[]> {
  const src = ctx.sources.incidents;
  if (!src) return [];
  const limit = ctx.timelineLimit ?? 200;
  const wanted = incidents.filter((i) => i.origins.includes(ctx.logOrigin));
  const chosen = [...wanted].sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
  if (wanted.length > chosen.length) gaps.list.push({ source: 'incident log', error: `log entries read for the ${chosen.length} newest of ${wanted.length} incidents` });
  const lists = await mapLimit(chosen, CONCURRENCY, async (i) => (await gaps.try('incident log', () => src.timeline(i.id))) ?? []);
  return lists.flat();
}

export async function gatherHandoff(ctx: GatherContext, period: Period): Promise<HandoffInput> {
  const gaps = new Gaps();
  const { journal, sources } = ctx;
  // A day before the period too: an alarm already in ALARM when the period began is not a new firing.
  const lookback: Period = { from: period.from - 24 * 60 * 60_000, to: period.to };
  const events = journal.query({ since: lookback.from, until: period.to, kinds: HANDOFF_KINDS });
  const [incidents, alarms, rotation, nextRotation, changes] = await Promise.all([
    incidentsFor(ctx, gaps, period, events, true),
    listAllAlarms(ctx, gaps),
    sources.onCall ? gaps.try('on-call', () => sources.onCall!.rotation(period.from, period.to)) : Promise.resolve([] as Shift[]),
    sources.onCall ? gaps.try('on-call', () => sources.onCall!.rotation(period.to, period.to + 7 * 24 * 60 * 60_000)) : Promise.resolve([] as Shift[]),
    deployments(ctx, gaps, period),
  ]);
  const logEntries = await logEntriesFor(
    ctx,
    gaps,
    incidents.filter((i) => i.createdAt >= period.from && i.createdAt < period.to),
  );
  const journalTransitions = transitionsFromJournal(events);
  const names = [...new Set([...alarms.map((a) => a.name), ...journalTransitions.map((t) => t.alarmName)])];
  const history = await historyOf(ctx, gaps, names, lookback, alarms);
  const transitions = mergeTransitions(journalTransitions, history);
  const alarmsByName = new Map(alarms.map((a) => [a.name, a]));
  const absolute = (name: string) => comparesDirectly(ctx.policy, alarmsByName.get(name), name);

  // A first pass finds the noisy alarms; only their metric history is read.
  const actions = actionRuns(events);
  const firstPass = analyseAlarms({ transitions, alarms: alarmsByName, period, incidents, actions, absolute });
  const noisy = firstPass.rows
    .filter((r) => r.unanswered > 0 && absolute(r.alarmName))
    .slice(0, ctx.seriesLimit ?? 10)
    .map((r) => alarmsByName.get(r.alarmName))
    .filter((a): a is Alarm => a !== undefined);
  const series = new Map<string, Point[]>();
  const byStep = new Map<number, MetricQuery[]>();
  for (const a of noisy) {
    const q = metricQuery(ctx.policy, a);
    if (!q) continue;
    const step = Math.max(a.periodSeconds ?? 60, stepFor(period.to - period.from, 60, 20_160));
    let l = byStep.get(step);
    if (!l) byStep.set(step, (l = []));
    l.push(q);
  }
  for (const [step, qs] of byStep) for (const [k, v] of await seriesOnce(ctx, gaps, qs, period, step)) series.set(k, v);

  const followUps: FollowUp[] = journal.followUps({ status: 'all' });
  // Blocks from any time before the period's end: a block from last month is still in place.
  const blocks = activeBlocks(journal.query({ until: period.to, kinds: ['action.applied', 'action.verified'], actionIds: BLOCK_ACTIONS }));
  return {
    period,
    now: ctx.now,
    blocks,
    policy: ctx.policy,
    environment: ctx.environment,
    incidents,
    events,
    logEntries,
    transitions,
    alarms,
    series,
    absolute,
    followUps,
    handoffs: journal.handoffs({ since: period.from, until: period.to }),
    rotation: rotation ?? [],
    nextRotation: nextRotation ?? [],
    ...(ctx.runbooks ? { runbooks: ctx.runbooks } : {}),
    changes,
    gaps: gaps.list,
  };
}

/** Finds an incident in the journal or the source; undefined when neither knows it. */
export async function findIncident(ctx: GatherContext, id: string, gaps = new Gaps()): Promise<{ incident: ReportIncident; events: JournalEvent[]; fromSource: boolean; sourceId?: string } | undefined> {
  const record = ctx.journal.incident(id);
  const events = ctx.journal.query({ incidentId: id });
  const lookup = async (key: string) => (ctx.sources.incidents ? await gaps.try('incidents', () => ctx.sources.incidents!.getIncident(key)) : undefined);
  // A drill records the sandbox's incident as "<source id>.<run>".
  const dot = id.lastIndexOf('.');
  const src = (await lookup(id)) ?? (record && dot > 0 ? await lookup(id.slice(0, dot)) : undefined);
  if (!record && !src && !events.length) return undefined;
  const j = record ? fromJournal(record, journalLinks(events)) : undefined;
  const s = src ? { ...fromSource(src, ctx.logOrigin), id } : undefined;
  const incident = j && s ? mergeTwo(j, s) : (j ?? s ?? bareIncident(id, events));
  return { incident, events, fromSource: s !== undefined && (!j || incident.origins.includes(ctx.logOrigin)), ...(src ? { sourceId: src.id } : {}) };
}

/** An incident the journal has events for but no row (written by an older version or another tool). */
function bareIncident(id: string, events: readonly JournalEvent[]): ReportIncident {
  const first = events[0];
  return { id, title: id, status: 'triggered', createdAt: first?.at ?? 0, alarmNames: [...(journalLinks(events).alarms.get(id) ?? [])], assignees: [], origins: ['journal'] };
}

export async function gatherIncident(ctx: GatherContext, id: string): Promise<IncidentInput | undefined> {
  const gaps = new Gaps();
  const found = await findIncident(ctx, id, gaps);
  if (!found) return undefined;
  const { incident, events } = found;
  const sourceId = found.sourceId ?? id;
  const log = found.fromSource && ctx.sources.incidents ? ((await gaps.try('incident log', () => ctx.sources.incidents!.timeline(sourceId))) ?? []) : [];
  const allAlarms = await listAllAlarms(ctx, gaps);
  const alarms = allAlarms.filter((a) => incident.alarmNames.includes(a.name));
  const around: Period = { from: incident.createdAt - 6 * 60 * 60_000, to: (incident.resolvedAt ?? ctx.now) + 6 * 60 * 60_000 };
  const journalTransitions = transitionsFromJournal(ctx.journal.query({ kinds: ['alarm.transition'], since: around.from, until: around.to })).filter((t) => incident.alarmNames.includes(t.alarmName));
  const history = await historyOf(ctx, gaps, incident.alarmNames, around, allAlarms);
  const transitions = mergeTransitions(journalTransitions, history);
  const window = impactWindow(incident, transitions, ctx.now);
  const range: Period = { from: window.start - 30 * 60_000, to: Math.min(ctx.now, (window.end ?? ctx.now) + 30 * 60_000) };
  const step = stepFor(range.to - range.from, 60, 720);
  const queries = alarms.map((a) => metricQuery(ctx.policy, a)).filter((q): q is MetricQuery => q !== undefined);
  const series = await seriesOnce(ctx, gaps, queries, range, step);
  return {
    incident,
    now: ctx.now,
    policy: ctx.policy,
    environment: ctx.environment,
    events,
    logEntries: log,
    logOrigin: ctx.logOrigin,
    transitions,
    alarms,
    series,
    followUps: ctx.journal.followUps({ status: 'all', incidentId: id }),
    gaps: gaps.list,
    comparable: new Set(alarms.filter((a) => comparesDirectly(ctx.policy, a, a.name)).map((a) => a.name)),
    // A ratio or drop alarm's metric is in the rule's unit (connections), not the alarm's (percent of the limit).
    metricUnits: new Map(
      alarms.flatMap((a) => {
        const rule = ruleFor(ctx.policy, a, a.name);
        return !comparesDirectly(ctx.policy, a, a.name) && rule ? [[a.name, rule.unit as string] as const] : [];
      }),
    ),
    titles: new Map(
      incident.alarmNames.flatMap((n) => {
        const rule = ruleFor(ctx.policy, alarms.find((a) => a.name === n), n);
        return rule ? [[n, rule.title] as const] : [];
      }),
    ),
  };
}

function ruleMetric(policy: Policy, id: string, denominator = false): MetricRef | undefined {
  const rule = policy.rules.find((r) => r.id === id);
  if (!rule) return undefined;
  return { namespace: rule.metric.namespace, name: denominator && rule.metric.denominator ? rule.metric.denominator : rule.metric.name, dimensions: {}, statistic: rule.metric.statistic };
}

/** The series a postmortem's impact figures need, over the impact window (policy-named API and business metrics). */
export async function gatherImpactSeries(ctx: GatherContext, range: Period, gapsOut: SourceGap[]): Promise<ImpactSeries> {
  const gaps = new Gaps();
  const q = (id: string, metric: MetricRef | undefined, statistic: string): MetricQuery | undefined => (metric ? { id, metric, statistic } : undefined);
  const queries = [
    q('requests', ruleMetric(ctx.policy, 'error-rate', true), 'Sum'),
    q('errors', ruleMetric(ctx.policy, 'error-rate'), 'Sum'),
    q('p95', ruleMetric(ctx.policy, 'api-latency-p95'), 'Average'),
    q('users', ruleMetric(ctx.policy, 'active-sessions'), 'Average'),
    q('syncFailures', ruleMetric(ctx.policy, 'sync-failure-rate'), 'Sum'),
  ].filter((x): x is MetricQuery => x !== undefined);
  const series = await seriesFor(ctx, gaps, queries, range, 60);
  gapsOut.push(...gaps.list);
  const get = (k: string) => series.get(k);
  return {
    ...(get('requests') ? { requests: get('requests')! } : {}),
    ...(get('errors') ? { errors: get('errors')! } : {}),
    ...(get('p95') ? { p95: get('p95')! } : {}),
    ...(get('users') ? { users: get('users')! } : {}),
    ...(get('syncFailures') ? { syncFailures: get('syncFailures')! } : {}),
  };
}

export async function gatherPostmortem(ctx: GatherContext, id: string): Promise<{ incident: IncidentInput; rest: Omit<PostmortemInput, 'report'> } | undefined> {
  const incident = await gatherIncident(ctx, id);
  if (!incident) return undefined;
  const window = impactWindow(incident.incident, incident.transitions, ctx.now);
  const range: Period = { from: window.start, to: Math.min(ctx.now, window.end ?? ctx.now) };
  const gaps: SourceGap[] = [...incident.gaps];
  const impactSeries = range.to > range.from ? await gatherImpactSeries(ctx, range, gaps) : {};
  const g = new Gaps();
  const before: Period = { from: window.start - 3 * 60 * 60_000, to: window.start + 1 };
  const changes = [
    ...(await deployments(ctx, g, before)),
    ...actionRuns(ctx.journal.query({ kinds: ['action.applied', 'action.verified'], since: before.from, until: before.to }))
      .filter((a) => a.incidentId !== id && !a.dryRun)
      .map((a) => ({ at: a.at, what: `${a.actionId} ${a.target}`, ...(a.who ? { who: a.who } : {}) })),
  ];
  gaps.push(...g.list);
  return { incident: { ...incident, gaps }, rest: { policy: ctx.policy, impactSeries, changes, latencyTargetMs: latencyTargetMs(ctx.policy) } };
}

export async function gatherSummary(ctx: GatherContext, period: Period): Promise<SummaryInput> {
  const gaps = new Gaps();
  const { journal, sources, policy } = ctx;
  const events = journal.query({ since: period.from - 24 * 60 * 60_000, until: period.to, kinds: ['alarm.transition'] });
  const [incidents, alarms, services, databases] = await Promise.all([
    incidentsFor(ctx, gaps, period, events, false),
    listAllAlarms(ctx, gaps),
    sources.services ? gaps.try('services', () => sources.services!.listServices()) : Promise.resolve([]),
    sources.databases ? gaps.try('databases', () => sources.databases!.listDatabases()) : Promise.resolve([]),
  ]);
  const history = await historyOf(ctx, gaps, alarms.map((a) => a.name), { from: period.from - 24 * 60 * 60_000, to: period.to }, alarms);
  const transitions = mergeTransitions(transitionsFromJournal(events), history);

  const rule = (id: string) => policy.rules.find((r) => r.id === id);
  const ecsDims = (cluster: string, service: string) => ({ ClusterName: cluster, ServiceName: service });
  const slaQueries: MetricQuery[] = [];
  const capQueries: MetricQuery[] = [];
  const capMeta = new Map<string, { label: string; unit?: string; warning?: number }>();
  const health = rule('ecs-service-state');
  const cpu = rule('cpu-utilization');
  const memory = rule('memory-utilization');
  for (const s of services ?? []) {
    // What the ECS service state alarm computes (Container Insights: desired − running, deployments not done).
    const q = health ? bindingQuery(`unhealthy|${s.name}`, health.metric, ecsDims(s.cluster, s.name)) : undefined;
    if (q) slaQueries.push(q);
    for (const r of [cpu, memory]) {
      if (!r) continue;
      const id = `${r.id}|${s.name}`;
      capQueries.push({ id, metric: { namespace: r.metric.namespace, name: r.metric.name, dimensions: ecsDims(s.cluster, s.name) }, statistic: 'Average' });
      capMeta.set(id, { label: `${s.name} ${r.title.en}`, unit: r.unit, ...(r.thresholds.warning !== undefined ? { warning: r.thresholds.warning } : {}) });
    }
  }
  const api = (services ?? []).find((s) => /(^|[-_])api($|[-_])/.test(s.name));
  const errorRate = rule('error-rate');
  const p95 = rule('api-latency-p95');
  if (errorRate) slaQueries.push({ id: 'errorRate', metric: { namespace: errorRate.metric.namespace, name: errorRate.metric.name, dimensions: {} }, statistic: 'Sum', ...(errorRate.metric.denominator ? { denominator: errorRate.metric.denominator } : {}) });
  if (p95) slaQueries.push({ id: 'p95', metric: { namespace: p95.metric.namespace, name: p95.metric.name, dimensions: {} }, statistic: 'Average' });
  const conns = rule('rds-connections');
  for (const d of databases ?? []) {
    if (!conns) continue;
    const id = `connections|${d.id}`;
    capQueries.push({ id, metric: { namespace: conns.metric.namespace, name: conns.metric.name, dimensions: { DBInstanceIdentifier: d.id } }, statistic: 'Average' });
    const limit = d.maxConnections;
    capMeta.set(id, { label: `${d.id} ${conns.title.en}`, unit: 'connections', ...(limit && conns.thresholds.warning !== undefined ? { warning: limit * conns.thresholds.warning } : {}) });
  }
  const [sla, cap] = await Promise.all([seriesFor(ctx, gaps, slaQueries, period, SLA_STEP_SECONDS), seriesFor(ctx, gaps, capQueries, period, 3600)]);
  const serviceSeries: ServiceSeries[] = (services ?? []).map((s) => ({
    service: s.name,
    ...(sla.get(`unhealthy|${s.name}`) ? { unhealthy: sla.get(`unhealthy|${s.name}`)! } : {}),
    ...(s === api && sla.get('errorRate') ? { errorRate: sla.get('errorRate')! } : {}),
    ...(s === api && sla.get('p95') ? { p95: sla.get('p95')! } : {}),
  }));
  if (!api && (sla.get('errorRate') || sla.get('p95'))) {
    serviceSeries.push({ service: 'API', ...(sla.get('errorRate') ? { errorRate: sla.get('errorRate')! } : {}), ...(sla.get('p95') ? { p95: sla.get('p95')! } : {}) });
  }
  const capacity: CapacitySeries[] = [];
  for (const [id, meta] of capMeta) {
    const points = cap.get(id);
    if (points) capacity.push({ ...meta, points });
  }
  return { period, now: ctx.now, policy, environment: ctx.environment, incidents, transitions, services: serviceSeries, capacity, gaps: gaps.list };
}
