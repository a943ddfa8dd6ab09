import { Box } from 'ink';
import React, { memo, useEffect } from 'react';
import type { LogPatterns, LogTailView } from '../../core/cockpit/logTail.js';
import type { LogViewState } from '../../core/cockpit/state.js';
import type { Snapshot } from '../../core/live/poller.js';
import { trendText } from '../../core/logs/finding.js';
import { sparkline } from '../../core/reports/charts.js';
import { forScreen, safe, terminalLine } from '../../core/sanitize.js';
import { formatClock } from '../../core/time.js';
import type { LogEvent } from '../../sources/logPorts.js';
import { Text } from '../components/SafeText.js';
import type { ScrollLayout } from '../components/ScrollBox.js';
import type { Theme } from '../theme.js';

export interface LogsViewProps {
  readonly service: string;
  readonly tail?: LogTailView;
  /** The held lines under the filter (core/cockpit/logTail.ts). */
  readonly lines: readonly LogEvent[];
  readonly patterns: Snapshot<LogPatterns>;
  readonly options: LogViewState;
  readonly scroll: number;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  readonly onScrollLayout?: (layout: ScrollLayout) => void;
}

// Rows are keyed by their line (the same object while it is held), so scrolling by one mounts one row
// and drops one instead of redrawing every row in view.
const lineKeys = new WeakMap<LogEvent, number>();
let nextLineKey = 0;
function lineKey(e: LogEvent): number {
  let k = lineKeys.get(e);
  if (k === undefined) lineKeys.set(e, (k = nextLineKey++));
  return k;
}

const clock = (t: number) => formatClock(t).slice(11, 16);

/** One log line, drawn once per line object (scrolling by one re-renders the line that enters). */
const Line = memo(function Line(props: { readonly e: LogEvent; readonly width: number; readonly theme: Theme }) {
  const { e, width, theme } = props;
  return (
    <Text wrap="truncate-end">
      <Text color={theme.muted}>{safe`${clock(e.timestamp)} `}</Text>
      {terminalLine(forScreen(e.message, Math.max(10, width - 10)))}
      {e.truncated ? <Text color={theme.muted}>{safe` [cut]`}</Text> : null}
    </Text>
  );
});

/**
 * A service's logs: the live tail or its patterns. Virtualised: only the rows in view are drawn (the
 * buffer holds up to 10,000 lines); it reports how far it scrolls to the session, like a ScrollBox.
 */
export function LogsView(p: LogsViewProps): React.ReactElement {
  const { tail, theme, options } = p;
  const rows = Math.max(1, p.height - 2);
  const count = options.patterns ? (p.patterns.data?.analysis.comparisons.length ?? 0) : p.lines.length;
  const max = Math.max(0, count - rows);
  const top = Math.min(p.scroll, max);
  const report = p.onScrollLayout;
  useEffect(() => report?.({ max, hits: [] }), [report, max]);
  const head = [
    `${p.service} · ${options.patterns ? 'patterns of the last 30 min against the 30 min before' : options.follow ? 'following' : 'paused (f follows)'}`,
    options.filter ? ` · lines with “${options.filter}”: ${p.lines.length.toLocaleString('en-US')}` : '',
    tail ? ` · ${tail.lines.length.toLocaleString('en-US')} held` : '',
    tail?.dropped ? ` · ${tail.dropped.toLocaleString('en-US')} older lines dropped` : '',
    tail?.via ? ` · ${tail.via}` : '',
  ].join('');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" bold>
        {terminalLine(head)}
      </Text>
      {!tail ? (
        <Text color={theme.muted}>{safe`No log source: logs cannot be read here.`}</Text>
      ) : tail.state === 'loading' ? (
        <Text color={theme.muted}>{safe`Reading the last 30 minutes…`}</Text>
      ) : tail.state === 'error' ? (
        <Text color={theme.level.critical}>{terminalLine(`Cannot read the logs: ${tail.error ?? 'unknown'}`)}</Text>
      ) : options.patterns ? (
        <Patterns patterns={p.patterns} top={top} rows={rows} width={p.width} theme={theme} />
      ) : p.lines.length === 0 ? (
        <Text
          color={theme.muted}
        >{safe`No lines${options.filter ? ' with that text' : ' in the last 30 minutes'}.`}</Text>
      ) : (
        p.lines.slice(top, top + rows).map((e) => <Line key={lineKey(e)} e={e} width={p.width} theme={theme} />)
      )}
      {tail?.error && tail.state === 'ok' ? (
        <Text color={theme.level.warning}>{terminalLine(`the last read failed: ${tail.error}`)}</Text>
      ) : tail?.reason ? (
        <Text color={theme.muted}>{terminalLine(tail.reason)}</Text>
      ) : null}
    </Box>
  );
}

function Patterns(props: {
  readonly patterns: Snapshot<LogPatterns>;
  readonly top: number;
  readonly rows: number;
  readonly width: number;
  readonly theme: Theme;
}): React.ReactElement {
  const { patterns, theme } = props;
  const data = patterns.data;
  if (!data)
    return (
      <Text color={patterns.health.state === 'loading' ? theme.muted : theme.level.critical}>
        {patterns.health.state === 'loading' ? safe`Grouping the last hour…` : safe`Cannot group the logs.`}
      </Text>
    );
  const shown = data.analysis.comparisons.slice(props.top, props.top + props.rows);
  if (shown.length === 0) return <Text color={theme.muted}>{safe`No lines in either window.`}</Text>;
  return (
    <Box flexDirection="column">
      {shown.map((c) => {
        const trend = data.comparable ? trendText(c.trend, clock) : '?';
        const spark = c.current ? sparkline(c.current.series, 20) : '';
        const value = c.current?.placeholders.find((v) => v.kind === 'ip' || v.kind === 'id')?.top[0];
        return (
          <Text key={c.pattern} wrap="truncate-end">
            {terminalLine(`${String(c.count).padStart(7)} ${trend.padEnd(16)} ${spark.padEnd(20)} `)}
            {value ? (
              <Text color={theme.muted}>{terminalLine(`[most ${forScreen(value.value, 40)} ×${value.count}] `)}</Text>
            ) : null}
            {terminalLine(forScreen(c.pattern, Math.max(10, props.width - 48)))}
          </Text>
        );
      })}
    </Box>
  );
}
