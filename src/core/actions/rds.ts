import type { Database } from '../model.js';
import type { ActionParams } from './catalogue.js';
import { ActionPlanError } from './errors.js';
import { arrow, findDatabase, requirePort, type ActionHandler, type PlanDraft } from './handler.js';

/** The RDS remediations: reboot (with or without a Multi-AZ failover) and growing the allocated storage. */

export interface DatabaseTarget {
  readonly database: Database;
}

/** Pure: rds.reboot. A reboot is an outage; the plan says how long and for whom. */
export function planReboot(p: ActionParams<'rds.reboot'>, t: DatabaseTarget): PlanDraft {
  const db = t.database;
  if (p.failover && !db.multiAz) {
    throw new ActionPlanError(
      'rds.reboot',
      `${db.id} is not Multi-AZ: it has no standby to fail over to; reboot without failover`,
      'refused',
    );
  }
  if (db.status !== 'available') {
    throw new ActionPlanError(
      'rds.reboot',
      `${db.id} is ${db.status}, not available: RDS only reboots an available instance; wait for it`,
      'refused',
    );
  }
  const connections =
    db.connections !== undefined
      ? `${db.connections}${db.maxConnections ? ` of ${db.maxConnections}` : ''} connections`
      : 'every connection';
  const blast = p.failover
    ? [
        `fails over to the standby in the other availability zone: ${connections} are dropped and about 1–2 minutes of failed requests follow while the endpoint's DNS moves`,
        'the old primary becomes the standby; the API and the worker reconnect on their own',
      ]
    : [
        `drops ${connections}: about 3 minutes of failed requests (no failover) while the instance restarts; the API and the worker reconnect on their own`,
        `whatever held the connections (a runaway job) loses them too; if it reconnects, the leak comes back`,
      ];
  return {
    target: db.id,
    summary: `${db.id}: reboot${p.failover ? ' with failover' : ''} (${db.engine}, ${db.instanceClass}${db.multiAz ? ', Multi-AZ' : ''})`,
    changes: [
      {
        what: 'status',
        from: db.status,
        to: p.failover ? 'rebooting with failover → available' : 'rebooting → available',
      },
    ],
    blastRadius: blast,
  };
}

export const reboot: ActionHandler<'rds.reboot', DatabaseTarget> = {
  id: 'rds.reboot',
  target: (p) => p.database,
  read: async (p, ctx) => ({ database: await findDatabase(ctx.sources, 'rds.reboot', p.database) }),
  plan: (p, t) => planReboot(p, t),
  conflicts(a, b) {
    const out: string[] = [];
    if (a.database.status !== b.database.status)
      out.push(
        `${b.database.id} went from ${a.database.status} to ${b.database.status} since the plan (someone else rebooted or modified it?)`,
      );
    if (a.database.instanceClass !== b.database.instanceClass)
      out.push(
        `${b.database.id} changed class from ${a.database.instanceClass} to ${b.database.instanceClass} since the plan`,
      );
    return out;
  },
  async apply(p, t, ctx) {
    await requirePort(
      ctx.sources.rebootable,
      'rds.reboot',
      'RDS RebootDBInstance (Rebootable)',
      ctx.sources,
    ).rebootDatabase(t.database.id, { failover: p.failover });
    return `RebootDBInstance ${t.database.id}${p.failover ? ' ForceFailover' : ''}`;
  },
  // A reboot reads back as "rebooting" for a while, or already "available" again (moto, a quick one):
  // the alarm verification is the real proof; this records the status seen.
  effect: (_p, _b, after) => ({
    ok: true,
    evidence: `${after.database.id}: ${after.database.status}${after.database.connections !== undefined ? `, ${after.database.connections} connections` : ''}`,
  }),
};

export interface StorageTarget {
  readonly database: string;
  readonly allocatedGiB: number;
  readonly usedPercent?: number;
  readonly maxAllocatedGiB?: number;
}

/** Pure: rds.grow-storage. Storage only grows, once per six hours: the plan refuses a shrink. */
export function planGrowStorage(p: ActionParams<'rds.grow-storage'>, t: StorageTarget): PlanDraft {
  if (p.allocatedGiB === t.allocatedGiB) {
    return {
      target: t.database,
      summary: `${t.database}: allocated storage is already ${t.allocatedGiB} GiB; nothing to change`,
      changes: [],
      blastRadius: [],
    };
  }
  if (p.allocatedGiB < t.allocatedGiB) {
    throw new ActionPlanError(
      'rds.grow-storage',
      `${t.database} has ${t.allocatedGiB} GiB; RDS storage can only grow, not shrink to ${p.allocatedGiB} GiB`,
      'refused',
    );
  }
  const blast = [
    'online: the instance stays available, but storage can be modified only once every 6 hours and never shrinks again',
    'the volume is optimised in the background for hours afterwards (slower I/O is possible meanwhile)',
  ];
  if (t.usedPercent !== undefined) {
    const after = (t.usedPercent * t.allocatedGiB) / p.allocatedGiB;
    blast.unshift(
      `used ${t.usedPercent.toFixed(1)} % of ${t.allocatedGiB} GiB now → about ${after.toFixed(1)} % of ${p.allocatedGiB} GiB`,
    );
  }
  if (t.maxAllocatedGiB !== undefined && p.allocatedGiB > t.maxAllocatedGiB) {
    blast.push(
      `above the storage autoscaling limit (MaxAllocatedStorage ${t.maxAllocatedGiB} GiB): raise that too, or autoscaling stops there`,
    );
  }
  return {
    target: t.database,
    summary: `${t.database}: allocated storage ${arrow(`${t.allocatedGiB} GiB`, `${p.allocatedGiB} GiB`)}`,
    changes: [{ what: 'allocated storage (GiB)', from: t.allocatedGiB, to: p.allocatedGiB }],
    blastRadius: blast,
  };
}

export const growStorage: ActionHandler<'rds.grow-storage', StorageTarget> = {
  id: 'rds.grow-storage',
  target: (p) => p.database,
  async read(p, ctx) {
    const port = requirePort(
      ctx.sources.storageResizable,
      'rds.grow-storage',
      'RDS storage (StorageResizable)',
      ctx.sources,
    );
    const s = await port.getStorage(p.database);
    return { database: p.database, ...s };
  },
  plan: (p, t) => planGrowStorage(p, t),
  conflicts: (a, b) =>
    a.allocatedGiB !== b.allocatedGiB
      ? [
          `the allocated storage of ${b.database} changed from ${a.allocatedGiB} to ${b.allocatedGiB} GiB since the plan`,
        ]
      : [],
  async apply(p, t, ctx) {
    await requirePort(
      ctx.sources.storageResizable,
      'rds.grow-storage',
      'RDS storage (StorageResizable)',
      ctx.sources,
    ).setAllocatedStorage(t.database, p.allocatedGiB);
    return `ModifyDBInstance ${t.database}: AllocatedStorage ${p.allocatedGiB} GiB, ApplyImmediately (was ${t.allocatedGiB} GiB)`;
  },
  effect: (p, _b, after) => ({
    ok: after.allocatedGiB >= p.allocatedGiB,
    evidence: `${after.database}: ${after.allocatedGiB} GiB allocated${after.usedPercent !== undefined ? `, ${after.usedPercent.toFixed(1)} % used` : ''}`,
  }),
};
