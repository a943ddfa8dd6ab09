import type { GlobalOptions, Io } from './context.js';
import {
  checkOut,
  checkPeriodOptions,
  emit,
  guarded,
  openReportContext,
  periodFrom,
  reportExit,
} from './reportContext.js';

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
  /** Create --out's folder when it does not exist. */
  readonly mkdir?: boolean;
}

export async function runHandoff(globals: GlobalOptions & HandoffOptions, io: Io): Promise<number> {
  return guarded(io, 'handoff', async () => {
    checkPeriodOptions(globals);
    checkOut(globals.out, globals.mkdir, 'file');
    const rc = await openReportContext(globals, io, { runbooks: true });
    try {
      const { produceHandoff } = await import('../core/reports/produce.js');
      const period = periodFrom(globals, rc.ctx.now);
      const { text, report } = await produceHandoff(rc.ctx, period, {
        lang: globals.lang ?? 'en',
        format: globals.format ?? 'md',
        redact: globals.redact !== false,
      });
      emit(io, text, globals.out);
      return reportExit(io, 'handoff', report.footer.gaps);
    } finally {
      await rc.close();
    }
  });
}
