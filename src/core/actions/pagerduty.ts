import { redactOutgoing } from '../reports/redact.js';
import type { Incident, Person, TimelineEntry } from '../model.js';
import type { Sources } from '../../sources/ports.js';
import type { ActionId, ActionParams } from './catalogue.js';
import { ActionPlanError } from './errors.js';
import { arrow, requirePort, type ActionContext, type ActionHandler, type PlanDraft, type PlanEnv } from './handler.js';
import { iso, parseDuration } from '../time.js';
import type { Change } from './types.js';

/**
 * The PagerDuty actions: acknowledge, escalate, reassign, add a note, resolve, snooze. PagerDuty is where the
 * team shares state, so the plan reads the incident AND its log: a log entry by someone else between
 * plan and apply (a colleague acknowledged, escalated, wrote a note) is a conflict to show, not to run over.
 */

export interface IncidentTarget {
  readonly incident: Incident;
  readonly timeline: readonly TimelineEntry[];
}

type PdAction =
  | 'pagerduty.acknowledge'
  | 'pagerduty.escalate'
  | 'pagerduty.reassign'
  | 'pagerduty.add-note'
  | 'pagerduty.resolve'
  | 'pagerduty.snooze';

function incidentIdOf(action: ActionId, given: string | undefined, ctx: Pick<ActionContext, 'incidentId'>): string {
  const id = given ?? ctx.incidentId;
  if (!id)
    throw new ActionPlanError(
      action,
      `${action} needs an incident: give incident, or run it from an incident room`,
      'params',
    );
  return id;
}

async function readIncident(action: PdAction, given: string | undefined, ctx: ActionContext): Promise<IncidentTarget> {
  const id = incidentIdOf(action, given, ctx);
  const port = requirePort(ctx.sources.incidents, action, 'the incident source (PagerDuty)', ctx.sources);
  const incident = await port.getIncident(id);
  if (!incident) throw new ActionPlanError(action, `no incident ${id}`, 'target');
  return { incident, timeline: await port.timeline(id) };
}

function names(people: readonly Person[]): string {
  return people.map((p) => p.name).join(', ') || 'nobody';
}

/** Whether a log entry was written by the acting user (by name, email or id). */
export function byActor(entry: TimelineEntry, actor: Person): boolean {
  const who = entry.who?.trim().toLowerCase();
  if (!who) return false;
  return [actor.name, actor.email, actor.id].some((x) => x !== undefined && x.trim().toLowerCase() === who);
}

/** Pure: what changed on the incident since the plan, by someone other than the actor. */
export function incidentConflicts(before: IncidentTarget, now: IncidentTarget, actor: Person): string[] {
  const a = before.incident;
  const b = now.incident;
  const out: string[] = [];
  if (a.status !== b.status)
    out.push(`incident ${b.id} is now ${b.status} (it was ${a.status} when the plan was made)`);
  if (a.escalationLevel !== b.escalationLevel)
    out.push(`incident ${b.id} moved from escalation level ${a.escalationLevel} to ${b.escalationLevel}`);
  const ids = (ps: readonly Person[]) =>
    ps
      .map((p) => p.id)
      .sort()
      .join(',');
  if (ids(a.assignees) !== ids(b.assignees))
    out.push(`incident ${b.id} is now assigned to ${names(b.assignees)} (was ${names(a.assignees)})`);
  const seen = new Set(before.timeline.map((e) => e.id));
  for (const e of now.timeline) {
    if (seen.has(e.id) || e.kind === 'alarm' || byActor(e, actor)) continue;
    out.push(`new on the incident's log: ${e.who ?? 'someone'}: ${e.summary}`);
  }
  return out;
}

const title = (i: Incident) =>
  `${i.id}${i.number !== undefined ? ` #${i.number}` : ''} "${i.title.length > 60 ? `${i.title.slice(0, 59)}…` : i.title}"`;

