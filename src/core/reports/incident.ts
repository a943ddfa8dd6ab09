import { reportTimeZone } from '../time.js';
import { NOTE_SECTIONS, type NoteSection } from '../journal/events.js';
import type { FollowUp, JournalEvent } from '../journal/index.js';
import type { Alarm, Point, TimelineEntry } from '../model.js';
import type { Policy } from '../policy/types.js';
import { actionRuns, changedAt, followUpItem, isCheck, isVerifiedRemediation } from './actions.js';
import { directionOf } from './alarms.js';
import { impactWindow, LOOKBACK_MS } from './impactWindow.js';
import { noRedaction } from './redact.js';
import { mergeTimeline, roomDecisions } from './timeline.js';
import { evidenceOf } from './evidence.js';

export { impactWindow, outageAlarms, type ImpactWindow } from './impactWindow.js';
import type {
  AlarmTransition,
  IncidentReport,
  MetricPeak,
  Origin,
  ReportIncident,
  ReportNote,
  SourceGap,
} from './types.js';

/**
 * The report of one incident, from its journal events, the incident source's log, its alarms' history
 * and metrics. Impact window: from the first of the incident's alarms entering ALARM (the firing that was
 * in ALARM at the trigger, or began before the resolution) to the last of them returning to OK; the
 * trigger and the resolution stand in where no alarm transition was recorded.
 */
export interface IncidentInput {
  readonly incident: ReportIncident;
  /**
   * Why there are no series, when it is not "none were found": `open` — a sandbox incident still open in a
   * run that goes on, whose metrics the cockpit keeps when it resolves or the run ends (nothing captured yet).
   */
  readonly metricsMissing?: 'open';
  readonly now: number;
  readonly policy: Policy;
  readonly environment: string;
  /** Every journal event of the incident. */
  readonly events: readonly JournalEvent[];
  readonly logEntries: readonly TimelineEntry[];
  readonly logOrigin: Origin;
  /** Transitions of the incident's alarms around it, merged (alarms.mergeTransitions). */
  readonly transitions: readonly AlarmTransition[];
  /** The incident's alarms as the alarm source knows them now. */
  readonly alarms: readonly Alarm[];
  /**
   * Alarms outside the incident that were in ALARM through a verified remediation's own outage (from its
   * apply to its verification) having fired since the incident opened (outageAlarms): the service has not
   * recovered while they fire, so the recovery waits for them. Their transitions are in `transitions`.
   */
  readonly outageAlarms?: readonly string[];
  /** Metric series per alarm name, covering the impact window with some margin. */
  readonly series: ReadonlyMap<string, readonly Point[]>;
  readonly followUps: readonly FollowUp[];
  readonly gaps: readonly SourceGap[];
  /** Alarms whose metric is compared with their threshold directly (others are shown without a threshold line). */
  readonly comparable?: ReadonlySet<string>;
  /** The unit of an alarm's metric where it differs from the alarm's own. */
  readonly metricUnits?: ReadonlyMap<string, string>;
  /** What each alarm's metric is, from its policy rule. */
  readonly titles?: ReadonlyMap<string, { readonly en: string; readonly ja: string }>;
  /** Which way an alarm's metric goes bad where it differs from the alarm's comparison (free space falls). */
  readonly directions?: ReadonlyMap<string, 'above' | 'below'>;
}

/** How the report is built: `verbose` puts every journal event in the timeline (steps, phases, action stages). */
export interface BuildOptions {
  readonly verbose?: boolean;
}

/** Step ids that name their section plainly (for notes journaled before notes carried their section). */
const STEP_ID_SECTIONS: Readonly<Record<string, NoteSection>> = {
  cause: 'root-cause',
  'follow-ups': 'follow-up',
  followup: 'follow-up',
  followups: 'follow-up',
};

function sectionOfStepId(stepId: string): NoteSection | undefined {
  return (NOTE_SECTIONS as readonly string[]).includes(stepId) ? (stepId as NoteSection) : STEP_ID_SECTIONS[stepId];
}

/** How long after a note its step's `step.done` (carrying the same text) may come and still be its step. */
const NOTE_STEP_MS = 5_000;

/**
 * The journal's notes with the step that asked for them and the postmortem section they belong to: the
 * note's own `step` (what the runner records), else the `step.done` with the same text written with it
 * (older journals), its section then read from a plain step id (root-cause, timeline, …).
 */
