import { LEVEL_RANK, type Database, type Health } from '../../core/model.js';
import { screenLine } from '../../core/sanitize.js';
import { databaseCondition, type StorageThresholds } from '../../core/status.js';
import { levelText } from './alarms.js';
import { EN, type Translate } from '../../core/i18n/index.js';

/** The overview's header over `databaseRow`'s cells (the services' column widths). */
export const DATABASE_HEADERS = ['DATABASE', 'STATE', 'CONN', 'STORAGE · CONNECTIONS'];

/** Storage as the row says it: used share and size, or "no data" when the source could not tell. */
export function storageText(db: Database, t: Translate = EN): string {
  if (db.storageUsedPercent === undefined)
    return db.allocatedGiB === undefined ? t('db.storageNoData') : t('db.storageUnknownOf', { size: db.allocatedGiB });
  return db.allocatedGiB === undefined
    ? t('db.storage', { used: db.storageUsedPercent })
    : t('db.storageOf', { used: db.storageUsedPercent, size: db.allocatedGiB });
}

/**
 * One database as the overview shows it, judged as `status` judges it (core/status.ts databaseCondition).
 * The state cell carries the level in a word and a symbol, so that it reads without colour; connections
 * and storage are separate facts (a full disk is not a connection count).
 */
export function databaseRow(
  db: Database,
  warningShare: number | undefined,
  storage?: StorageThresholds,
  t: Translate = EN,
): { cells: string[]; health: Health } {
  const { share, health } = databaseCondition(db, warningShare, storage);
  const conn = share === undefined ? '–' : `${Math.round(share * 100)} %`;
  const connections =
    db.connections === undefined
      ? t('db.connectionsNoData')
      : t('db.connections', { n: db.connections, max: db.maxConnections ?? '?' });
  return {
    cells: [
      screenLine(db.id),
      `${levelText(health, t)} ${screenLine(db.status)}`,
      conn,
      `${storageText(db, t)} · ${connections} · ${screenLine(db.engine)} ${screenLine(db.instanceClass)}${db.multiAz ? ' Multi-AZ' : ''}`,
    ],
    health,
  };
}

/** Worst first, then by name. */
export function sortDatabaseRows<T extends { readonly health: Health; readonly cells: readonly string[] }>(
  rows: readonly T[],
): T[] {
  return [...rows].sort(
    (a, b) => LEVEL_RANK[b.health] - LEVEL_RANK[a.health] || a.cells[0]!.localeCompare(b.cells[0]!),
  );
}
