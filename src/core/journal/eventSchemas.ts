import * as z from 'zod';

/**
 * The journal's event kinds as zod schemas, one per kind, with the field types they share (events.ts
 * validates, decodes and types events with them).
 */

export const PHASES = ['detect', 'triage', 'investigate', 'resolve', 'postmortem'] as const;
export type Phase = (typeof PHASES)[number];

/** Free text longer than this (command output, mostly) is kept to its start and end, marked. */
export const MAX_TEXT = 64 * 1024;

/** Keeps the first and last part of an over-long text, saying how much was cut. */
export function clampText(text: string, max = MAX_TEXT): string {
  if (text.length <= max) return text;
  const keep = Math.floor((max - 64) / 2);
  return `${text.slice(0, keep)}\n… [${text.length - 2 * keep} characters cut] …\n${text.slice(-keep)}`;
}

const id = z.string().trim().min(1, 'must not be empty').max(512, 'at most 512 characters');
const label = z.string().trim().min(1, 'must not be empty').max(1024, 'at most 1024 characters');
/** Text a person wrote or a tool printed: must say something, long output is clamped rather than refused. */
const prose = (emptyMessage: string) =>
  z
    .string()
    .trim()
    .min(1, emptyMessage)
    .transform((s) => clampText(s));
/** Output may legitimately be empty (a command that printed nothing). */
const output = z.string().transform((s) => clampText(s));
const epochMs = z.number().int('must be a whole number of epoch milliseconds').min(0, 'must be epoch milliseconds');

/**
 * Who did or saw something: the responder at this keyboard (`local`, the configured user.name/email), a
 * PagerDuty user (a teammate, or PagerDuty itself), or a system that changed state on its own (`system`:
 * an alarm evaluating, the sandbox's pager resolving when its alarms are OK).
 */
export const WHO_KINDS = ['local', 'pagerduty', 'system'] as const;
export const whoSchema = z
  .object({
    kind: z.enum(WHO_KINDS),
    id,
    name: label.optional(),
  })
  .strict();
export type Who = z.output<typeof whoSchema>;

const alarmState = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const level = z.enum(['critical', 'warning', 'info']);
const priority = z.enum(['P1', 'P2', 'P3', 'P4']);
const phase = z.enum(PHASES);
export const INCIDENT_SOURCES = ['sandbox', 'pagerduty', 'local'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];
const source = z.enum(INCIDENT_SOURCES);

/**
 * Where a responder's note belongs in a postmortem, as the runbook's note step says (`section:`): the
 * postmortem draft puts the note under that heading. A closed set, so that a typo is a lint error and
 * not a note that silently lands nowhere.
 */
export const NOTE_SECTIONS = [
  'summary',
  'impact',
  'timeline',
  'trigger',
  'root-cause',
  'findings',
  'detection',
  'response',
  'recovery',
  'prevention',
  'monitoring',
  'follow-up',
  'lessons',
] as const;
export type NoteSection = (typeof NOTE_SECTIONS)[number];

const step = {
  /** The runbook the step belongs to, and the step's id within it. */
  runbookId: id,
  stepId: id,
  title: label.optional(),
};

const action = {
  /** One run of one action, shared by its planned … verified/failed events. */
  runId: id,
  /** The catalogue id (ecs.set-desired-count, rds.reboot, …). */
  actionId: id,
  /** What it acts on, as shown in the confirmation (service, database, incident). */
  target: label,
  params: z.record(z.string(), z.unknown()).optional(),
  /** Whether it ran against the sandbox or was a dry run; shown in reports. */
  dryRun: z.boolean().optional(),
  /** The sandbox run it acted in (every run replays the same simulated times); absent for real sources. */
  run: z.string().trim().min(1).max(512).optional(),
};

/** Common fields; `incidentId` is required for kinds that only make sense inside an incident room. */
function base<K extends string, P extends z.ZodType, I extends z.ZodType>(kind: K, payload: P, incidentId: I) {
  return z
    .object({
      kind: z.literal(kind),
      /** When it happened; defaults to the journal's clock when omitted. */
      at: epochMs.optional(),
      who: whoSchema,
      incidentId,
      /** Idempotency key: a second event with the same key is not recorded (the first is returned). */
      key: z.string().min(1, 'must not be empty').max(512, 'at most 512 characters').optional(),
      payload,
    })
    .strict();
}
const inIncident = <K extends string, P extends z.ZodType>(kind: K, payload: P) => base(kind, payload, id);
const anywhere = <K extends string, P extends z.ZodType>(kind: K, payload: P) => base(kind, payload, id.optional());

