import { Option, type Command } from 'commander';
import type { GlobalOptions, Io } from './context.js';
import { durationOption, emit, formatOption, guarded, langOption, openReportContext } from './reportContext.js';

/** `summary`: the executive view — SLA achievement, incidents by priority and the MTTR trend, alarm volume, capacity trend. */
export interface SummaryOptions {
  readonly period?: number;
  readonly format?: 'md' | 'json';
  readonly lang?: 'en' | 'ja';
  readonly out?: string;
  readonly redact?: boolean;
}

export async function runSummary(globals: GlobalOptions & SummaryOptions, io: Io): Promise<number> {
  return guarded(io, 'summary', async () => {
    const rc = await openReportContext(globals, io);
    try {
      const { produceSummary } = await import('../core/reports/produce.js');
      const to = rc.ctx.now;
      const from = to - (globals.period ?? 30 * 24 * 60 * 60_000);
      const { text } = await produceSummary(rc.ctx, { from, to }, { lang: globals.lang ?? 'en', format: globals.format ?? 'md', redact: globals.redact !== false });
      emit(io, text, globals.out);
      return 0;
    } finally {
      await rc.close();
    }
  });
}

export function registerSummary(program: Command, io: Io, run: (task: () => Promise<number>) => Promise<void>): void {
  program
    .command('summary')
    .description('the executive summary: SLA achievement, incidents and MTTR by week, alarm volume, capacity trend')
    .addOption(new Option('--period <duration>', 'how far back (default 30d)').argParser(durationOption))
    .addOption(new Option('--format <format>', 'md or json').argParser(formatOption).default('md'))
    .addOption(new Option('--lang <lang>', 'en or ja').argParser(langOption).default('en'))
    .option('--out <file>', 'write the summary to a file instead of stdout')
    .option('--no-redact', 'do NOT redact personal data, health values and secrets')
    .action(async (_options, command: Command) => {
      await run(() => runSummary(command.optsWithGlobals(), io));
    });
}
