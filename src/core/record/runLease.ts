import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Journal } from '../journal/index.js';

/**
 * A live program's hold on its sandbox run, so that another program starting on the same journal (a drill,
 * a second cockpit) does not take the run for one left behind by a killed program and end it: an ended
 * run's incidents are no longer open anywhere (the handoff's "Still open"), while its cockpit still shows
 * them open. The hold is the journal's lease mechanism (journal/leases.ts) under a key of its own
 * (`run:<tag>`): one row, renewed as the recorder looks, released when the run is closed. A holder that
 * died without releasing it is told by its pid on this machine at once, elsewhere when it expires.
 * Times are the wall clock: the hold is about processes, not about the sandbox's simulated time.
 */

/** Long enough that a cockpit left idle (no change to record) keeps its run; a dead pid ends it at once. */
export const RUN_LEASE_TTL_MS = 24 * 60 * 60_000;
/** A renewal is a write: at most one this often. */
const RENEW_EVERY_MS = 60_000;

export function runLeaseKey(run: string): string {
  return `run:${run}`;
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}

/** Whether a live program (this one or another) holds the run. */
export function runHeld(journal: Journal, run: string, now: number = Date.now()): boolean {
  return journal.lease(runLeaseKey(run), now) !== undefined;
}

export class RunLease {
  private readonly token = randomBytes(8).toString('hex');
  private renewedAt = -Infinity;

  constructor(
    private readonly journal: Journal,
    private readonly run: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes the hold; false when another live program holds the same run (a tag is never reused: it should not). */
  take(): boolean {
    const now = this.clock();
    const taken = this.journal.takeLease(
      runLeaseKey(this.run),
      { token: this.token, pid: process.pid, host: os.hostname(), user: userName() },
      RUN_LEASE_TTL_MS,
      now,
    );
    if (taken.ok) this.renewedAt = now;
    return taken.ok;
  }

  /** Keeps the hold while the recorder looks (throttled). */
  renew(): void {
    const now = this.clock();
    if (now - this.renewedAt < RENEW_EVERY_MS) return;
    this.renewedAt = now;
    this.journal.renewLease(runLeaseKey(this.run), this.token, RUN_LEASE_TTL_MS, now);
  }

  release(): void {
    this.journal.releaseLease(runLeaseKey(this.run), this.token);
  }
}
