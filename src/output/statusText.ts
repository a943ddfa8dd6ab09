import { comparisonSign } from '../core/model.js';
import { formatValue } from '../core/policy/units.js';
import { inertLine } from '../core/sanitize.js';
import { alarmCounts, alarmHealth, sourceFailed, type StatusSnapshot } from '../core/status.js';
import { formatClock, formatDuration, relative } from '../core/time.js';
import { LEVEL_LABEL, type Style } from './style.js';
import { renderTable } from './table.js';

/**
 * Widest name and title columns: a long name from outside is cut with "…" (the whole is in --json)
 * rather than padding every row of its table to its width.
 */
const NAME_MAX = 80;
const TITLE_MAX = 100;

/** The human form of `status`: aligned sections, every outside string made inert. */
export function renderStatus(
  s: StatusSnapshot,
  style: Style,
  options: { width?: number; context?: string } = {},
): string {
  const out: string[] = [];
  const env = s.environment;
  const where = [env.label, env.account, env.region]
    .filter(Boolean)
    .map((x) => inertLine(String(x)))
    .join(' · ');
  const banner = env.production ? style.production(` ${where} `) : style.bold(where);
  out.push(`${banner}  ${formatClock(s.at)}${options.context ? `  ${style.dim(options.context)}` : ''}`);
  const failing = s.sources.filter(sourceFailed).length;
  // A source that failed is no data, never a pass: the overall is only what could be read.
  out.push(
    failing
      ? `Overall: ${style.level('critical', `? CANNOT TELL: ${failing} of ${s.sources.length} source${s.sources.length === 1 ? '' : 's'} failing`)} (what could be read: ${style.level(s.health, LEVEL_LABEL[s.health])})`
      : `Overall: ${style.level(s.health, LEVEL_LABEL[s.health])}`,
  );

  const counts = alarmCounts(s.alarms);
  // A source that failed is not "0 alarms": the counts are of what could be read, and say which is missing.
  const failedSource = (name: string) => s.sources.some((x) => x.name === name && sourceFailed(x));
  const alarmGaps = ['alarms', 'alerts'].filter(failedSource);
  out.push('');
  out.push(
    style.bold('ALARMS') +
      (alarmGaps.length && s.alarms.length === 0
        ? `  ${style.level('critical', '? unknown')}: ${alarmGaps.join(' and ')} could not be read`
        : `  ${s.alarms.length} total: ${counts.critical} critical, ${counts.warning} warning, ${counts.info} info in ALARM · ${counts.ok} OK` +
          (counts.insufficient ? ` · ${counts.insufficient} insufficient data` : '') +
          (alarmGaps.length
            ? style.level('critical', ` (without ${alarmGaps.join(' and ')}: could not be read)`)
            : '')),
  );
  const shown = s.alarms.filter((a) => a.state !== 'OK');
  // Said only when something stops an alarm's notifications: silenced, inhibited, its actions off.
  const paging = (a: (typeof shown)[number]) =>
    a.suppressed
      ? a.suppressed.series
        ? `${a.suppressed.series.suppressed}/${a.suppressed.series.of} ${a.suppressed.kind}`
        : a.suppressed.kind
      : a.actionsEnabled === false
        ? 'actions off'
        : '';
  const withPaging = shown.some((a) => paging(a) !== '');
  if (shown.length > 0) {
    const rows = shown.map((a) => [
      a.state === 'ALARM' ? LEVEL_LABEL[a.level] : '? DATA',
      inertLine(a.name),
      a.state,
      formatValue(a.value, a.unit),
      a.threshold === undefined ? '–' : `${comparisonSign(a.comparison)} ${formatValue(a.threshold, a.unit)}`,
      relative(a.stateSince, s.at),
      ...(withPaging ? [paging(a)] : []),
    ]);
    out.push(
      renderTable(
        [
          { header: 'LEVEL' },
          { header: 'ALARM', shrink: true, max: NAME_MAX },
          { header: 'STATE' },
          { header: 'VALUE', align: 'right' },
          { header: 'THRESHOLD' },
          { header: 'SINCE' },
          ...(withPaging ? [{ header: 'PAGING' }] : []),
        ],
        rows,
        {
          maxWidth: options.width,
          header: style.dim,
          paint: (r, c, cell) => (c === 0 ? style.level(alarmHealth(shown[r]!), cell) : cell),
        },
      ),
    );
  }

  out.push('');
  out.push(style.bold('SERVICES'));
  if (s.services.length === 0) out.push('  none reported');
  else
    out.push(
      renderTable(
        [
          { header: 'SERVICE', max: NAME_MAX },
          { header: 'STATE' },
          { header: 'RUNNING', align: 'right' },
          { header: 'PENDING', align: 'right' },
          { header: 'TASK DEFINITION', shrink: true, max: NAME_MAX },
          { header: 'SCALING' },
        ],
        s.services.map(({ service: v, condition }) => [
          inertLine(v.name),
          condition,
          `${v.running}/${v.desired}`,
          String(v.pending),
          inertLine(v.taskDefinition.replace(/^.*task-definition\//, '')),
          v.scaling ? `${v.scaling.min}–${v.scaling.max}` : '–',
        ]),
        {
          maxWidth: options.width,
          header: style.dim,
          paint: (r, c, cell) => (c === 1 ? style.level(s.services[r]!.health, cell) : cell),
        },
      ),
    );

  if (s.databases.length > 0) {
    out.push('');
    out.push(style.bold('DATABASES'));
    out.push(
      renderTable(
        [
          { header: 'DATABASE', max: NAME_MAX },
          { header: 'LEVEL' },
          { header: 'STATE', max: 24 },
          { header: 'CONNECTIONS', align: 'right' },
          { header: 'CONN', align: 'right' },
          { header: 'STORAGE', align: 'right' },
          { header: 'CLASS', shrink: true, max: NAME_MAX },
        ],
        s.databases.map(({ database: d, share, health }) => [
          inertLine(d.id),
          LEVEL_LABEL[health],
          inertLine(d.status),
          d.connections === undefined ? 'no data' : `${d.connections}/${d.maxConnections ?? '?'}`,
          share === undefined ? '–' : `${Math.round(share * 100)} %`,
          // Storage is its own fact: a disk at 90 % must not hide behind a connection share.
          d.storageUsedPercent === undefined
            ? 'no data'
            : `${d.storageUsedPercent} %${d.allocatedGiB === undefined ? '' : ` of ${d.allocatedGiB} GiB`}`,
          inertLine(`${d.engine} ${d.instanceClass}${d.multiAz ? ' Multi-AZ' : ''}`),
        ]),
        {
          maxWidth: options.width,
          header: style.dim,
          paint: (r, c, cell) => (c === 1 ? style.level(s.databases[r]!.health, cell) : cell),
        },
      ),
    );
  }

  out.push('');
  out.push(
    style.bold('INCIDENTS') +
      (failedSource('incidents')
        ? `  ${style.level('critical', '? unknown')}: the incident source could not be read`
        : `  ${s.incidents.length} open`),
  );
  if (s.incidents.length > 0)
    out.push(
      renderTable(
        [
          { header: 'PRI' },
          { header: 'ID', max: 24 },
          { header: 'STATUS' },
          { header: 'AGE', align: 'right' },
          { header: 'ASSIGNEE', max: 40 },
          { header: 'NEXT ESCALATION' },
          { header: 'TITLE', shrink: true, max: TITLE_MAX },
        ],
        s.incidents.map(({ incident: i, nextEscalation }) => [
          i.priority ?? '–',
          inertLine(i.number !== undefined ? `#${i.number}` : i.id),
          i.status,
          formatDuration(s.at - i.createdAt),
          inertLine(i.assignees.map((p) => p.name).join(', ') || '–'),
          nextEscalation
            ? `${relative(nextEscalation.at, s.at)} → ${nextEscalation.toRole}`
            : i.status === 'acknowledged'
              ? 'acknowledged'
              : '–',
          inertLine(i.title),
        ]),
        {
          maxWidth: options.width,
          header: style.dim,
          paint: (r, c, cell) => (c === 0 ? style.level(s.incidents[r]!.health, cell) : cell),
        },
      ),
    );

  out.push('');
  out.push(style.bold('ON CALL'));
  if (s.onCall.length === 0) out.push('  unknown');
  else
    out.push(
      renderTable(
        [{ header: 'LEVEL', align: 'right' }, { header: 'ROLE' }, { header: 'WHO', max: 40 }, { header: 'UNTIL' }],
        s.onCall.map((o) => [String(o.level), o.role, inertLine(o.person.name), o.end ? formatClock(o.end) : '–']),
        { header: style.dim },
      ),
    );

  const failed = s.sources.filter(sourceFailed);
  if (failed.length > 0) {
    out.push('');
    out.push(style.level('critical', 'SOURCES FAILING'));
    for (const f of failed) out.push(`  ${inertLine(f.name)}: ${inertLine(f.error)}`);
  }
  return `${out.join('\n')}\n`;
}
