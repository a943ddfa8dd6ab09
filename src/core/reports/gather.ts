import { inDisplayUnit, metricDisplay } from '../metricUnits.js';
import { bindingQuery } from '../policy/query.js';
import { activeBlocks, BLOCK_ACTIONS } from './blocks.js';
import type { FollowUp, IncidentRecord, Journal, JournalEvent } from '../journal/index.js';
import type { Alarm, Point, Shift } from '../model.js';
import type { Policy, PolicyRule } from '../policy/types.js';
import type { LoadedRunbook } from '../runbooks/types.js';
import type { MetricQuery, Sources } from '../../sources/ports.js';
import { analyseAlarms, mergeTransitions, transitionsFromJournal } from './alarms.js';
import { actionRuns } from './actions.js';
import type { HandoffInput } from './handoff.js';
import { impactWindow, outageAlarms, type IncidentInput } from './incident.js';
import { fromJournal, journalLinks } from './incidents.js';
import { alarmQuery, evidenceOf, impactQueries, ruleFor as evidenceRuleFor } from '../record/evidence.js';
import { alarmsFromJournal, endedRuns, sandboxLabel } from './journalAlarms.js';
import { chooseIncident } from './incidentChoice.js';
import type { ImpactSeries, PostmortemInput } from './postmortem.js';
import { storageCapacity } from './storage.js';
import {
  latencyTargetMs,
  SLA_STEP_SECONDS,
  type CapacitySeries,
  type ServiceSeries,
  type SummaryInput,
} from './summary.js';
import type { AlarmTransition, ChangeItem, Origin, Period, ReportIncident, SourceGap } from './types.js';

/**
 * The impure half of the reports: reads the journal and hands the pure builders their input.
 *
 * Every fact comes from the journal's one timeline (core/record): incidents, who did what and when,
 * alarm transitions, actions, notes, and each incident's captured metric evidence. With real sources the
 * report command first brings the journal up to date from them (TimelineRecorder.backfill), so the same
 * journal gives the same report however the command is run. The sandbox's sources are a replay of a
 * simulated world and are never mixed in (`replay`): only its rotation (a function of time) is read.
 * Metric series the journal did not capture are read from real sources where they still exist. A source
 * that fails does not stop a report: what it would have given is missing, and the footer names it (a "gap").
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
  /**
   * The sources are a replay of a simulated world (the sandbox): nothing but the rotation is read from
   * them, and facts come from the journal alone.
   */
  readonly replay?: boolean;
  /** The sandbox run the handoff and summary are about (the latest run by default); '' for real sources. */
  readonly run?: string;
  /** Sources that failed before gathering (while the journal was brought up to date): shown as gaps too. */
  readonly earlierGaps?: readonly SourceGap[];
  /**
   * Brings the journal up to date from real sources before a report reads it (TimelineRecorder.backfill);
   * absent for the sandbox, whose sources are a replay.
   */
  readonly sync?: (scope: {
    readonly from: number;
    readonly to: number;
    readonly incidentId?: string;
  }) => Promise<void>;
}

const HANDOFF_KINDS = [
  'alarm.transition',
  'incident.created',
  'incident.acknowledged',
  'incident.unacknowledged',
  'incident.escalated',
  'incident.reassigned',
  'incident.priority-changed',
  'incident.resolved',
  'action.planned',
  'action.confirmed',
  'action.applied',
  'action.verified',
  'action.failed',
] as const;

