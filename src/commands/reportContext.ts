import fs from 'node:fs';
import path from 'node:path';
import { JournalError, journalPath, openJournal, type Journal, type Who } from '../core/journal/index.js';
import type { GatherContext } from '../core/reports/gather.js';
import { latestEventAt } from '../core/reports/produce.js';
import type { Origin, SourceGap } from '../core/reports/types.js';
import { inertLine } from '../core/sanitize.js';
import { EXIT } from '../core/status.js';
import type { LoadedConfig } from '../config/store.js';
import type { Sources } from '../sources/ports.js';
import { configured } from '../sources/real.js';
import { configFor, localUser, openSources, type GlobalOptions, type Io } from './context.js';

/**
 * What the report and journal commands (handoff, report, postmortem, summary, note, followup) share:
 * the journal and the sources they read, the clock, who the user is, option parsing and output.
 *
 * Which journal: the sandbox's when the sources are the sandbox (--demo, or nothing real configured),
 * the live one otherwise; with PagerDuty configured the live journal mirrors notes to it.
 *
 * The clock: real time for real sources. The sandbox has simulated time, and drills write the sandbox
 * journal at simulated times; its reports end at the later of the sandbox's clock and the journal's newest
 * event, and the (frozen) sandbox is moved forward to that moment when it is at most a day behind, so that
 * its alarm history and metrics cover what the journal recorded (run with the drill's --scenario and
 * --seed to see the drill's world).
 */

export const SANDBOX_CATCH_UP_MS = 24 * 60 * 60_000;

export class UsageError extends Error {}

export interface ReportContext {
  readonly ctx: GatherContext;
  readonly journal: Journal;
  readonly sources: Sources;
  readonly sandbox: boolean;
  readonly pagerDuty: boolean;
  /** The configuration the sources were opened with. */
  readonly config: LoadedConfig;
  readonly who: Who;
  /** The time new events are recorded at: undefined (the journal's clock) for real sources. */
  readonly recordAt: () => number | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Load the runbooks (the handoff lists alarms without one). */
  readonly runbooks?: boolean;
}

export async function openReportContext(globals: GlobalOptions, io: Io, options: OpenOptions = {}): Promise<ReportContext> {
  const config = await configFor(globals, io.env);
  const opened = await openSources(globals, config, io, { headless: true });
  const sources = opened.sources;
  const sandbox = sources.environment.kind === 'sandbox';
  const pagerDuty = !sandbox && configured(config.effective, io.env).pagerduty;
  let journal: Journal;
  try {
    journal = openJournal(journalPath(io.env, sandbox ? 'sandbox' : 'live'), { mirror: pagerDuty });
  } catch (error) {
    await sources.close();
    throw error;
  }
  let now = sources.now();
  if (sandbox) {
    const latest = latestEventAt(journal);
    if (latest !== undefined && latest + 1 > now) {
      const behind = latest + 1 - now;
      if (behind <= SANDBOX_CATCH_UP_MS && 'advance' in sources && typeof sources.advance === 'function') (sources.advance as (ms: number) => void)(behind);
      now = latest + 1;
    }
  }
  const runbookSet = options.runbooks ? await loadRunbookSet(config.effective.runbooks?.dirs ?? [], io.env) : undefined;
  const environment = sandbox
    ? `SANDBOX${opened.sandbox ? ` (scenario ${opened.sandbox.scenario}, seed ${opened.sandbox.seed})` : ''}`
    : `${sources.environment.label}${sources.environment.account ? ` ${sources.environment.account}` : ''}${pagerDuty ? ' + PagerDuty' : ''}`;
  const logOrigin: Origin = sandbox ? 'sandbox' : 'pagerduty';
  const user = localUser(config.effective);
  const ctx: GatherContext = {
    journal,
    sources,
    policy: config.policy,
    now,
    environment,
    logOrigin,
    ...(runbookSet ? { runbooks: runbookSet } : {}),
  };
  return {
    ctx,
    journal,
    sources,
    sandbox,
    pagerDuty,
    config,
    who: { kind: 'local', id: user.name, name: user.name },
    recordAt: () => (sandbox ? Math.max(sources.now(), (latestEventAt(journal) ?? 0) + 1) : undefined),
    async close() {
      journal.close();
      await sources.close();
    },
  };
}

async function loadRunbookSet(dirs: readonly string[], env: NodeJS.ProcessEnv) {
  const { loadRunbooks, resolveRunbookDir } = await import('../core/runbooks/load.js');
  const set = loadRunbooks({ dirs: dirs.map((d) => resolveRunbookDir(d, env)) });
  return set.runbooks.length ? set.runbooks : undefined;
}

// The option parsers live in options.ts (registering the commands loads no journal); exported here as before.
export { durationOption, formatOption, instantOption, langOption } from './options.js';

/** The period of a handoff: --since, or --from/--to; the default is the last 7 days. */
export function periodFrom(o: { since?: number; from?: number; to?: number }, now: number): { from: number; to: number } {
  checkPeriodOptions(o);
  const to = o.to ?? now;
  const from = o.from ?? to - (o.since ?? 7 * 24 * 60 * 60_000);
  if (from >= to) throw new UsageError('--from must be before --to');
  return { from, to };
}

/** The checks of periodFrom that need no clock: run before anything is opened. */
export function checkPeriodOptions(o: { since?: number; from?: number; to?: number }): void {
  if (o.since !== undefined && o.from !== undefined) throw new UsageError('--since and --from cannot be used together (--since counts back from --to or now)');
  if (o.from !== undefined && o.to !== undefined && o.from >= o.to) throw new UsageError('--from must be before --to');
}

/** Writes the text to a file (creating its folder) or to stdout. */
export function emit(io: Io, text: string, out: string | undefined): void {
  if (out === undefined) {
    io.stdout.write(text);
    return;
  }
  writeFileOrFail(out, text);
  io.stdout.write(`${inertLine(out)}\n`);
}

export function writeFileOrFail(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * The exit code of a report that was written: 0, or 4 when a source failed (the report says what is
 * missing in its footer; one line on stderr says it too, so that a script notices).
 */
export function reportExit(io: Io, command: string, gaps: readonly SourceGap[]): number {
  const failed = gaps.filter((g) => !g.limited);
  if (failed.length === 0) return 0;
  const sources = [...new Set(failed.map((g) => g.source))].join(', ');
  io.stderr.write(`vitascope-oncall: ${command}: written without what these sources could not give: ${inertLine(sources)} (see the report's footer)\n`);
  return EXIT.source;
}

/** Runs a report or journal command: usage and journal errors become one line and exit 2. */
export async function guarded(io: Io, command: string, task: () => Promise<number>): Promise<number> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`vitascope-oncall: ${command}: ${inertLine(error.message)}\n`);
      return EXIT.usage;
    }
    if (error instanceof JournalError) {
      io.stderr.write(`vitascope-oncall: ${command}: ${inertLine(error.message)}\n`);
      // A refused field is bad input; anything else is the journal file itself (full, read-only, damaged…).
      return error.field ? EXIT.usage : EXIT.storage;
    }
    throw error;
  }
}
