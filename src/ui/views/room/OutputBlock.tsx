import { Box } from 'ink';
import { useT } from '../../hooks/useT.js';
import { Text } from '../../components/SafeText.js';
import React from 'react';
import type { RunnerSnapshot } from '../../../core/runbooks/progress.js';
import { screenLine, safe } from '../../../core/sanitize.js';
import type { Theme } from '../../theme.js';

/**
 * The output of the command that runs (or ran last), `lines` at a time, scrolled back `scroll` lines from
 * its end; the header says which part shows, so that nothing is cut without saying so.
 */
export function OutputBlock(props: {
  readonly runner: RunnerSnapshot;
  readonly scroll: number;
  readonly lines: number;
  readonly theme: Theme;
}): React.ReactElement | null {
  const out = props.runner.output;
  const t = useT();
  if (!out?.text.trim()) return null;
  const all = out.text.trimEnd().split('\n');
  const end = Math.max(props.lines, all.length - Math.max(0, props.scroll));
  const start = Math.max(0, end - props.lines);
  const title = props.runner.steps.find((s) => s.id === out.stepId)?.title ?? out.stepId;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text
        bold
        wrap="truncate-end"
      >{safe`${t('room.output', { title: screenLine(title), from: start + 1, to: Math.min(end, all.length), total: all.length })}`}</Text>
      {all.slice(start, end).map((l, i) => (
        <Text key={start + i} wrap="truncate-end" color={props.theme.muted}>{safe`  ${screenLine(l)}`}</Text>
      ))}
    </Box>
  );
}
