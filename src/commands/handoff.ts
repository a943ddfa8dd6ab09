import { Option, type Command } from 'commander';
import type { GlobalOptions, Io } from './context.js';
import { checkPeriodOptions, durationOption, emit, formatOption, guarded, instantOption, langOption, openReportContext, periodFrom } from './reportContext.js';

/**
 * `handoff`: the weekly handoff report from the journal and the sources (with PagerDuty configured, the
 * whole team's incidents and log entries). Markdown or JSON, English or Japanese, redacted unless
 * --no-redact is given.
 */
export interface HandoffOptions {
  readonly since?: number;
  readonly from?: number;
  readonly to?: number;
  readonly format?: 'md' | 'json';
  readonly out?: string;
  readonly lang?: 'en' | 'ja';
  /** commander's --no-redact: false when given. */
  readonly redact?: boolean;
}

export async function runHandoff(globals: GlobalOptions & HandoffOptions, io: Io): Promise<number> {
  return guarded(io, 'handoff', async () => {
    checkPeriodOptions(globals);
    const rc = await openReportContext(globals, io, { runbooks: true });
    try {
      const { produceHandoff } = await import('../core/reports/produce.js');
      const period = periodFrom(globals, rc.ctx.now);
      const { text } = await produceHandoff(rc.ctx, period, { lang: globals.lang ?? 'en', format: globals.format ?? 'md', redact: globals.redact !== false });
      emit(io, text, globals.out);
      return 0;
    } finally {
      await rc.close();
    }
  });
}

export function registerHandoff(program: Command, io: Io, run: (task: () => Promise<number>) => Promise<void>): void {
  program
    .command('handoff')
    .description('the on-call handoff report: incidents, MTTA/MTTR, open items, actions, noisy alarms, next week')
    .addOption(new Option('--since <duration>', 'the period: this long before --to or now (default 7d)').argParser(durationOption))
    .addOption(new Option('--from <time>', 'start of the period (ISO 8601, e.g. 2026-01-05T10:00+09:00)').argParser(instantOption))
    .addOption(new Option('--to <time>', 'end of the period (default now)').argParser(instantOption))
    .addOption(new Option('--format <format>', 'md or json').argParser(formatOption).default('md'))
    .addOption(new Option('--lang <lang>', 'en or ja').argParser(langOption).default('en'))
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--no-redact', 'do NOT redact personal data, health values and secrets (the report must not leave your machine)')
    .addHelpText('after', '\nExit codes: 0 written, 2 bad arguments, 3 bad configuration, 4 a source failed to open.')
    .action(async (_options, command: Command) => {
      await run(() => runHandoff(command.optsWithGlobals(), io));
    });
}
