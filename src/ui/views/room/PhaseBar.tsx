import { Text } from '../../components/SafeText.js';
import { useT } from '../../hooks/useT.js';
import { safe } from '../../../core/sanitize.js';
import React from 'react';
import { PHASE_MARKS, phaseProgress } from '../../../core/runbooks/marks.js';
import type { RunnerSnapshot } from '../../../core/runbooks/progress.js';
import { PHASES } from '../../../core/runbooks/schema.js';
import type { Theme } from '../../theme.js';
import { toneColour } from './StepRow.js';

/** The phases as a progress bar, each marked from its steps: done only when they are, ✗ when one failed. */
export function PhaseBar(props: { readonly runner: RunnerSnapshot; readonly theme: Theme }): React.ReactElement {
  const r = props.runner;
  const t = useT();
  const current = r.status === 'completed' ? undefined : r.phase;
  return (
    <Text wrap="truncate-end">
      {PHASES.map((p, i) => {
        const mark = PHASE_MARKS[phaseProgress(r.steps, p, current)];
        return (
          <Text key={p} color={toneColour(props.theme, mark.tone)} bold={p === current}>
            {safe`${mark.glyph} ${t(`phase.${p}`)}${i < PHASES.length - 1 ? '  ─  ' : ''}`}
          </Text>
        );
      })}
    </Text>
  );
}
