import { inertLine, jsonText } from '../core/sanitize.js';
import { EXIT } from '../core/status.js';
import { formatClock } from '../core/time.js';
import type { GlobalOptions, Io } from './context.js';
import { guarded, openReportContext, UsageError, type ReportContext } from './reportContext.js';

/**
 * `team status` and `team sync`: the team timeline's replication state (core/team/replicator.ts) and a
 * forced round. Both open the journal as every headless command does, which already runs one round.
 */

function requireTeam(rc: ReportContext): NonNullable<ReportContext['team']> {
  if (!rc.team) throw new UsageError('no team server is configured: set team.url and team.id (README, "Team")');
  return rc.team;
}

export async function runTeamStatus(globals: GlobalOptions & { json?: boolean }, io: Io): Promise<number> {
  return guarded(io, 'team status', async () => {
    const rc = await openReportContext(globals, io);
    try {
      const team = requireTeam(rc);
      const st = team.state();
      const replica = rc.journal.replica;
      let server: Awaited<ReturnType<typeof team.serverStatus>> | undefined;
      let serverError: string | undefined;
      try {
        server = await team.serverStatus();
      } catch (error) {
        serverError = error instanceof Error ? error.message : String(error);
      }
      const lastSync = st.lastSyncAt ?? (replica.get('lastSyncAt') ? Number(replica.get('lastSyncAt')) : undefined);
      const out = {
        team: rc.config.effective.team?.id,
        server: team.label,
        installation: replica.installation(),
        state: st.state,
        ...(st.offlineSince !== undefined ? { offlineSince: st.offlineSince } : {}),
        ...(st.lastError ? { lastError: st.lastError } : {}),
        waiting: replica.waiting(),
        ...(lastSync !== undefined ? { lastSyncAt: lastSync } : {}),
        origins: Object.keys(replica.cursors()).length,
        ...(server
          ? {
              schemaVersion: server.schemaVersion,
              knownSchemaVersion: server.knownVersion,
              serverEvents: server.events,
              serverOrigins: server.origins,
              missingPrivileges: server.missingPrivileges,
            }
          : {}),
      };
      if (globals.json) io.stdout.write(`${jsonText(out, 2)}\n`);
      else {
        io.stdout.write(
          `team ${inertLine(out.team ?? '')} on ${inertLine(out.server)} · this journal is ${out.installation}\n`,
        );
        io.stdout.write(
          st.state === 'online'
            ? `online · ${out.waiting} events waiting · last sync ${lastSync !== undefined ? formatClock(lastSync) : '–'}\n`
            : `offline${st.offlineSince !== undefined ? ` since ${formatClock(st.offlineSince)}` : ''} · ${out.waiting} events waiting${st.lastError ? ` · ${inertLine(st.lastError)}` : ''}\n`,
        );
        io.stdout.write(`pulled from ${out.origins} other installation${out.origins === 1 ? '' : 's'}\n`);
        if (server) {
          io.stdout.write(
            `server schema version ${server.schemaVersion} (this program's: ${server.knownVersion}) · ${server.events} events from ${server.origins} installations\n`,
          );
          io.stdout.write(
            server.missingPrivileges.length
              ? `missing privileges: ${server.missingPrivileges.join(', ')}\n`
              : 'privileges: ok\n',
          );
        } else if (serverError) io.stdout.write(`server: cannot tell (${inertLine(serverError)})\n`);
      }
      return st.state === 'online' ? EXIT.ok : EXIT.source;
    } finally {
      await rc.close();
    }
  });
}

export async function runTeamSync(globals: GlobalOptions & { json?: boolean }, io: Io): Promise<number> {
  return guarded(io, 'team sync', async () => {
    const rc = await openReportContext(globals, io);
    try {
      const team = requireTeam(rc);
      let result;
      try {
        result = await team.round();
      } catch {
        const st = team.state();
        io.stderr.write(
          `vitascope-oncall: team sync: offline: ${inertLine(st.lastError ?? 'unreachable')}; ${st.waiting} events waiting\n`,
        );
        return EXIT.source;
      }
      const st = team.state();
      const out = {
        pushed: st.pushed,
        pulled: st.pulled,
        duplicates: result.duplicates,
        refused: result.refused,
        waiting: st.waiting,
      };
      if (globals.json) io.stdout.write(`${jsonText(out, 2)}\n`);
      else
        io.stdout.write(
          `pushed ${out.pushed}, pulled ${out.pulled}${out.refused ? `, refused ${out.refused}` : ''} · ${out.waiting} waiting\n`,
        );
      return EXIT.ok;
    } finally {
      await rc.close();
    }
  });
}
