import { Box } from 'ink';
import { useT } from '../../hooks/useT.js';
import type { Translate } from '../../../core/i18n/index.js';
import { safe } from '../../../core/sanitize.js';
import { Text } from '../../components/SafeText.js';
import React from 'react';
import { PHASE_MARKS, phaseProgress, stepOutcome, type StepOutcomeKind } from '../../../core/runbooks/marks.js';
import type { RunnerSnapshot, StepView } from '../../../core/runbooks/progress.js';
import { PHASES } from '../../../core/runbooks/schema.js';
import { sparkline, resample } from '../../components/Charts.js';
import type { Theme } from '../../theme.js';
import { StepRow, toneColour } from './StepRow.js';
import { findingRows } from './Finding.js';
import { endpointRows } from './EndpointBreakdown.js';

/** A folded phase in words: how its steps ended ("5 steps: 3 passed, 1 failed, 1 skipped"). */
function tally(steps: readonly StepView[], t: Translate): string {
  const counts = new Map<StepOutcomeKind, number>();
  for (const s of steps) {
    const o = s.outcome ?? stepOutcome(s);
    counts.set(o, (counts.get(o) ?? 0) + 1);
  }
  const words = [...counts].map(([o, n]) => t('room.tallyCount', { n, word: t(`mark.${o}`) })).join(', ');
  return steps.length === 1
    ? t('room.tallyOne', { counts: words })
    : t('room.tally', { n: steps.length, counts: words });
}

/** Steps that show even in a folded phase: what went wrong or could not be judged. */
const ATTENTION: ReadonlySet<StepOutcomeKind> = new Set(['failed', 'no-data']);

type Row = { readonly key: string; readonly el: React.ReactElement; readonly current?: boolean };

/**
 * The room's phases: the current one (and those the responder unfolded) step by step, finished ones
 * folded to one line each, never gone, with a failed step shown even when folded so that a failure never
 * hides. Phases still to come are in the phase bar only. At most `maxRows` lines, kept around the step
 * being worked, with how many lines are out of view said above and below.
 */
export function PhaseSteps(props: {
  readonly runner: RunnerSnapshot;
  readonly expanded: readonly string[];
  readonly width: number;
  readonly maxRows: number;
  readonly theme: Theme;
  /** The evidence behind logs and traces findings is shown (room.evidence). */
  readonly evidence?: boolean;
  /** Link steps' URLs drawn as clickable links (OSC 8). @default false */
  readonly links?: boolean;
}): React.ReactElement {
  const r = props.runner;
  const t = useT();
  const current = r.status === 'completed' ? undefined : r.phase;
  // A finished room keeps its last phase unfolded: what was done last stays in view.
  const last = r.status === 'completed' ? [...r.steps].reverse().find((s) => s.status !== 'pending')?.phase : undefined;
  const rows: Row[] = [];
  for (const phase of PHASES) {
    const steps = r.steps.filter((s) => s.phase === phase);
    const progress = phaseProgress(r.steps, phase, current);
    const open = phase === current || phase === last || props.expanded.includes(phase);
    if (steps.length === 0 || (progress === 'to-come' && !open)) continue;
    const mark = PHASE_MARKS[progress];
    rows.push({
      key: `p-${phase}`,
      el: (
        <Text wrap="truncate-end" color={toneColour(props.theme, mark.tone)} bold={phase === current}>
          {safe`${open ? '▾' : '▸'} ${mark.glyph} ${t(`phase.${phase}`)} — ${tally(steps, t)}`}
        </Text>
      ),
    });
    for (const s of open ? steps : steps.filter((x) => ATTENTION.has(x.outcome ?? stepOutcome(x)))) {
      rows.push({
        key: s.id,
        current: s.id === r.current,
        el: <StepRow step={s} current={s.id === r.current} theme={props.theme} links={props.links === true} />,
      });
      if (open && s.points?.length)
        rows.push({
          key: `${s.id}-graph`,
          el: (
            <Text
              color={props.theme.muted}
            >{safe`      ${sparkline(resample(s.points, Math.max(10, props.width - 12)))}`}</Text>
          ),
        });
      if (open && s.endpoints) rows.push(...endpointRows(s.id, s.endpoints, props.width, props.theme));
      if (open && s.finding)
        rows.push(...findingRows(s.id, s.finding, props.evidence === true, props.width, props.theme));
    }
  }
  const max = Math.max(3, props.maxRows);
  let shown = rows;
  let above = 0;
  let below = 0;
  if (rows.length > max) {
    const at = Math.max(
      0,
      rows.findIndex((x) => x.current),
    );
    const room = max - 2;
    const start = Math.max(0, Math.min(at - Math.floor(room / 3), rows.length - room));
    shown = rows.slice(start, start + room);
    above = start;
    below = rows.length - start - shown.length;
  }
  return (
    <Box flexDirection="column" marginTop={1}>
      {above ? <Text color={props.theme.muted}>{safe`  ${t('room.linesAbove', { n: above })}`}</Text> : null}
      {shown.map((x) => (
        <Box key={x.key}>{x.el}</Box>
      ))}
      {below ? <Text color={props.theme.muted}>{safe`  ${t('room.linesBelow', { n: below })}`}</Text> : null}
    </Box>
  );
}