/** What an alarm watches, so that a report can chart and judge it from the journal alone. */
const alarmDefinition = {
  metric: z
    .object({
      namespace: label,
      name: label,
      dimensions: z.record(z.string(), z.string()),
      statistic: z.string().max(64).optional(),
    })
    .strict()
    .optional(),
  periodSeconds: z.number().int().min(1).optional(),
  evaluationPeriods: z.number().int().min(1).optional(),
  datapointsToAlarm: z.number().int().min(1).optional(),
  comparison: z.string().max(64).optional(),
  ruleId: z.string().max(128).optional(),
};
/** A sandbox run (one simulated world), or absent for real sources: keeps runs of the same simulated times apart. */
const run = id.optional();
/** How the recorder learned of a change: seen live, or read from the source's history after the fact. */
const via = z.enum(['live', 'history', 'action']).optional();

/**
 * Whether an action.applied event changed its target: its own `changed` when it has one; for events written
 * before the field existed, what those versions meant: a dry run changed nothing, and neither did an apply
 * whose output began "nothing to change" (the engine's fixed wording then); everything else was a change.
 */
export function appliedChanged(payload: {
  readonly changed?: unknown;
  readonly dryRun?: unknown;
  readonly output?: unknown;
}): boolean {
  if (typeof payload.changed === 'boolean') return payload.changed;
  if (payload.dryRun === true) return false;
  return !(typeof payload.output === 'string' && payload.output.startsWith('nothing to change'));
}