export function journalNotes(events: readonly JournalEvent[]): ReportNote[] {
  const out: ReportNote[] = [];
  for (const e of events) {
    if (e.kind !== 'note') continue;
    const base = { at: e.at, who: e.who.name ?? e.who.id, text: e.payload.text, origin: 'journal' as const };
    const step = e.payload.step;
    if (step) {
      const section = step.section ?? sectionOfStepId(step.stepId);
      out.push({ ...base, runbookId: step.runbookId, stepId: step.stepId, ...(section ? { section } : {}) });
      continue;
    }
    const done = events.find(
      (d) =>
        d.kind === 'step.done' && d.payload.output === e.payload.text && d.at >= e.at && d.at - e.at <= NOTE_STEP_MS,
    );
    if (done && done.kind === 'step.done') {
      const section = sectionOfStepId(done.payload.stepId);
      out.push({
        ...base,
        runbookId: done.payload.runbookId,
        stepId: done.payload.stepId,
        ...(section ? { section } : {}),
      });
    } else out.push(base);
  }
  return out;
}

const SERVICE_DIMENSIONS = ['ServiceName', 'DBInstanceIdentifier', 'QueueName', 'FunctionName', 'Dependency'];

function peakOf(points: readonly Point[], from: number, to: number, direction: 'above' | 'below'): Point | undefined {
  let best: Point | undefined;
  for (const p of points) {
    if (p.t < from || p.t > to || !Number.isFinite(p.v)) continue;
    if (!best || (direction === 'above' ? p.v > best.v : p.v < best.v)) best = p;
  }
  return best;
}

/** "CPUUtilization vitascope-cluster/vitascope-api": the metric's name and its dimension values. */
function metricLabel(alarm: Alarm): string {
  const m = alarm.metric!;
  const dims = Object.keys(m.dimensions)
    .sort()
    .map((k) => m.dimensions[k])
    .filter(Boolean);
  return `${m.name}${dims.length ? ` ${dims.join('/')}` : ''}`;
}