/** Pure: pagerduty.acknowledge. */
export function planAcknowledge(_p: ActionParams<'pagerduty.acknowledge'>, t: IncidentTarget): PlanDraft {
  const i = t.incident;
  if (i.status !== 'triggered')
    return {
      target: i.id,
      summary: `incident ${title(i)} is already ${i.status}; nothing to acknowledge`,
      changes: [],
      blastRadius: [],
    };
  return {
    target: i.id,
    summary: `acknowledge incident ${title(i)}`,
    changes: [{ what: 'status', from: i.status, to: 'acknowledged' }],
    blastRadius: [
      `stops the escalation clock at level ${i.escalationLevel} (${names(i.assignees)}): nobody else is paged while it stays acknowledged`,
      'tells everyone watching the incident that someone is on it',
    ],
  };
}

/** Pure: pagerduty.escalate. */
export function planEscalate(p: ActionParams<'pagerduty.escalate'>, t: IncidentTarget): PlanDraft {
  const i = t.incident;
  if (i.status === 'resolved')
    throw new ActionPlanError(
      'pagerduty.escalate',
      `incident ${i.id} is resolved; there is nobody to escalate to`,
      'refused',
    );
  const changes: Change[] = [{ what: 'escalation level', from: i.escalationLevel, to: p.level }];
  if (i.status === 'acknowledged') changes.push({ what: 'status', from: 'acknowledged', to: 'triggered' });
  return {
    target: i.id,
    summary: `escalate incident ${title(i)}: level ${arrow(i.escalationLevel, p.level)}`,
    changes,
    blastRadius: [
      `pages whoever is on call at level ${p.level} now`,
      "the incident is triggered again: it escalates further after the policy's delay unless someone acknowledges it",
    ],
  };
}

/** Pure: pagerduty.reassign (people already resolved from the parameters). */
export function planReassign(
  _p: ActionParams<'pagerduty.reassign'>,
  t: IncidentTarget,
  to: readonly Person[],
): PlanDraft {
  const i = t.incident;
  if (i.status === 'resolved')
    throw new ActionPlanError(
      'pagerduty.reassign',
      `incident ${i.id} is resolved; reassigning it pages nobody`,
      'refused',
    );
  const same =
    i.assignees
      .map((p) => p.id)
      .sort()
      .join(',') ===
    to
      .map((p) => p.id)
      .sort()
      .join(',');
  if (same)
    return {
      target: i.id,
      summary: `incident ${title(i)} is already assigned to ${names(to)}; nothing to change`,
      changes: [],
      blastRadius: [],
    };
  return {
    target: i.id,
    summary: `reassign incident ${title(i)} to ${names(to)}`,
    changes: [{ what: 'assignees', from: names(i.assignees), to: names(to) }],
    blastRadius: [
      `${names(to)} ${to.length === 1 ? 'is' : 'are'} paged now; ${names(i.assignees)} ${i.assignees.length === 1 ? 'stops' : 'stop'} being paged for it`,
    ],
  };
}

/** Pure: pagerduty.add-note. */
export function planAddNote(p: ActionParams<'pagerduty.add-note'>, t: IncidentTarget): PlanDraft {
  const i = t.incident;
  const notes = t.timeline.filter((e) => e.kind === 'note').length;
  const short = p.text.length > 80 ? `${p.text.slice(0, 79)}…` : p.text;
  return {
    target: i.id,
    summary: `add a note to incident ${title(i)}: "${short}"`,
    changes: [{ what: 'notes', from: notes, to: notes + 1 }],
    blastRadius: [
      'visible to everyone who can see the incident in PagerDuty and its integrations (chat, status pages): no personal or health data in notes',
    ],
  };
}

/** Pure: pagerduty.resolve. */
export function planResolve(_p: ActionParams<'pagerduty.resolve'>, t: IncidentTarget): PlanDraft {
  const i = t.incident;
  if (i.status === 'resolved')
    return {
      target: i.id,
      summary: `incident ${title(i)} is already resolved; nothing to change`,
      changes: [],
      blastRadius: [],
    };
  return {
    target: i.id,
    summary: `resolve incident ${title(i)}`,
    changes: [{ what: 'status', from: i.status, to: 'resolved' }],
    blastRadius: [
      'ends the incident for everyone and stops paging for it',
      `an alarm that fires again opens a new incident${i.alarmNames.length ? ` (this one holds ${i.alarmNames.join(', ')})` : ''}`,
    ],
  };
}

const WEEK_MS = 7 * 24 * 3_600_000;

