import type { Command } from 'commander';
import type { Io } from '../context.js';
import type { Run } from './index.js';

export function registerRunbooks(program: Command, io: Io, run: Run): void {
  const runbooks = program
    .command('runbooks')
    .description('the runbooks: check them, list them, show one')
    .addHelpText(
      'after',
      '\nThe shipped runbooks are read first, then the folders in the configuration key runbooks.dirs;\na team runbook with the id of a shipped one replaces it.',
    );

  runbooks
    .command('lint')
    .description('check runbooks and print every error as file:line:column: field: message')
    .argument('[dir]', 'a folder of *.yaml/*.yml runbooks, or one file (default: the shipped and configured ones)')
    .addHelpText('after', '\nExit codes: 0 no errors, 1 errors (all of them printed), 2 bad folder.')
    .action((dir: string | undefined) => run(async () => (await import('../runbooks.js')).runLint(dir, io)));

  runbooks
    .command('list')
    .description('every runbook: id, priority, title and what it matches')
    .option('--json', 'print the list as JSON')
    .action((options: { json?: boolean }) => run(async () => (await import('../runbooks.js')).runList(options, io)));

  runbooks
    .command('show')
    .description('one runbook, phase by phase and step by step')
    .argument('<id>', 'the runbook id (runbooks list shows them)')
    .option('--json', 'print the runbook as JSON')
    .addHelpText('after', '\nExit codes: 0 shown, 2 no runbook with that id, 3 bad configuration.')
    .action((id: string, options: { json?: boolean }) =>
      run(async () => (await import('../runbooks.js')).runShow(id, options, io)),
    );
}
