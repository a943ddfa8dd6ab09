import { Option, type Command } from 'commander';
import { EXIT } from '../core/status.js';
import { inertLine } from '../core/sanitize.js';
import type { GlobalOptions, Io } from './context.js';
import { emit, formatOption, guarded, langOption, openReportContext } from './reportContext.js';

/** `report INCIDENT`: summary, impact window, metrics and peaks, detection, one merged timeline, actions with evidence, status. */
export interface ReportOptions {
  readonly format?: 'md' | 'json';
  readonly lang?: 'en' | 'ja';
  readonly out?: string;
  readonly redact?: boolean;
}

export async function runReport(incidentId: string, globals: GlobalOptions & ReportOptions, io: Io): Promise<number> {
  return guarded(io, 'report', async () => {
    const rc = await openReportContext(globals, io);
    try {
      const { produceIncidentReport } = await import('../core/reports/produce.js');
      const produced = await produceIncidentReport(rc.ctx, incidentId, { lang: globals.lang ?? 'en', format: globals.format ?? 'md', redact: globals.redact !== false });
      if (!produced) {
        io.stderr.write(`vitascope-oncall: report: no incident ${inertLine(JSON.stringify(incidentId))} in the ${rc.sandbox ? 'sandbox ' : ''}journal${rc.sources.incidents ? ' or the incident source' : ''}\n`);
        return EXIT.usage;
      }
      emit(io, produced.text, globals.out);
      return 0;
    } finally {
      await rc.close();
    }
  });
}

export function registerReport(program: Command, io: Io, run: (task: () => Promise<number>) => Promise<void>): void {
  program
    .command('report')
    .description('the report of one incident: impact, detection, merged timeline, actions and evidence, status')
    .argument('<incident>', 'the incident id (PagerDuty or journal)')
    .addOption(new Option('--format <format>', 'md or json').argParser(formatOption).default('md'))
    .addOption(new Option('--lang <lang>', 'en or ja').argParser(langOption).default('en'))
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--no-redact', 'do NOT redact personal data, health values and secrets')
    .addHelpText('after', '\nExit codes: 0 written, 2 bad arguments or unknown incident, 3 bad configuration, 4 a source failed to open.')
    .action(async (incident: string, _options, command: Command) => {
      await run(() => runReport(incident, command.optsWithGlobals(), io));
    });
}
