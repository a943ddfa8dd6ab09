import { Box } from 'ink';
import React from 'react';
import type { Snapshot } from '../../core/live/poller.js';
import { safe, screenLine } from '../../core/sanitize.js';
import type { TraceFinding, TraceFindingTrace } from '../../core/traces/finding.js';
import { Text } from '../components/SafeText.js';
import type { Theme } from '../theme.js';

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);

function TraceRow(props: { readonly t: TraceFindingTrace; readonly theme: Theme }): React.ReactElement {
  const { t, theme } = props;
  const path = t.path?.map((s) => `${s.service} ${s.operation} ${ms(s.ms)}${s.spans > 1 ? ` ×${s.spans}` : ''}`);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={t.failed ? theme.level.critical : undefined}>
          {screenLine(`${ms(t.durationMs).padStart(9)} `)}
        </Text>
        {screenLine(`${t.operation}${t.status !== undefined ? ` · ${t.status}` : ''} · ${t.id}`)}
      </Text>
      <Text color={theme.muted} wrap="truncate-end">
        {screenLine(`          path: ${path ? path.join(' → ') : 'not read in full'}`)}
      </Text>
    </Box>
  );
}

/** A service's traces of the last 30 min: the span that changed most, the slowest and the failing traces. */
export function TracesView(props: {
  readonly service: string;
  readonly traces: Snapshot<TraceFinding>;
  readonly available: boolean;
  readonly theme: Theme;
}): React.ReactElement {
  const { traces, theme } = props;
  const f = traces.data;
  const head = screenLine(`${props.service} · traces of the last 30 min against the 30 min before`);
  if (!props.available) return <Text color={theme.muted}>{safe`No trace source: traces cannot be read here.`}</Text>;
  if (!f)
    return (
      <Box flexDirection="column">
        <Text bold>{head}</Text>
        <Text color={traces.health.state === 'loading' ? theme.muted : theme.level.critical}>
          {traces.health.state === 'loading' ? safe`Reading the traces…` : safe`Cannot read the traces.`}
        </Text>
      </Box>
    );
  const c = f.changed;
  return (
    <Box flexDirection="column">
      <Text bold>{head}</Text>
      <Text>
        {screenLine(
          `${f.traces} traces (${f.previousTraces} before) · ${f.failingCount} failing${f.complete ? '' : ' · read in part'}`,
        )}
      </Text>
      <Text>{safe` `}</Text>
      <Text bold>{safe`Changed most`}</Text>
      {c ? (
        <Text color={theme.level.warning} wrap="truncate-end">
          {screenLine(
            `${c.service} ${c.operation}: ${c.shape} — ${c.perTraceBefore.toFixed(1)} → ${c.perTraceNow.toFixed(1)} per trace${c.meanMsNow !== undefined ? `, ${ms(c.meanMsBefore ?? 0)} → ${ms(c.meanMsNow)} each` : ''} (+${ms(c.addedMsPerTrace)} per trace)`,
          )}
        </Text>
      ) : (
        <Text color={theme.muted}>{safe`No span changed enough against the 30 min before (or cannot tell).`}</Text>
      )}
      <Text>{safe` `}</Text>
      <Text bold>{safe`Slowest`}</Text>
      {f.slowest.length ? (
        f.slowest.map((t) => <TraceRow key={`s${t.id}`} t={t} theme={theme} />)
      ) : (
        <Text color={theme.muted}>{safe`none`}</Text>
      )}
      <Text>{safe` `}</Text>
      <Text bold>{safe`Failing`}</Text>
      {f.failing.length ? (
        f.failing.map((t) => <TraceRow key={`f${t.id}`} t={t} theme={theme} />)
      ) : (
        <Text color={theme.muted}>{safe`none`}</Text>
      )}
    </Box>
  );
}
