import type { Database, Health } from '../../core/model.js';
import { inertLine } from '../../core/sanitize.js';

/** RDS statuses in which the instance serves nothing; others than `available` are passing states. */
const DOWN = new Set(['failed', 'stopped', 'stopping', 'storage-full', 'inaccessible-encryption-credentials', 'incompatible-network', 'incompatible-parameters', 'incompatible-restore', 'restore-error']);

/**
 * One database as the overview shows it, judged by the policy's rds-connections rule (a share of
 * max_connections; at the limit every new connection is refused, which is critical whatever the
 * policy's warning share) and by its status (rebooting or modifying: a warning; failed or stopped: critical).
 */
export function databaseRow(db: Database, warningShare: number | undefined): { cells: string[]; health: Health } {
  const share = db.connections !== undefined && db.maxConnections ? db.connections / db.maxConnections : undefined;
  let health: Health = 'ok';
  if (DOWN.has(db.status)) health = 'critical';
  else if (db.status !== 'available') health = 'warning';
  if (share !== undefined && share >= 1) health = 'critical';
  else if (share !== undefined && warningShare !== undefined && share >= warningShare && health === 'ok') health = 'warning';
  const used = share === undefined ? '–' : `${Math.round(share * 100)} %`;
  const connections = db.connections === undefined ? 'connections unknown' : `${db.connections}/${db.maxConnections ?? '?'} connections`;
  return {
    cells: [inertLine(db.id), inertLine(db.status), used, `${connections} · ${inertLine(db.engine)} ${inertLine(db.instanceClass)}${db.multiAz ? ' Multi-AZ' : ''}`],
    health,
  };
}

const RANK: Record<Health, number> = { critical: 0, warning: 1, info: 2, ok: 3 };

/** Worst first, then by name. */
export function sortDatabaseRows<T extends { readonly health: Health; readonly cells: readonly string[] }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => RANK[a.health] - RANK[b.health] || a.cells[0]!.localeCompare(b.cells[0]!));
}
