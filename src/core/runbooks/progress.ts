import type { EndpointTable } from './endpointTable.js';
import type { Point } from '../model.js';
import type { ActionOutcome, ActionPlan } from '../actions/types.js';
import type { Pending } from './responder.js';
import type { Phase, StepKind } from './schema.js';
import type { StepOutcome } from './when.js';
import type { CheckOutcome } from './checks.js';
import type { FindingRecord } from './steps/findingText.js';
import type { StepOutcomeKind } from './marks.js';

/**
 * What the runner shows a UI: the state of every step, the phase, the open question, what it waits
 * for, the output of a running command. Plain data; a fresh copy per snapshot() call.
 */

export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'skipped';

export interface StepView {
  readonly phase: Phase;
  /** Position in its phase. */
  readonly index: number;
  readonly id: string;
  readonly kind: StepKind;
  readonly title: string;
  readonly status: StepStatus;
  /** A check's result: pass, fail, or no data to judge by. */
  readonly result?: CheckOutcome;
  /** A decision's chosen option. */
  readonly chose?: string;
  /** The chosen option's label, for the screen (the id is for conditions and the journal). */
  readonly choseLabel?: string;
  /** What the step produced: a check's detail, a query's summary, a note, a command's output. */
  readonly output?: string;
  /** Why it was skipped. */
  readonly reason?: string;
  /** A query's series, for a graph. */
  readonly points?: readonly Point[];
  /** A by-endpoint query's table (core/runbooks/endpointTable.ts). */
  readonly endpoints?: EndpointTable;
  /** A logs or traces step's finding: its line, top items (patterns with counts and series, or traces), evidence. */
  readonly finding?: FindingRecord;
  /** What the step came to (marks.ts): the one thing its mark is drawn from; set in every snapshot. */
  readonly outcome?: StepOutcomeKind;
  /** An action step's last plan and where it got to. */
  readonly action?: { readonly runId: string; readonly status: ActionOutcome['status'] | 'planned' | 'applying' | 'verifying'; readonly plan: ActionPlan };
}

export type RunnerStatus = 'idle' | 'running' | 'waiting-for-responder' | 'completed' | 'stopped';

export interface RunnerSnapshot {
  readonly runbookId: string;
  /** The incident's id in the journal. */
  readonly incidentId: string;
  readonly status: RunnerStatus;
  readonly phase?: Phase;
  /** The step being run or waited on. */
  readonly current?: string;
  readonly steps: readonly StepView[];
  /** The question a person has to answer now. */
  readonly pending?: Pending;
  /** A check waiting for a pass, or an action waiting for its verification. */
  readonly waiting?: { readonly stepId: string; readonly what: string; readonly since: number; readonly until: number };
  /** Output of the command that runs (or ran last), inert, capped. */
  readonly output?: { readonly stepId: string; readonly text: string };
  /** Required notes left unwritten. */
  readonly incomplete: readonly string[];
  /** The data the steps work with, as facts for the screen (the alarm's service, the address given…). */
  readonly facts?: readonly { readonly label: string; readonly value: string }[];
  /** A decision handed the room over to another runbook: the walk of this one ended there. */
  readonly handover?: Handover;
}

/** A decision's answer that hands the room over to another runbook. */
export interface Handover {
  readonly runbookId: string;
  /** The decision and the option that did, in words. */
  readonly stepTitle: string;
  readonly label: string;
}

export type RunnerEvent =
  | { readonly type: 'phase'; readonly phase: Phase; readonly from?: Phase }
  | { readonly type: 'step'; readonly stepId: string; readonly status: StepStatus }
  | { readonly type: 'pending'; readonly pending?: Pending }
  | { readonly type: 'waiting'; readonly stepId: string; readonly what?: string }
  | { readonly type: 'output'; readonly stepId: string; readonly chunk: string }
  | { readonly type: 'action'; readonly stepId: string; readonly status: NonNullable<StepView['action']>['status'] }
  | { readonly type: 'finished'; readonly status: RunnerStatus };

/** A check's or decision's outcome as the first words of its step.done output, so a resume can read it back. */
export function outcomeText(outcome: StepOutcome, detail: string): string {
  if (outcome.result) return `${outcome.result === 'no-data' ? 'no data' : outcome.result}: ${detail}`;
  if (outcome.chose) return `chose ${outcome.chose}: ${detail}`;
  return detail;
}

/** The outcome a step.done output records, for a check or a decision. */
export function outcomeOf(kind: StepKind, output: string | undefined): StepOutcome | undefined {
  if (!output) return undefined;
  if (kind === 'check') {
    const m = /^(pass|fail|no data):/.exec(output);
    return m ? { result: m[1] === 'no data' ? 'no-data' : (m[1] as 'pass' | 'fail') } : undefined;
  }
  if (kind === 'decision') {
    const m = /^chose ([a-z0-9]+(?:-[a-z0-9]+)*)/.exec(output);
    return m ? { chose: m[1]! } : undefined;
  }
  return undefined;
}
