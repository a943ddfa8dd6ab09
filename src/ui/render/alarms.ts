import type { Alarm, Health } from '../../core/model.js';
import { LEVEL_RANK } from '../../core/model.js';
import { formatValue } from '../../core/policy/units.js';
import { screenLine } from '../../core/sanitize.js';
import { formatDuration } from '../../core/time.js';
import type { ColumnSpec } from './columns.js';

/** The level cell says it in words and a symbol too, so nothing depends on colour. */
export const LEVEL_TEXT: Record<Health, string> = { critical: '✗ CRIT', warning: '▲ WARN', info: '● INFO', ok: '✓ OK' };

export const ALARM_COLUMNS: readonly ColumnSpec[] = [
  { header: 'LEVEL', width: 7 },
  { header: 'NAME', flex: 3, min: 18 },
  { header: 'STATE', width: 5 },
  { header: 'METRIC', flex: 2, min: 12 },
  { header: 'VALUE / THRESHOLD', width: 22, align: 'right' },
  { header: 'SINCE', width: 7, align: 'right' },
];

export function stateText(a: Alarm): string {
  return a.state === 'INSUFFICIENT_DATA' ? 'DATA?' : a.state;
}

/** The level the row shows: the alarm's own level while in ALARM, otherwise OK. */
export function rowHealth(a: Alarm): Health {
  return a.state === 'ALARM' ? a.level : 'ok';
}

export function metricText(a: Alarm): string {
  if (!a.metric) return a.kind === 'composite' ? 'composite' : '–';
  const dims = Object.values(a.metric.dimensions);
  return `${a.metric.namespace}/${a.metric.name}${dims.length ? ` ${dims[dims.length - 1]}` : ''}`;
}

/** A pure renderer: an alarm becomes the cells of its row, every outside string made inert. */
export function alarmCells(a: Alarm, now: number): string[] {
  const threshold = a.threshold === undefined ? '–' : `≥ ${formatValue(a.threshold, a.unit)}`;
  return [
    a.state === 'ALARM' ? LEVEL_TEXT[a.level] : a.state === 'OK' ? LEVEL_TEXT.ok : '? DATA',
    screenLine(a.name),
    stateText(a),
    screenLine(metricText(a)),
    `${formatValue(a.value, a.unit)} / ${threshold}`,
    formatDuration(Math.max(0, now - a.stateSince)),
  ];
}

/** Text a filter searches: name, level, state, metric and description. */
export function alarmHaystack(a: Alarm): string {
  return `${a.name} ${a.level} ${a.state} ${metricText(a)} ${a.description ?? ''}`;
}

const stateRank = (a: Alarm) => (a.state === 'ALARM' ? 0 : a.state === 'INSUFFICIENT_DATA' ? 1 : 2);

export interface SortSpec<T> {
  readonly id: string;
  readonly label: string;
  readonly compare: (a: T, b: T) => number;
}

export const ALARM_SORTS: readonly SortSpec<Alarm>[] = [
  {
    id: 'level',
    label: 'level',
    compare: (a, b) => LEVEL_RANK[rowHealth(b)] - LEVEL_RANK[rowHealth(a)] || stateRank(a) - stateRank(b) || b.stateSince - a.stateSince || a.name.localeCompare(b.name),
  },
  { id: 'name', label: 'name', compare: (a, b) => a.name.localeCompare(b.name) },
  { id: 'state', label: 'state', compare: (a, b) => a.state.localeCompare(b.state) || a.name.localeCompare(b.name) },
  { id: 'since', label: 'since', compare: (a, b) => b.stateSince - a.stateSince || a.name.localeCompare(b.name) },
];
