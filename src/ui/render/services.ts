import type { Service } from '../../core/model.js';
import { safe, screenLine, type Safe } from '../../core/sanitize.js';
import { serviceCondition } from '../../core/status.js';
import { formatDuration } from '../../core/time.js';
import type { SortSpec } from './alarms.js';
import type { ColumnSpec } from './columns.js';
import { EN, type Translate } from '../../core/i18n/index.js';
import type { ServiceCondition } from '../../core/status.js';

/** A service's condition in words. */
export function conditionText(condition: ServiceCondition, t: Translate = EN): string {
  return t(`service.${condition}`);
}

export const SERVICE_COLUMNS: readonly ColumnSpec[] = [
  { header: 'SERVICE', flex: 2, min: 14, cut: 'middle' },
  { header: 'CLUSTER', flex: 1, min: 10, drop: 1 },
  { header: 'STATE', width: 17 },
  { header: 'TASKS', width: 7, align: 'right' },
  { header: 'PEND', width: 4, align: 'right', drop: 2 },
  // The revision at its end is often the clue (a bad deploy): cut in the middle.
  { header: 'TASK DEF', flex: 1, min: 12, cut: 'middle' },
  { header: 'LAST EVENT', flex: 3, min: 16, drop: 3 },
];

export function shortTaskDefinition(arn: string): string {
  return arn.replace(/^.*task-definition\//, '');
}

export function serviceCells(s: Service, now: number, t: Translate = EN): Safe[] {
  const { condition } = serviceCondition(s);
  const last = s.events[0];
  return [
    screenLine(s.name),
    screenLine(s.cluster),
    safe`${conditionText(condition, t)}`,
    safe`${s.running}/${s.desired}`,
    safe`${s.pending}`,
    screenLine(shortTaskDefinition(s.taskDefinition)),
    last
      ? safe`${formatDuration(Math.max(0, now - last.at), t.lang)} ${screenLine(last.message.replace(/^\(service [^)]*\) /, ''))}`
      : safe`–`,
  ];
}

export function serviceHaystack(s: Service): string {
  return `${s.name} ${s.cluster} ${serviceCondition(s).condition} ${s.taskDefinition}`;
}

const HEALTH_RANK = { critical: 0, warning: 1, info: 2, ok: 3 } as const;

export const SERVICE_SORTS: readonly SortSpec<Service>[] = [
  {
    id: 'health',
    label: 'health',
    compare: (a, b) =>
      HEALTH_RANK[serviceCondition(a).health] - HEALTH_RANK[serviceCondition(b).health] || a.name.localeCompare(b.name),
  },
  { id: 'name', label: 'name', compare: (a, b) => a.name.localeCompare(b.name) },
  { id: 'tasks', label: 'tasks', compare: (a, b) => b.running - a.running || a.name.localeCompare(b.name) },
];
