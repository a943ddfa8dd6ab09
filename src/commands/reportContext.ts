import fs from 'node:fs';
import path from 'node:path';
import { journalPath, openJournal, type Journal, type Who } from '../core/journal/index.js';
import type { GatherContext } from '../core/reports/gather.js';
import { latestEventAt } from '../core/reports/produce.js';
import { latestRun, sandboxLabel } from '../core/reports/journalAlarms.js';
import type { Origin, SourceGap } from '../core/reports/types.js';
import { inertLine } from '../core/sanitize.js';
import { EXIT } from '../core/status.js';
import type { LoadedConfig } from '../config/store.js';
import type { Sources } from '../sources/ports.js';
import type { Replicator } from '../core/team/replicator.js';
import { configured } from '../sources/real.js';
import { configFor, localUser, openSources, type GlobalOptions, type Io } from './context.js';
import { outFolderProblem, PERIOD_MAX_MS } from './options.js';
import { formatBound } from '../core/time.js';

/**
 * What the report and journal commands (handoff, report, postmortem, summary, note, followup) share:
 * the journal and the sources they read, the clock, who the user is, option parsing and output.
 *
 * Which journal: the sandbox's when the sources are the sandbox (--demo, or nothing real configured),
 * the live one otherwise; with PagerDuty configured the live journal mirrors notes to it.
 *
 * Reports come from the journal's timeline alone. With real sources, `sync` first records into the journal
 * what the sources know and it does not (incidents, their log, alarm history): the sources are the world.
 * The sandbox's sources are a replay (a frozen moment of a scenario, whatever --scenario and --at say) and
 * are never mixed in; its reports are of what the cockpit and drills recorded, at the journal's own time
 * (its newest event), so that the flags change nothing.
 */

import { UsageError } from './errors.js';

export { guarded, UsageError } from './errors.js';

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
  /** The team timeline's replicator, when `team.url` is configured (core/team). */
  readonly team?: Replicator;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Load the runbooks (the handoff lists alarms without one). */
  readonly runbooks?: boolean;
}

