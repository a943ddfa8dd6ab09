import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ClaimAnswer, PulledEvent, TeamLog, TeamServerStatus, WireEvent } from '../../core/team/port.js';
import { incoming, WireError } from '../../core/team/wire.js';
import { migrateServer, SERVER_SCHEMA_VERSION, serverVersion } from './schema.js';
import type { TeamConnection } from './connect.js';

/** The channel teammates' pushes are announced on; the payload is the team id. */
export const CHANNEL = 'vitascope_team';

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new WireError('a team event was refused: its JSON does not parse');
  }
}

/**
 * The team timeline on PostgreSQL (node-postgres): one connection for pushes, pulls and claims, and one
 * that LISTENs for teammates' pushes. Every query has a deadline (statement_timeout server-side, a
 * client-side query timeout as well); a failure rejects, and the replicator calls the team offline.
 */
export class PostgresTeamLog implements TeamLog {
  private ready?: Promise<pg.Pool>;
  private listener?: pg.Client;
  private readonly s: string;

  constructor(private readonly c: TeamConnection) {
    this.s = c.schema;
  }

  /** The pool, its first connection having brought the schema up to date. */
  private db(): Promise<pg.Pool> {
    this.ready ??= (async () => {
      // allowExitOnIdle: idle connections never keep a finished command's process alive.
      const pool = new pg.Pool({ ...this.c.client, max: 3, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
      // An error on an idle connection (the server went away) must not crash the process: the next call fails instead.
      pool.on('error', () => undefined);
      try {
        const client = await pool.connect();
        try {
          await migrateServer(client, this.c.schema, this.s);
        } finally {
          client.release();
        }
      } catch (error) {
        await pool.end().catch(() => undefined);
        throw error;
      }
      return pool;
    })();
    this.ready.catch(() => {
      this.ready = undefined;
    });
    return this.ready;
  }

  private async q<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    const pool = await this.db();
    return pool.query<R>({ text, values, query_timeout: this.c.queryTimeoutMs } as pg.QueryConfig);
  }

  async open(): Promise<void> {
    await this.db();
  }

  async push(events: readonly WireEvent[]): Promise<number> {
    if (!events.length) return 0;
    const client = await (await this.db()).connect();
    const rows = events.map((e) => [
      e.origin,
      e.originSeq,
      e.at,
      e.kind,
      e.incidentId ?? null,
      JSON.stringify(e.who),
      JSON.stringify(e.payload),
      e.refs ? JSON.stringify(e.refs) : null,
      e.key ?? null,
    ]);
    const origins = [...new Set(events.map((e) => e.origin))];
    try {
      await client.query('BEGIN');
      await client.query({
        text: `INSERT INTO ${this.s}.origins (team, origin) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
        values: [this.c.team, origins],
      });
      // One statement for the batch: the rows as parallel arrays.
      const cols = (i: number) => rows.map((r) => r[i]);
      const r = await client.query({
        text: `INSERT INTO ${this.s}.events (team, origin, origin_seq, at, kind, incident_id, who, payload, refs, key)
               SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
               ON CONFLICT (team, origin, origin_seq) DO NOTHING`,
        values: [this.c.team, cols(0), cols(1), cols(2), cols(3), cols(4), cols(5), cols(6), cols(7), cols(8)],
        query_timeout: this.c.queryTimeoutMs,
      } as pg.QueryConfig);
      if (r.rowCount) await client.query('SELECT pg_notify($1, $2)', [CHANNEL, this.c.team]);
      await client.query('COMMIT');
      client.release();
      return r.rowCount ?? 0;
    } catch (error) {
      // The connection is not reused: it may be mid-transaction or broken.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  async pull(after: Readonly<Record<string, number>>, exceptOrigin: string, limit: number): Promise<PulledEvent[]> {
    // Per origin, the next events above its cursor (the unique index's order), then all in server order.
    const r = await this.q(
      `SELECT e.id, e.team, e.origin, e.origin_seq, e.at, e.kind, e.incident_id, e.who, e.payload, e.refs, e.key
         FROM ${this.s}.origins o
         CROSS JOIN LATERAL (
           SELECT * FROM ${this.s}.events x
            WHERE x.team = o.team AND x.origin = o.origin AND x.origin_seq > coalesce(($2::jsonb ->> o.origin)::bigint, 0)
            ORDER BY x.origin_seq LIMIT $4) e
        WHERE o.team = $1 AND o.origin <> $3
        ORDER BY e.id`,
      [this.c.team, JSON.stringify(after), exceptOrigin, limit],
    );
    return r.rows.map((row) =>
      incoming(
        {
          ...row,
          who: parseJson(row.who),
          payload: parseJson(row.payload),
          refs: row.refs === null ? null : parseJson(row.refs),
        },
        this.c.team,
      ),
    );
  }

  async listen(onWake: () => void, onLost: (error: Error) => void): Promise<void> {
    if (this.listener) return;
    const client = new pg.Client(this.c.client);
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    let lost = false;
    const fail = (error: Error) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      onLost(error);
    };
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload === this.c.team) onWake();
    });
    client.on('error', fail);
    client.on('end', () => fail(new Error('the team server closed the connection')));
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  async claim(
    key: string,
    holder: { readonly name: string; readonly origin: string },
    ttlMs: number,
  ): Promise<ClaimAnswer> {
    const token = randomBytes(12).toString('hex');
    for (let attempt = 0; attempt < 3; attempt++) {
      const taken = await this.q(
        `INSERT INTO ${this.s}.claims AS c (team, key, token, holder, origin, since, expires_at)
         VALUES ($1, $2, $3, $4, $5, now(), now() + $6 * interval '1 millisecond')
         ON CONFLICT (team, key) DO UPDATE SET token = excluded.token, holder = excluded.holder, origin = excluded.origin,
           since = excluded.since, expires_at = excluded.expires_at
         WHERE c.expires_at < now()
         RETURNING token`,
        [this.c.team, key, token, holder.name, holder.origin, ttlMs],
      );
      if (taken.rowCount) return { kind: 'granted', token };
      const held = await this.q<{ holder: string; origin: string; held_ms: string }>(
        `SELECT holder, origin, (extract(epoch FROM now() - since) * 1000)::bigint AS held_ms FROM ${this.s}.claims
          WHERE team = $1 AND key = $2 AND expires_at >= now()`,
        [this.c.team, key],
      );
      const row = held.rows[0];
      // Released or expired between the two statements: try again.
      if (row)
        return {
          kind: 'held',
          by: {
            name: String(row.holder).slice(0, 256),
            origin: String(row.origin).slice(0, 64),
            heldMs: Math.max(0, Number(row.held_ms)),
          },
        };
    }
    throw new Error('the claim kept changing hands');
  }

  async renew(key: string, token: string, ttlMs: number): Promise<boolean> {
    const r = await this.q(
      `UPDATE ${this.s}.claims SET expires_at = now() + $4 * interval '1 millisecond' WHERE team = $1 AND key = $2 AND token = $3`,
      [this.c.team, key, token, ttlMs],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async release(key: string, token: string): Promise<void> {
    await this.q(`DELETE FROM ${this.s}.claims WHERE team = $1 AND key = $2 AND token = $3`, [this.c.team, key, token]);
  }

  async expire(olderThanMs: number): Promise<number> {
    const r = await this.q(
      `DELETE FROM ${this.s}.events WHERE team = $1 AND received_at < now() - $2 * interval '1 millisecond'`,
      [this.c.team, olderThanMs],
    );
    await this.q(`DELETE FROM ${this.s}.claims WHERE team = $1 AND expires_at < now()`, [this.c.team]);
    return r.rowCount ?? 0;
  }

  async status(): Promise<TeamServerStatus> {
    const pool = await this.db();
    const version = await serverVersion(pool as unknown as pg.ClientBase, this.c.schema, this.s);
    const counts = await this.q<{ events: string; origins: string }>(
      `SELECT (SELECT count(*) FROM ${this.s}.events WHERE team = $1) AS events, (SELECT count(*) FROM ${this.s}.origins WHERE team = $1) AS origins`,
      [this.c.team],
    );
    const needed: [string, string][] = [
      ['events', 'SELECT'],
      ['events', 'INSERT'],
      ['events', 'DELETE'],
      ['origins', 'SELECT'],
      ['origins', 'INSERT'],
      ['claims', 'SELECT'],
      ['claims', 'INSERT'],
      ['claims', 'UPDATE'],
      ['claims', 'DELETE'],
    ];
    const privileges = await this.q<{ table: string; privilege: string; ok: boolean }>(
      `SELECT t AS table, p AS privilege, has_table_privilege(current_user, $1 || '.' || t, p) AS ok
         FROM unnest($2::text[], $3::text[]) AS x(t, p)`,
      [this.c.schema, needed.map((n) => n[0]), needed.map((n) => n[1])],
    );
    return {
      schemaVersion: version,
      knownVersion: SERVER_SCHEMA_VERSION,
      events: Number(counts.rows[0]?.events ?? 0),
      origins: Number(counts.rows[0]?.origins ?? 0),
      missingPrivileges: privileges.rows
        .filter((r) => !r.ok)
        .map((r) => `${r.privilege} on ${this.c.schema}.${r.table}`),
    };
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    const ready = this.ready;
    this.ready = undefined;
    await Promise.all([listener?.end().catch(() => undefined), ready?.then((p) => p.end()).catch(() => undefined)]);
  }
}
