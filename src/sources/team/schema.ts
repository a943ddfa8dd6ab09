import type pg from 'pg';

/**
 * The team server's schema, as versioned migrations the program applies itself (like the journal's:
 * never edited once released, a change is a new entry). They run in one transaction under an advisory
 * lock, so two cockpits starting at once against a new server migrate it once: the second waits for the
 * lock, then finds the work done. A server at a newer version than this program knows is refused.
 *
 * Everything lives in one schema (`team.schema`, default vitascope_team), which the least-privilege
 * role owns (README, "Team"): it needs no other privilege on the database.
 *
 * Version 1:
 * - events: the team's append-only timeline. (team, origin, origin_seq) is unique: an event pushed again
 *   (a push cut off by a crash after the server committed) is not stored twice. `id` is the server's
 *   order, which pulls follow. who, payload and refs are JSON text, opaque to the server (jsonb would
 *   refuse a NUL a command printed, and reorder keys).
 * - origins: the installations that pushed to a team, so that a pull asks each one's index for what is
 *   above its cursor instead of scanning the timeline.
 * - claims: who is applying what (an action on a target), with an expiry renewed while it runs, so that
 *   two responders never apply the same thing at once; ages are measured on the server's clock.
 */

export interface ServerMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: (schema: string) => string;
}

export const SERVER_MIGRATIONS: readonly ServerMigration[] = [
  {
    version: 1,
    name: 'events, origins, claims',
    sql: (s) => `
      CREATE TABLE ${s}.events (
        id          bigserial PRIMARY KEY,
        team        text   NOT NULL CHECK (length(team) BETWEEN 1 AND 512),
        origin      text   NOT NULL CHECK (length(origin) BETWEEN 1 AND 64),
        origin_seq  bigint NOT NULL CHECK (origin_seq > 0),
        at          bigint NOT NULL,
        kind        text   NOT NULL,
        incident_id text,
        who         text   NOT NULL,
        payload     text   NOT NULL,
        refs        text,
        key         text,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (team, origin, origin_seq)
      );
      CREATE INDEX events_team_received ON ${s}.events (team, received_at);
      CREATE TABLE ${s}.origins (
        team       text NOT NULL,
        origin     text NOT NULL,
        first_seen timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team, origin)
      );
      CREATE TABLE ${s}.claims (
        team       text        NOT NULL,
        key        text        NOT NULL,
        token      text        NOT NULL,
        holder     text        NOT NULL,
        origin     text        NOT NULL,
        since      timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (team, key)
      );
    `,
  },
];

export const SERVER_SCHEMA_VERSION = SERVER_MIGRATIONS.length;

/** Any constant: the advisory lock's key, the same for every vitascope-oncall. */
const MIGRATION_LOCK = 7_263_391_044;

/** The server's schema version (0: none yet). */
export async function serverVersion(client: pg.ClientBase, schema: string, quoted: string): Promise<number> {
  const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`${schema}.migrations`]);
  if (!exists.rows[0]?.present) return 0;
  const r = await client.query(`SELECT coalesce(max(version), 0)::int AS v FROM ${quoted}.migrations`);
  return Number(r.rows[0]?.v ?? 0);
}

export class NewerServerError extends Error {
  override readonly name = 'NewerServerError';
}

function refuseNewer(version: number): void {
  if (version > SERVER_SCHEMA_VERSION) {
    throw new NewerServerError(
      `the team server's schema is version ${version}, written by a newer vitascope-oncall (this one knows up to ${SERVER_SCHEMA_VERSION}): upgrade vitascope-oncall`,
    );
  }
}

/** Brings the server's schema to SERVER_SCHEMA_VERSION; returns the versions before and after. */
export async function migrateServer(
  client: pg.ClientBase,
  schema: string,
  quoted: string,
): Promise<{ from: number; to: number }> {
  const before = await serverVersion(client, schema, quoted);
  refuseNewer(before);
  if (before === SERVER_SCHEMA_VERSION) return { from: before, to: before };
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    // CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database: only asked for when it is missing.
    const has = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (!has.rowCount) await client.query(`CREATE SCHEMA ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const current = await serverVersion(client, schema, quoted);
    refuseNewer(current);
    for (const m of SERVER_MIGRATIONS) {
      if (m.version <= current) continue;
      await client.query(m.sql(quoted));
      await client.query(`INSERT INTO ${quoted}.migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
    await client.query('COMMIT');
    return { from: current, to: SERVER_SCHEMA_VERSION };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
