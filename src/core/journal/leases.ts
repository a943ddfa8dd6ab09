import os from 'node:os';
import type Database from 'better-sqlite3';

/**
 * Leases on incident rooms: one live process at a time runs a room's automatic steps (checks, queries,
 * actions, commands), so that two cockpits open on the same incident never run and record them twice.
 * The lease is a row per room in the journal, taken in one IMMEDIATE transaction (so two processes racing
 * for it cannot both win), renewed while the room runs, and released when it stops. A holder that died
 * without releasing it loses it when it expires; on the same machine at once, when its pid is gone.
 * Times are the wall clock: leases are about processes, not about a sandbox's simulated time.
 */

export interface LeaseHolder {
  /** Tells this holder's lease from another's in the same process. */
  readonly token: string;
  readonly pid: number;
  readonly host: string;
  readonly user: string;
}

export interface Lease extends LeaseHolder {
  readonly incidentId: string;
  /** When this holder took it. */
  readonly since: number;
  readonly expiresAt: number;
}

export type LeaseTaken = { readonly ok: true; readonly lease: Lease } | { readonly ok: false; readonly heldBy: Lease };

interface LeaseRow {
  incident_id: string;
  token: string;
  pid: number;
  host: string;
  user: string;
  since: number;
  expires_at: number;
}

function toLease(r: LeaseRow): Lease {
  return {
    incidentId: r.incident_id,
    token: r.token,
    pid: r.pid,
    host: r.host,
    user: r.user,
    since: r.since,
    expiresAt: r.expires_at,
  };
}

/** Whether the holder may still be running: another machine's is trusted until expiry; ours is asked. */
export function holderAlive(holder: Pick<LeaseHolder, 'pid' | 'host'>, host: string = os.hostname()): boolean {
  if (holder.host !== host) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createLeases(db: Database.Database) {
  const s = {
    get: db.prepare('SELECT * FROM room_leases WHERE incident_id = ?'),
    put: db.prepare(
      `INSERT INTO room_leases (incident_id, token, pid, host, user, since, expires_at) VALUES (@incidentId, @token, @pid, @host, @user, @since, @expiresAt)
       ON CONFLICT (incident_id) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host, user = excluded.user, since = excluded.since, expires_at = excluded.expires_at`,
    ),
    renew: db.prepare('UPDATE room_leases SET expires_at = ? WHERE incident_id = ? AND token = ?'),
    release: db.prepare('DELETE FROM room_leases WHERE incident_id = ? AND token = ?'),
  };
  const take = db.transaction((incidentId: string, holder: LeaseHolder, ttlMs: number, now: number): LeaseTaken => {
    const row = s.get.get(incidentId) as LeaseRow | undefined;
    if (row && row.token !== holder.token && row.expires_at > now && holderAlive(row))
      return { ok: false, heldBy: toLease(row) };
    const lease: Lease = {
      incidentId,
      ...holder,
      since: row?.token === holder.token ? row.since : now,
      expiresAt: now + ttlMs,
    };
    s.put.run({ ...lease });
    return { ok: true, lease };
  });
  return {
    current(incidentId: string, now: number = Date.now()): Lease | undefined {
      const row = s.get.get(incidentId) as LeaseRow | undefined;
      return row && row.expires_at > now && holderAlive(row) ? toLease(row) : undefined;
    },
    take(incidentId: string, holder: LeaseHolder, ttlMs: number, now: number = Date.now()): LeaseTaken {
      return take.immediate(incidentId, holder, ttlMs, now);
    },
    renew(incidentId: string, token: string, ttlMs: number, now: number = Date.now()): boolean {
      return s.renew.run(now + ttlMs, incidentId, token).changes === 1;
    },
    release(incidentId: string, token: string): void {
      s.release.run(incidentId, token);
    },
  };
}
