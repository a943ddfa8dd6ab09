import { DATABASE, MINUTE, STORAGE_GIB } from './topology.js';

/**
 * vitascope-db as the sandbox runs it: reboots, leaked connections, and its storage. Storage grows
 * the way RDS grows it (ModifyDBInstance AllocatedStorage, applied immediately): the instance is
 * `modifying` for a few minutes, then the new size is usable while it is in `storage-optimization`;
 * storage only grows, by at least 10 %, and not again within six hours of the last change.
 */

export const STORAGE = {
  allocatedGiB: STORAGE_GIB,
  /** gp3's largest volume. */
  maxGiB: 65_536,
  /** GiB used at the sandbox's origin, and the ordinary growth (health data, indexes, WAL). */
  usedAtOriginGiB: 126,
  growthGiBPerMinute: 0.001,
  modifyingMs: 6 * MINUTE,
  optimizationMs: 2 * 60 * MINUTE,
  cooldownMs: 6 * 60 * MINUTE,
} as const;

/** GiB the ordinary growth has used by a minute (negative minutes are before the origin). */
export function baseUsedGiB(minute: number): number {
  return STORAGE.usedAtOriginGiB + STORAGE.growthGiBPerMinute * minute;
}

export interface DatabaseEvent {
  readonly at: number;
  readonly message: string;
}

export class SimDatabase {
  rebootUntil?: number;
  leaked = 0;
  leakPerMinute = 0;
  failovers = 0;
  readonly events: DatabaseEvent[] = [];
  /** Storage the instance has now, and a larger size being applied. */
  allocatedGiB: number = STORAGE.allocatedGiB;
  modifying?: { readonly gib: number; readonly until: number };
  optimizingUntil?: number;
  lastStorageChangeAt = -Infinity;
  /** GiB written on top of the ordinary growth (a backfill), and what is still to come. */
  writtenGiB = 0;
  private fill?: { perMinute: number; remainingGiB: number };

  get rebooting(): boolean {
    return this.rebootUntil !== undefined;
  }

  usedGiB(minute: number): number {
    return baseUsedGiB(minute) + this.writtenGiB;
  }

  /** Writes fail once the volume is full (RDS's storage-full). */
  full(minute: number): boolean {
    return this.usedGiB(minute) >= this.allocatedGiB;
  }

  /** The allocated storage as DescribeDBInstances reports it, counting a change being applied (PendingModifiedValues). */
  get requestedGiB(): number {
    return this.modifying?.gib ?? this.allocatedGiB;
  }

  /** The storage the instance has at `at` (a modification that has just completed counts). */
  allocatedAt(at: number): number {
    return this.modifying && this.modifying.until <= at ? this.modifying.gib : this.allocatedGiB;
  }

  /** The instance status DescribeDBInstances would report at `at`, within the minute `minute`. */
  status(minute: number, at: number): string {
    if (this.rebootUntil !== undefined && at < this.rebootUntil) return 'rebooting';
    if (this.modifying && at < this.modifying.until) return 'modifying';
    if (this.usedGiB(minute) >= this.allocatedAt(at)) return 'storage-full';
    const optimizingUntil = this.modifying ? this.modifying.until + STORAGE.optimizationMs : this.optimizingUntil;
    if (optimizingUntil !== undefined && at < optimizingUntil) return 'storage-optimization';
    return 'available';
  }

  /** The start of a simulated minute: reboots and storage changes that are due complete. */
  tick(minute: number, start: number): void {
    if (this.rebootUntil !== undefined && this.rebootUntil <= start) {
      this.rebootUntil = undefined;
      this.events.unshift({ at: start, message: 'DB instance restarted' });
    }
    if (this.modifying && this.modifying.until <= start) {
      this.allocatedGiB = this.modifying.gib;
      this.modifying = undefined;
      this.optimizingUntil = start + STORAGE.optimizationMs;
      this.events.unshift({
        at: start,
        message: `The storage for the DB instance has been increased to ${this.allocatedGiB} GiB; storage optimization is in progress`,
      });
    }
    if (this.optimizingUntil !== undefined && this.optimizingUntil <= start) {
      this.optimizingUntil = undefined;
      this.events.unshift({ at: start, message: 'Storage optimization for the DB instance completed' });
    }
    if (!this.rebooting) this.leaked += this.leakPerMinute;
    // A backfill writes while the volume has room; on a full volume its writes fail and it retries.
    if (this.fill && !this.rebooting) {
      const room = Math.max(0, this.allocatedGiB - this.usedGiB(minute));
      const wrote = Math.min(this.fill.perMinute, this.fill.remainingGiB, room);
      this.writtenGiB += wrote;
      this.fill.remainingGiB -= wrote;
      if (this.fill.remainingGiB <= 0) this.fill = undefined;
    }
    if (this.events.length > 50) this.events.length = 50;
  }

  startFill(perMinuteGiB: number, totalGiB: number): void {
    this.fill = { perMinute: perMinuteGiB, remainingGiB: totalGiB };
  }

  reboot(failover: boolean, at: number): void {
    if (this.rebooting) throw new Error(`${DATABASE.id} is already rebooting`);
    if (this.modifying)
      throw new Error(
        `InvalidDBInstanceState: ${DATABASE.id} is modifying; reboot it once the modification has completed`,
      );
    if (failover && !DATABASE.multiAz) throw new Error(`${DATABASE.id} is not Multi-AZ; it cannot fail over`);
    this.rebootUntil = at + (failover ? 1.5 : 3) * MINUTE;
    this.leaked = 0;
    this.leakPerMinute = 0;
    if (failover) this.failovers += 1;
    this.events.unshift({ at, message: failover ? 'Multi-AZ instance failover started' : 'DB instance shutdown' });
  }

  /** ModifyDBInstance AllocatedStorage with ApplyImmediately, with RDS's rules. */
  growStorage(gib: number, at: number): void {
    const id = DATABASE.id;
    if (!Number.isInteger(gib)) throw new Error(`allocated storage must be a whole number of GiB, not ${gib}`);
    if (this.rebooting)
      throw new Error(`InvalidDBInstanceState: ${id} is rebooting; its storage cannot be changed now`);
    if (
      this.modifying ||
      (this.optimizingUntil !== undefined && at < this.optimizingUntil) ||
      at - this.lastStorageChangeAt < STORAGE.cooldownMs
    ) {
      throw new Error(
        `InvalidParameterCombination: You can't currently modify the storage of ${id} because the previous storage change is being optimized (at most one change every 6 hours)`,
      );
    }
    if (gib <= this.allocatedGiB)
      throw new Error(
        `InvalidParameterCombination: storage can only grow: ${id} has ${this.allocatedGiB} GiB, ${gib} GiB is not more`,
      );
    const least = Math.ceil((this.allocatedGiB * 11) / 10);
    if (gib < least)
      throw new Error(`InvalidParameterCombination: grow ${id}'s storage by at least 10 % (to ${least} GiB or more)`);
    if (gib > STORAGE.maxGiB)
      throw new Error(
        `InvalidParameterCombination: ${gib} GiB is more than the ${STORAGE.maxGiB} GiB a gp3 volume can have`,
      );
    this.modifying = { gib, until: at + STORAGE.modifyingMs };
    this.lastStorageChangeAt = at;
    this.events.unshift({
      at,
      message: `Applying modification to allocated storage: ${this.allocatedGiB} GiB → ${gib} GiB`,
    });
  }
}
