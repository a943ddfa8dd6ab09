import { randomBytes } from 'node:crypto';
import type { Person } from '../model.js';
import type { Sources } from '../../sources/ports.js';
import type { EventInput, Journal, Who } from '../journal/index.js';
import { ACTION_DANGER, ACTION_PARAMS, ACTION_TITLES, isActionId, type ActionId } from './catalogue.js';
import type { Clock } from './clock.js';
import { ActionPlanError, ConfirmationError, messageOf, OutputError, ReadOnlyError } from './errors.js';
import { checkConfirmation, confirmationFor } from './guard.js';
import { ClaimHeldError, claimKey, offlineWarning, type ActionClaims } from './claims.js';
import type { ActionContext, AnyHandler } from './handler.js';
import { HANDLERS } from './registry.js';
import type {
  ActionOutcome,
  ActionPlan,
  Change,
  ConfirmAnswer,
  Confirmation,
  Evidence,
  Reading,
  VerifySpec,
} from './types.js';
import { describeSubject, formatReading, readSubject, waitUntil } from './verify.js';
import { formatDuration } from '../time.js';
import { guardChange } from './gate.js';
import { DEFAULT_ACTION_LIMITS, type ActionLimits } from './limits.js';
import { limitProblem } from './targets.js';

/**
 * The remediation engine: every catalogue action goes plan → confirm → apply → verify, and every stage
 * is journaled (dry runs and refusals included) with who, when, the plan and the result.
 *
 *   const engine = createActionEngine({ sources, actor, who, clock, journal, journalIncidentId, incidentId });
 *   const prepared = await engine.prepare({ action: 'ecs.set-desired-count', params: { service: 'vitascope-api', desired: 6 } });
 *   // show prepared.plan; ask for prepared.confirmation ({kind:'yes'} or {kind:'typed', text})
 *   const outcome = await engine.execute(prepared, { answer: 'confirm' });
 *   // outcome.status 'conflict': someone changed the target since the plan; show outcome.conflicts and
 *   // the fresh outcome.prepared.plan, and execute that one once confirmed again.
 *
 * `run()` does the whole loop with a confirm callback (what the runbook runner uses).
 */

export interface EngineOptions {
  readonly sources: Sources;
  /** The person acting: the local user. */
  readonly actor: Person;
  /** The same person as the journal records them. */
  readonly who: Who;
  readonly clock: Clock;
  /** Refuses every action that changes something (plans and dry runs still work). */
  readonly readonly?: boolean;
  readonly journal?: Journal;
  /** The incident room's id in the journal; action events are attached to it. */
  readonly journalIncidentId?: string;
  /** The incident as its source knows it: the default for pagerduty.* actions. */
  readonly incidentId?: string;
  /** What blocks, silences and commands may do (the configuration's `limits`); the defaults otherwise. */
  readonly limits?: ActionLimits;
  /** The team's claims (claims.ts): asked before applying, so two responders never apply the same thing at once. */
  readonly claims?: ActionClaims;
}

/** What to verify, as a caller asks for it (a runbook step's verify, templated). */
export interface VerifyRequest {
  readonly alarm?: string;
  readonly state?: VerifySpec['state'];
  readonly metric?: VerifySpec['metric'];
  readonly timeoutMs: number;
}

export interface ActionRequest {
  readonly action: string;
  /** Parameters before validation (templated from a runbook, typed in the cockpit, given on a command line). */
  readonly params: unknown;
  /** Plan and journal only; change nothing. */
  readonly dryRun?: boolean;
  readonly verify?: VerifyRequest;
  /** The runbook step this action belongs to, for the journal's reader. */
  readonly runId?: string;
  readonly onOutput?: (chunk: string) => void;
  /** Told when the action reaches a stage, so a UI can say "applying…" or "waiting for the alarm…". */
  readonly onStage?: (stage: 'applying' | 'verifying', plan: ActionPlan) => void;
  readonly signal?: AbortSignal;
}

