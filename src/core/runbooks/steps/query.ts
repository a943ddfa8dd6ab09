import { runQuery } from '../queries.js';
import type { StepRunner } from '../runState.js';
import type { QueryStep } from '../schema.js';

/** A query reads a value or a series; the series goes to the view for a graph. */
export const runQueryStep: StepRunner<QueryStep> = async (run, s) => {
  const r = await runQuery(s.step, run.vars, { sources: run.options.sources, now: run.options.clock.now() });
  s.view.points = r.points;
  if (r.endpoints) s.view.endpoints = r.endpoints;
  run.done(s, r.summary);
};
