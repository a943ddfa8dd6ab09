import type { Config } from '../config/schema.js';
import type { Check } from './doctor.js';

/**
 * The team server (team.url), when configured: the connection (and the schema brought up to date, as a
 * cockpit would), the schema version against this program's, and the privileges the role needs on the
 * team's tables. Nothing is written but the schema's own migrations.
 */
export async function teamChecks(config: Config, env: NodeJS.ProcessEnv): Promise<Check[]> {
  if (!config.team?.url) return [];
  const [{ teamConnectionFor }, { PostgresTeamLog }] = await Promise.all([
    import('./team/index.js'),
    import('./team/postgres.js'),
  ]);
  const connection = teamConnectionFor(config, env);
  if (!connection)
    return [
      {
        source: 'team',
        check: 'configured',
        result: 'fail',
        detail: 'team.url is set without team.id',
        fix: 'vitascope-oncall config set team.id NAME',
      },
    ];
  const log = new PostgresTeamLog(connection);
  try {
    try {
      await log.open();
    } catch (error) {
      return [
        {
          source: 'team',
          check: `connection (${connection.label})`,
          result: 'fail',
          detail: error instanceof Error ? error.message : String(error),
          fix: 'check team.url, the password (VITASCOPE_TEAM_PASSWORD or ~/.pgpass) and that the role owns the team schema (README, "Team")',
          sourceFailed: true,
        },
      ];
    }
    const out: Check[] = [
      {
        source: 'team',
        check: `connection (${connection.label})`,
        result: 'ok',
        detail: `team ${connection.team}, schema ${connection.schema}`,
      },
    ];
    const st = await log.status();
    out.push({
      source: 'team',
      check: 'schema version',
      result: st.schemaVersion === st.knownVersion ? 'ok' : 'fail',
      detail: `server ${st.schemaVersion}, this program ${st.knownVersion} · ${st.events} events from ${st.origins} installations`,
    });
    out.push(
      st.missingPrivileges.length
        ? {
            source: 'team',
            check: 'privileges',
            result: 'fail',
            detail: `missing: ${st.missingPrivileges.join(', ')}`,
            fix: 'README, "Team": the role\'s SQL',
          }
        : {
            source: 'team',
            check: 'privileges',
            result: 'ok',
            detail: 'SELECT, INSERT, UPDATE, DELETE on the team tables',
          },
    );
    return out;
  } catch (error) {
    return [
      {
        source: 'team',
        check: 'status',
        result: 'fail',
        detail: error instanceof Error ? error.message : String(error),
        sourceFailed: true,
      },
    ];
  } finally {
    await log.close();
  }
}
