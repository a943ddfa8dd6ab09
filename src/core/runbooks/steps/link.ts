import type { StepRunner } from '../runState.js';
import type { LinkStep } from '../schema.js';
import { render } from '../template.js';

/** A link is its templated URL. */
export const runLink: StepRunner<LinkStep> = async (run, s) => {
  run.done(s, render(s.step.url, run.vars).text);
};
