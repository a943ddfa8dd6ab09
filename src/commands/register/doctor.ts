import type { Command } from 'commander';
import type { Io } from '../context.js';
import type { Run } from './index.js';

export function registerDoctor(program: Command, io: Io, run: Run): void {
  program
    .command('doctor')
    .description('check every configured source: reachable, credentials valid, each permission the product reads with')
    .option('--json', 'print the checks as JSON')
    .action((_options, command: Command) =>
      run(async () => (await import('../doctor.js')).runDoctorCommand(command.optsWithGlobals(), io)),
    );
}
