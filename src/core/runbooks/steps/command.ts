import type { StepRunner } from '../runState.js';
import type { CommandStep } from '../schema.js';
import { render, renderArgv } from '../template.js';
import { act, missingValues } from './act.js';
import { askMissing } from './params.js';

/** How much of a running command's output the snapshot keeps. */
const MAX_STREAMED = 64 * 1024;

/** A command step: command.run with the argv templated per element, its output streamed to the snapshot. */
export const runCommand: StepRunner<CommandStep> = async (run, s) => {
  const step = s.step;
  let r = renderArgv(step.command, run.vars);
  if (r.missing.length > 0) {
    const invalid = await askMissing(run, s, new Set(r.missing));
    if (invalid) return missingValues(run, s, 'command.run', step.command[0]!, r.missing, invalid);
    r = renderArgv(step.command, run.vars);
  }
  if (r.missing.length > 0) return missingValues(run, s, 'command.run', step.command[0]!, r.missing);
  const { vars } = run;
  run.output = { stepId: step.id, text: '' };
  await act(run, s, {
    action: 'command.run',
    params: { argv: r.argv, timeout: step.timeout, ...(step.cwd ? { cwd: render(step.cwd, vars).text } : {}), ...(step.readonly ? { readonly: true } : {}) },
    dryRun: run.dryRun || run.options.commandsDryRun === true,
    onOutput: (chunk) => {
      const { output } = run;
      if (output && output.text.length < MAX_STREAMED) output.text += chunk.slice(0, MAX_STREAMED - output.text.length);
      run.emit({ type: 'output', stepId: step.id, chunk });
    },
  });
};
