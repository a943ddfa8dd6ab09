import { LEVEL_RANK, type Database, type Health } from '../../core/model.js';
import { safe, screenLine, type Safe } from '../../core/sanitize.js';
import { databaseCondition } from '../../core/status.js';

/** One database as the overview shows it, judged as `status` judges it (core/status.ts databaseCondition). */
export function databaseRow(db: Database, warningShare: number | undefined): { cells: Safe[]; health: Health } {
  const { share, health } = databaseCondition(db, warningShare);
  const used = share === undefined ? '–' : `${Math.round(share * 100)} %`;
  const connections = db.connections === undefined ? 'connections unknown' : `${db.connections}/${db.maxConnections ?? '?'} connections`;
  return {
    cells: [screenLine(db.id), screenLine(db.status), safe`${used}`, safe`${connections} · ${screenLine(db.engine)} ${screenLine(db.instanceClass)}${db.multiAz ? ' Multi-AZ' : ''}`],
    health,
  };
}

/** Worst first, then by name. */
export function sortDatabaseRows<T extends { readonly health: Health; readonly cells: readonly string[] }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => LEVEL_RANK[b.health] - LEVEL_RANK[a.health] || a.cells[0]!.localeCompare(b.cells[0]!));
}
