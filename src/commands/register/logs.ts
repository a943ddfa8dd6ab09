import { InvalidArgumentError, type Command } from 'commander';
import type { Io } from '../context.js';
import { boundedDuration } from '../options.js';
import type { Run } from './index.js';

/** --since for logs and traces: from 1 minute to 7 days (Logs Insights and X-Ray read recent windows). */
const since = boundedDuration('30m, 2h', 7 * 24 * 60 * 60_000, 60_000);

function intBetween(min: number, max: number): (v: string) => number {
  return (v) => {
    if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    const n = Number(v.trim());
    if (n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

function filterText(v: string): string {
  if (v.length === 0) throw new InvalidArgumentError('expected some text to look for.');
  if (v.length > 1024) throw new InvalidArgumentError('expected at most 1024 characters.');
  return v;
}

const EXITS =
  '\nExit codes: 0 read, 2 bad arguments or an unknown service, 3 bad configuration, 4 no source for it, the source failed, or it did not finish within timeouts.source (what was read is still printed).';

export function registerLogs(program: Command, io: Io, run: Run): void {
  program
    .command('logs')
    .description(
      "a service's log lines (CloudWatch Logs: Logs Insights, or FilterLogEvents), or their patterns against the window before",
    )
    .argument(
      '<service>',
      'the service: vitascope-api (or api), vitascope-worker, vitascope-sync-processor, or one of logs.groups',
    )
    .option('--since <duration>', 'the window ending now', since, 30 * 60_000)
    .option('--filter <text>', 'only lines containing this text (case-sensitive)', filterText)
    .option(
      '--patterns',
      'group the lines into patterns (numbers, ids, addresses, durations as placeholders) with counts, sparklines and the trend against the window before',
    )
    .option('--limit <n>', 'lines (or patterns) shown at most: the newest', intBetween(1, 10_000), 200)
    .option('--json', 'print JSON (messages are escaped, never raw)')
    .addHelpText('after', EXITS)
    .action(async (service: string, _options, command: Command) => {
      await run(async () => (await import('../logs.js')).runLogs(service, command.optsWithGlobals(), io));
    });

  program
    .command('traces')
    .description(
      "a service's slowest and failing traces (X-Ray) with their critical paths, and the span that changed most against the window before",
    )
    .argument(
      '<service>',
      'the service: vitascope-api (or api), vitascope-worker, vitascope-sync-processor, or one of logs.groups or traces.services',
    )
    .option('--since <duration>', 'the window ending now', since, 30 * 60_000)
    .option('--slowest <n>', 'slowest (and failing) traces shown', intBetween(1, 100), 5)
    .option('--errors', 'only traces with an error or a fault')
    .option('--json', 'print JSON (text is escaped, never raw)')
    .addHelpText('after', EXITS)
    .action(async (service: string, _options, command: Command) => {
      await run(async () => (await import('../traces.js')).runTraces(service, command.optsWithGlobals(), io));
    });
}
