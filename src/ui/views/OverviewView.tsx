import { Box } from 'ink';
import { Text } from '../components/SafeText.js';
import React from 'react';
import { alarmCountsKnown, type LiveSnapshot } from '../../core/live/model.js';
import type { Snapshot } from '../../core/live/poller.js';
import type { Policy } from '../../core/policy/types.js';
import { screenLine, safe } from '../../core/sanitize.js';
import { alarmCounts, connectionsWarningShare, serviceCondition, storageThresholds } from '../../core/status.js';
import { Sparkline } from '../components/Charts.js';
import { SourceLine } from '../components/Chrome.js';
import { fitRow, layoutColumns, truncateMiddle, type ColumnSpec } from '../render/columns.js';
import { alarmCells, ALARM_SORTS, levelText } from '../render/alarms.js';
import { DATABASE_HEADERS, databaseRow, sortDatabaseRows } from '../render/databases.js';
import { headerText } from '../render/localColumns.js';
import type { Translate } from '../../core/i18n/index.js';

/** A deployment's rollout state in words ("completed", "in progress", "failed"). */
function rolloutText(state: string, t: Translate): string {
  if (state === 'COMPLETED') return t('rollout.completed');
  if (state === 'IN_PROGRESS') return t('rollout.inProgress');
  if (state === 'FAILED') return t('rollout.failed');
  return state.toLowerCase().replace('_', ' ');
}
import { escalationText, incidentLabel, statusText } from '../render/incidents.js';
import { formatDuration } from '../../core/time.js';
import type { Theme } from '../theme.js';
import type { OverviewRow } from '../../core/cockpit/state.js';
import { useT } from '../hooks/useT.js';
import { localColumns } from '../render/localColumns.js';
import { conditionText } from '../render/services.js';

export interface OverviewProps {
  readonly live: LiveSnapshot;
  readonly policy: Policy;
  readonly theme: Theme;
  readonly width: number;
  readonly height: number;
  /** Real time, for the sources' freshness (the sandbox's clock is simulated). */
  readonly wallNow: number;
  /** The row under the cursor (an alarm in ALARM or an open incident): marked, and kept in view. */
  readonly selected?: OverviewRow;
}

/** The first of `shown` rows to show so that the row at `at` is among them. */
function windowStart(at: number, shown: number): number {
  return at >= shown ? at - shown + 1 : 0;
}

function Section(props: {
  readonly title: string;
  readonly theme: Theme;
  readonly note?: string;
  readonly compact?: boolean;
  readonly children: React.ReactNode;
}): React.ReactElement {
  return (
    <Box flexDirection="column" marginTop={props.compact ? 0 : 1} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text bold color={props.theme.title}>
          {safe`${props.title}`}
        </Text>
        <Text color={props.theme.muted}>{safe`${props.note ? `  ${props.note}` : ''}`}</Text>
      </Text>
      {props.children}
    </Box>
  );
}

const SERVICE_COLS: readonly ColumnSpec[] = [
  { header: 'SERVICE', flex: 2, min: 14, cut: 'middle' },
  { header: 'STATE', width: 17 },
  { header: 'RUNNING', width: 7, align: 'right' },
  // "completed vitascope-api:42": the revision at the end is the clue, so the cut is in the middle.
  { header: 'DEPLOYMENT', flex: 2, min: 14, cut: 'middle' },
];
/** The databases under the services, in the same widths; their last cell is a sentence, cut at its end. */
const DATABASE_COLS: readonly ColumnSpec[] = SERVICE_COLS.map(({ cut: _cut, ...c }) => c);

/** A source the configuration does not have (a PagerDuty-only setup has no databases) is not listed. */
function configuredSource(s: Snapshot<unknown>): boolean {
  return s.data !== undefined || s.health.state !== 'unconfigured';
}

const INCIDENT_COLS: readonly ColumnSpec[] = [
  { header: 'PRI', width: 3 },
  { header: 'ID', width: 8 },
  { header: 'STATUS', width: 12 },
  { header: 'AGE', width: 6, align: 'right', drop: 3 },
  { header: 'ASSIGNEE', width: 16, drop: 1 },
  { header: 'ESCALATES', width: 16, drop: 2 },
  { header: 'TITLE', flex: 1, min: 24 },
];

