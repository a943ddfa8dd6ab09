import type { Command } from 'commander';
import type { GlobalOptions, Io } from '../context.js';
import type { DrillCommandOptions } from '../drill.js';
import { collect, drillLimitArg } from '../options.js';
import type { Run } from './index.js';

export function registerDrill(program: Command, io: Io, run: Run): void {
  program
    .command('drill')
    .description(
      'a headless game day: a sandbox scenario (--scenario NAME) worked through its runbooks, all in the journal',
    )
    .option(
      '--yes',
      "confirm the runbooks' actions (without it every action is a dry run and the drill cannot resolve)",
    )
    .option('--json', 'print a summary as JSON (progress goes to stderr)')
    .option(
      '--live',
      'against the configured AWS account: SetAlarmState on the matching alarms, every action a dry run; lists every alarm action that will fire first',
    )
    .option(
      '--no-actions',
      "with --live: disable the drilled alarms' actions for the drill (nobody is paged), enabled again after, even on Ctrl-C",
    )
    .option(
      '--confirm-account <id>',
      'with --live in production and no terminal: the AWS account id, as typing it would confirm (--yes alone is refused)',
    )
    .option(
      '--param <name=value>',
      'a value for a runbook parameter (repeatable), e.g. --param address=203.0.113.7',
      collect,
    )
    .option(
      '--limit <duration>',
      "how long (simulated, from the scenario's start) to wait at most for the alarms and for recovery, e.g. 6h (at most 2d)",
      drillLimitArg,
    )
    .option('--no-mirror', 'do not mirror the timeline to the incidents as notes')
    .addHelpText(
      'after',
      '\nThe scenario is the global --scenario option (vitascope-oncall sandbox lists them), e.g.\n  vitascope-oncall drill --scenario db-connections --yes\n  vitascope-oncall drill --scenario db-connections --live --no-actions     (production: asks for the account id)\n\nExit codes: 0 the runbooks resolved the scenario, 1 they did not, 2 usage, 3 configuration, 4 a source failed, 5 internal error.',
    )
    .action(async (options: DrillCommandOptions, command: Command) => {
      await run(async () =>
        (await import('../drill.js')).runDrillCommand(command.optsWithGlobals() as GlobalOptions, options, io),
      );
    });
}