export const EVENT_SCHEMAS = {
  /**
   * An alarm changed state. `from` is the state the journal last knew (or the source's history says);
   * it is absent when nothing knew it (an alarm first seen already in ALARM, without history).
   */
  'alarm.transition': anywhere(
    'alarm.transition',
    z
      .object({
        alarmId: id,
        alarmName: label,
        from: alarmState.optional(),
        to: alarmState,
        level: level.optional(),
        reason: label.optional(),
        value: z.number().optional(),
        threshold: z.number().optional(),
        unit: z.string().optional(),
        ...alarmDefinition,
        run,
        via,
        /** When the recorder saw it, when later than `at` (learned at start-up, from history). */
        seenAt: epochMs.optional(),
      })
      .strict(),
  ),
  /** The first time the journal hears of an alarm: its state then (a baseline, not a transition). */
  'alarm.observed': anywhere(
    'alarm.observed',
    z
      .object({
        alarmId: id,
        alarmName: label,
        state: alarmState,
        since: epochMs,
        level: level.optional(),
        threshold: z.number().optional(),
        unit: z.string().optional(),
        ...alarmDefinition,
        run,
      })
      .strict(),
  ),
  'incident.created': inIncident(
    'incident.created',
    z
      .object({
        title: label,
        priority: priority.optional(),
        service: z.object({ id, name: label }).strict().optional(),
        source,
        url: z.url().optional(),
        /** The alarms grouped into it when it opened. */
        alarmNames: z.array(label).optional(),
        /** Its number as PagerDuty shows it (#1042). */
        number: z.number().int().min(0).optional(),
        assignees: z.array(label).optional(),
        escalationLevel: z.number().int().min(1).optional(),
        run,
      })
      .strict(),
  ),
  'incident.acknowledged': inIncident('incident.acknowledged', z.object({ via }).strict()),
  /** Back to triggered after an acknowledgement (a snooze or the acknowledgement timeout ended, an escalation). */
  'incident.unacknowledged': inIncident(
    'incident.unacknowledged',
    z.object({ reason: label.optional(), via }).strict(),
  ),
  'incident.escalated': inIncident(
    'incident.escalated',
    z
      .object({
        level: z.number().int().min(1, 'levels start at 1'),
        to: z.array(label).optional(),
        reason: label.optional(),
        via,
      })
      .strict(),
  ),
  'incident.reassigned': inIncident('incident.reassigned', z.object({ to: z.array(label), via }).strict()),
  'incident.priority-changed': inIncident(
    'incident.priority-changed',
    z.object({ from: priority.optional(), to: priority, via }).strict(),
  ),
  /** Another alarm was grouped into the incident. */
  'incident.alarm-added': inIncident('incident.alarm-added', z.object({ alarmName: label, via }).strict()),
  'incident.resolved': inIncident(
    'incident.resolved',
    z.object({ resolution: prose('a resolution needs text').optional(), via }).strict(),
  ),
  /**
   * The metric evidence of an incident, captured while its world could still be read (the sandbox's run
   * ends with the program; CloudWatch keeps one-minute data for 15 days): series of [epoch ms, value].
   * A later capture of the same incident covers at least as much and replaces the earlier one in reports.
   */
  'metrics.captured': inIncident(
    'metrics.captured',
    z
      .object({
        from: epochMs,
        to: epochMs,
        stepSeconds: z.number().int().min(1),
        series: z
          .array(
            z
              .object({
                id,
                points: z.array(z.tuple([epochMs, z.number()])).max(20_000, 'at most 20,000 points a series'),
              })
              .strict(),
          )
          .max(64, 'at most 64 series'),
      })
      .strict(),
  ),
  /** A sandbox run began (the cockpit or a drill on a simulated world): what it was, so reports can say. */
  'run.started': anywhere(
    'run.started',
    z.object({ run: id, scenario: label, seed: z.number().int(), mode: z.enum(['cockpit', 'drill']) }).strict(),
  ),
  /** A sandbox run ended: its world is gone, and its incidents still open stay open only in the record. */
  'run.ended': anywhere('run.ended', z.object({ run: id, reason: label.optional() }).strict()),
  /** The responder moved the incident room to a phase of the process (detect → … → postmortem). */
  'phase.entered': inIncident('phase.entered', z.object({ phase, from: phase.optional() }).strict()),
  'step.started': inIncident('step.started', z.object(step).strict()),
  'step.done': inIncident('step.done', z.object({ ...step, output: output.optional() }).strict()),
  'step.skipped': inIncident(
    'step.skipped',
    z.object({ ...step, reason: prose('a skip reason needs text').optional() }).strict(),
  ),
  /**
   * What a logs or traces step found (patterns that appeared or grew, the address behind them, the span that
   * changed): its line, the values later steps used, its top items and evidence lines, bounded. Reports and
   * the postmortem show it as evidence.
   */
  'step.finding': inIncident(
    'step.finding',
    z
      .object({
        ...step,
        finding: z
          .object({
            kind: z.enum(['logs', 'traces']),
            service: id,
            start: epochMs,
            end: epochMs,
            summary: prose('a finding needs a summary'),
            complete: z.boolean(),
            values: z.record(z.string().max(128), z.union([z.string().max(1024), z.number(), z.boolean()])),
            items: z
              .array(
                z
                  .object({
                    text: label,
                    count: z.number().int().min(0).optional(),
                    previousCount: z.number().int().min(0).optional(),
                    trend: z.string().max(64).optional(),
                    series: z.array(z.number().int().min(0)).max(60).optional(),
                  })
                  .strict(),
              )
              .max(10),
            evidence: z.array(z.string().max(1024)).max(10),
          })
          .strict(),
      })
      .strict(),
  ),
  /** What the action will change and its blast radius, as shown before confirmation. */
  'action.planned': anywhere(
    'action.planned',
    z
      .object({
        ...action,
        plan: z
          .object({
            summary: prose('a plan needs a summary'),
            changes: z.array(label).optional(),
            blastRadius: label.optional(),
          })
          .strict(),
      })
      .strict(),
  ),
  /** The responder confirmed (for a dangerous action, by typing the target's name). */
  'action.confirmed': anywhere(
    'action.confirmed',
    z.object({ ...action, typedTarget: z.boolean().optional() }).strict(),
  ),
  /**
   * The action ran (or, with dryRun, was shown). `changed` says whether it changed the target: false for a
   * dry run and for a plan with nothing to change. Journals written before the field existed read with it
   * derived once, here at the journal boundary (appliedChanged), never by a reader from the output's words.
   */
  'action.applied': anywhere(
    'action.applied',
    z
      .object({ ...action, output: output.optional(), changed: z.boolean().optional() })
      .strict()
      .transform((p) => ({ ...p, changed: appliedChanged(p) })),
  ),
  'action.verified': anywhere('action.verified', z.object({ ...action, output: output.optional() }).strict()),
  'action.failed': anywhere(
    'action.failed',
    z
      .object({
        ...action,
        stage: z.enum(['plan', 'apply', 'verify']),
        error: prose('a failure needs its error'),
        output: output.optional(),
        /** Not done because the responder said no (or a flag could not confirm it): a choice, not a failure. */
        declined: z.boolean().optional(),
      })
      .strict(),
  ),
  /** A note; written by a runbook's note step, it names the step (and the postmortem section it belongs to). */
  note: anywhere(
    'note',
    z
      .object({
        text: prose('a note needs text'),
        step: z
          .object({ runbookId: id, stepId: id, section: z.enum(NOTE_SECTIONS).optional() })
          .strict()
          .optional(),
      })
      .strict(),
  ),
  /** A follow-up with an owner; its id is this event's seq. */
  'followup.added': anywhere(
    'followup.added',
    z.object({ text: prose('a follow-up needs text'), owner: label, dueAt: epochMs.optional() }).strict(),
  ),
  'followup.closed': anywhere(
    'followup.closed',
    z
      .object({
        followUpId: z.number().int().min(1, 'a follow-up id'),
        resolution: prose('a resolution needs text').optional(),
      })
      .strict(),
  ),
  /** A handoff note from the outgoing responder; its id is this event's seq. */
  'handoff.note': anywhere(
    'handoff.note',
    z
      .object({
        text: prose('a handoff note needs text'),
        to: whoSchema.optional(),
        incidentIds: z.array(id).optional(),
      })
      .strict(),
  ),
  'handoff.acknowledged': anywhere(
    'handoff.acknowledged',
    z
      .object({
        handoffId: z.number().int().min(1, 'a handoff id'),
        text: prose('an acknowledgement needs text').optional(),
      })
      .strict(),
  ),
} as const;
