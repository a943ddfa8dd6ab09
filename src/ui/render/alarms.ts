import { comparisonSign } from '../../core/model.js';
import type { Alarm, AlarmOrigin, Health } from '../../core/model.js';
import type { DisabledActions } from '../../core/live/alarmActionsTimer.js';
import { LEVEL_RANK } from '../../core/model.js';
import { formatValue } from '../../core/policy/units.js';
import { safe, screenLine, type Safe } from '../../core/sanitize.js';
import { formatClock, formatDuration } from '../../core/time.js';
import type { ColumnSpec } from './columns.js';
import { EN, type Translate } from '../../core/i18n/index.js';

/** The level cell says it in words and a symbol too, so nothing depends on colour. */
export const LEVEL_TEXT: Record<Health, string> = { critical: '✗ CRIT', warning: '▲ WARN', info: '● INFO', ok: '✓ OK' };

/** The level in words and a symbol in the cockpit's language (six cells in each: "✗ 重大"). */
export function levelText(level: Health, t: Translate = EN): string {
  return t(`level.${level}`);
}

/**
 * The alarm list's columns. The metric is left to the detail view (and the filter): the names already say
 * the resource, and what matters in the list is the state, where it comes from and whether it pages.
 */
export const ALARM_COLUMNS: readonly ColumnSpec[] = [
  { header: 'LEVEL', width: 7 },
  // At least 26 columns: below that every name reads `vitascope-…`; PAGING and SOURCE go first.
  { header: 'NAME', flex: 3, min: 26, cut: 'middle' },
  { header: 'STATE', width: 5 },
  { header: 'SOURCE', width: 7, drop: 1 },
  { header: 'PAGING', width: 12, drop: 2 },
  { header: 'VALUE / THRESHOLD', width: 22, align: 'right' },
  { header: 'SINCE', width: 7, align: 'right', drop: 3 },
];

export function stateText(a: Alarm, t: Translate = EN): string {
  return t(
    a.state === 'INSUFFICIENT_DATA' ? 'alarm.stateNoData' : a.state === 'ALARM' ? 'alarm.stateAlarm' : 'alarm.stateOk',
  );
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

const ORIGIN_TEXT: Record<AlarmOrigin, string> = { cloudwatch: 'CW', prometheus: 'PROM', alertmanager: 'AM' };

/** Where the row comes from: CW, PROM, AM, or PROM+AM for a rule whose alerts Alertmanager holds. */
export function sourceText(a: Alarm): string {
  return a.origins?.length ? a.origins.map((o) => ORIGIN_TEXT[o]).join('+') : '–';
}

/** Alarms whose actions the journal says are disabled, by name (what the cockpit's timer knows). */
export type MutedAlarms = ReadonlyMap<string, DisabledActions>;

/**
 * Whether anyone is paged for it, when the answer is "no" or "not all": silenced or inhibited in
 * Alertmanager (per series for a rule), or a CloudWatch alarm whose actions are off (until when, when
 * the journal says). Empty when nothing stops its notifications.
 */
export function pagingText(a: Alarm, muted?: MutedAlarms, now?: number, t: Translate = EN): string {
  const s = a.suppressed;
  const kind = t(s?.kind === 'silenced' ? 'alarm.silenced' : 'alarm.inhibited');
  if (s) return s.series ? `${s.series.suppressed}/${s.series.of} ${kind}` : kind;
  if (a.actionsEnabled === false) {
    const m = muted?.get(a.name);
    if (!m || now === undefined) return t('alarm.actionsOff');
    return m.until > now
      ? t('alarm.offFor', { duration: formatDuration(m.until - now, t.lang) })
      : t('alarm.offOverdue');
  }
  return '';
}

/** The same in a sentence, for the detail view. */
export function pagingSentence(a: Alarm, muted?: MutedAlarms): string | undefined {
  const s = a.suppressed;
  if (s) {
    const which = s.series ? `${s.series.suppressed} of its ${s.series.of} firing series are` : 'it is';
    return `${which} ${s.kind} in Alertmanager (${s.kind === 'silenced' ? 'silence' : 'inhibited by'} ${s.by.join(', ')}): no notification is sent for ${s.series ? 'those' : 'it'}`;
  }
  if (a.actionsEnabled === false) {
    const m = muted?.get(a.name);
    const when = m
      ? ` until ${formatClock(m.until)} (${m.duration} by ${m.by}: "${m.reason}"${m.error ? `; re-enabling failed: ${m.error}` : ''})`
      : ' (not by this program, or before its journal: nothing will re-enable them)';
    return `actions disabled${when}: it changes state and pages nobody`;
  }
  return undefined;
}

/** A value as formatValue says it, a yes/no signal's words ("ok", "failing") in the cockpit's language. */
function valueText(value: number | undefined, unit: Alarm['unit'], t: Translate): string {
  if (unit === 'boolean' && value !== undefined && Number.isFinite(value))
    return t(value >= 1 ? 'value.failing' : 'value.ok');
  return formatValue(value, unit);
}

/** A pure renderer: an alarm becomes the cells of its row, every outside string made inert. */
export function alarmCells(a: Alarm, now: number, muted?: MutedAlarms, t: Translate = EN): Safe[] {
  const threshold =
    a.threshold === undefined ? '–' : `${comparisonSign(a.comparison)} ${valueText(a.threshold, a.unit, t)}`;
  return [
    safe`${a.state === 'ALARM' ? levelText(a.level, t) : a.state === 'OK' ? levelText('ok', t) : t('level.noData')}`,
    screenLine(a.name),
    safe`${stateText(a, t)}`,
    safe`${sourceText(a)}`,
    screenLine(pagingText(a, muted, now, t)),
    safe`${valueText(a.value, a.unit, t)} / ${threshold}`,
    safe`${formatDuration(Math.max(0, now - a.stateSince), t.lang)}`,
  ];
}

/** Text a filter searches: name, level, state, source, paging, metric and description. */
export function alarmHaystack(a: Alarm): string {
  return `${a.name} ${a.level} ${a.state} ${sourceText(a)} ${pagingText(a)} ${metricText(a)} ${a.description ?? ''}`;
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
    compare: (a, b) =>
      LEVEL_RANK[rowHealth(b)] - LEVEL_RANK[rowHealth(a)] ||
      stateRank(a) - stateRank(b) ||
      b.stateSince - a.stateSince ||
      a.name.localeCompare(b.name),
  },
  { id: 'name', label: 'name', compare: (a, b) => a.name.localeCompare(b.name) },
  { id: 'state', label: 'state', compare: (a, b) => a.state.localeCompare(b.state) || a.name.localeCompare(b.name) },
  { id: 'since', label: 'since', compare: (a, b) => b.stateSince - a.stateSince || a.name.localeCompare(b.name) },
];
