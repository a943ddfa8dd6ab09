import type { Command } from 'commander';
import { collectStatus, exitCodeFor } from '../core/status.js';
import { statusToJson } from '../core/statusJson.js';
import { formatDuration } from '../core/time.js';
import { renderStatus } from '../output/statusText.js';
import { colourWanted, createStyle } from '../output/style.js';
import { configFor, openSources, type GlobalOptions, type Io } from './context.js';

/** `status`: one snapshot of alarms, services, incidents and on-call; the exit code is the worst health. */
export async function runStatus(globals: GlobalOptions & { json?: boolean }, io: Io): Promise<number> {
  const config = configFor(globals, io.env);
  const { sources, sandbox } = await openSources(globals, config, io, { headless: true });
  try {
    const snapshot = await collectStatus(sources, config.policy);
    if (globals.json) {
      io.stdout.write(`${JSON.stringify(statusToJson(snapshot), null, 2)}\n`);
    } else {
      const style = createStyle(colourWanted(io.stdout, io.env, globals.color === false));
      const context = sandbox ? `scenario ${sandbox.scenario} · seed ${sandbox.seed} · +${formatDuration(globals.at ?? 0)} simulated` : undefined;
      io.stdout.write(renderStatus(snapshot, style, { width: io.stdout.isTTY ? io.stdout.columns : undefined, context }));
    }
    return exitCodeFor(snapshot);
  } finally {
    await sources.close();
  }
}

export function registerStatus(program: Command, io: Io, run: (task: () => Promise<number>) => Promise<void>): void {
  program
    .command('status')
    .description('one snapshot: alarms by level, services, open incidents with escalation times, who is on call')
    .option('--json', 'print the snapshot as JSON (shape documented in the README)')
    .addHelpText(
      'after',
      '\nExit codes: 0 all OK, 1 a warning, 2 something critical, 3 bad configuration, 4 a source failed, 5 internal error.',
    )
    .action(async (_options, command: Command) => {
      await run(() => runStatus(command.optsWithGlobals(), io));
    });
}
