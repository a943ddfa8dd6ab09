import type { JournalEvent, KnownEvent, Phase, Who } from './events.js';

/**
 * The state of an incident room rebuilt from its events, so that a responder who restarts the cockpit (or
 * takes over on another shift) resumes where the room was: the phase, which runbook steps are done or
 * skipped, every action and where it got to, the notes and follow-ups. A pure fold over events in time
 * order; the journal feeds it from one indexed query (budget: 100,000 events in ≤ 200 ms).
 */

/** Bumped whenever IncidentState's shape or the fold changes: older snapshots are then ignored. */
export const REDUCER_VERSION = 1;

export type StepStatus = 'started' | 'done' | 'skipped';
export type ActionStatus = 'planned' | 'confirmed' | 'applied' | 'verified' | 'failed';

export interface StepState {
  readonly runbookId: string;
  readonly stepId: string;
  title?: string;
  status: StepStatus;
  startedAt?: number;
  /** When it was done or skipped. */
  finishedAt?: number;
  who: Who;
  reason?: string;
  output?: string;
}

export interface ActionState {
  readonly runId: string;
  readonly actionId: string;
  readonly target: string;
  status: ActionStatus;
  params?: Record<string, unknown>;
  dryRun?: boolean;
  plan?: { summary: string; changes?: string[]; blastRadius?: string };
  output?: string;
  error?: string;
  failedStage?: 'plan' | 'apply' | 'verify';
  /** Every status it went through: who, when. */
  readonly history: { status: ActionStatus; at: number; who: Who; seq: number }[];
}

export interface NoteState {
  readonly seq: number;
  readonly at: number;
  readonly who: Who;
  readonly text: string;
}

export interface FollowUpState {
  readonly id: number;
  readonly text: string;
  readonly owner: string;
  open: boolean;
}

export interface IncidentState {
  readonly incidentId: string;
  title?: string;
  status?: 'triggered' | 'acknowledged' | 'resolved';
  escalationLevel?: number;
  /** The phase the room is in, and since when. */
  phase?: Phase;
  phaseEnteredAt?: number;
  readonly phases: { phase: Phase; at: number; who: Who }[];
  /** Steps in the order they were first touched; the latest status wins. */
  readonly steps: StepState[];
  readonly actions: ActionState[];
  readonly notes: NoteState[];
  readonly followUps: FollowUpState[];
  eventCount: number;
  /** The highest seq folded in: a caller can fold newer events onto this state. */
  lastSeq: number;
  lastAt?: number;
  /** Events of kinds this version does not know (from a newer version): counted, not interpreted. */
  unknownEvents: number;
}

export function emptyIncidentState(incidentId: string): IncidentState {
  return {
    incidentId,
    phases: [],
    steps: [],
    actions: [],
    notes: [],
    followUps: [],
    eventCount: 0,
    lastSeq: 0,
    unknownEvents: 0,
  };
}

/** Folds events (in time order) into a state; returns a new state built from `initial` or an empty one. */
export function reduceIncidentState(
  incidentId: string,
  events: Iterable<JournalEvent>,
  initial?: IncidentState,
): IncidentState {
  const state = initial ?? emptyIncidentState(incidentId);
  const steps = new Map<string, StepState>(state.steps.map((st) => [`${st.runbookId}\u0000${st.stepId}`, st]));
  const actions = new Map<string, ActionState>(state.actions.map((a) => [a.runId, a]));
  const followUps = new Map<number, FollowUpState>(state.followUps.map((f) => [f.id, f]));

  const step = (
    e: Extract<KnownEvent, { kind: 'step.started' | 'step.done' | 'step.skipped' }>,
    status: StepStatus,
  ): StepState => {
    const key = `${e.payload.runbookId}\u0000${e.payload.stepId}`;
    let st = steps.get(key);
    if (!st) {
      st = { runbookId: e.payload.runbookId, stepId: e.payload.stepId, status, who: e.who };
      steps.set(key, st);
      state.steps.push(st);
    }
    st.status = status;
    st.who = e.who;
    if (e.payload.title !== undefined) st.title = e.payload.title;
    return st;
  };

  const action = (e: Extract<KnownEvent, { kind: `action.${string}` }>, status: ActionStatus): ActionState => {
    const p = e.payload;
    let a = actions.get(p.runId);
    if (!a) {
      a = { runId: p.runId, actionId: p.actionId, target: p.target, status, history: [] };
      actions.set(p.runId, a);
      state.actions.push(a);
    }
    a.status = status;
    if (p.params !== undefined) a.params = p.params;
    if (p.dryRun !== undefined) a.dryRun = p.dryRun;
    a.history.push({ status, at: e.at, who: e.who, seq: e.seq });
    return a;
  };

  for (const e of events) {
    state.eventCount += 1;
    if (e.seq > state.lastSeq) state.lastSeq = e.seq;
    if (state.lastAt === undefined || e.at > state.lastAt) state.lastAt = e.at;
    switch (e.kind) {
      case 'incident.created':
        state.title = e.payload.title;
        state.status ??= 'triggered';
        break;
      case 'incident.acknowledged':
        if (state.status !== 'resolved') state.status = 'acknowledged';
        break;
      case 'incident.escalated':
        state.escalationLevel = e.payload.level;
        break;
      case 'incident.resolved':
        state.status = 'resolved';
        break;
      case 'phase.entered':
        state.phase = e.payload.phase;
        state.phaseEnteredAt = e.at;
        state.phases.push({ phase: e.payload.phase, at: e.at, who: e.who });
        break;
      case 'step.started': {
        const st = step(e, 'started');
        st.startedAt = e.at;
        break;
      }
      case 'step.done': {
        const st = step(e, 'done');
        st.finishedAt = e.at;
        if (e.payload.output !== undefined) st.output = e.payload.output;
        break;
      }
      case 'step.skipped': {
        const st = step(e, 'skipped');
        st.finishedAt = e.at;
        if (e.payload.reason !== undefined) st.reason = e.payload.reason;
        break;
      }
      case 'action.planned':
        action(e, 'planned').plan = e.payload.plan;
        break;
      case 'action.confirmed':
        action(e, 'confirmed');
        break;
      case 'action.applied': {
        const a = action(e, 'applied');
        if (e.payload.output !== undefined) a.output = e.payload.output;
        break;
      }
      case 'action.verified': {
        const a = action(e, 'verified');
        if (e.payload.output !== undefined) a.output = e.payload.output;
        break;
      }
      case 'action.failed': {
        const a = action(e, 'failed');
        a.error = e.payload.error;
        a.failedStage = e.payload.stage;
        if (e.payload.output !== undefined) a.output = e.payload.output;
        break;
      }
      case 'note':
        state.notes.push({ seq: e.seq, at: e.at, who: e.who, text: e.payload.text });
        break;
      case 'followup.added': {
        const f = { id: e.seq, text: e.payload.text, owner: e.payload.owner, open: true };
        followUps.set(f.id, f);
        state.followUps.push(f);
        break;
      }
      case 'followup.closed': {
        const f = followUps.get(e.payload.followUpId);
        if (f) f.open = false;
        break;
      }
      case 'unknown':
        state.unknownEvents += 1;
        break;
      default:
        break;
    }
  }
  return state;
}