/** "Is Vitascope OK right now, and what needs me?" — everything at a glance. */
export function OverviewView({
  live,
  policy,
  theme,
  width,
  height,
  wallNow,
  selected,
}: OverviewProps): React.ReactElement {
  const now = live.now;
  const t = useT();
  const serviceCols = localColumns(SERVICE_COLS, t);
  const databaseCols = localColumns(DATABASE_COLS, t);
  const incidentCols = localColumns(INCIDENT_COLS, t);
  // Fit the screen: fixed lines (titles, sparklines, on call, sources) take ~16 rows with spacing;
  // the rest goes to alarms, services and incidents. Below 34 rows the blank lines between sections go.
  const compact = height < 34;
  const databases = sortDatabaseRows(
    (live.databases.data ?? []).map((db) =>
      databaseRow(db, connectionsWarningShare(policy), storageThresholds(policy), t),
    ),
  ).slice(0, 2);
  const spare = Math.max(3, height - (compact ? 12 : 18) - (databases.length ? databases.length + 1 : 0));
  const TOP = Math.max(1, Math.min(5, Math.floor(spare / 3)));
  const SERVICES_SHOWN = Math.max(1, Math.min(6, Math.floor(spare / 3)));
  const alarms = live.alarms.data ?? [];
  const counts = alarmCounts(alarms);
  // Never "0 in ALARM" for alarms nobody could read.
  const alarmsUnknown = alarmCountsKnown(live.alarms) === 'unknown';
  const alarmsUnconfigured = live.alarms.health.state === 'unconfigured';
  const firing = alarms.filter((a) => a.state === 'ALARM').sort(ALARM_SORTS[0]!.compare);
  const services = live.services.data ?? [];
  const open = (live.incidents.data ?? []).filter((i) => i.status !== 'resolved');
  const onCall = live.onCall.data?.now ?? [];
  const p95Rule = policy.rules.find((r) => r.id === 'api-latency-p95');
  const errRule = policy.rules.find((r) => r.id === 'error-rate');
  const alarmAt = selected?.list === 'alarms' ? firing.findIndex((a) => a.id === selected.id) : -1;
  const incidentAt = selected?.list === 'incidents' ? open.findIndex((i) => i.id === selected.id) : -1;
  const alarmFrom = windowStart(alarmAt, TOP);
  const incidentFrom = windowStart(incidentAt, TOP);
  const half = Math.max(20, Math.floor((width - 6) / 2));
  const sWidths = layoutColumns(serviceCols, width - 2);
  const iWidths = layoutColumns(incidentCols, width - 2);
  return (
    <Box flexDirection="column">
      <Section
        title={t('overview.alarms')}
        compact={compact}
        theme={theme}
        note={
          alarmsUnknown
            ? alarmsUnconfigured
              ? t('overview.alarmsUnconfigured')
              : t('overview.alarmsFailed')
            : `${t('overview.alarmsInAll', { all: alarms.length, ok: counts.ok })}${counts.insufficient ? t('overview.insufficient', { n: counts.insufficient }) : ''}`
        }
      >
        {alarmsUnknown ? (
          <Text color={theme.level.critical}>{safe`  ${t('overview.noAlarmRead')}`}</Text>
        ) : (
          <Text>
            <Text color={theme.level.critical}>{safe`${levelText('critical', t)} ${counts.critical}`}</Text>
            {safe`   `}
            <Text color={theme.level.warning}>{safe`${levelText('warning', t)} ${counts.warning}`}</Text>
            {safe`   `}
            <Text color={theme.level.info}>{safe`${levelText('info', t)} ${counts.info}`}</Text>
          </Text>
        )}
        {firing.slice(alarmFrom, alarmFrom + TOP).map((a) => {
          const cells = alarmCells(a, now, undefined, t);
          const on = a.id === selected?.id;
          return (
            <Text key={a.id} wrap="truncate-end" inverse={on}>
              <Text color={theme.level[a.level]}>{safe`${on ? '›' : ' '} ${cells[0] ?? ''}`}</Text>
              {safe`  ${truncateMiddle(cells[1] ?? '', Math.max(20, Math.floor(width * 0.45)))}  ${cells[5] ?? ''}  ${t('overview.since', { duration: cells[6] ?? '' })}${cells[4] ? `  (${cells[4]})` : ''}`}
            </Text>
          );
        })}
        {firing.length > TOP ? (
          <Text color={theme.muted}>{safe`  ${t('overview.moreInAlarm', { n: firing.length - TOP })}`}</Text>
        ) : null}
        {firing.length === 0 && live.alarms.data ? (
          <Text color={theme.ok}>{safe`  ${t('overview.nothingInAlarm')}`}</Text>
        ) : null}
      </Section>

      <Section
        title={t('overview.services')}
        compact={compact}
        theme={theme}
        note={services.length > SERVICES_SHOWN ? t('overview.servicesInAll', { n: services.length }) : undefined}
      >
        <Text color={theme.muted}>{safe`  ${fitRow(
          serviceCols.map((c) => c.header),
          sWidths,
          serviceCols,
        )}`}</Text>
        {[...services]
          .map((s) => ({ s, c: serviceCondition(s) }))
          .sort((a, b) =>
            a.c.health === b.c.health
              ? a.s.name.localeCompare(b.s.name)
              : a.c.health === 'critical'
                ? -1
                : b.c.health === 'critical'
                  ? 1
                  : a.c.health === 'warning'
                    ? -1
                    : 1,
          )
          .slice(0, SERVICES_SHOWN)
          .map(({ s, c }) => {
            const primary = s.deployments.find((d) => d.status === 'PRIMARY');
            const deployment = primary
              ? `${rolloutText(primary.rolloutState, t)} ${primary.taskDefinition.replace(/^.*\//, '')}`
              : '–';
            return (
              <Text key={s.id} wrap="truncate-end" color={theme.level[c.health]}>
                {safe`  ${fitRow([screenLine(s.name), `${t(`level.initial.${c.health}`)} ${conditionText(c.condition, t)}`, `${s.running}/${s.desired}`, screenLine(deployment)], sWidths, serviceCols)}`}
              </Text>
            );
          })}
        {databases.length ? (
          <Text color={theme.muted}>{safe`  ${fitRow(
            DATABASE_HEADERS.map((h) => headerText(h, t)),
            sWidths,
            databaseCols,
          )}`}</Text>
        ) : null}
        {databases.map((row) => (
          <Text key={row.cells[0]} wrap="truncate-end" color={theme.level[row.health]}>
            {safe`  ${fitRow(row.cells, sWidths, databaseCols)}`}
          </Text>
        ))}
      </Section>

      <Section title={t('overview.api')} compact={compact} theme={theme} note={t('overview.apiNote')}>
        <Box>
          <Box width={half} marginRight={2}>
            <Sparkline
              label={t('overview.p95')}
              points={live.trends.data?.p95 ?? []}
              source={live.trends.data?.from.p95}
              note={live.trends.data?.notes.p95}
              unit="milliseconds"
              warning={p95Rule?.thresholds.warning}
              critical={p95Rule?.thresholds.critical}
              width={half - 2}
              theme={theme}
            />
          </Box>
          <Box width={half}>
            <Sparkline
              label={t('overview.errorRate')}
              points={live.trends.data?.errorRate ?? []}
              source={live.trends.data?.from.errorRate}
              note={live.trends.data?.notes.errorRate}
              unit="percent"
              warning={errRule?.thresholds.warning}
              critical={errRule?.thresholds.critical}
              width={half - 2}
              theme={theme}
            />
          </Box>
        </Box>
      </Section>

      <Section
        title={t('overview.incidents')}
        compact={compact}
        theme={theme}
        note={t('overview.open', { n: open.length })}
      >
        {open.length ? (
          <Text color={theme.muted}>{safe`  ${fitRow(
            incidentCols.map((c) => c.header),
            iWidths,
            incidentCols,
          )}`}</Text>
        ) : (
          <Text color={theme.ok}>{safe`  ${t('overview.noneOpen')}`}</Text>
        )}
        {open.slice(incidentFrom, incidentFrom + TOP).map((i) => (
          <Text
            key={i.id}
            wrap="truncate-end"
            inverse={i.id === selected?.id}
            color={i.priority === 'P1' || i.priority === 'P2' ? theme.level.critical : theme.level.warning}
          >
            {safe`${i.id === selected?.id ? '›' : ' '} ${fitRow(
              [
                i.priority ?? '–',
                screenLine(incidentLabel(i)),
                statusText(i, t),
                formatDuration(Math.max(0, now - i.createdAt), t.lang),
                screenLine(i.assignees.map((p) => p.name).join(', ') || '–'),
                escalationText(i, policy, now, t),
                screenLine(i.title),
              ],
              iWidths,
              incidentCols,
            )}`}
          </Text>
        ))}
        {open.length > TOP ? (
          <Text color={theme.muted}>{safe`  ${t('overview.moreIncidents', { n: open.length - TOP })}`}</Text>
        ) : null}
      </Section>

      <Section title={t('overview.onCall')} compact={compact} theme={theme}>
        <Text wrap="truncate-end">
          {safe`${onCall.length === 0 ? `  ${t('overview.onCallUnknown')}` : `  ${onCall.map((o) => `${t(`role.${o.role}`)} ${screenLine(o.person.name)}`).join('   ·   ')}`}`}
        </Text>
      </Section>

      <Section title={t('overview.sources')} compact={compact} theme={theme}>
        <SourceLine
          snapshots={[live.alarms, live.services, live.databases, live.incidents, live.onCall, live.trends].filter(
            configuredSource,
          )}
          now={wallNow}
          theme={theme}
        />
      </Section>
    </Box>
  );
}
