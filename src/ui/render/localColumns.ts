import type { MessageKey, Translate } from '../../core/i18n/index.js';
import { displayWidth } from '../../output/table.js';
import type { ColumnSpec } from './columns.js';

/**
 * Column headers in the cockpit's language. The column tables keep their English headers (the specs stay
 * as they were written); a header is looked up here and its column widened to fit the translated word
 * (a kanji is two cells: "優先" needs 4 where "PRI" took 3). A header missing here stays as written
 * (test/unit/i18n.test.ts checks every table's headers are here).
 */
export const HEADER_KEYS: Readonly<Record<string, MessageKey>> = {
  LEVEL: 'col.level',
  NAME: 'col.name',
  STATE: 'col.state',
  SOURCE: 'col.source',
  PAGING: 'col.paging',
  'VALUE / THRESHOLD': 'col.valueThreshold',
  SINCE: 'col.since',
  SERVICE: 'col.service',
  RUNNING: 'col.running',
  DEPLOYMENT: 'col.deployment',
  DATABASE: 'col.database',
  STORAGE: 'col.storage',
  PRI: 'col.priority',
  ID: 'col.id',
  STATUS: 'col.status',
  AGE: 'col.age',
  ASSIGNEE: 'col.assignee',
  ESCALATES: 'col.escalates',
  TITLE: 'col.title',
  CLUSTER: 'col.cluster',
  TASKS: 'col.tasks',
  PEND: 'col.pending',
  'TASK DEF': 'col.taskDef',
  'LAST EVENT': 'col.lastEvent',
  'RESPOND BY': 'col.respondBy',
  CONN: 'col.conn',
  'STORAGE · CONNECTIONS': 'col.storageConnections',
  ROLLOUT: 'col.rollout',
  'TASK DEFINITION': 'col.taskDefinition',
  'RUN/DES': 'col.runDes',
};

/** A header in the language `t` speaks. */
export function headerText(header: string, t: Translate): string {
  const key = HEADER_KEYS[header];
  return key ? t(key) : header;
}

const cache = new WeakMap<readonly ColumnSpec[], Map<string, readonly ColumnSpec[]>>();

/** The columns with their headers translated; the same array for the same columns and language (memoised rows stay). */
export function localColumns(columns: readonly ColumnSpec[], t: Translate): readonly ColumnSpec[] {
  if (t.lang === 'en') return columns;
  let byLang = cache.get(columns);
  if (!byLang) cache.set(columns, (byLang = new Map()));
  let out = byLang.get(t.lang);
  if (!out) {
    out = columns.map((c) => {
      const header = headerText(c.header, t);
      const need = displayWidth(header);
      return c.width !== undefined && c.width < need ? { ...c, header, width: need } : { ...c, header };
    });
    byLang.set(t.lang, out);
  }
  return out;
}
