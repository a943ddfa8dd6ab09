import type { Command } from 'commander';
import type { Io } from '../context.js';
import type { Run } from './index.js';

/** `team status`, `team sync`: the team timeline (README, "Team"). */
export function registerTeam(program: Command, io: Io, run: Run): void {
  const team = program
    .command('team')
    .description('the team timeline: the journal replicated through PostgreSQL (team.url)');
  team
    .command('status')
    .description(
      'replication state: online or offline (since when), events waiting, the server schema version and privileges',
    )
    .option('--json', 'print it as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 online, 2 bad arguments or no team configured, 3 bad configuration, 4 the team server is unreachable.',
    )
    .action(async (_options, command: Command) => {
      await run(async () => (await import('../team.js')).runTeamStatus(command.optsWithGlobals(), io));
    });
  team
    .command('sync')
    .description("one replication round now: push what waits, pull the teammates' events")
    .option('--json', 'print what moved as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 2 bad arguments or no team configured, 3 bad configuration, 4 the team server is unreachable.',
    )
    .action(async (_options, command: Command) => {
      await run(async () => (await import('../team.js')).runTeamSync(command.optsWithGlobals(), io));
    });
}
