import { Box, Text } from 'ink';
import React from 'react';
import type { Service } from '../../core/model.js';
import { screenLine } from '../../core/sanitize.js';
import { serviceCondition } from '../../core/status.js';
import { formatClock, formatDuration } from '../../core/time.js';
import { fitRow, layoutColumns, type ColumnSpec } from '../render/columns.js';
import { shortTaskDefinition } from '../render/services.js';
import type { Theme } from '../theme.js';

const DEPLOY_COLS: readonly ColumnSpec[] = [
  { header: 'STATUS', width: 8 },
  { header: 'ROLLOUT', width: 12 },
  { header: 'TASK DEFINITION', flex: 1, min: 16 },
  { header: 'RUN/DES', width: 8, align: 'right' },
  { header: 'PEND', width: 4, align: 'right' },
  { header: 'AGE', width: 7, align: 'right' },
];

/** One ECS service: its tasks, its deployments and its recent events. */
export function ServiceDetailView(props: { readonly service: Service; readonly now: number; readonly width: number; readonly height: number; readonly theme: Theme }): React.ReactElement {
  const { service: s, now, theme } = props;
  const c = serviceCondition(s);
  const widths = layoutColumns(DEPLOY_COLS, props.width - 2);
  const eventRows = Math.max(3, props.height - 8 - s.deployments.length);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{screenLine(s.name)}</Text>
        <Text color={theme.level[c.health]}>{`  ${c.condition}`}</Text>
        {`  ${s.running}/${s.desired} running · ${s.pending} pending · ${screenLine(shortTaskDefinition(s.taskDefinition))}`}
        <Text color={theme.muted}>{`  ${screenLine(s.cluster)}${s.scaling ? ` · autoscaling ${s.scaling.min}–${s.scaling.max}` : ''}`}</Text>
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>deployments</Text>
        <Text color={theme.muted}>{fitRow(DEPLOY_COLS.map((x) => x.header), widths, DEPLOY_COLS)}</Text>
        {s.deployments.map((d) => (
          <Text key={d.id} wrap="truncate-end" color={d.rolloutState === 'FAILED' ? theme.level.critical : undefined}>
            {fitRow(
              [d.status, d.rolloutState.toLowerCase().replace('_', ' '), screenLine(shortTaskDefinition(d.taskDefinition)), `${d.running}/${d.desired}`, String(d.pending), formatDuration(Math.max(0, now - d.createdAt))],
              widths,
              DEPLOY_COLS,
            )}
          </Text>
        ))}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>recent events</Text>
        {s.events.slice(0, eventRows).map((e) => (
          <Text key={e.id} wrap="truncate-end">
            <Text color={theme.muted}>{`${formatClock(e.at)}  `}</Text>
            {screenLine(e.message)}
          </Text>
        ))}
        {s.events.length === 0 ? <Text color={theme.muted}>none</Text> : null}
      </Box>
    </Box>
  );
}