/** A planned action, waiting for its confirmation. */
export interface PreparedAction {
  readonly runId: string;
  readonly plan: ActionPlan;
  readonly confirmation: Confirmation;
  readonly dryRun: boolean;
  /** When the plan's state was read. */
  readonly plannedAt: number;
  /** The verification subject before the change (evidence). */
  readonly before?: Reading;
  /** The engine's own: the target's state the plan saw. */
  readonly internal: { readonly state: unknown; readonly request: ActionRequest };
}

export type ExecuteOutcome =
  | ActionOutcome
  /** Someone else changed the target since the plan: show the conflicts and the new plan, confirm again. */
  | { readonly status: 'conflict'; readonly conflicts: readonly string[]; readonly prepared: PreparedAction };

export interface ActionEngine {
  readonly readonly: boolean;
  /** Reads the target and plans; journals action.planned. Throws ReadOnlyError or ActionPlanError (journaled as failed). */
  prepare(request: ActionRequest): Promise<PreparedAction>;
  /** Confirms, re-reads for conflicts, applies, verifies; journals each stage. Throws ReadOnlyError or ConfirmationError. */
  execute(prepared: PreparedAction, answer: ConfirmAnswer): Promise<ExecuteOutcome>;
  /**
   * prepare + confirm + execute; a conflict is shown to `confirm` again (with the conflicts) up to three
   * times. A plan with nothing to change is executed without asking.
   */
  run(
    request: ActionRequest,
    confirm: (prepared: PreparedAction, conflicts?: readonly string[]) => Promise<ConfirmAnswer>,
  ): Promise<ActionOutcome>;
}