export async function openReportContext(
  globals: GlobalOptions,
  io: Io,
  options: OpenOptions = {},
): Promise<ReportContext> {
  const config = await configFor(globals, io);
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
  // With a team server: the teammates' events first (a handoff to acknowledge, notes to report), and what
  // this command records is pushed when it closes. Offline, the command works on the local journal.
  let team: Replicator | undefined;
  try {
    team = (await import('./teamOpen.js')).openTeam(config.effective, io.env, journal);
  } catch (error) {
    journal.close();
    await sources.close();
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (team) await teamRound(team, io);
  // The sandbox's reports end at the journal's newest event (or the sandbox's start, for an empty one). What
  // a headless command records (a note, an act) goes after it: the frozen replay is moved there (at most a
  // day), so that its clock, which the engine and the notes use, does not write into the past.
  const latest = sandbox ? latestEventAt(journal) : undefined;
  const now = sandbox ? (latest ?? sources.now() - 1) + 1 : sources.now();
  if (
    latest !== undefined &&
    sources.simulation &&
    latest + 1 > sources.now() &&
    latest + 1 - sources.now() <= 24 * 60 * 60_000
  )
    sources.simulation.advance(latest + 1 - sources.now());
  const run = sandbox ? latestRun(journal) : '';
  const user = localUser(config.effective);
  const gaps: SourceGap[] = [];
  const runbookSet = options.runbooks ? await loadRunbookSet(config.effective.runbooks?.dirs ?? [], io.env) : undefined;
  const environment = sandbox
    ? sandboxLabel(journal, run)
    : `${sources.environment.label}${sources.environment.account ? ` ${sources.environment.account}` : ''}${pagerDuty ? ' + PagerDuty' : ''}`;
  const logOrigin: Origin = sandbox ? 'sandbox' : 'pagerduty';
  const ctx: GatherContext = {
    journal,
    sources,
    policy: config.policy,
    now,
    environment,
    logOrigin,
    ...(runbookSet ? { runbooks: runbookSet } : {}),
    replay: sandbox,
    run,
    earlierGaps: gaps,
    // Real sources are the world: what they know and the journal does not is recorded first.
    ...(sandbox
      ? {}
      : {
          sync: async (scope: { readonly from: number; readonly to: number; readonly incidentId?: string }) => {
            const [{ TimelineRecorder }, { identity }] = await Promise.all([
              import('../core/record/recorder.js'),
              import('../core/record/who.js'),
            ]);
            const me = identity({ kind: 'local', id: user.email ?? user.name, name: user.name }, user.email);
            const onError = (e: unknown, source?: string) =>
              gaps.push({
                source: source ?? 'journal',
                error: (e instanceof Error ? e.message : String(e)).slice(0, 500),
              });
            await new TimelineRecorder({ journal, sources, policy: config.policy, me, onError }).backfill(scope);
          },
        }),
  };
  return {
    ctx,
    journal,
    sources,
    sandbox,
    pagerDuty,
    config,
    who: { kind: 'local', id: user.email ?? user.name, name: user.name },
    recordAt: () => (sandbox ? Math.max(sources.now(), (latestEventAt(journal) ?? 0) + 1) : undefined),
    ...(team ? { team } : {}),
    async close() {
      if (team) {
        // Offline at the start: not asked again (the warning was given; the next command or cockpit pushes).
        if (team.state().state === 'online' && journal.replica.waiting() > 0) await teamRound(team, io);
        await team.stop();
      }
      journal.close();
      await sources.close();
    },
  };
}

/** One replication round for a headless command; offline is a warning, never a failure of the command. */
async function teamRound(team: Replicator, io: Io): Promise<void> {
  try {
    await team.round();
  } catch {
    const st = team.state();
    io.stderr.write(
      `vitascope-oncall: team: offline (${inertLine(st.lastError ?? 'unreachable')}); ${st.waiting} event${st.waiting === 1 ? '' : 's'} waiting to be pushed, kept in the local journal\n`,
    );
  }
}

async function loadRunbookSet(dirs: readonly string[], env: NodeJS.ProcessEnv) {
  const { loadRunbooks, resolveRunbookDir } = await import('../core/runbooks/load.js');
  const set = loadRunbooks({ dirs: dirs.map((d) => resolveRunbookDir(d, env)) });
  return set.runbooks.length ? set.runbooks : undefined;
}

// The option parsers live in options.ts (registering the commands loads no journal); exported here as before.
export { durationOption, formatOption, instantOption, langOption } from './options.js';

/** The period of a handoff: --since, or --from/--to; the default is the last 7 days. */
export function periodFrom(
  o: { since?: number; from?: number; to?: number },
  now: number,
): { from: number; to: number } {
  checkPeriodOptions(o);
  const to = o.to ?? now;
  const from = o.from ?? to - (o.since ?? 7 * 24 * 60 * 60_000);
  if (from >= to) throw new UsageError('--from must be before --to');
  checkSpan(from, to);
  return { from, to };
}

/** The checks of periodFrom that need no clock: run before anything is opened. */
export function checkPeriodOptions(o: { since?: number; from?: number; to?: number }): void {
  if (o.since !== undefined && o.from !== undefined)
    throw new UsageError('--since and --from cannot be used together (--since counts back from --to or now)');
  if (o.from !== undefined && o.to !== undefined && o.from >= o.to) throw new UsageError('--from must be before --to');
  if (o.from !== undefined && o.to !== undefined) checkSpan(o.from, o.to);
}

function checkSpan(from: number, to: number): void {
  if (to - from > PERIOD_MAX_MS)
    throw new UsageError(
      `the period (--from to --to, or now) is ${Math.floor((to - from) / 86_400_000)} days; a report covers at most ${formatBound(PERIOD_MAX_MS)}`,
    );
}

/** --out: the folder the output goes into must exist (or --mkdir); a usage error before anything is read. */
export function checkOut(out: string | undefined, mkdir: boolean | undefined, kind: 'file' | 'folder'): void {
  if (out === undefined) return;
  const problem = outFolderProblem(kind === 'file' ? path.dirname(path.resolve(out)) : path.resolve(out), mkdir);
  if (problem) throw new UsageError(`--out ${out}: ${problem}`);
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
  io.stderr.write(
    `vitascope-oncall: ${command}: written without what these sources could not give: ${inertLine(sources)} (see the report's footer)\n`,
  );
  return EXIT.source;
}
