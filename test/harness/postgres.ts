/**
 * A private PostgreSQL 15 cluster for the team timeline's tests (TESTING.md, "PostgreSQL"): Debian's
 * server binaries, initdb and pg_ctl run as the `postgres` user (the server refuses root) on a data
 * directory of its own and a free loopback port; stop() and start() again are the honest "the team
 * server went away". Kills nothing but its own cluster.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, requireTool, waitFor } from './servers.js';

const BIN = '/usr/lib/postgresql/15/bin';

/** Undefined when the suite can run; the reason to skip otherwise (CI=true fails instead). */
export function postgresMissing(): string | undefined {
  const ok =
    fs.existsSync(path.join(BIN, 'initdb')) &&
    fs.existsSync(path.join(BIN, 'pg_ctl')) &&
    spawnSync('id', ['postgres'], { stdio: 'ignore' }).status === 0;
  return requireTool('PostgreSQL 15', ok, 'apt-get install -y postgresql');
}

export interface PrivatePostgres {
  readonly port: number;
  readonly dir: string;
  /** postgres://test@127.0.0.1:PORT/DB */
  url(database?: string): string;
  stop(): void;
  start(): Promise<void>;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    values?: unknown[],
    database?: string,
  ): Promise<R[]>;
  destroy(): void;
}

function asPostgres(command: string): void {
  execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: 'pipe', timeout: 60_000 });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function startPostgres(): Promise<PrivatePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-pg-'));
  fs.chmodSync(dir, 0o755);
  execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  asPostgres(`${BIN}/initdb -D ${quote(data)} -A trust -U test >/dev/null`);
  const port = await freePort();
  const ctl = (what: string) =>
    asPostgres(
      `${BIN}/pg_ctl -D ${quote(data)} -o ${quote(`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`)} -l ${quote(path.join(dir, 'log'))} -w ${what}`,
    );
  const ready = () =>
    waitFor(
      async () => {
        const c = new pg.Client({
          host: '127.0.0.1',
          port,
          user: 'test',
          database: 'postgres',
          connectionTimeoutMillis: 1000,
        });
        try {
          await c.connect();
          return true;
        } finally {
          await c.end().catch(() => undefined);
        }
      },
      'PostgreSQL',
      20_000,
    );
  ctl('start');
  await ready();
  let running = true;
  const self: PrivatePostgres = {
    port,
    dir,
    url: (database = 'postgres') => `postgres://test@127.0.0.1:${port}/${database}`,
    stop() {
      if (!running) return;
      running = false;
      asPostgres(`${BIN}/pg_ctl -D ${quote(data)} -m fast -w stop >/dev/null`);
    },
    async start() {
      if (running) return;
      ctl('start');
      running = true;
      await ready();
    },
    async query(sql, values = [], database = 'postgres') {
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'test', database });
      await c.connect();
      try {
        return (await c.query(sql, values)).rows;
      } finally {
        await c.end();
      }
    },
    destroy() {
      try {
        self.stop();
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}
