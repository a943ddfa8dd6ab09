import type { RunState, Slot, StepRunner } from '../runState.js';
import type { Step, StepKind } from '../schema.js';
import { runAction } from './action.js';
import { runCheck } from './check.js';
import { runCommand } from './command.js';
import { runDecision } from './decision.js';
import { runLink } from './link.js';
import { runNote } from './note.js';
import { runQueryStep } from './query.js';

/**
 * Every step kind's runner, keyed by the step's `kind`. The type makes a kind of the schema without
 * a runner a compile error: a new kind is its schema, its file here, and one line in this table.
 */
export const STEP_RUNNERS: { readonly [K in StepKind]: StepRunner<Extract<Step, { kind: K }>> } = {
  check: runCheck,
  query: runQueryStep,
  action: runAction,
  command: runCommand,
  note: runNote,
  decision: runDecision,
  link: runLink,
};

/** Runs one step by its kind; returns the index to continue from when it jumps (a decision). */
export async function runStep(run: RunState, s: Slot, at: number): Promise<number | undefined> {
  const runner = STEP_RUNNERS[s.step.kind] as StepRunner;
  return (await runner(run, s, at)) ?? undefined;
}
