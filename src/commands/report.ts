import { EXIT } from '../core/status.js';
import { inertLine } from '../core/sanitize.js';
import type { GlobalOptions, Io } from './context.js';
import { checkOut, emit, guarded, openReportContext, reportExit } from './reportContext.js';
import { incidentArgument } from './incidentArg.js';

/** `report INCIDENT`: summary, impact window, metrics and peaks, detection, one merged timeline, actions with evidence, status. */
export interface ReportOptions {
  readonly format?: 'md' | 'json';
  readonly lang?: 'en' | 'ja';
  readonly out?: string;
  readonly redact?: boolean;
  /** Every journal event in the timeline (runbook steps, each stage of each action). */
  readonly verbose?: boolean;
  readonly mkdir?: boolean;
  /** The sandbox run whose incident a number means (every run numbers from #1042 again). */
  readonly run?: string;
}

export async function runReport(incidentId: string, globals: GlobalOptions & ReportOptions, io: Io): Promise<number> {
  return guarded(io, 'report', async () => {
    checkOut(globals.out, globals.mkdir, 'file');
    const rc = await openReportContext(globals, io);
    try {
      const id = incidentArgument('report', rc.journal, incidentId, globals.run, io);
      if (typeof id === 'number') return id;
      const { produceIncidentReport } = await import('../core/reports/produce.js');
      const produced = await produceIncidentReport(rc.ctx, id, {
        lang: globals.lang ?? 'en',
        format: globals.format ?? 'md',
        redact: globals.redact !== false,
        verbose: globals.verbose === true,
      });
      if (!produced) {
        io.stderr.write(
          `vitascope-oncall: report: no incident ${inertLine(JSON.stringify(incidentId))} in the ${rc.sandbox ? 'sandbox ' : ''}journal${rc.sources.incidents ? ' or the incident source' : ''}\n`,
        );
        return EXIT.usage;
      }
      emit(io, produced.text, globals.out);
      return reportExit(io, 'report', produced.report.footer.gaps);
    } finally {
      await rc.close();
    }
  });
}
