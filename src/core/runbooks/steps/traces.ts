import type { StepRunner } from '../runState.js';
import type { TracesStep } from '../schema.js';
import { findAndRecord } from './journalFinding.js';

/** A traces step: the span that changed most, the slowest and failing requests (findings.traces.*). */
export const runTraces: StepRunner<TracesStep> = (run, s) => findAndRecord(run, s);
