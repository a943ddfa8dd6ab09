import type { ActionLimits } from '../actions/limits.js';
import type { ActionClaims } from '../actions/claims.js';
import { randomBytes } from 'node:crypto';
import type { Alarm, Incident, Person } from '../model.js';
import type { Sources } from '../../sources/ports.js';
import { createActionEngine, type ActionEngine, type ActionRequest, type VerifyRequest } from '../actions/engine.js';
import type { Clock } from '../actions/clock.js';
import { REMEDIATIONS } from '../actions/registry.js';
import type { ActionOutcome, ComparisonOp } from '../actions/types.js';
import { isActionId } from '../actions/catalogue.js';
import { ConfirmationError, ReadOnlyError } from '../actions/errors.js';
import type { EventInput, Journal, Who } from '../journal/index.js';
import { LEASE_TTL_MS, LeaseLostError, roomLease } from './roomLease.js';

export { LEASE_TTL_MS, LeaseLostError, RoomHeldError } from './roomLease.js';
import { formatDuration, parseDuration } from '../time.js';
import { evaluateCheck } from './checks.js';
import { suggestOption } from './decide.js';
import type { LoadedRunbook } from './lint.js';
import { outcomeOf, outcomeText, type RunnerEvent, type RunnerSnapshot, type RunnerStatus, type StepView } from './progress.js';
import { runQuery } from './queries.js';
import type { Pending, Responder } from './responder.js';
import {
  conditionsOf,
  PHASES,
  stepsOf,
  type ActionStep,
  type CommandStep,
  type DecisionStep,
  type NoteStep,
  type Phase,
  type Runbook,
  type Step,
  type When,
} from './schema.js';
import { contextVars, render, renderArgv, renderValue, type TemplateValue } from './template.js';
import { evaluateWhen, resultText, type StepOutcome } from './when.js';

/**
 * The incident room's engine: walks a runbook's phases detect → triage → investigate → resolve →
 * postmortem for one incident, step by step, and records every move in the journal, so that leaving
 * and coming back, or restarting the program, continues where the room was.
 *
 * How a UI drives it (the cockpit's incident room; `drill` is the headless driver):
 *
 *   const runner = createRunner({ runbook, incident, alarm, sources, journal, journalIncidentId,
 *                                 actor, who, clock, responder });
 *   const off = runner.subscribe((event, snapshot) => render(snapshot));   // progress
 *   const result = await runner.run();     // from where the journal says, to the end (or stop())
 *
 * - snapshot(): the phase, every step's status and output, the current step, the open question
 *   (`pending`: a confirmation with its plan, a decision with the suggested option, a note, a
 *   parameter), what it waits for (`waiting`: a check's wait, an action's verification), and the
 *   running command's output as it streams.
 * - The questions go to the Responder given at creation: createPromptResponder() (responder.ts) turns
 *   each into `current` until the UI calls answer(); drillResponder() answers by rule.
 * - stop() ends the walk after the current step (a wait ends at once); skipWait() ends only the current
 *   wait. run() again later, in this process or another, resumes from the journal.
 *
 * Step kinds: check (judged live; `wait:` polls until it passes), query (a value or series), action
 * (the remediation engine: plan → confirm → apply → verify), command (command.run with the argv
 * templated per element), note (the responder's words, journaled as a note), decision (chooses a
 * branch: a later step or phase; the steps jumped over are journaled as skipped), link (templated URL).
 * A step whose `when` does not hold is skipped, with the reason.
 */

export interface RunnerOptions {
  readonly runbook: LoadedRunbook | Runbook;
  /** The incident as its source knows it (PagerDuty, the sandbox). */
  readonly incident?: Incident;
  /** The alarm the room was opened for (the one the runbook matched). */
  readonly alarm?: Alarm;
  readonly sources: Sources;
  readonly journal: Journal;
  /** The incident's id in the journal (a drill's runs are kept apart from each other). */
  readonly journalIncidentId: string;
  readonly actor: Person;
  readonly who: Who;
  readonly clock: Clock;
  readonly responder: Responder;
  /** Values for the runbook's params (they win over the defaults). */
  readonly params?: Readonly<Record<string, TemplateValue>>;
  /** Every action and command is planned and journaled as a dry run (drill without --yes, --live). */
  readonly dryRun?: boolean;
  /** Read-only mode: actions are dry runs, never applied. */
  readonly readonly?: boolean;
  /** Commands are dry runs even when actions are not (the sandbox: a command would reach real systems). */
  readonly commandsDryRun?: boolean;
  /** Checks with `wait:` poll until they pass (default); false judges them once (a --live drill: nothing recovers for real). */
  readonly waits?: boolean;
  /** Time a step takes the responder; the clock advances by it after each step run (drills). */
  readonly stepTimeMs?: number;
  /** How long a remediation waits for its alarm by default (20 minutes). */
  readonly verifyTimeoutMs?: number;
  /** The engine to act through; one is made from the options otherwise. */
  readonly engine?: ActionEngine;
  /** The actions' limits (the configuration's `limits`) for the engine made from the options. */
  readonly limits?: ActionLimits;
  /** The team's claims (actions/claims.ts) for the engine made from the options. */
  readonly claims?: ActionClaims;
  /** How long the room's lease lasts unless renewed; LEASE_TTL_MS by default. */
  readonly leaseTtlMs?: number;
}

