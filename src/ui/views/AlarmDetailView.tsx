import { comparisonSign } from '../../core/model.js';
import { Box } from 'ink';
import { Text } from '../components/SafeText.js';
import React from 'react';
import type { Alarm } from '../../core/model.js';
import type { AlarmDetailData } from '../../core/live/detail.js';
import { unavailableReason, type Snapshot } from '../../core/live/poller.js';
import { formatValue } from '../../core/policy/units.js';
import { inLanguage } from '../../core/lang.js';
import { screenLine, screenText, safe } from '../../core/sanitize.js';
import { formatClock, formatDuration } from '../../core/time.js';
import { Chart } from '../components/Charts.js';
import { Link } from '../components/Link.js';
import { alarmConsoleUrl } from '../../core/links.js';
import {
  LEVEL_TEXT,
  metricText,
  pagingSentence,
  rowHealth,
  sourceText,
  stateText,
  type MutedAlarms,
} from '../render/alarms.js';
import type { Theme } from '../theme.js';

export interface AlarmDetailProps {
  readonly alarm: Alarm;
  readonly detail: Snapshot<AlarmDetailData>;
  /** The runbook that matches this alarm, as a line to show ("id — title"), if runbooks are loaded. */
  readonly runbook?: string;
  /** CloudWatch alarms muted through this program, and until when. */
  readonly muted?: MutedAlarms;
  readonly now: number;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  /** Whether the name is drawn as a link to the alarm's console page (OSC 8). @default false */
  readonly links?: boolean;
}

/** Lines of an alarm's description and of its state reason the detail shows at most. */
const DESCRIPTION_LINES = 6;
const REASON_LINES = 3;

/** One alarm: what it watches, why it is in its state, its metric over 3 hours against the threshold, its history. */
export function AlarmDetailView({
  alarm: a,
  detail,
  runbook,
  muted,
  now,
  width,
  height,
  theme,
  links = false,
}: AlarmDetailProps): React.ReactElement {
  const health = rowHealth(a);
  const data = detail.data;
  const dims = a.metric ? Object.entries(a.metric.dimensions) : [];
  const chartHeight = Math.max(4, Math.min(10, height - 20));
  const paging = pagingSentence(a, muted);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text
          color={theme.level[health]}
          bold
        >{safe`${a.state === 'ALARM' ? LEVEL_TEXT[a.level] : LEVEL_TEXT.ok} `}</Text>
        <Link bold label={screenLine(a.name)} url={alarmConsoleUrl(a)} on={links} />
        <Text
          color={theme.muted}
        >{safe`  ${stateText(a)} for ${formatDuration(Math.max(0, now - a.stateSince))} · raises ${a.level}`}</Text>
      </Text>
      {/* Wrapped outside text is cut to what the box can show (sanitize.ts, forScreen): Ink wraps whole strings. */}
      {a.description ? (
        <Text wrap="wrap">{screenText(inLanguage(a.description), width * DESCRIPTION_LINES)}</Text>
      ) : null}
      <Text wrap="wrap" color={paging ? theme.level.warning : theme.muted}>
        {safe`from ${sourceText(a)} · ${paging ? screenLine(paging) : a.actions.length ? `notifies ${screenLine(a.actions.join(', '))}` : 'no notification of its own'}`}
      </Text>
      <Text wrap="wrap" color={theme.muted}>{safe`reason: ${screenLine(a.reason ?? '–', width * REASON_LINES)}`}</Text>
      <Text wrap="truncate-end">
        {safe`metric ${screenLine(metricText(a))}${a.metric?.statistic ? ` (${a.metric.statistic})` : ''} · value ${formatValue(a.value, a.unit)} · threshold ${comparisonSign(a.comparison)} ${formatValue(a.threshold, a.unit)} · ${a.evaluationPeriods ?? '?'}×${a.periodSeconds ?? '?'}s, ${a.datapointsToAlarm ?? a.evaluationPeriods ?? '?'} to alarm`}
      </Text>
      <Text
        wrap="truncate-end"
        color={theme.muted}
      >{safe`${dims.length ? `dimensions ${dims.map(([k, v]) => `${screenLine(k)}=${screenLine(v)}`).join('  ')}` : 'no dimensions'}`}</Text>
      <Text wrap="truncate-end">
        <Text bold>{safe`runbook `}</Text>
        {runbook ? screenLine(runbook) : <Text color={theme.muted}>{safe`none matches`}</Text>}
        <Text color={theme.muted}>{safe`${runbook ? '   (r opens the incident room)' : ''}`}</Text>
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>{safe`last 3 hours`}</Text>
        {data ? (
          <>
            <Chart
              points={data.series}
              threshold={data.threshold}
              unit={data.unit}
              width={width}
              height={chartHeight}
              theme={theme}
              level={health}
            />
            {data.note ? <Text color={theme.muted}>{safe`${data.note}`}</Text> : null}
          </>
        ) : (
          <Text
            color={theme.muted}
          >{safe`${detail.health.state === 'loading' ? 'loading…' : `unavailable: ${screenLine(unavailableReason(detail.health) ?? '')}`}`}</Text>
        )}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>{safe`state history`}</Text>
        {(data?.history ?? []).map((h, i) => (
          <Text key={`${h.at}-${i}`} wrap="truncate-end">
            <Text color={theme.muted}>{safe`${formatClock(h.at)}  `}</Text>
            {safe`${h.from} → ${h.to}  `}
            <Text color={theme.muted}>{screenLine(h.reason)}</Text>
          </Text>
        ))}
        {data && data.history.length === 0 ? (
          <Text color={theme.muted}>{safe`no state changes in the last 7 days`}</Text>
        ) : null}
      </Box>
    </Box>
  );
}
