import type { StepRunner } from '../runState.js';
import type { LogsStep } from '../schema.js';
import { findAndRecord } from './journalFinding.js';

/** A logs step: the service's log patterns of the window against the window before (findings.logs.*). */
export const runLogs: StepRunner<LogsStep> = (run, s) => findAndRecord(run, s);