export interface RunResult {
  readonly status: Extract<RunnerStatus, 'completed' | 'stopped'>;
  /** Actions run in this call, in order, with their outcome. */
  readonly actions: readonly { readonly stepId: string; readonly outcome: ActionOutcome }[];
  /** Required notes left unwritten. */
  readonly incomplete: readonly string[];
}

export interface Runner {
  snapshot(): RunnerSnapshot;
  subscribe(listener: (event: RunnerEvent, snapshot: RunnerSnapshot) => void): () => void;
  run(): Promise<RunResult>;
  stop(): void;
  /**
   * Stops now and lets go of the room (the program is closing): a question still waiting for the
   * responder is dropped (it is asked again on resume), and the room's lease is released at once.
   */
  abandon(): void;
  skipWait(): void;
}

/** The walk was abandoned while it waited for the responder (Runner.abandon). */
class Abandoned extends Error {}

export const DEFAULT_VERIFY_TIMEOUT_MS = 20 * 60_000;

const MAX_STREAMED = 64 * 1024;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
interface Slot {
  readonly phase: Phase;
  readonly index: number;
  readonly step: Step;
  view: Mutable<StepView>;
}

function runbookOf(r: LoadedRunbook | Runbook): Runbook {
  return 'runbook' in r ? r.runbook : r;
}

function describeWhen(when: When | undefined): string {
  return conditionsOf(when)
    .map((c) => {
      if (c.var !== undefined) return `${c.var} ${c.is !== undefined ? `is ${String(c.is)}` : `is not ${String(c.not)}`}`;
      if (c.result !== undefined) return `${c.step} ${resultText(c.result)}`;
      return `${c.step} chose ${String(c.chose)}`;
    })
    .join(' and ');
}

