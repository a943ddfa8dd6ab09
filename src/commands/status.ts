import { jsonText } from '../core/sanitize.js';
import { collectStatus, exitCodeFor } from '../core/status.js';
import { statusToJson } from '../core/statusJson.js';
import { formatDuration } from '../core/time.js';
import { renderStatus } from '../output/statusText.js';
import { colourWanted, createStyle } from '../output/style.js';
import { configFor, localUser, openSources, type GlobalOptions, type Io } from './context.js';
import type { StatusSnapshot } from '../core/status.js';
import { inertLine } from '../core/sanitize.js';
import type { Sources } from '../sources/ports.js';
import type { LoadedConfig } from '../config/load.js';

/**
 * Records the look into the live journal. A journal that cannot be opened or written does not change what
 * status says or its exit code (a line on stderr says it was not recorded); reads of history are bounded.
 */
async function recordLook(snapshot: StatusSnapshot, sources: Sources, config: LoadedConfig, io: Io): Promise<void> {
  try {
    const [{ openJournal, journalPath }, { TimelineRecorder }, { identity }] = await Promise.all([
      import('../core/journal/index.js'),
      import('../core/record/recorder.js'),
      import('../core/record/who.js'),
    ]);
    const journal = openJournal(journalPath(io.env, 'live'));
    try {
      const user = localUser(config.effective);
      const recorder = new TimelineRecorder({
        journal,
        sources,
        policy: config.policy,
        me: identity({ kind: 'local', id: user.email ?? user.name, name: user.name }, user.email),
        readTimeoutMs: 2_000,
      });
      await recorder.observe(snapshot.observed);
    } finally {
      journal.close();
    }
  } catch (error) {
    io.stderr.write(
      `vitascope-oncall: status: not recorded in the journal: ${inertLine((error instanceof Error ? error.message : String(error)).slice(0, 300))}\n`,
    );
  }
}

/** `status`: one snapshot of alarms, services, incidents and on-call; the exit code is the worst health. */
export async function runStatus(globals: GlobalOptions & { json?: boolean }, io: Io): Promise<number> {
  const config = await configFor(globals, io);
  const { sources, sandbox } = await openSources(globals, config, io, { headless: true });
  try {
    const snapshot = await collectStatus(sources, config.policy);
    // The one timeline: what this look saw is journaled like any other look (real sources only: a frozen
    // sandbox moment is a replay, not something that happened).
    if (!sandbox) await recordLook(snapshot, sources, config, io);
    if (globals.json) {
      io.stdout.write(`${jsonText(statusToJson(snapshot), 2)}\n`);
    } else {
      const style = createStyle(colourWanted(io.stdout, io.env, globals.color === false));
      const context = sandbox
        ? `scenario ${sandbox.scenario} · seed ${sandbox.seed} · +${formatDuration(globals.at ?? 0)} simulated`
        : undefined;
      io.stdout.write(
        renderStatus(snapshot, style, { width: io.stdout.isTTY ? io.stdout.columns : undefined, context }),
      );
    }
    return exitCodeFor(snapshot);
  } finally {
    await sources.close();
  }
}
