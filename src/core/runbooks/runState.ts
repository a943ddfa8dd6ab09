import { withDisplayText } from './displayText.js';
import type { ActionEngine } from '../actions/engine.js';
import type { ActionOutcome } from '../actions/types.js';
import type { EventInput } from '../journal/index.js';
import type { Handover, RunnerEvent, RunnerSnapshot, RunnerStatus, StepView } from './progress.js';
import { stepOutcome } from './marks.js';
import { roomFacts } from './conditionText.js';
import type { Pending } from './responder.js';
import type { RunnerOptions } from './runner.js';
import { stepsOf, type Phase, type Runbook, type Step } from './schema.js';
import { contextVars, type TemplateValue } from './template.js';
import type { StepOutcome } from './when.js';

/**
 * One room's walk in progress: the steps and what they produced, the open question, what is waited
 * for, and the few moves every part of the walk makes (record in the journal, tell the listeners,
 * mark a step done or skipped, ask the responder). The walk (walk.ts), the step kinds (steps/), the
 * waits (waiting.ts) and the resume (resume.ts) all work on this one object; runner.ts owns it.
 */

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One step of the runbook, where it sits in the walk, and what the UI sees of it. */
export interface Slot<S extends Step = Step> {
  readonly phase: Phase;
  readonly index: number;
  readonly step: S;
  view: Mutable<StepView>;
}

/**
 * How one step kind runs (steps/): it ends by marking the step done or skipped. A decision returns the
 * index of the step to continue from; every other kind returns nothing (the next step).
 */
export type StepRunner<S extends Step = Step> = (run: RunState, s: Slot<S>, at: number) => Promise<number | undefined | void>;

/** The walk was abandoned while it waited for the responder (Runner.abandon). */
export class Abandoned extends Error {}

export class RunState {
  readonly slots: Slot[];
  /** A step's place in `slots`, by id. */
  readonly byId: Map<string, number>;
  /** Checks' results and decisions' choices, for `when` and suggestions. */
  readonly outcomes = new Map<string, StepOutcome>();
  readonly listeners = new Set<(event: RunnerEvent, snapshot: RunnerSnapshot) => void>();
  /** Required notes left unwritten. */
  readonly incomplete: string[] = [];
  /** Actions run in this call to run(), in order, with their outcome. */
  readonly actions: { stepId: string; outcome: ActionOutcome }[] = [];
  /** Values for the runbook's params: the options', then what the responder gave. */
  readonly given: Record<string, TemplateValue>;
  /** The params the responder gave in this room (a retry asks them again, offering the last value). */
  readonly asked = new Set<string>();
  /** The values given before a retry, offered as the suggestion. */
  readonly previous: Record<string, TemplateValue> = {};
  /** Every action and command is a dry run. */
  readonly dryRun: boolean;
  readonly incidentStart: number | undefined;
  vars: Record<string, TemplateValue | undefined>;
  /** What logs and traces steps found so far (findings.logs.*, findings.traces.*): later steps' variables. */
  readonly found: Record<string, TemplateValue | undefined> = {};
  status: RunnerStatus = 'idle';
  phase: Phase | undefined;
  current: string | undefined;
  pending: Pending | undefined;
  waiting: RunnerSnapshot['waiting'];
  output: { stepId: string; text: string } | undefined;
  stopped = false;
  /** Ends the current wait (skipWait() or stop()). */
  waitController: AbortController | undefined;
  /** Ends a running command or verification when the walk is stopped (a new one per run). */
  stopController = new AbortController();
  /** The action being verified, so that skipWait() can end its wait. */
  verifying: AbortController | undefined;
  /** Aborted by abandon(): ends a question nobody will answer. */
  abandonController = new AbortController();
  /** Set when a decision handed the room over to another runbook: the walk ends. */
  handover: Handover | undefined;
  /** A step retried (runner.retry) behind where the walk is: the walk goes back to it after the current step. */
  rewindTo: number | undefined;

  /** The runbook as the screen words it: {{display.timezone}} written in (displayText.ts). */
  readonly runbook: Runbook;

  constructor(
    readonly options: RunnerOptions,
    runbook: Runbook,
    readonly engine: ActionEngine,
  ) {
    this.runbook = withDisplayText(runbook);
    this.slots = stepsOf(this.runbook).map(({ phase, index, step }) => ({
      phase,
      index,
      step,
      view: { phase, index, id: step.id, kind: step.kind, title: step.title, status: 'pending' },
    }));
    this.byId = new Map(this.slots.map((s, i) => [s.step.id, i]));
    this.given = { ...(options.params ?? {}) };
    this.dryRun = options.dryRun === true || options.readonly === true;
    this.incidentStart = options.incident?.createdAt ?? options.alarm?.stateSince;
    this.vars = this.makeVars();
  }

  /** What the room knows of a step, for conditions said in words: its title and what it found. */
  readonly facts = (id: string): { title: string; detail?: string } | undefined => {
    const i = this.byId.get(id);
    if (i === undefined) return undefined;
    const s = this.slots[i]!;
    const out = s.view.output;
    const detail = out && s.step.kind === 'check' ? out.replace(/^(pass|fail|no data): /, '') : undefined;
    return { title: s.step.title, ...(detail ? { detail } : {}) };
  };