function newRunId(): string {
  return `act-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

function value(v: Change['from']): string {
  return v === null ? '–' : String(v);
}

export function formatChange(c: Change): string {
  return `${c.what}: ${value(c.from)} → ${value(c.to)}`;
}

const clip = (s: string, max = 1000) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** The action.planned payload's plan, within the journal's limits. */
function journalPlan(plan: ActionPlan, note?: string) {
  return {
    summary: note ? `${note}: ${plan.summary}` : plan.summary,
    ...(plan.changes.length ? { changes: plan.changes.map((c) => clip(formatChange(c))) } : {}),
    ...(plan.blastRadius.length ? { blastRadius: clip(plan.blastRadius.join('; ')) } : {}),
  };
}

function zodMessage(
  action: ActionId,
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
): string {
  return error.issues.map((i) => `${action} ${i.path.map(String).join('.') || 'parameters'}: ${i.message}`).join('; ');
}

export function describeEvidence(e: Evidence, spec: VerifySpec): string {
  const lines = [`effect: ${e.effect}`];
  const subject = describeSubject(spec);
  if (subject) {
    lines.push(
      `${subject}: before ${formatReading(e.before)}, after ${formatReading(e.after)}, ${formatDuration(e.waitedMs)} after the change`,
    );
  }
  return lines.join('\n');
}

export function createActionEngine(options: EngineOptions): ActionEngine {
  const { sources, journal, clock } = options;
  const readonly = options.readonly === true;

  function record(event: Omit<EventInput, 'who' | 'incidentId' | 'at'> & { kind: EventInput['kind'] }): void {
    if (!journal) return;
    journal.append({
      ...event,
      who: options.who,
      at: clock.now(),
      ...(options.journalIncidentId ? { incidentId: options.journalIncidentId } : {}),
    } as EventInput);
  }

  function base(runId: string, action: string, target: string, params: unknown, dryRun: boolean) {
    return {
      runId,
      actionId: action,
      target: target || action,
      ...(params && typeof params === 'object' ? { params: params as Record<string, unknown> } : {}),
      ...(dryRun ? { dryRun: true } : {}),
      // The sandbox run it acts in: reports keep runs (which replay the same simulated times) apart.
      ...(sources.simulation?.run ? { run: sources.simulation.run } : {}),
    };
  }

  function context(request: ActionRequest): ActionContext {
    return {
      sources,
      actor: options.actor,
      clock,
      ...(options.incidentId ? { incidentId: options.incidentId } : {}),
      ...(request.onOutput ? { onOutput: request.onOutput } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    };
  }

  function failPlan(
    runId: string,
    action: string,
    target: string,
    params: unknown,
    dryRun: boolean,
    error: Error,
  ): never {
    record({
      kind: 'action.failed',
      payload: { ...base(runId, action, target, params, dryRun), stage: 'plan', error: error.message },
    });
    throw error;
  }

  async function plan(request: ActionRequest, runId: string, note?: string): Promise<PreparedAction> {
    const dryRun = request.dryRun === true;
    const action = request.action;
    if (!isActionId(action)) {
      failPlan(
        runId,
        action,
        action,
        request.params,
        dryRun,
        new ActionPlanError(action, `unknown action ${action}`, 'params'),
      );
    }
    const handler: AnyHandler = HANDLERS[action];
    if (readonly && !dryRun) failPlan(runId, action, action, request.params, dryRun, new ReadOnlyError(action));
    const parsed = ACTION_PARAMS[action].safeParse(request.params);
    if (!parsed.success)
      failPlan(
        runId,
        action,
        action,
        request.params,
        dryRun,
        new ActionPlanError(action, zodMessage(action, parsed.error), 'params'),
      );
    const params = parsed.data as Record<string, unknown>;
    const ctx: ActionContext = { ...context(request), stage: 'plan' };
    let target = action as string;
    try {
      target = handler.target(params, ctx);
    } catch {
      // named after the action until the target is known
    }
    // Limits by meaning (an address that is private or the whole internet, a silence of a century): refused before anything is read.
    const problem = limitProblem(action, params as never, {
      limits: options.limits ?? DEFAULT_ACTION_LIMITS,
      sandbox: sources.environment.kind === 'sandbox',
    });
    if (problem)
      failPlan(runId, action, target, params, dryRun, new ActionPlanError(action, `${action}: ${problem}`, 'refused'));
    let state: unknown;
    let draft: ReturnType<AnyHandler['plan']>;
    const now = clock.now();
    try {
      state = await handler.read(params, ctx);
      draft = handler.plan(params, state, {
        now,
        production: sources.environment.production,
        ...(sources.environment.aws ? { aws: sources.environment.aws } : {}),
      });
    } catch (error) {
      const e =
        error instanceof ActionPlanError
          ? error
          : new ActionPlanError(action, `${action} on ${target}: ${messageOf(error)}`, 'read');
      failPlan(runId, action, target, params, dryRun, e);
    }
    const v = request.verify;
    const verify: VerifySpec = v
      ? {
          ...(v.alarm ? { alarm: v.alarm } : {}),
          ...(v.state ? { state: v.state } : {}),
          ...(v.metric ? { metric: v.metric } : {}),
          timeoutMs: v.timeoutMs,
        }
      : { timeoutMs: 0 };
    const full: ActionPlan = {
      action,
      title: ACTION_TITLES[action],
      target: draft.target,
      danger: draft.danger ?? ACTION_DANGER[action],
      production: sources.environment.production,
      params,
      summary: draft.summary,
      changes: draft.changes,
      blastRadius: draft.blastRadius,
      verify,
    };
    const before = await readSubject(sources, verify, now);
    record({
      kind: 'action.planned',
      payload: { ...base(runId, action, full.target, params, dryRun), plan: journalPlan(full, note) },
    });
    return {
      runId,
      plan: full,
      confirmation: confirmationFor(full),
      dryRun,
      plannedAt: now,
      ...(before ? { before } : {}),
      internal: { state, request },
    };
  }

  /**
   * What an action did to the incident itself (acknowledged, escalated, resolved), journaled by whoever
   * did it, unless the timeline recorder already saw the change at the source (core/record): recorded once.
   */
  function incidentEvents(p: ActionPlan): void {
    if (!journal || !options.journalIncidentId) return;
    const acted = (p.params.incident as string | undefined) ?? options.incidentId;
    if (acted !== options.incidentId) return;
    const id = options.journalIncidentId;
    const at = clock.now();
    const record = journal.incident(id);
    const common = { who: options.who, incidentId: id, at } as const;
    if (p.action === 'pagerduty.acknowledge') {
      if (record?.status === 'triggered' || !record)
        journal.append({
          ...common,
          kind: 'incident.acknowledged',
          key: `${id}:acknowledged:${at}`,
          payload: { via: 'action' },
        });
    } else if (p.action === 'pagerduty.escalate') {
      const level = p.params.level as number;
      if (record?.escalationLevel !== level)
        journal.append({
          ...common,
          kind: 'incident.escalated',
          key: `${id}:escalated:${level}:${at}`,
          payload: { level, reason: `escalated by ${options.actor.name}`, via: 'action' },
        });
    } else if (p.action === 'pagerduty.resolve') {
      if (record?.status !== 'resolved')
        journal.append({
          ...common,
          kind: 'incident.resolved',
          key: `${id}:resolved`,
          payload: { resolution: `resolved by ${options.actor.name}`, via: 'action' },
        });
    }
  }

  async function execute(prepared: PreparedAction, answer: ConfirmAnswer): Promise<ExecuteOutcome> {
    const { plan: p, runId } = prepared;
    const ids = base(runId, p.action, p.target, p.params, prepared.dryRun || answer.answer === 'dry-run');

    if (answer.answer === 'decline') {
      const output = `not done: ${answer.reason ?? `declined by ${options.actor.name}`}`;
      record({ kind: 'action.failed', payload: { ...ids, stage: 'apply', error: output, declined: true } });
      return { status: 'declined', plan: p, runId, output, changed: false };
    }
    if (prepared.dryRun || answer.answer === 'dry-run') {
      const output = `dry run, nothing was changed; the plan: ${p.summary}`;
      record({ kind: 'action.applied', payload: { ...ids, dryRun: true, changed: false, output } });
      return { status: 'dry-run', plan: p, runId, output, changed: false };
    }
    if (readonly) {
      const e = new ReadOnlyError(p.action);
      record({ kind: 'action.failed', payload: { ...ids, stage: 'apply', error: e.message } });
      throw e;
    }
    if (p.changes.length === 0) {
      const output = `nothing to change: ${p.summary}`;
      record({ kind: 'action.applied', payload: { ...ids, changed: false, output } });
      return { status: 'nothing-to-do', plan: p, runId, output, changed: false };
    }
    try {
      checkConfirmation(prepared.confirmation, answer);
    } catch (error) {
      if (error instanceof ConfirmationError)
        record({ kind: 'action.failed', payload: { ...ids, stage: 'apply', error: error.message } });
      throw error;
    }
    record({
      kind: 'action.confirmed',
      payload: { ...ids, ...(prepared.confirmation.kind === 'typed' ? { typedTarget: true } : {}) },
    });

    const claim = options.claims ? await options.claims.claim(claimKey(p.action, p.target)) : undefined;
    if (claim?.kind === 'held') {
      const e = new ClaimHeldError(claim.by);
      record({ kind: 'action.failed', payload: { ...ids, stage: 'apply', error: e.message } });
      throw e;
    }
    try {
      return await applyConfirmed(prepared, ids, claim?.kind === 'offline' ? offlineWarning(claim.reason) : undefined);
    } finally {
      if (claim?.kind === 'granted') claim.release();
    }
  }

  /** Re-reads for conflicts, applies, verifies (execute, once confirmed and claimed). */
  async function applyConfirmed(
    prepared: PreparedAction,
    ids: ReturnType<typeof base>,
    warning: string | undefined,
  ): Promise<ExecuteOutcome> {
    const { plan: p, runId } = prepared;
    const request = prepared.internal.request;
    const handler: AnyHandler = HANDLERS[p.action];
    const ctx = context(request);
    let fresh: unknown;
    try {
      fresh = await handler.read(p.params, ctx);
    } catch (error) {
      const message = `could not read ${p.target} again before applying: ${messageOf(error)}`;
      record({ kind: 'action.failed', payload: { ...ids, stage: 'apply', error: message } });
      return { status: 'failed', plan: p, runId, stage: 'apply', error: message, output: '', changed: false };
    }
    const conflicts = handler.conflicts(prepared.internal.state, fresh, { actor: options.actor });
    if (p.verify.alarm && prepared.before?.state) {
      const nowAlarm = await readSubject(sources, p.verify, clock.now());
      if (nowAlarm?.state && nowAlarm.state !== prepared.before.state) {
        conflicts.push(
          `alarm ${p.verify.alarm} went from ${prepared.before.state} to ${nowAlarm.state} since the plan (fixed by someone else, or a new problem?)`,
        );
      }
    }
    if (conflicts.length > 0) {
      const again = await plan(request, runId, `re-planned after a concurrent change (${conflicts.join('; ')})`);
      return { status: 'conflict', conflicts, prepared: again };
    }

    let output: string;
    try {
      request.onStage?.('applying', p);
      output = await guardChange(readonly, p.action, () => handler.apply(p.params, fresh, ctx));
      if (warning) output = `${warning}\n${output}`;
    } catch (error) {
      const out = error instanceof OutputError ? error.output : '';
      record({ kind: 'action.failed', payload: { ...ids, stage: 'apply', error: messageOf(error), output: out } });
      return { status: 'failed', plan: p, runId, stage: 'apply', error: messageOf(error), output: out, changed: false };
    }
    const appliedAt = clock.now();
    record({ kind: 'action.applied', payload: { ...ids, changed: true, output } });
    incidentEvents(p);

    // Verify: the target reads back as changed, then the alarm or metric recovers within the timeout.
    let effect: { ok: boolean; evidence: string };
    try {
      effect = handler.effect(p.params, fresh, await handler.read(p.params, ctx));
    } catch (error) {
      effect = { ok: false, evidence: `could not read ${p.target} back: ${messageOf(error)}` };
    }
    let evidence: Evidence = {
      effect: effect.evidence,
      waitedMs: 0,
      ...(prepared.before ? { before: prepared.before } : {}),
    };
    let ok = effect.ok;
    let error = effect.ok ? '' : `the change does not show on ${p.target}: ${effect.evidence}`;
    if (ok && (p.verify.alarm || p.verify.metric)) {
      request.onStage?.('verifying', p);
      const waited = await waitUntil(sources, clock, p.verify, request.signal);
      evidence = {
        ...evidence,
        subject: describeSubject(p.verify),
        waitedMs: clock.now() - appliedAt,
        ...(waited.after ? { after: waited.after } : {}),
      };
      ok = waited.ok;
      if (!ok)
        error = `${describeSubject(p.verify)} not reached within ${formatDuration(p.verify.timeoutMs)}: now ${formatReading(waited.after)}`;
    }
    const text = describeEvidence(evidence, p.verify);
    if (ok) {
      record({ kind: 'action.verified', payload: { ...ids, output: text } });
      // A command's output is what it printed; its "effect" (exit 0) adds nothing.
      return {
        status: 'verified',
        plan: p,
        runId,
        output: p.action === 'command.run' ? output : `${output}\n${text}`,
        evidence,
        changed: true,
      };
    }
    record({ kind: 'action.failed', payload: { ...ids, stage: 'verify', error, output: text } });
    return {
      status: 'failed',
      plan: p,
      runId,
      stage: 'verify',
      error,
      output: `${output}\n${text}`,
      evidence,
      changed: true,
    };
  }

  return {
    readonly,
    prepare: (request) => plan(request, request.runId ?? newRunId()),
    execute,
    async run(request, confirm) {
      let prepared = await plan(request, request.runId ?? newRunId());
      let conflicts: readonly string[] | undefined;
      for (let attempt = 0; attempt < 4; attempt++) {
        const answer: ConfirmAnswer = prepared.dryRun
          ? { answer: 'dry-run' }
          : prepared.plan.changes.length === 0
            ? { answer: 'confirm' }
            : await confirm(prepared, conflicts);
        const outcome = await execute(prepared, answer);
        if (outcome.status !== 'conflict') return outcome;
        prepared = outcome.prepared;
        conflicts = outcome.conflicts;
      }
      const error = `${prepared.plan.target} kept changing under the plan (${(conflicts ?? []).join('; ')}); nothing was done`;
      record({
        kind: 'action.failed',
        payload: {
          ...base(prepared.runId, prepared.plan.action, prepared.plan.target, prepared.plan.params, false),
          stage: 'apply',
          error,
        },
      });
      return {
        status: 'failed',
        plan: prepared.plan,
        runId: prepared.runId,
        stage: 'apply',
        error,
        output: '',
        changed: false,
      };
    },
  };
}
