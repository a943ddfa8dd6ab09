import type pg from 'pg';
import { parse } from 'pg-connection-string';

/**
 * The team server's connection from the configuration (`team.*`) and the environment.
 *
 * - `team.url`: postgres://user@host:port/database?sslmode=…, with libpq's meaning of sslmode (disable,
 *   prefer, require, verify-ca, verify-full; node-postgres's own reading, which treats require as
 *   verify-full, is replaced by libpq's). A password in the URL is refused: it would sit in a file that
 *   `config list` prints. The password comes from VITASCOPE_TEAM_PASSWORD, else from PGPASSWORD or the
 *   user's ~/.pgpass (PGPASSFILE), which node-postgres reads as libpq does.
 * - `team.id`: the team, written into every row and checked on every row read.
 * - `team.schema`: where the tables are (default vitascope_team).
 * RDS IAM authentication tokens are not supported yet (README, "Team").
 */

export interface TeamSettings {
  readonly url: string;
  readonly id: string;
  readonly schema?: string;
  readonly retainDays?: number;
}

export interface TeamConnection {
  readonly client: pg.ClientConfig;
  readonly team: string;
  readonly schema: string;
  readonly queryTimeoutMs: number;
  /** The URL without credentials, for messages. */
  readonly label: string;
}

export const DEFAULT_TEAM_SCHEMA = 'vitascope_team';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class TeamConfigError extends Error {
  override readonly name = 'TeamConfigError';
}

/** Checks team.url (the config validator calls it too): a postgres URL without a password. */
export function checkTeamUrl(text: string): string | undefined {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return 'a postgres://user@host:port/database URL';
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return 'a postgres://user@host:port/database URL';
  if (u.password) return 'no password in the URL: set VITASCOPE_TEAM_PASSWORD or use ~/.pgpass';
  if (!u.hostname) return 'the URL needs a host';
  const mode = u.searchParams.get('sslmode');
  if (mode !== null && !['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'].includes(mode))
    return `sslmode ${mode} is not one of disable, prefer, require, verify-ca, verify-full`;
  return undefined;
}

/** pg-connection-string's parse, typed as pg's client settings (its nulls dropped, the port a number). */
function toClientConfig(c: ReturnType<typeof parse>): pg.ClientConfig {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (v !== null && v !== undefined && k !== 'password') out[k] = v;
  if (typeof out.port === 'string') out.port = Number(out.port);
  return out as pg.ClientConfig;
}

export function teamConnection(
  settings: TeamSettings,
  env: NodeJS.ProcessEnv,
  timeouts: { connectMs: number; requestMs: number },
): TeamConnection {
  const problem = checkTeamUrl(settings.url);
  if (problem) throw new TeamConfigError(`team.url: ${problem}`);
  const schema = settings.schema ?? DEFAULT_TEAM_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) throw new TeamConfigError('team.schema: a lower-case SQL name (letters, digits, _)');
  const u = new URL(settings.url);
  if (u.searchParams.has('sslmode') && !u.searchParams.has('uselibpqcompat'))
    u.searchParams.set('uselibpqcompat', 'true');
  const password = env.VITASCOPE_TEAM_PASSWORD;
  const label = `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  return {
    client: {
      // Parsed here, not passed as connectionString: pg lets the URL's settings override the others, and a
      // URL without a password (as team.url must be) would erase VITASCOPE_TEAM_PASSWORD. Without it, pg
      // falls back to PGPASSWORD and ~/.pgpass as libpq does.
      ...toClientConfig(parse(u.toString())),
      ...(password ? { password } : {}),
      connectionTimeoutMillis: timeouts.connectMs,
      statement_timeout: timeouts.requestMs,
      query_timeout: timeouts.requestMs + 1_000,
      application_name: 'vitascope-oncall',
      keepAlive: true,
    },
    team: settings.id,
    schema,
    queryTimeoutMs: timeouts.requestMs + 1_000,
    label,
  };
}