  readonly stepById = (id: string): Step | undefined => {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.slots[i]!.step;
  };

  /** The template variables, again after the responder gave params. */
  makeVars(): Record<string, TemplateValue | undefined> {
    const { options } = this;
    return contextVars({
      alarm: options.alarm,
      incident: options.incident,
      runbook: this.runbook,
      params: this.given,
      responder: { name: options.actor.name },
      findings: this.found,
    });
  }

  /** A finding's values replace the previous ones of its kind (a value it lacks is unknown again, not stale). */
  takeFindings(kind: 'logs' | 'traces', values: Readonly<Record<string, TemplateValue | undefined>>): void {
    for (const k of Object.keys(this.found)) if (k.startsWith(`findings.${kind}.`)) delete this.found[k];
    Object.assign(this.found, values);
    this.vars = this.makeVars();
  }

  snapshot(): RunnerSnapshot {
    return {
      runbookId: this.runbook.id,
      incidentId: this.options.journalIncidentId,
      status: this.status,
      ...(this.phase ? { phase: this.phase } : {}),
      ...(this.current ? { current: this.current } : {}),
      steps: this.slots.map((s) => ({ ...s.view, outcome: stepOutcome(s.view) })),
      ...(this.pending ? { pending: this.pending } : {}),
      ...(this.waiting ? { waiting: this.waiting } : {}),
      ...(this.output ? { output: { ...this.output } } : {}),
      incomplete: [...this.incomplete],
      ...(this.handover ? { handover: this.handover } : {}),
      facts: roomFacts(this.vars),
    };
  }

  /** The handover a decision's recorded choice makes, if its option hands over (also read back on resume). */
  handoverOf(s: Slot): Handover | undefined {
    if (s.step.kind !== 'decision') return undefined;
    const chose = this.outcomes.get(s.step.id)?.chose;
    const option = s.step.options.find((o) => o.id === chose);
    return option?.handover ? { runbookId: option.handover, stepTitle: s.step.title, label: option.label } : undefined;
  }

  emit(event: RunnerEvent): void {
    if (this.listeners.size === 0) return;
    const snap = this.snapshot();
    for (const l of this.listeners) {
      try {
        l(event, snap);
      } catch {
        // A listener's failure is the UI's problem, never the walk's.
      }
    }
  }

  record(event: Omit<EventInput, 'who' | 'incidentId' | 'at'> & { kind: EventInput['kind'] }): void {
    const { options } = this;
    options.journal.append({ ...event, who: options.who, incidentId: options.journalIncidentId, at: options.clock.now() } as EventInput);
  }

  stepPayload(s: Slot) {
    return { runbookId: this.runbook.id, stepId: s.step.id, title: s.step.title.slice(0, 1024) };
  }

  setStatus(s: Slot, next: StepView['status']): void {
    s.view.status = next;
    this.emit({ type: 'step', stepId: s.step.id, status: next });
  }

  done(s: Slot, text: string): void {
    s.view.output = text;
    this.record({ kind: 'step.done', payload: { ...this.stepPayload(s), output: text } });
    this.setStatus(s, 'done');
  }

  skip(s: Slot, reason: string): void {
    s.view.reason = reason;
    this.record({ kind: 'step.skipped', payload: { ...this.stepPayload(s), reason } });
    this.setStatus(s, 'skipped');
  }

  /**
   * Puts a finished step back to do again (a retry): its view, its outcome and a required note's
   * absence are forgotten; the journal keeps the earlier attempt, and the new one is recorded when it runs.
   */
  reset(s: Slot): void {
    s.view = { phase: s.phase, index: s.index, id: s.step.id, kind: s.step.kind, title: s.step.title, status: 'pending' };
    this.outcomes.delete(s.step.id);
    const i = this.incomplete.indexOf(s.step.id);
    if (i >= 0) this.incomplete.splice(i, 1);
    // The journal's latest word on the step is that it started again: a resume (or run() again) does not take the old result back.
    this.record({ kind: 'step.started', payload: this.stepPayload(s) });
    const at = this.byId.get(s.step.id)!;
    this.rewindTo = this.rewindTo === undefined ? at : Math.min(this.rewindTo, at);
    this.emit({ type: 'step', stepId: s.step.id, status: 'pending' });
  }

  enter(next: Phase): void {
    if (this.phase === next) return;
    const from = this.phase;
    this.phase = next;
    this.record({ kind: 'phase.entered', payload: { phase: next, ...(from ? { from } : {}) } });
    this.emit({ type: 'phase', phase: next, ...(from ? { from } : {}) });
  }

  /** Shows the question as `pending` until the responder answers; abandon() ends it with Abandoned. */
  async ask<T>(p: Pending, answer: () => Promise<T>): Promise<T> {
    this.pending = p;
    this.status = 'waiting-for-responder';
    this.emit({ type: 'pending', pending: p });
    const signal = this.abandonController.signal;
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
      this.pending = undefined;
      this.status = 'running';
      this.emit({ type: 'pending' });
    }
  }
}