export function buildIncidentReport(input: IncidentInput, options: BuildOptions = {}): IncidentReport {
  const { incident, now } = input;
  const window = impactWindow(incident, input.transitions, now, input.outageAlarms);
  const end = window.end ?? now;
  const alarmsByName = new Map(input.alarms.map((a) => [a.name, a]));

  const services = new Set<string>();
  if (incident.service) services.add(incident.service.name);
  for (const name of incident.alarmNames) {
    const dims = alarmsByName.get(name)?.metric?.dimensions ?? {};
    for (const d of SERVICE_DIMENSIONS) if (dims[d]) services.add(dims[d]);
  }

  // One entry per metric: the warning and critical alarms on the same metric share its series and peak.
  const byMetric = new Map<string, { names: string[]; alarm?: Alarm; points: readonly Point[] }>();
  for (const name of incident.alarmNames) {
    const alarm = alarmsByName.get(name);
    const points = input.series.get(name);
    if (!points) continue;
    const key = alarm?.metric ? metricLabel(alarm) : name;
    const group = byMetric.get(key);
    if (group) group.names.push(name);
    else byMetric.set(key, { names: [name], ...(alarm ? { alarm } : {}), points });
  }
  const metrics: MetricPeak[] = [];
  for (const [label, g] of byMetric) {
    const direction = input.directions?.get(g.names[0]!) ?? directionOf(g.alarm);
    const peak = peakOf(g.points, window.start - (g.alarm?.periodSeconds ?? 60) * 1000, end, direction);
    const title = input.titles?.get(g.names[0]!);
    const thresholds = g.names
      .filter((n) => !input.comparable || input.comparable.has(n))
      .map((n) => ({ alarmName: n, value: alarmsByName.get(n)?.threshold }))
      .filter((t): t is { alarmName: string; value: number } => t.value !== undefined)
      .sort((a, b) => (direction === 'above' ? a.value - b.value : b.value - a.value));
    metrics.push({
      label,
      ...(title ? { metricTitle: title } : {}),
      alarmNames: g.names,
      ...((input.metricUnits?.get(g.names[0]!) ?? g.alarm?.unit)
        ? { unit: input.metricUnits?.get(g.names[0]!) ?? g.alarm!.unit! }
        : {}),
      ...(peak ? { peak: peak.v, peakAt: peak.t } : {}),
      thresholds,
      direction,
      points: [...g.points],
    });
  }

  const timeline = mergeTimeline(
    input.events,
    input.logEntries,
    input.transitions.filter(
      (t) =>
        (t.at >= window.start - LOOKBACK_MS &&
          t.at <= end + LOOKBACK_MS &&
          incident.alarmNames.includes(t.alarmName)) ||
        // The alarms the recovery waited for (fired through a remediation's outage): why it is when it is.
        (t.at >= incident.createdAt && t.at <= end && (input.outageAlarms ?? []).includes(t.alarmName)),
    ),
    input.logOrigin,
    { verbose: options.verbose === true },
  );
  const escalations = timeline.filter((t) => t.kind === 'incident.escalated').length;
  const ackBy = incident.acknowledgedBy ?? timeline.find((t) => t.kind === 'incident.acknowledged' && t.who)?.who;
  let phase: string | undefined;
  for (const e of input.events) if (e.kind === 'phase.entered') phase = e.payload.phase;
  const notes: ReportNote[] = [
    ...journalNotes(input.events),
    ...timeline
      .filter((t) => t.kind === 'note' && !t.origins.includes('journal'))
      .map((t) => ({
        at: t.at,
        ...(t.who ? { who: t.who } : {}),
        text: t.summary,
        origin: t.origins[0] ?? input.logOrigin,
      })),
  ].sort((a, b) => a.at - b.at);
  const allActions = actionRuns(input.events);
  const actions = allActions.filter((a) => !isCheck(a));
  const fix = actions.filter(isVerifiedRemediation).sort((a, b) => changedAt(a) - changedAt(b))[0];

  return {
    kind: 'incident',
    incident: ackBy && !incident.acknowledgedBy ? { ...incident, acknowledgedBy: ackBy } : incident,
    impact: {
      start: window.start,
      ...(window.end !== undefined ? { end: window.end, durationMs: window.end - window.start } : {}),
      startSource: window.startSource,
      ...(window.endSource ? { endSource: window.endSource } : {}),
    },
    services: [...services],
    metrics,
    ...(input.metricsMissing && !metrics.length ? { metricsMissing: input.metricsMissing } : {}),
    detection: {
      ...(window.firstAlarm ? { alarmName: window.firstAlarm.name, alarmAt: window.firstAlarm.at } : {}),
      triggeredAt: incident.createdAt,
      ...(incident.acknowledgedAt !== undefined
        ? { acknowledgedAt: incident.acknowledgedAt, timeToAcknowledgeMs: incident.acknowledgedAt - incident.createdAt }
        : {}),
      ...(ackBy ? { acknowledgedBy: ackBy } : {}),
      ...(incident.resolvedAt !== undefined ? { timeToResolveMs: incident.resolvedAt - incident.createdAt } : {}),
      escalations,
    },
    ...(window.end !== undefined ? { recovery: { at: window.end, by: window.endSource ?? 'resolution' } } : {}),
    ...(fix
      ? {
          mitigation: {
            runId: fix.runId,
            actionId: fix.actionId,
            target: fix.target,
            at: changedAt(fix),
            ...(fix.verifiedAt !== undefined ? { verifiedAt: fix.verifiedAt } : {}),
            ...(fix.who ? { who: fix.who } : {}),
          },
        }
      : {}),
    timeline,
    timelineDetail: options.verbose ? 'verbose' : 'concise',
    actions,
    // Checks that ran, and those that were only recorded as dry runs (the sandbox runs no command).
    readOnlyChecks: allActions.filter((a) => a.category === 'check' && !a.dryRun).length,
    readOnlyChecksDry: allActions.filter((a) => a.category === 'check' && a.dryRun).length,
    steps: {
      done: input.events.filter((e) => e.kind === 'step.done').length,
      skipped: input.events.filter((e) => e.kind === 'step.skipped').length,
    },
    notes,
    evidence: evidenceOf(input.events),
    decisions: roomDecisions(input.events).map((d) => ({
      at: d.at,
      who: d.who,
      stepId: d.stepId,
      question: d.question,
      label: d.label,
    })),
    followUps: input.followUps.filter((f) => f.incidentId === incident.id).map((f) => followUpItem(f, now)),
    status: {
      status: incident.status,
      ...(phase ? { phase } : {}),
      alarmsStillInAlarm: incident.alarmNames.filter((n) => alarmsByName.get(n)?.state === 'ALARM'),
    },
    footer: {
      generatedAt: now,
      timeZone: reportTimeZone(input.policy.workingHours.timeZone),
      redaction: noRedaction().counts(),
      gaps: input.gaps,
      environment: input.environment,
    },
  };
}