export function createRunner(options: RunnerOptions): Runner {
  const runbook = runbookOf(options.runbook);
  const { journal, clock, sources } = options;
  const dryRun = options.dryRun === true || options.readonly === true;
  const engine =
    options.engine ??
    createActionEngine({
      sources,
      actor: options.actor,
      who: options.who,
      clock,
      journal,
      journalIncidentId: options.journalIncidentId,
      readonly: options.readonly === true,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.claims ? { claims: options.claims } : {}),
      ...(options.incident ? { incidentId: options.incident.id } : {}),
    });
  const slots: Slot[] = stepsOf(runbook).map(({ phase, index, step }) => ({
    phase,
    index,
    step,
    view: { phase, index, id: step.id, kind: step.kind, title: step.title, status: 'pending' },
  }));
  const byId = new Map(slots.map((s, i) => [s.step.id, i]));
  const outcomes = new Map<string, StepOutcome>();
  const listeners = new Set<(event: RunnerEvent, snapshot: RunnerSnapshot) => void>();
  const incomplete: string[] = [];
  let status: RunnerStatus = 'idle';
  let phase: Phase | undefined;
  let current: string | undefined;
  let pending: Pending | undefined;
  let waiting: RunnerSnapshot['waiting'];
  let output: { stepId: string; text: string } | undefined;
  let stopped = false;
  let waitController: AbortController | undefined;
  /** Ends a running command or verification when the walk is stopped (a new one per run). */
  let stopController = new AbortController();
  /** The action being verified, so that skipWait() can end its wait. */
  let verifying: AbortController | undefined;
  const incidentStart = options.incident?.createdAt ?? options.alarm?.stateSince;

  const given: Record<string, TemplateValue> = { ...(options.params ?? {}) };
  let vars = makeVars();
  function makeVars() {
    return contextVars({
      alarm: options.alarm,
      incident: options.incident,
      runbook,
      params: given,
      responder: { name: options.actor.name },
    });
  }

  function snapshot(): RunnerSnapshot {
    return {
      runbookId: runbook.id,
      incidentId: options.journalIncidentId,
      status,
      ...(phase ? { phase } : {}),
      ...(current ? { current } : {}),
      steps: slots.map((s) => ({ ...s.view })),
      ...(pending ? { pending } : {}),
      ...(waiting ? { waiting } : {}),
      ...(output ? { output: { ...output } } : {}),
      incomplete: [...incomplete],
    };
  }

  function emit(event: RunnerEvent): void {
    if (listeners.size === 0) return;
    const snap = snapshot();
    for (const l of listeners) {
      try {
        l(event, snap);
      } catch {
        // A listener's failure is the UI's problem, never the walk's.
      }
    }
  }

  function record(event: Omit<EventInput, 'who' | 'incidentId' | 'at'> & { kind: EventInput['kind'] }): void {
    journal.append({ ...event, who: options.who, incidentId: options.journalIncidentId, at: clock.now() } as EventInput);
  }

  function stepPayload(s: Slot) {
    return { runbookId: runbook.id, stepId: s.step.id, title: s.step.title.slice(0, 1024) };
  }

  function setStatus(s: Slot, next: StepView['status']): void {
    s.view.status = next;
    emit({ type: 'step', stepId: s.step.id, status: next });
  }

  function done(s: Slot, text: string): void {
    s.view.output = text;
    record({ kind: 'step.done', payload: { ...stepPayload(s), output: text } });
    setStatus(s, 'done');
  }

  function skip(s: Slot, reason: string): void {
    s.view.reason = reason;
    record({ kind: 'step.skipped', payload: { ...stepPayload(s), reason } });
    setStatus(s, 'skipped');
  }

  function enter(next: Phase): void {
    if (phase === next) return;
    const from = phase;
    phase = next;
    record({ kind: 'phase.entered', payload: { phase: next, ...(from ? { from } : {}) } });
    emit({ type: 'phase', phase: next, ...(from ? { from } : {}) });
  }

  /** Aborted by abandon(): ends a question nobody will answer. */
  let abandonController = new AbortController();

  async function ask<T>(p: Pending, answer: () => Promise<T>): Promise<T> {
    pending = p;
    status = 'waiting-for-responder';
    emit({ type: 'pending', pending: p });
    const signal = abandonController.signal;
    let onAbandon: (() => void) | undefined;
    try {
      return await Promise.race([
        answer(),
        new Promise<never>((_, reject) => {
          if (signal.aborted) reject(new Abandoned());
          else signal.addEventListener('abort', (onAbandon = () => reject(new Abandoned())), { once: true });
        }),
      ]);
    } finally {
      if (onAbandon) signal.removeEventListener('abort', onAbandon);
      pending = undefined;
      status = 'running';
      emit({ type: 'pending' });
    }
  }

  /** Restores steps, outcomes and the phase from the journal: what a resume continues from. */
  function restore(): void {
    const state = journal.incidentState(options.journalIncidentId);
    for (const st of state.steps) {
      if (st.runbookId !== runbook.id) continue;
      const i = byId.get(st.stepId);
      if (i === undefined) continue;
      const s = slots[i]!;
      if (st.status === 'done') {
        s.view.status = 'done';
        if (st.output !== undefined) s.view.output = st.output;
        const o = outcomeOf(s.step.kind, st.output);
        if (o) {
          outcomes.set(s.step.id, o);
          if (o.result) s.view.result = o.result;
          if (o.chose) s.view.chose = o.chose;
        }
      } else if (st.status === 'skipped') {
        s.view.status = 'skipped';
        if (st.reason !== undefined) s.view.reason = st.reason;
      }
    }
    phase = state.phase;
  }

  /** Parameters without a value (null defaults) are asked for once, before the walk. */
  async function askParams(): Promise<void> {
    for (const [name, dflt] of Object.entries(runbook.params)) {
      if (dflt !== null || Object.hasOwn(given, name)) continue;
      const v = await ask({ kind: 'param', name }, () => options.responder.param({ kind: 'param', name }));
      if (v !== undefined && v !== '') given[name] = v;
    }
    vars = makeVars();
  }

  async function waitFor(ms: number): Promise<void> {
    if (ms <= 0 || stopped) return;
    waitController = new AbortController();
    try {
      await clock.wait(ms, waitController.signal);
    } catch {
      // skipWait() or stop(): carry on with what we have
    } finally {
      waitController = undefined;
    }
  }

  async function runCheck(s: Slot): Promise<void> {
    const step = s.step as Extract<Step, { kind: 'check' }>;
    const ctx = () => ({ sources, now: clock.now(), ...(incidentStart !== undefined ? { incidentStart } : {}) });
    let r = await evaluateCheck(step, vars, ctx());
    const waitMs = step.wait && options.waits !== false ? (parseDuration(step.wait) ?? 0) : 0;
    // A wait polls until the check passes: a failure or no data yet may both change.
    if (r.result !== 'pass' && waitMs > 0) {
      const since = clock.now();
      const until = since + waitMs;
      waiting = { stepId: step.id, what: step.title, since, until };
      setStatus(s, 'waiting');
      emit({ type: 'waiting', stepId: step.id, what: step.title });
      while (r.result !== 'pass' && !stopped && clock.now() < until) {
        waitController = new AbortController();
        try {
          await clock.wait(Math.min(clock.pollMs, until - clock.now()), waitController.signal);
        } catch {
          waitController = undefined;
          break;
        }
        waitController = undefined;
        r = await evaluateCheck(step, vars, ctx());
      }
      waiting = undefined;
      emit({ type: 'waiting', stepId: step.id });
      r = { ...r, detail: `${r.detail} (${r.result === 'pass' ? 'after' : 'waited'} ${formatDuration(clock.now() - since)})` };
    }
    outcomes.set(step.id, { result: r.result });
    s.view.result = r.result;
    done(s, outcomeText({ result: r.result }, r.detail));
  }

  function verifyFor(step: ActionStep): VerifyRequest | undefined {
    if (step.verify === false) return undefined;
    const timeoutMs = (step.verify?.timeout && parseDuration(step.verify.timeout)) || options.verifyTimeoutMs || DEFAULT_VERIFY_TIMEOUT_MS;
    const v = step.verify;
    if (v?.alarm) return { alarm: render(v.alarm, vars).text, ...(v.state ? { state: v.state } : {}), timeoutMs };
    if (v?.metric && v.op && v.value !== undefined) {
      const m = v.metric;
      return {
        metric: {
          metric: {
            namespace: m.namespace,
            name: m.name,
            dimensions: Object.fromEntries(Object.entries(m.dimensions).map(([k, x]) => [k, render(x, vars).text])),
            ...(m.statistic ? { statistic: m.statistic } : {}),
          },
          op: v.op as ComparisonOp,
          value: v.value,
        },
        timeoutMs,
      };
    }
    const alarm = vars['alarm.name'];
    return isActionId(step.action) && REMEDIATIONS.has(step.action) && alarm !== undefined ? { alarm: String(alarm), timeoutMs } : undefined;
  }

  const actions: { stepId: string; outcome: ActionOutcome }[] = [];

  function describeOutcome(o: ActionOutcome): string {
    return o.status === 'failed' ? `failed (${o.stage}): ${o.error}${o.output ? `\n${o.output}` : ''}` : `${o.status}: ${o.output}`;
  }

  /** Runs an action through the engine, asking the responder to confirm; the step records the outcome. */
  async function act(s: Slot, request: ActionRequest): Promise<void> {
    const step = s.step as ActionStep | CommandStep;
    const control = new AbortController();
    const onStop = () => control.abort(new Error('stopped'));
    stopController.signal.addEventListener('abort', onStop, { once: true });
    try {
      const outcome = await engine.run(
        {
          ...request,
          signal: control.signal,
          onStage: (stage, plan) => {
            s.view.action = { runId: s.view.action?.runId ?? '', status: stage, plan };
            if (stage === 'verifying') {
              verifying = control;
              const since = clock.now();
              waiting = { stepId: step.id, what: `verifying: ${plan.title} (${plan.target})`, since, until: since + plan.verify.timeoutMs };
              setStatus(s, 'waiting');
              emit({ type: 'waiting', stepId: step.id, what: waiting.what });
            }
            emit({ type: 'action', stepId: step.id, status: stage });
          },
        },
        async (prepared, conflicts) => {
          s.view.action = { runId: prepared.runId, status: 'planned', plan: prepared.plan };
          emit({ type: 'action', stepId: step.id, status: 'planned' });
          const p = { kind: 'confirm' as const, stepId: step.id, step, prepared, ...(conflicts ? { conflicts } : {}) };
          return ask(p, () => options.responder.confirm(p));
        },
      );
      if (waiting?.stepId === step.id) {
        waiting = undefined;
        emit({ type: 'waiting', stepId: step.id });
      }
      actions.push({ stepId: step.id, outcome });
      s.view.action = { runId: outcome.runId, status: outcome.status, plan: outcome.plan };
      emit({ type: 'action', stepId: step.id, status: outcome.status });
      done(s, describeOutcome(outcome));
    } catch (error) {
      waiting = undefined;
      // Read-only and a wrong typed name are refusals; anything else stopped the plan (bad parameters,
      // an unknown target, a capability the sources lack). Both are already in the journal.
      const refused = error instanceof ReadOnlyError || error instanceof ConfirmationError;
      done(s, `${refused ? 'refused' : 'failed (plan)'}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      verifying = undefined;
      stopController.signal.removeEventListener('abort', onStop);
    }
  }

  function missingValues(s: Slot, action: string, target: string, missing: readonly string[]): void {
    const error = `no value for ${missing.map((m) => `{{${m}}}`).join(', ')}: give ${missing.some((m) => m.startsWith('params.')) ? 'the parameter' : 'it'} and run the step again`;
    record({
      kind: 'action.failed',
      payload: { runId: `act-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`, actionId: action, target, ...(dryRun ? { dryRun: true } : {}), stage: 'plan', error },
    });
    done(s, `failed (plan): ${error}`);
  }

  async function runAction(s: Slot): Promise<void> {
    const step = s.step as ActionStep;
    const missing = new Set<string>();
    const params = renderValue(step.with, vars, missing) as Record<string, unknown>;
    if (missing.size > 0) return missingValues(s, step.action, step.action, [...missing]);
    const verify = verifyFor(step);
    await act(s, { action: step.action, params, dryRun, ...(verify ? { verify } : {}) });
  }

  async function runCommandStep(s: Slot): Promise<void> {
    const step = s.step as CommandStep;
    const r = renderArgv(step.command, vars);
    if (r.missing.length > 0) return missingValues(s, 'command.run', step.command[0]!, r.missing);
    output = { stepId: step.id, text: '' };
    await act(s, {
      action: 'command.run',
      params: { argv: r.argv, timeout: step.timeout, ...(step.cwd ? { cwd: render(step.cwd, vars).text } : {}), ...(step.readonly ? { readonly: true } : {}) },
      dryRun: dryRun || options.commandsDryRun === true,
      onOutput: (chunk) => {
        if (output && output.text.length < MAX_STREAMED) output.text += chunk.slice(0, MAX_STREAMED - output.text.length);
        emit({ type: 'output', stepId: step.id, chunk });
      },
    });
  }

  async function runNote(s: Slot): Promise<void> {
    const step = s.step as NoteStep;
    const p = { kind: 'note' as const, stepId: step.id, step };
    const text = (await ask(p, () => options.responder.note(p)))?.trim();
    if (text) {
      // The note names its step (and the postmortem section it belongs to), so that reports can place it.
      record({ kind: 'note', payload: { text, step: { runbookId: runbook.id, stepId: step.id, ...(step.section ? { section: step.section } : {}) } } });
      done(s, text);
    } else if (step.required) {
      incomplete.push(step.id);
      skip(s, 'required note not written: the runbook is not complete without it');
    } else {
      skip(s, 'no note written');
    }
  }

  /** Records the choice; returns the index to continue from. */
  async function runDecision(s: Slot, at: number): Promise<number | undefined> {
    const step = s.step as DecisionStep;
    const suggestion = suggestOption(step, vars, outcomes);
    const p = { kind: 'decision' as const, stepId: step.id, step, suggestion };
    const answer = await ask(p, () => options.responder.decide(p));
    const option = step.options.find((o) => o.id === answer) ?? suggestion.option;
    outcomes.set(step.id, { chose: option.id });
    s.view.chose = option.id;
    const why = option.id === suggestion.option.id ? ` (suggested: ${suggestion.reason})` : '';
    done(s, outcomeText({ chose: option.id }, `${option.label}${why}`));
    const target = (PHASES as readonly string[]).includes(option.goto)
      ? slots.findIndex((x) => PHASES.indexOf(x.phase) >= PHASES.indexOf(option.goto as Phase))
      : (byId.get(option.goto) ?? -1);
    const to = target < 0 ? slots.length : target;
    if (to <= at + 1) return undefined;
    const reason = `decision ${step.id} chose ${option.id}: went to ${option.goto}`;
    for (let i = at + 1; i < to; i++) {
      const j = slots[i]!;
      if (j.view.status === 'pending') skip(j, reason);
    }
    return to;
  }

  async function runStep(s: Slot, at: number): Promise<number | undefined> {
    switch (s.step.kind) {
      case 'check':
        await runCheck(s);
        return undefined;
      case 'query': {
        const r = await runQuery(s.step, vars, { sources, now: clock.now() });
        s.view.points = r.points;
        done(s, r.summary);
        return undefined;
      }
      case 'action':
        await runAction(s);
        return undefined;
      case 'command':
        await runCommandStep(s);
        return undefined;
      case 'note':
        await runNote(s);
        return undefined;
      case 'decision':
        return runDecision(s, at);
      case 'link':
        done(s, render(s.step.url, vars).text);
        return undefined;
    }
  }

  let running = false;
  /** The room's lease (roomLease.ts): one live process runs this room's steps. */
  const lease = roomLease({ journal, incidentId: options.journalIncidentId, who: options.who, ttlMs: options.leaseTtlMs ?? LEASE_TTL_MS, onLost: () => runner.stop() });
  /** Releases the lease this run holds (set while it holds one). */
  let letGo: (() => void) | undefined;

  const runner: Runner = {
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async run() {
      if (running) throw new Error('this runner is already running');
      running = true;
      stopped = false;
      stopController = new AbortController();
      status = 'running';
      actions.length = 0;
      abandonController = new AbortController();
      try {
        // The journal's state first, so that a room run elsewhere still shows where it is.
        restore();
        try {
          letGo = lease.hold();
        } catch (error) {
          status = 'idle';
          emit({ type: 'finished', status });
          throw error;
        }
        await askParams();
        let at = 0;
        while (at < slots.length && !stopped) {
          const s = slots[at]!;
          if (s.view.status === 'done' || s.view.status === 'skipped') {
            at += 1;
            continue;
          }
          current = s.step.id;
          enter(s.phase);
          const when = evaluateWhen(s.step.when, vars, outcomes);
          if (when !== 'yes') {
            // A check without data neither passed nor failed: its branches are not taken, and the reason says why.
            const unjudged = conditionsOf(s.step.when).filter((c) => c.step !== undefined && c.result !== undefined && c.result !== 'no-data' && outcomes.get(c.step)?.result === 'no-data');
            skip(
              s,
              when === 'no' && unjudged.length
                ? `condition not known (${describeWhen(s.step.when)}): ${unjudged.map((c) => c.step).join(', ')} had no data`
                : when === 'no'
                  ? `condition not met (${describeWhen(s.step.when)})`
                  : `condition not known (${describeWhen(s.step.when)}): a step it depends on was skipped`,
            );
            at += 1;
            continue;
          }
          setStatus(s, 'running');
          record({ kind: 'step.started', payload: stepPayload(s) });
          const next = await runStep(s, at);
          await waitFor(options.stepTimeMs ?? 0);
          at = next ?? at + 1;
        }
        current = undefined;
        status = stopped ? 'stopped' : 'completed';
        emit({ type: 'finished', status });
        if (lease.lost()) throw new LeaseLostError('this room was stopped: its lease could not be renewed in time (another process may run it now)');
        return { status: stopped ? 'stopped' : 'completed', actions: [...actions], incomplete: [...incomplete] };
      } catch (error) {
        if (!(error instanceof Abandoned)) throw error;
        current = undefined;
        status = 'stopped';
        emit({ type: 'finished', status });
        return { status: 'stopped', actions: [...actions], incomplete: [...incomplete] };
      } finally {
        letGo?.();
        letGo = undefined;
        running = false;
      }
    },
    stop() {
      stopped = true;
      waitController?.abort(new Error('stopped'));
      stopController.abort(new Error('stopped'));
    },
    abandon() {
      runner.stop();
      abandonController.abort();
      // Waiting for an answer, nothing is in flight: the room is free for another process at once.
      if (status === 'waiting-for-responder') {
        letGo?.();
        letGo = undefined;
      }
    },
    skipWait() {
      waitController?.abort(new Error('wait skipped'));
      verifying?.abort(new Error('wait skipped'));
    },
  };
  return runner;
}
