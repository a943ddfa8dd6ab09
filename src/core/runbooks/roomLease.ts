import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Journal, Lease, LeaseHolder, Who } from '../journal/index.js';

/** A room's lease lasts this long unless renewed (every third of it while the room runs). */
export const LEASE_TTL_MS = 30_000;

/** Another live process runs this room's automatic steps: this one does not (journal/leases.ts). */
export class RoomHeldError extends Error {
  override readonly name = 'RoomHeldError';
  constructor(readonly heldBy: Lease) {
    super(`this room is run by ${heldBy.user}@${heldBy.host} pid ${heldBy.pid}: its steps run there, not here`);
  }
}

/** This process lost the room's lease while running it (it could not renew it in time): it stopped. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/**
 * One runner's hold on its room (journal/leases.ts): hold() takes the lease or throws RoomHeldError, and
 * keeps it renewed every third of its life; if a renewal fails (this process stalled past the expiry and
 * another took the room) `onLost` stops the walk. The function hold() returns lets the lease go.
 */
export function roomLease(o: { readonly journal: Journal; readonly incidentId: string; readonly who: Who; readonly ttlMs: number; readonly onLost: () => void }) {
  const holder: LeaseHolder = { token: randomBytes(8).toString('hex'), pid: process.pid, host: os.hostname(), user: userName(o.who) };
  let lost = false;
  return {
    holder,
    lost: () => lost,
    hold(): () => void {
      const taken = o.journal.takeLease(o.incidentId, holder, o.ttlMs);
      if (!taken.ok) throw new RoomHeldError(taken.heldBy);
      lost = false;
      const timer = setInterval(() => {
        let kept = false;
        try {
          kept = o.journal.renewLease(o.incidentId, holder.token, o.ttlMs);
        } catch {
          // The journal failed: the walk's next write says so; without a renewed lease, stop here.
        }
        if (!kept) {
          lost = true;
          o.onLost();
        }
      }, Math.max(10, Math.floor(o.ttlMs / 3)));
      timer.unref?.();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        try {
          if (!lost) o.journal.releaseLease(o.incidentId, holder.token);
        } catch {
          // Unreleased, it expires on its own.
        }
      };
    },
  };
}

function userName(who: Who): string {
  if (who.name) return who.name;
  try {
    return os.userInfo().username;
  } catch {
    return who.id;
  }
}
