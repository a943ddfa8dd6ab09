import type { GlobalOptions, Io } from './context.js';
import { checkOut, emit, guarded, openReportContext, reportExit } from './reportContext.js';

/** `summary`: the executive view — SLA achievement, incidents by priority and the MTTR trend, alarm volume, capacity trend. */
export interface SummaryOptions {
  readonly period?: number;
  readonly format?: 'md' | 'json';
  readonly lang?: 'en' | 'ja';
  readonly out?: string;
  readonly redact?: boolean;
  readonly mkdir?: boolean;
}

export async function runSummary(globals: GlobalOptions & SummaryOptions, io: Io): Promise<number> {
  return guarded(io, 'summary', async () => {
    checkOut(globals.out, globals.mkdir, 'file');
    const rc = await openReportContext(globals, io);
    try {
      const { produceSummary } = await import('../core/reports/produce.js');
      const to = rc.ctx.now;
      const from = to - (globals.period ?? 30 * 24 * 60 * 60_000);
      const { text, report } = await produceSummary(
        rc.ctx,
        { from, to },
        { lang: globals.lang ?? 'en', format: globals.format ?? 'md', redact: globals.redact !== false },
      );
      emit(io, text, globals.out);
      return reportExit(io, 'summary', report.footer.gaps);
    } finally {
      await rc.close();
    }
  });
}
