import type { Command } from 'commander';
import type { Io } from '../context.js';
import type { Run } from './index.js';

export function registerStatus(program: Command, io: Io, run: Run): void {
  program
    .command('status')
    .description('one snapshot: alarms by level, services, open incidents with escalation times, who is on call')
    .option('--json', 'print the snapshot as JSON (shape documented in the README)')
    .addHelpText(
      'after',
      '\nExit codes: 0 all OK, 1 a warning, 2 something critical, 3 bad configuration, 4 a source failed, 5 internal error.',
    )
    .action(async (_options, command: Command) => {
      await run(async () => (await import('../status.js')).runStatus(command.optsWithGlobals(), io));
    });
}