class Gaps {
  readonly list: SourceGap[];
  constructor(earlier: readonly SourceGap[] = []) {
    this.list = [...earlier];
  }
  async try<T>(source: string, f: () => Promise<T>): Promise<T | undefined> {
    try {
      return await f();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!this.list.some((g) => g.source === source && g.error === message))
        this.list.push({ source, error: message.slice(0, 500) });
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

export function ruleFor(
  policy: Policy,
  alarm: Pick<Alarm, 'name' | 'ruleId'> | undefined,
  name: string,
): PolicyRule | undefined {
  return evidenceRuleFor(policy, alarm, name);
}

/** Whether the alarm compares its metric's own value with the threshold (so that the metric's peaks can suggest a new one). */
export function comparesDirectly(policy: Policy, alarm: Alarm | undefined, name: string): boolean {
  const rule = ruleFor(policy, alarm, name);
  if (!rule) return alarm?.metric !== undefined;
  return rule.comparison.kind === 'absolute' || rule.comparison.kind === 'consecutive';
}

function stepFor(span: number, minStep = 60, maxPoints = 1440): number {
  const step = Math.max(minStep, Math.ceil(span / 1000 / maxPoints / 60) * 60);
  return step;
}

/**
 * The alarms of the run as the journal knows them (journalAlarms.ts), in the state it last recorded. For
 * "now" (the handoff), those of an ended run are in no state: the run took its world with it.
 */
function journalAlarms(ctx: GatherContext, run: string, names?: readonly string[], now = false): Alarm[] {
  const alarms = alarmsFromJournal(ctx.journal, run, names ? { names } : {});
  return now && run && endedRuns(ctx.journal).has(run)
    ? alarms.map((a) => ({ ...a, state: 'INSUFFICIENT_DATA' as const }))
    : alarms;
}

/** Alarm transitions the journal recorded in a range, of one run. */
function journalTransitions(
  ctx: GatherContext,
  range: Period,
  run: string,
  names?: readonly string[],
): AlarmTransition[] {
  const events = ctx.journal
    .query({ kinds: ['alarm.transition'], since: range.from, until: range.to })
    .filter(
      (e) =>
        e.kind === 'alarm.transition' &&
        (e.payload.run ?? '') === run &&
        (!names || names.includes(e.payload.alarmName)),
    );
  return mergeTransitions(transitionsFromJournal(events), []);
}

async function seriesFor(
  ctx: GatherContext,
  gaps: Gaps,
  queries: readonly MetricQuery[],
  range: Period,
  stepSeconds: number,
): Promise<Map<string, Point[]>> {
  const out = new Map<string, Point[]>();
  if (!ctx.sources.metrics || !queries.length) return out;
  const result = await gaps.try('metrics', () =>
    ctx.sources.metrics!.getSeries(queries, { start: range.from, end: range.to, stepSeconds }),
  );
  for (const s of result ?? []) if (s.points.length) out.set(s.id, s.points);
  return out;
}

/** Like seriesFor, asking once for queries that differ only in their id (a metric's warning and critical alarms). */
async function seriesOnce(
  ctx: GatherContext,
  gaps: Gaps,
  queries: readonly MetricQuery[],
  range: Period,
  stepSeconds: number,
): Promise<Map<string, Point[]>> {
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
  const fetched = await seriesFor(ctx, gaps, [...first.values()], range, stepSeconds);
  const out = new Map<string, Point[]>();
  for (const q of queries) {
    const points = fetched.get(first.get(keyOf(q))!.id);
    if (points) out.set(q.id, points);
  }
  return out;
}

async function deployments(ctx: GatherContext, gaps: Gaps, range: Period): Promise<ChangeItem[]> {
  // A replayed world's deployments are the scenario's, not necessarily the run's: not mixed in.
  if (!ctx.sources.services || ctx.replay) return [];
  const services = (await gaps.try('services', () => ctx.sources.services!.listServices())) ?? [];
  const out: ChangeItem[] = [];
  for (const s of services) {
    for (const d of s.deployments) {
      if (d.createdAt < range.from || d.createdAt >= range.to) continue;
      const td = d.taskDefinition.split('/').pop() ?? d.taskDefinition;
      out.push({
        at: d.createdAt,
        what: `${s.name}: deployment of ${td} (${d.rolloutState}${d.rolloutReason ? `: ${d.rolloutReason}` : ''})`,
      });
    }
  }
  return out;
}

/**
 * Whether an event belongs to a run's world: alarm transitions and actions say their run; an incident's
 * events are its incident's run ('' for real sources). Sandbox runs replay the same simulated times, so
 * a report of one must not read another's.
 */
function runFilter(run: string, journal: Journal): (e: JournalEvent) => boolean {
  const runOf = new Map<string, string>();
  const incidentRun = (id: string) => {
    let r = runOf.get(id);
    if (r === undefined) runOf.set(id, (r = journal.incident(id)?.run ?? ''));
    return r;
  };
  return (e) => {
    if (e.kind === 'alarm.transition' || e.kind === 'alarm.observed') return (e.payload.run ?? '') === run;
    if (e.kind.startsWith('action.') && e.kind !== 'unknown')
      return (
        ((e.payload as { run?: string }).run ?? (e.incidentId !== undefined ? incidentRun(e.incidentId) : '')) === run
      );
    if (e.incidentId !== undefined) return incidentRun(e.incidentId) === run;
    return true;
  };
}

/** Who acknowledged each incident first (the journal's own record of it). */
function acknowledgers(ctx: GatherContext, records: readonly IncidentRecord[]): JournalEvent[] {
  if (!records.length) return [];
  const since = Math.min(...records.map((r) => r.createdAt));
  const ids = new Set(records.map((r) => r.id));
  return ctx.journal
    .query({ kinds: ['incident.acknowledged'], since })
    .filter((e) => e.incidentId !== undefined && ids.has(e.incidentId));
}

/** The run's incidents created in a range, plus (withOpen) every one still open; an ended run's open ones say so. */
function incidentsFor(ctx: GatherContext, range: Period, run: string, withOpen: boolean): ReportIncident[] {
  const records = ctx.journal.incidents({ since: range.from, until: range.to, run });
  if (withOpen) {
    const ids = new Set(records.map((i) => i.id));
    for (const i of ctx.journal.incidents({ status: ['triggered', 'acknowledged'], run }))
      if (!ids.has(i.id)) records.push(i);
  }
  const links = journalLinks(acknowledgers(ctx, records));
  const ended = endedRuns(ctx.journal);
  return records
    .map((r) => {
      const i = fromJournal(r, links);
      const endedAt = r.status !== 'resolved' && r.run ? ended.get(r.run) : undefined;
      return endedAt !== undefined ? { ...i, endedWithRun: endedAt } : i;
    })
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export async function gatherHandoff(ctx: GatherContext, period: Period): Promise<HandoffInput> {
  await ctx.sync?.(period);
  const gaps = new Gaps(ctx.earlierGaps);
  const { journal, sources } = ctx;
  const run = ctx.run ?? '';
  // A day before the period too: an alarm already in ALARM when the period began is not a new firing.
  const lookback: Period = { from: period.from - 24 * 60 * 60_000, to: period.to };
  const events = journal
    .query({ since: lookback.from, until: period.to, kinds: HANDOFF_KINDS })
    .filter(runFilter(run, ctx.journal));
  const incidents = incidentsFor(ctx, period, run, true);
  const alarms = journalAlarms(ctx, run, undefined, true);
  const [rotation, nextRotation, changes] = await Promise.all([
    sources.onCall
      ? gaps.try('on-call', () => sources.onCall!.rotation(period.from, period.to))
      : Promise.resolve([] as Shift[]),
    sources.onCall
      ? gaps.try('on-call', () => sources.onCall!.rotation(period.to, period.to + 7 * 24 * 60 * 60_000))
      : Promise.resolve([] as Shift[]),
    deployments(ctx, gaps, period),
  ]);
  const transitions = journalTransitions(ctx, lookback, run);
  const alarmsByName = new Map(alarms.map((a) => [a.name, a]));
  const absolute = (name: string) => comparesDirectly(ctx.policy, alarmsByName.get(name), name);

  // A first pass finds the noisy alarms; only their metric history is read (from real sources: a replayed
  // world's history is the scenario's, not the run's).
  const actions = actionRuns(events);
  const firstPass = analyseAlarms({ transitions, alarms: alarmsByName, period, incidents, actions, absolute });
  const noisy = ctx.replay
    ? []
    : firstPass.rows
        .filter((r) => r.unanswered > 0 && absolute(r.alarmName))
        .slice(0, ctx.seriesLimit ?? 10)
        .map((r) => alarmsByName.get(r.alarmName))
        .filter((a): a is Alarm => a !== undefined);
  const series = new Map<string, Point[]>();
  const byStep = new Map<number, MetricQuery[]>();
  for (const a of noisy) {
    const q = alarmQuery(ctx.policy, a);
    if (!q) continue;
    const step = Math.max(a.periodSeconds ?? 60, stepFor(period.to - period.from, 60, 20_160));
    let l = byStep.get(step);
    if (!l) byStep.set(step, (l = []));
    l.push(q);
  }
  for (const [step, qs] of byStep) for (const [k, v] of await seriesOnce(ctx, gaps, qs, period, step)) series.set(k, v);

  const followUps: FollowUp[] = journal.followUps({ status: 'all' });
  // Blocks from any time before the period's end: a block from last month is still in place.
  // Blocks still in place: a sandbox run that ended took its world, and its blocks, with it.
  const runEnded = run !== '' && endedRuns(journal).has(run);
  const blocks = runEnded
    ? []
    : activeBlocks(
        journal
          .query({ until: period.to, kinds: ['action.applied', 'action.verified'], actionIds: BLOCK_ACTIONS })
          .filter(runFilter(run, journal)),
      );
  return {
    period,
    now: ctx.now,
    blocks,
    policy: ctx.policy,
    environment: ctx.environment,
    incidents,
    events,
    logEntries: [],
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

/**
 * The journal's id of an incident given by id or by number; a number several runs share is the latest
 * run's here (the report commands ask chooseIncident first and say so instead of picking).
 */
export function resolveIncidentId(journal: Journal, given: string): string {
  const choice = chooseIncident(journal, given);
  if (choice.kind === 'one') return choice.id;
  return (choice.candidates.find((c) => c.newest) ?? choice.candidates[0])!.id;
}

/** Finds an incident in the journal (a source's incident is brought into it first: reportContext). */
export async function findIncident(
  ctx: GatherContext,
  given: string,
): Promise<{ incident: ReportIncident; record?: IncidentRecord; events: JournalEvent[] } | undefined> {
  const id = resolveIncidentId(ctx.journal, given);
  const record = ctx.journal.incident(id);
  const events = ctx.journal.query({ incidentId: id });
  if (!record && !events.length) return undefined;
  const ended =
    record && record.status !== 'resolved' && record.run ? endedRuns(ctx.journal).get(record.run) : undefined;
  const incident = record ? fromJournal(record, journalLinks(events)) : bareIncident(id, events);
  return {
    incident: ended !== undefined ? { ...incident, endedWithRun: ended } : incident,
    ...(record ? { record } : {}),
    events,
  };
}

/** An incident the journal has events for but no row (written by an older version or another tool). */
function bareIncident(id: string, events: readonly JournalEvent[]): ReportIncident {
  const first = events[0];
  return {
    id,
    title: id,
    status: 'triggered',
    createdAt: first?.at ?? 0,
    alarmNames: [...(journalLinks(events).alarms.get(id) ?? [])],
    assignees: [],
    origins: ['journal'],
  };
}

/** The incident's series: the captured evidence, or (real sources only) what the metric source still has. */
async function incidentSeries(
  ctx: GatherContext,
  gaps: Gaps,
  alarms: readonly Alarm[],
  events: readonly JournalEvent[],
  range: Period,
): Promise<Map<string, Point[]>> {
  const evidence = evidenceOf(events);
  if (evidence) return new Map([...evidence.alarms].map(([k, v]) => [k, [...v]]));
  if (ctx.replay) return new Map();
  const step = stepFor(range.to - range.from, 60, 720);
  const queries = alarms.map((a) => alarmQuery(ctx.policy, a)).filter((q): q is MetricQuery => q !== undefined);
  return seriesOnce(ctx, gaps, queries, range, step);
}

export async function gatherIncident(ctx: GatherContext, given: string): Promise<IncidentInput | undefined> {
  await ctx.sync?.({ from: 0, to: ctx.now, incidentId: given });
  const gaps = new Gaps(ctx.earlierGaps);
  const found = await findIncident(ctx, given);
  if (!found) return undefined;
  const id = found.incident.id;
  const { incident } = found;
  const run = found.record?.run ?? '';
  // The timeline is the journal's; evidence is not a step of it.
  const events = found.events.filter((e) => e.kind !== 'metrics.captured');
  const alarms = journalAlarms(ctx, run, incident.alarmNames);
  const around: Period = {
    from: incident.createdAt - 6 * 60 * 60_000,
    to: (incident.resolvedAt ?? incident.endedWithRun ?? ctx.now) + 6 * 60 * 60_000,
  };
  // The incident's alarms, and those that fired through a verified remediation's own outage (the recovery waits for them).
  const runTransitions = journalTransitions(ctx, around, run);
  const outage = outageAlarms(incident, found.events, runTransitions);
  const transitions = runTransitions.filter(
    (t) => incident.alarmNames.includes(t.alarmName) || outage.includes(t.alarmName),
  );
  const end = incident.resolvedAt ?? incident.endedWithRun ?? ctx.now;
  const window = impactWindow(incident, transitions, end, outage);
  const range: Period = { from: window.start - 30 * 60_000, to: Math.min(ctx.now, (window.end ?? end) + 30 * 60_000) };
  // An alarm computed by metric math (the share of storage used, from free bytes and the allocation at
  // that time) has its input metric as evidence: the allocation may have changed since (the storage was
  // grown), so the evidence is shown as what it is (free space, GiB), never as a percentage it is not.
  const rawInput = new Map(
    alarms.flatMap((a) => {
      const rule = ruleFor(ctx.policy, a, a.name);
      return rule?.metric.expression && a.metric ? [[a.name, metricDisplay(a.metric)] as const] : [];
    }),
  );
  const series = new Map(
    [...(await incidentSeries(ctx, gaps, alarms, found.events, range))].map(([name, points]) => {
      const display = rawInput.get(name);
      return [name, display ? inDisplayUnit(points, display) : points] as const;
    }),
  );
  // A replayed world's metrics are only what the cockpit captured (at resolution, or when its run ended).
  const notYet =
    ctx.replay && series.size === 0 && incident.status !== 'resolved' && incident.endedWithRun === undefined;
  return {
    incident,
    ...(notYet ? { metricsMissing: 'open' as const } : {}),
    now: ctx.now,
    policy: ctx.policy,
    // A sandbox report says which run it is about (the run's own record), never what the flags opened.
    environment: ctx.replay ? sandboxLabel(ctx.journal, run) : ctx.environment,
    events,
    logEntries: [],
    logOrigin: ctx.logOrigin,
    transitions,
    ...(outage.length ? { outageAlarms: outage } : {}),
    alarms,
    series,
    followUps: ctx.journal.followUps({ status: 'all', incidentId: id }),
    gaps: gaps.list,
    comparable: new Set(
      alarms.filter((a) => !rawInput.has(a.name) && comparesDirectly(ctx.policy, a, a.name)).map((a) => a.name),
    ),
    // A ratio or drop alarm's metric is in the rule's unit (connections), not the alarm's (percent of the limit).
    metricUnits: new Map(
      alarms.flatMap((a) => {
        const rule = ruleFor(ctx.policy, a, a.name);
        const raw = rawInput.get(a.name);
        if (raw) return [[a.name, raw.unit || (a.metric?.name ?? '')] as const];
        return !comparesDirectly(ctx.policy, a, a.name) && rule ? [[a.name, rule.unit as string] as const] : [];
      }),
    ),
    // Free space goes bad by falling, whichever way its alarm (the share used) compares.
    directions: new Map(
      alarms
        .filter((a) => rawInput.has(a.name) && /^Free/.test(a.metric?.name ?? ''))
        .map((a) => [a.name, 'below'] as const),
    ),
    titles: new Map(
      incident.alarmNames.flatMap((n) => {
        const rule = ruleFor(
          ctx.policy,
          alarms.find((a) => a.name === n),
          n,
        );
        if (rawInput.has(n) && /^Free/.test(alarms.find((a) => a.name === n)?.metric?.name ?? ''))
          return [[n, { en: 'Free storage space', ja: '空きストレージ容量' }] as const];
        return rule ? [[n, rule.title] as const] : [];
      }),
    ),
  };
}

/** The series a postmortem's impact figures need: the captured evidence, or (real sources) the metric source's. */
export async function gatherImpactSeries(
  ctx: GatherContext,
  range: Period,
  gapsOut: SourceGap[],
  events: readonly JournalEvent[] = [],
): Promise<ImpactSeries> {
  const evidence = evidenceOf(events);
  if (evidence) return { ...evidence.impact };
  if (ctx.replay) return {};
  const gaps = new Gaps();
  const queries = impactQueries(ctx.policy);
  const series = await seriesFor(ctx, gaps, queries, range, 60);
  gapsOut.push(...gaps.list);
  const out: Record<string, Point[]> = {};
  for (const q of queries) {
    const points = series.get(q.id);
    if (points) out[q.id] = points;
  }
  return out as ImpactSeries;
}

export async function gatherPostmortem(
  ctx: GatherContext,
  given: string,
): Promise<{ incident: IncidentInput; rest: Omit<PostmortemInput, 'report'> } | undefined> {
  const incident = await gatherIncident(ctx, given);
  if (!incident) return undefined;
  const id = incident.incident.id;
  const end = incident.incident.resolvedAt ?? incident.incident.endedWithRun ?? ctx.now;
  const window = impactWindow(incident.incident, incident.transitions, end, incident.outageAlarms);
  const range: Period = { from: window.start, to: Math.min(ctx.now, window.end ?? end) };
  const gaps: SourceGap[] = [...incident.gaps];
  const impactSeries =
    range.to > range.from
      ? await gatherImpactSeries(ctx, range, gaps, ctx.journal.query({ incidentId: id, kinds: ['metrics.captured'] }))
      : {};
  const g = new Gaps();
  const before: Period = { from: window.start - 3 * 60 * 60_000, to: window.start + 1 };
  const changes = [
    ...(await deployments(ctx, g, before)),
    // Changes made to the systems (not PagerDuty bookkeeping, not read-only checks), in this incident's world.
    ...actionRuns(
      ctx.journal.query({ kinds: ['action.applied', 'action.verified'], since: before.from, until: before.to }),
    )
      .filter(
        (a) =>
          a.incidentId !== id &&
          !a.dryRun &&
          a.run === (incident.incident.run ?? '') &&
          (a.category === 'remediation' || a.category === 'command'),
      )
      .map((a) => ({ at: a.at, what: `${a.actionId} ${a.target}`, ...(a.who ? { who: a.who } : {}) })),
  ];
  gaps.push(...g.list);
  return {
    incident: { ...incident, gaps },
    rest: { policy: ctx.policy, impactSeries, changes, latencyTargetMs: latencyTargetMs(ctx.policy) },
  };
}

export async function gatherSummary(ctx: GatherContext, period: Period): Promise<SummaryInput> {
  await ctx.sync?.(period);
  const gaps = new Gaps(ctx.earlierGaps);
  const { sources, policy } = ctx;
  const run = ctx.run ?? '';
  const incidents = incidentsFor(ctx, period, run, false);
  const transitions = journalTransitions(ctx, { from: period.from - 24 * 60 * 60_000, to: period.to }, run);
  // Which services and databases: the real sources' lists; for a replayed world, the ones its recorded
  // alarms watch (its metrics are the scenario's, not the run's: no series are read from it).
  const known = journalAlarms(ctx, run);
  const live = !ctx.replay;
  const [services, databases] = await Promise.all([
    live && sources.services
      ? gaps.try('services', () => sources.services!.listServices())
      : Promise.resolve(
          [
            ...new Set(
              known.flatMap((a) =>
                a.metric?.dimensions.ServiceName
                  ? [`${a.metric.dimensions.ClusterName ?? ''}|${a.metric.dimensions.ServiceName}`]
                  : [],
              ),
            ),
          ].map((k) => {
            const [cluster, name] = k.split('|') as [string, string];
            return {
              id: name,
              name,
              cluster,
              status: 'ACTIVE',
              desired: 0,
              running: 0,
              pending: 0,
              taskDefinition: '',
              deployments: [],
              events: [],
            };
          }),
        ),
    live && sources.databases ? gaps.try('databases', () => sources.databases!.listDatabases()) : Promise.resolve([]),
  ]);

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
      capQueries.push({
        id,
        metric: { namespace: r.metric.namespace, name: r.metric.name, dimensions: ecsDims(s.cluster, s.name) },
        statistic: 'Average',
      });
      capMeta.set(id, {
        label: `${s.name} ${r.title.en}`,
        unit: r.unit,
        ...(r.thresholds.warning !== undefined ? { warning: r.thresholds.warning } : {}),
      });
    }
  }
  const api = (services ?? []).find((s) => /(^|[-_])api($|[-_])/.test(s.name));
  const errorRate = rule('error-rate');
  const p95 = rule('api-latency-p95');
  if (errorRate)
    slaQueries.push({
      id: 'errorRate',
      metric: { namespace: errorRate.metric.namespace, name: errorRate.metric.name, dimensions: {} },
      statistic: 'Sum',
      ...(errorRate.metric.denominator ? { denominator: errorRate.metric.denominator } : {}),
    });
  if (p95)
    slaQueries.push({
      id: 'p95',
      metric: { namespace: p95.metric.namespace, name: p95.metric.name, dimensions: {} },
      statistic: 'Average',
    });
  const conns = rule('rds-connections');
  for (const d of databases ?? []) {
    if (!conns) continue;
    const id = `connections|${d.id}`;
    capQueries.push({
      id,
      metric: {
        namespace: conns.metric.namespace,
        name: conns.metric.name,
        dimensions: { DBInstanceIdentifier: d.id },
      },
      statistic: 'Average',
    });
    const limit = d.maxConnections;
    capMeta.set(id, {
      label: `${d.id} ${conns.title.en}`,
      unit: 'connections',
      ...(limit && conns.thresholds.warning !== undefined ? { warning: limit * conns.thresholds.warning } : {}),
    });
  }
  const [sla, cap] = live
    ? await Promise.all([
        seriesFor(ctx, gaps, slaQueries, period, SLA_STEP_SECONDS),
        seriesFor(ctx, gaps, capQueries, period, 3600),
      ])
    : [new Map<string, Point[]>(), new Map<string, Point[]>()];
  const serviceSeries: ServiceSeries[] = (services ?? []).map((s) => ({
    service: s.name,
    ...(sla.get(`unhealthy|${s.name}`) ? { unhealthy: sla.get(`unhealthy|${s.name}`)! } : {}),
    ...(s === api && sla.get('errorRate') ? { errorRate: sla.get('errorRate')! } : {}),
    ...(s === api && sla.get('p95') ? { p95: sla.get('p95')! } : {}),
  }));
  if (!api && (sla.get('errorRate') || sla.get('p95'))) {
    serviceSeries.push({
      service: 'API',
      ...(sla.get('errorRate') ? { errorRate: sla.get('errorRate')! } : {}),
      ...(sla.get('p95') ? { p95: sla.get('p95')! } : {}),
    });
  }
  const capacity: CapacitySeries[] = [];
  for (const [id, meta] of capMeta) {
    const points = cap.get(id);
    if (points) capacity.push({ ...meta, points });
  }
  capacity.push(
    ...(await storageCapacity(sources, policy, databases ?? [], period, 3600, (source, read) =>
      gaps.try(source, read),
    )),
  );
  return {
    period,
    now: ctx.now,
    policy,
    environment: ctx.environment,
    incidents,
    transitions,
    services: serviceSeries,
    capacity,
    gaps: gaps.list,
  };
}
