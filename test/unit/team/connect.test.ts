/**
 * The team server's connection settings as pg itself reads them: the password from VITASCOPE_TEAM_PASSWORD
 * must reach pg's client (a connection string without a password used to erase it), the URL's host, port,
 * database and user too.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { teamConnection } from '../../../src/sources/team/connect.js';

const TIMEOUTS = { connectMs: 1_000, requestMs: 1_000 };

describe('team connection settings', () => {
  it("VITASCOPE_TEAM_PASSWORD reaches pg's client beside the URL's settings", () => {
    const c = teamConnection(
      { url: 'postgres://oncall@127.0.0.1:6543/ops?sslmode=disable', id: 'ops' },
      { VITASCOPE_TEAM_PASSWORD: 's3cret' },
      TIMEOUTS,
    );
    const client = new pg.Client(c.client);
    expect(client.password).toBe('s3cret');
    expect(client.host).toBe('127.0.0.1');
    expect(client.port).toBe(6543);
    expect(client.database).toBe('ops');
    expect(client.user).toBe('oncall');
    // The label shown on screen names the server, never the password.
    expect(c.label).not.toContain('s3cret');
  });

  it('without VITASCOPE_TEAM_PASSWORD, pg falls back as libpq does (PGPASSWORD)', () => {
    const saved = process.env.PGPASSWORD;
    process.env.PGPASSWORD = 'from-env';
    try {
      const c = teamConnection({ url: 'postgres://oncall@127.0.0.1:6543/ops', id: 'ops' }, {}, TIMEOUTS);
      expect(new pg.Client(c.client).password).toBe('from-env');
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    }
  });
});
