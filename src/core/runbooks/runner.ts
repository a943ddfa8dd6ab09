import type { ActionLimits } from '../actions/limits.js';
import type { ActionClaims } from '../actions/claims.js';
import type { Alarm, Incident, Person } from '../model.js';
import type { Sources } from '../../sources/ports.js';
import { createActionEngine, type ActionEngine } from '../actions/engine.js';
import type { Clock } from '../actions/clock.js';
import type { ActionOutcome } from '../actions/types.js';
import type { Journal, Who } from '../journal/index.js';
import { LEASE_TTL_MS, LeaseLostError, roomLease } from './roomLease.js';

export { LEASE_TTL_MS, LeaseLostError, RoomHeldError } from './roomLease.js';
import type { LoadedRunbook } from './types.js';
import type { RunnerEvent, RunnerSnapshot, RunnerStatus } from './progress.js';
import type { Responder } from './responder.js';
import { restore } from './resume.js';
import { Abandoned, RunState } from './runState.js';
import type { Runbook } from './schema.js';
import type { TemplateValue } from './template.js';
import { askParams, walk } from './walk.js';
import { retryStep, writeNote } from './redo.js';

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
 *
 * Where the parts live: this file holds the public face and the room's lease; runState.ts the walk's
 * state and its moves; walk.ts the phases walk; steps/ one file per step kind behind the STEP_RUNNERS
 * table (steps/index.ts); waiting.ts the waits and polls; resume.ts the rebuild from the journal.
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
  /** The configuration's log groups of a service, for logs steps that name none (the strategy's defaults otherwise). */
  readonly logGroups?: (service: string) => readonly string[] | undefined;
}

export interface RunResult {
  readonly status: Extract<RunnerStatus, 'completed' | 'stopped'>;
  /** Actions run in this call, in order, with their outcome. */
  readonly actions: readonly { readonly stepId: string; readonly outcome: ActionOutcome }[];
  /** Required notes left unwritten. */
  readonly incomplete: readonly string[];
  /** The walk ended on a decision that hands the room over to another runbook. */
  readonly handover?: import('./progress.js').Handover;
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
  /**
   * Does a finished step again: a failed, declined or dry-run action (its parameters asked again, the
   * last value offered), a check without a pass. The walk goes back to it after the step it is on; a
   * walk that ended has to be run() again. Returns why not when the step cannot be retried.
   */
  retry(stepId: string): string | undefined;
  /**
   * Writes a note step's text at any time (a note skipped earlier, a required one still missing), as
   * answering it would have. Returns why not when the step is not a note or is the open question.
   */
  writeNote(stepId: string, text: string): string | undefined;
}

function runbookOf(r: LoadedRunbook | Runbook): Runbook {
  return 'runbook' in r ? r.runbook : r;
}

export function createRunner(options: RunnerOptions): Runner {
  const runbook = runbookOf(options.runbook);
  const { journal, clock, sources } = options;
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
  const state = new RunState(options, runbook, engine);

  let running = false;
  /** The room's lease (roomLease.ts): one live process runs this room's steps. */
  const lease = roomLease({ journal, incidentId: options.journalIncidentId, who: options.who, ttlMs: options.leaseTtlMs ?? LEASE_TTL_MS, onLost: () => runner.stop() });
  /** Releases the lease this run holds (set while it holds one). */
  let letGo: (() => void) | undefined;

  const runner: Runner = {
    snapshot: () => state.snapshot(),
    subscribe(listener) {
      state.listeners.add(listener);
      return () => state.listeners.delete(listener);
    },
    async run() {
      if (running) throw new Error('this runner is already running');
      running = true;
      state.stopped = false;
      state.stopController = new AbortController();
      state.status = 'running';
      state.actions.length = 0;
      state.abandonController = new AbortController();
      const result = (status: RunResult['status']): RunResult => ({ status, actions: [...state.actions], incomplete: [...state.incomplete], ...(state.handover ? { handover: state.handover } : {}) });
      try {
        // The journal's state first, so that a room run elsewhere still shows where it is.
        restore(state);
        try {
          letGo = lease.hold();
        } catch (error) {
          state.status = 'idle';
          state.emit({ type: 'finished', status: state.status });
          throw error;
        }
        await askParams(state);
        await walk(state);
        state.status = state.stopped ? 'stopped' : 'completed';
        state.emit({ type: 'finished', status: state.status });
        if (lease.lost()) throw new LeaseLostError('this room was stopped: its lease could not be renewed in time (another process may run it now)');
        return result(state.stopped ? 'stopped' : 'completed');
      } catch (error) {
        if (!(error instanceof Abandoned)) throw error;
        state.current = undefined;
        state.status = 'stopped';
        state.emit({ type: 'finished', status: state.status });
        return result('stopped');
      } finally {
        letGo?.();
        letGo = undefined;
        running = false;
      }
    },
    stop() {
      state.stopped = true;
      state.waitController?.abort(new Error('stopped'));
      state.stopController.abort(new Error('stopped'));
    },
    abandon() {
      runner.stop();
      state.abandonController.abort();
      // Waiting for an answer, nothing is in flight: the room is free for another process at once.
      if (state.status === 'waiting-for-responder') {
        letGo?.();
        letGo = undefined;
      }
    },
    skipWait() {
      state.waitController?.abort(new Error('wait skipped'));
      state.verifying?.abort(new Error('wait skipped'));
    },
    retry(stepId) {
      return retryStep(state, stepId);
    },
    writeNote(stepId, text) {
      return writeNote(state, stepId, text);
    },
  };
  return runner;
}
