import { Box } from 'ink';
import { Text } from './SafeText.js';
import React from 'react';
import { useT } from '../hooks/useT.js';
import { safe } from '../../core/sanitize.js';
import type { Health, Point } from '../../core/model.js';
import { formatValue } from '../../core/policy/units.js';
import type { Theme } from '../theme.js';

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** The last `width` values resampled (max per bucket, so spikes survive). */
export function resample(points: readonly Point[], width: number): number[] {
  if (points.length <= width) return points.map((p) => p.v);
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * points.length) / width);
    const to = Math.max(from + 1, Math.floor(((i + 1) * points.length) / width));
    let max = -Infinity;
    for (let j = from; j < to; j++) max = Math.max(max, points[j]!.v);
    out.push(max);
  }
  return out;
}

/** A one-line sparkline; the scale includes the threshold so "how close" reads at a glance. */
export function sparkline(values: readonly number[], threshold?: number): string {
  if (values.length === 0) return '';
  const max = Math.max(...values, threshold ?? 0) || 1;
  const min = Math.min(...values, 0);
  return values.map((v) => BLOCKS[Math.min(7, Math.max(0, Math.round(((v - min) / (max - min || 1)) * 7)))]).join('');
}

export function Sparkline(props: {
  readonly label: string;
  readonly points: readonly Point[];
  readonly unit: string;
  readonly warning?: number;
  readonly critical?: number;
  readonly width: number;
  readonly theme: Theme;
  /** Where the figure comes from ("prometheus"), shown after its value. */
  readonly source?: string;
  /** Why there is no data, or why the preferred source was passed over. */
  readonly note?: string;
}): React.ReactElement {
  const t = useT();
  const values = resample(props.points, props.width);
  const last = values[values.length - 1];
  const health: Health =
    last === undefined
      ? 'ok'
      : props.critical !== undefined && last >= props.critical
        ? 'critical'
        : props.warning !== undefined && last >= props.warning
          ? 'warning'
          : 'ok';
  const bounds = [
    props.warning !== undefined ? t('chart.warn', { value: formatValue(props.warning, props.unit) }) : '',
    props.critical !== undefined ? t('chart.crit', { value: formatValue(props.critical, props.unit) }) : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{safe`${props.label}`}</Text>
        {safe` `}
        <Text
          color={last === undefined ? props.theme.muted : props.theme.level[health]}
        >{safe`${formatValue(last, props.unit)}`}</Text>
        <Text
          color={props.theme.muted}
        >{safe`${props.source ? ` · ${props.source}` : ''}${bounds ? `  (${bounds})` : ''}`}</Text>
      </Text>
      <Text wrap="truncate-end" color={values.length ? props.theme.level[health] : props.theme.muted}>
        {safe`${values.length ? sparkline(values, props.critical ?? props.warning) : props.note ? t('chart.noDataBecause', { note: props.note }) : t('chart.noDataYet')}`}
      </Text>
    </Box>
  );
}

/**
 * A bar chart over time with the threshold drawn as a line: each column is one resampled value; rows
 * from the top. The threshold row shows "┄" wherever a bar does not reach it.
 */
export function chartLines(values: readonly number[], height: number, threshold?: number): string[] {
  const max = Math.max(...values, threshold ?? 0, 1e-9);
  const thresholdRow =
    threshold === undefined ? -1 : height - 1 - Math.min(height - 1, Math.floor((threshold / max) * height - 1e-9));
  const lines: string[] = [];
  for (let row = 0; row < height; row++) {
    const level = height - row; // eighths counted from the bottom of this row
    let line = '';
    for (const v of values) {
      const filled = (v / max) * height;
      if (filled >= level) line += '█';
      else if (filled > level - 1) line += BLOCKS[Math.max(0, Math.min(7, Math.round((filled - (level - 1)) * 8) - 1))];
      else line += row === thresholdRow ? '┄' : ' ';
    }
    lines.push(line);
  }
  return lines;
}

export function Chart(props: {
  readonly points: readonly Point[];
  readonly threshold?: number;
  readonly unit?: string;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  readonly level?: Health;
}): React.ReactElement {
  const values = resample(props.points, Math.max(10, props.width - 12));
  const t = useT();
  if (values.length === 0) return <Text color={props.theme.muted}>{safe`${t('chart.noPoints')}`}</Text>;
  const lines = chartLines(values, props.height, props.threshold);
  const max = Math.max(...values, props.threshold ?? 0);
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i}>
          <Text
            color={props.theme.muted}
          >{safe`${(i === 0 ? formatValue(max, props.unit) : i === lines.length - 1 ? '0' : '').padStart(10)} `}</Text>
          <Text color={props.theme.level[props.level ?? 'ok']}>{safe`${line}`}</Text>
        </Text>
      ))}
      <Text
        color={props.theme.muted}
      >{safe`${' '.repeat(11)}${t('chart.threshold', { value: props.threshold === undefined ? t('chart.none') : formatValue(props.threshold, props.unit) })}`}</Text>
    </Box>
  );
}