function snoozeMs(p: ActionParams<'pagerduty.snooze'>): number {
  const ms = parseDuration(p.duration);
  if (ms === undefined || ms < 1000 || ms > WEEK_MS)
    throw new ActionPlanError(
      'pagerduty.snooze',
      `a snooze lasts from a second to 7 days, not ${p.duration}`,
      'params',
    );
  return ms;
}

/** Pure: pagerduty.snooze. */
export function planSnooze(
  p: ActionParams<'pagerduty.snooze'>,
  t: IncidentTarget,
  env: Pick<PlanEnv, 'now'>,
): PlanDraft {
  const i = t.incident;
  const ms = snoozeMs(p);
  if (i.status !== 'acknowledged')
    throw new ActionPlanError(
      'pagerduty.snooze',
      `incident ${i.id} is ${i.status}: only an acknowledged incident can be snoozed${i.status === 'triggered' ? ' (acknowledge it first)' : ''}`,
      'refused',
    );
  const until = env.now + ms;
  return {
    target: i.id,
    summary: `snooze incident ${title(i)} for ${p.duration}, until ${iso(until)}`,
    changes: [
      { what: 'back to triggered at', from: i.retriggersAt !== undefined ? iso(i.retriggersAt) : null, to: iso(until) },
    ],
    blastRadius: [
      `nobody is paged about it until ${iso(until)}; then it is triggered again and ${names(i.assignees)} ${i.assignees.length === 1 ? 'is' : 'are'} paged, the escalation starting over`,
      'use it for a known wait (a vendor fix, a backfill), not to quiet an alarm that still needs someone',
    ],
  };
}

/** People named by id, name or email, as the on-call source knows them; unknown names are passed as given. */
export async function resolvePeople(sources: Sources, refs: readonly string[]): Promise<Person[]> {
  const known: Person[] = [];
  if (sources.onCall) {
    const [now, policies] = await Promise.all([
      sources.onCall.onCallNow().catch(() => []),
      sources.onCall.escalationPolicies().catch(() => []),
    ]);
    known.push(...now.map((e) => e.person), ...policies.flatMap((p) => p.rules.flatMap((r) => r.targets)));
  }
  return refs.map((r) => {
    const k = r.trim().toLowerCase();
    return known.find((p) => [p.id, p.name, p.email].some((x) => x?.toLowerCase() === k)) ?? { id: r, name: r };
  });
}

function conflicts(a: IncidentTarget, b: IncidentTarget, ctx: { readonly actor: Person }): string[] {
  return incidentConflicts(a, b, ctx.actor);
}

function actions(ctx: ActionContext, action: PdAction) {
  return requirePort(ctx.sources.incidentActions, action, 'incident actions (PagerDuty)', ctx.sources);
}

const status = (t: IncidentTarget) =>
  `incident ${t.incident.id}: ${t.incident.status}, level ${t.incident.escalationLevel}, assigned to ${names(t.incident.assignees)}`;

export const acknowledge: ActionHandler<'pagerduty.acknowledge', IncidentTarget> = {
  id: 'pagerduty.acknowledge',
  target: (p, ctx) => incidentIdOf('pagerduty.acknowledge', p.incident, ctx),
  read: (p, ctx) => readIncident('pagerduty.acknowledge', p.incident, ctx),
  plan: (p, t) => planAcknowledge(p, t),
  conflicts,
  async apply(_p, t, ctx) {
    await actions(ctx, 'pagerduty.acknowledge').acknowledge(t.incident.id);
    return `acknowledged incident ${t.incident.id}`;
  },
  effect: (_p, _b, after) => ({ ok: after.incident.status !== 'triggered', evidence: status(after) }),
};

export const escalate: ActionHandler<'pagerduty.escalate', IncidentTarget> = {
  id: 'pagerduty.escalate',
  target: (p, ctx) => incidentIdOf('pagerduty.escalate', p.incident, ctx),
  read: (p, ctx) => readIncident('pagerduty.escalate', p.incident, ctx),
  plan: (p, t) => planEscalate(p, t),
  conflicts,
  async apply(p, t, ctx) {
    await actions(ctx, 'pagerduty.escalate').escalate(t.incident.id, p.level);
    return `escalated incident ${t.incident.id} to level ${p.level}`;
  },
  effect: (p, _b, after) => ({ ok: after.incident.escalationLevel === p.level, evidence: status(after) }),
};

