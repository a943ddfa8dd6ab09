/**
 * The remediation engine: the catalogue's actions planned (pure, printable), confirmed (typed for
 * dangerous actions on production), applied through the capability ports, verified against an alarm
 * or metric, and journaled at every stage. See engine.ts for the flow.
 */
export {
  ACTION_DANGER,
  ACTION_IDS,
  ACTION_PARAMS,
  ACTION_TITLES,
  isActionId,
  type ActionId,
  type ActionParams,
} from './catalogue.js';
export { realClock, simulatedClock, type Clock, type Simulated } from './clock.js';
export {
  createActionEngine,
  describeEvidence,
  formatChange,
  type ActionEngine,
  type ActionRequest,
  type EngineOptions,
  type ExecuteOutcome,
  type PreparedAction,
  type VerifyRequest,
} from './engine.js';
export { ActionPlanError, ConfirmationError, OutputError, ReadOnlyError } from './errors.js';
export { checkConfirmation, confirmationFor, confirmationPrompt } from './guard.js';
export { HANDLERS, REMEDIATIONS } from './registry.js';
export { displayArgv, inertOutput, runCommand, type CommandResult } from './command.js';
export { compare, findAlarm, formatReading, readAlarm, readMetric, waitUntil } from './verify.js';
export type {
  ActionOutcome,
  ActionPlan,
  Change,
  ComparisonOp,
  ConfirmAnswer,
  Confirmation,
  Danger,
  Evidence,
  MetricCondition,
  Reading,
  VerifySpec,
} from './types.js';
