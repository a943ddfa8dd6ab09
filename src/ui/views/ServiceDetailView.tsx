import { Box } from 'ink';
import { Text } from '../components/SafeText.js';
import React from 'react';
import type { TrendData } from '../../core/live/model.js';
import type { Snapshot } from '../../core/live/poller.js';
import type { Service } from '../../core/model.js';
import type { Policy } from '../../core/policy/types.js';
import { screenLine, safe } from '../../core/sanitize.js';
import { serviceCondition } from '../../core/status.js';
import { formatClock, formatDuration } from '../../core/time.js';
import { fitRow, layoutColumns, type ColumnSpec } from '../render/columns.js';
import { shortTaskDefinition } from '../render/services.js';
import { Sparkline } from '../components/Charts.js';
import { Link } from '../components/Link.js';
import { serviceConsoleUrl } from '../../core/links.js';
import type { Theme } from '../theme.js';

const DEPLOY_COLS: readonly ColumnSpec[] = [
  { header: 'STATUS', width: 8 },
  { header: 'ROLLOUT', width: 12 },
  { header: 'TASK DEFINITION', flex: 1, min: 16 },
  { header: 'RUN/DES', width: 8, align: 'right' },
  { header: 'PEND', width: 4, align: 'right' },
  { header: 'AGE', width: 7, align: 'right' },
];

/**
 * The service's app signals over the last hour, each figure with its source: Prometheus (its own
 * series, job = the service's name) first, CloudWatch's Vitascope/API for the API itself otherwise.
 */
function Signals(props: {
  readonly signals?: Snapshot<TrendData>;
  readonly policy?: Policy;
  readonly width: number;
  readonly theme: Theme;
}): React.ReactElement | null {
  const { signals, theme } = props;
  if (!signals) return null;
  const data = signals.data;
  const half = Math.max(20, Math.floor((props.width - 4) / 2));
  const rule = (id: string) => props.policy?.rules.find((r) => r.id === id)?.thresholds;
  if (!data)
    return (
      <Text
        color={theme.muted}
      >{safe`${signals.health.error ? `app signals: ${signals.health.error}` : 'app signals: loading…'}`}</Text>
    );
  return (
    <Box>
      <Box width={half} marginRight={2}>
        <Sparkline
          label="p95 latency"
          points={data.p95}
          source={data.from.p95}
          note={data.notes.p95 ?? 'no source for this service'}
          unit="milliseconds"
          warning={rule('api-latency-p95')?.warning}
          critical={rule('api-latency-p95')?.critical}
          width={half - 2}
          theme={theme}
        />
      </Box>
      <Box width={half}>
        <Sparkline
          label="error rate"
          points={data.errorRate}
          source={data.from.errorRate}
          note={data.notes.errorRate ?? 'no source for this service'}
          unit="percent"
          warning={rule('error-rate')?.warning}
          critical={rule('error-rate')?.critical}
          width={half - 2}
          theme={theme}
        />
      </Box>
    </Box>
  );
}

/** One ECS service: its app signals, its tasks, its deployments and its recent events. */
export function ServiceDetailView(props: {
  readonly service: Service;
  readonly signals?: Snapshot<TrendData>;
  readonly policy?: Policy;
  readonly now: number;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  /** Whether the name is drawn as a link to the service's ECS console page (OSC 8). @default false */
  readonly links?: boolean;
}): React.ReactElement {
  const { service: s, now, theme } = props;
  const c = serviceCondition(s);
  const widths = layoutColumns(DEPLOY_COLS, props.width - 2);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Link bold label={screenLine(s.name)} url={serviceConsoleUrl(s)} on={props.links === true} />
        <Text color={theme.level[c.health]}>{safe`  ${c.condition}`}</Text>
        {safe`  ${s.running}/${s.desired} running · ${s.pending} pending · ${screenLine(shortTaskDefinition(s.taskDefinition))}`}
        <Text
          color={theme.muted}
        >{safe`  ${screenLine(s.cluster)}${s.scaling ? ` · autoscaling ${s.scaling.min}–${s.scaling.max}` : ''}`}</Text>
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Signals signals={props.signals} policy={props.policy} width={props.width} theme={theme} />
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>{safe`deployments`}</Text>
        <Text color={theme.muted}>{safe`${fitRow(
          DEPLOY_COLS.map((x) => x.header),
          widths,
          DEPLOY_COLS,
        )}`}</Text>
        {s.deployments.map((d) => (
          <Text key={d.id} wrap="truncate-end" color={d.rolloutState === 'FAILED' ? theme.level.critical : undefined}>
            {safe`${fitRow(
              [
                d.status,
                d.rolloutState.toLowerCase().replace('_', ' '),
                screenLine(shortTaskDefinition(d.taskDefinition)),
                `${d.running}/${d.desired}`,
                String(d.pending),
                formatDuration(Math.max(0, now - d.createdAt)),
              ],
              widths,
              DEPLOY_COLS,
            )}`}
          </Text>
        ))}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>{safe`recent events`}</Text>
        {s.events.map((e) => (
          <Text key={e.id} wrap="truncate-end">
            <Text color={theme.muted}>{safe`${formatClock(e.at)}  `}</Text>
            {screenLine(e.message)}
          </Text>
        ))}
        {s.events.length === 0 ? <Text color={theme.muted}>{safe`none`}</Text> : null}
      </Box>
    </Box>
  );
}