export const reassign: ActionHandler<'pagerduty.reassign', IncidentTarget & { readonly to: readonly Person[] }> = {
  id: 'pagerduty.reassign',
  target: (p, ctx) => incidentIdOf('pagerduty.reassign', p.incident, ctx),
  async read(p, ctx) {
    const [t, to] = await Promise.all([
      readIncident('pagerduty.reassign', p.incident, ctx),
      resolvePeople(ctx.sources, p.to),
    ]);
    return { ...t, to };
  },
  plan: (p, t) => planReassign(p, t, t.to),
  conflicts,
  async apply(_p, t, ctx) {
    await actions(ctx, 'pagerduty.reassign').reassign(t.incident.id, t.to);
    return `reassigned incident ${t.incident.id} to ${names(t.to)}`;
  },
  effect: (_p, before, after) => ({
    ok:
      after.incident.assignees
        .map((p) => p.id)
        .sort()
        .join(',') ===
      before.to
        .map((p) => p.id)
        .sort()
        .join(','),
    evidence: status(after),
  }),
};

export const addNote: ActionHandler<'pagerduty.add-note', IncidentTarget> = {
  id: 'pagerduty.add-note',
  target: (p, ctx) => incidentIdOf('pagerduty.add-note', p.incident, ctx),
  read: (p, ctx) => readIncident('pagerduty.add-note', p.incident, ctx),
  plan: (p, t) => planAddNote(p, t),
  conflicts,
  async apply(p, t, ctx) {
    // The note leaves the machine: what PagerDuty gets is redacted plain text (the same rule as the mirror's).
    const text = redactOutgoing(p.text);
    await actions(ctx, 'pagerduty.add-note').addNote(t.incident.id, text);
    return `added a note to incident ${t.incident.id}: ${text}`;
  },
  effect(p, before, after) {
    const seen = new Set(before.timeline.map((e) => e.id));
    const sent = redactOutgoing(p.text).trim();
    const found = after.timeline.some((e) => !seen.has(e.id) && e.kind === 'note' && e.summary.includes(sent));
    return {
      ok: found,
      evidence: `incident ${after.incident.id}: ${after.timeline.filter((e) => e.kind === 'note').length} notes`,
    };
  },
};

export const snooze: ActionHandler<'pagerduty.snooze', IncidentTarget> = {
  id: 'pagerduty.snooze',
  target: (p, ctx) => incidentIdOf('pagerduty.snooze', p.incident, ctx),
  read: (p, ctx) => readIncident('pagerduty.snooze', p.incident, ctx),
  plan: (p, t, env) => planSnooze(p, t, env),
  conflicts,
  async apply(p, t, ctx) {
    await actions(ctx, 'pagerduty.snooze').snooze(t.incident.id, Math.round(snoozeMs(p) / 1000));
    return `snoozed incident ${t.incident.id} for ${p.duration}`;
  },
  // PagerDuty may not say when the snooze ends; still acknowledged (not triggered) is the effect then.
  effect: (_p, before, after) => ({
    ok:
      after.incident.status === 'acknowledged' &&
      (after.incident.retriggersAt === undefined || after.incident.retriggersAt !== before.incident.retriggersAt),
    evidence: `${status(after)}${after.incident.retriggersAt !== undefined ? `, back to triggered at ${iso(after.incident.retriggersAt)}` : ''}`,
  }),
};

export const resolve: ActionHandler<'pagerduty.resolve', IncidentTarget> = {
  id: 'pagerduty.resolve',
  target: (p, ctx) => incidentIdOf('pagerduty.resolve', p.incident, ctx),
  read: (p, ctx) => readIncident('pagerduty.resolve', p.incident, ctx),
  plan: (p, t) => planResolve(p, t),
  conflicts,
  async apply(_p, t, ctx) {
    await actions(ctx, 'pagerduty.resolve').resolve(t.incident.id);
    return `resolved incident ${t.incident.id}`;
  },
  effect: (_p, _b, after) => ({ ok: after.incident.status === 'resolved', evidence: status(after) }),
};
