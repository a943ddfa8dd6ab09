import React from 'react';
import type { FindingRecord } from '../../../core/runbooks/steps/findingText.js';
import { safe, screenLine } from '../../../core/sanitize.js';
import { resample, sparkline } from '../../components/Charts.js';
import { Text } from '../../components/SafeText.js';
import type { Theme } from '../../theme.js';

/**
 * A logs or traces step's finding as rows of one line each (the room's step list counts lines): its line,
 * its top items (patterns with counts, trend and a sparkline, or traces with their critical paths), and,
 * behind room.evidence, the lines and trace ids they stand on. All of it is outside text: inert, cut to the line.
 */
export function findingRows(
  key: string,
  f: FindingRecord,
  evidence: boolean,
  width: number,
  theme: Theme,
): { key: string; el: React.ReactElement }[] {
  const spark = Math.max(8, Math.min(20, Math.floor(width / 6)));
  const rows: { key: string; el: React.ReactElement }[] = [
    {
      key: `${key}-finding`,
      el: (
        <Text
          wrap="truncate-end"
          color={f.complete ? theme.accent : theme.level.warning}
        >{safe`      ${screenLine(f.summary)}`}</Text>
      ),
    },
  ];
  f.items.slice(0, 5).forEach((it, i) => {
    const series = it.series?.length
      ? `${sparkline(
          resample(
            it.series.map((v, j) => ({ t: j, v })),
            spark,
          ),
        )} `
      : '';
    const count =
      it.count !== undefined ? `${it.count}${it.previousCount !== undefined ? ` (was ${it.previousCount})` : ''} ` : '';
    rows.push({
      key: `${key}-item${i}`,
      el: (
        <Text
          wrap="truncate-end"
          color={theme.muted}
        >{safe`        ${series}${count}${it.trend ? `${it.trend} ` : ''}${screenLine(it.text)}`}</Text>
      ),
    });
  });
  if (evidence)
    f.evidence
      .slice(0, 5)
      .forEach((e, i) =>
        rows.push({ key: `${key}-e${i}`, el: <Text wrap="truncate-end">{safe`        │ ${screenLine(e)}`}</Text> }),
      );
  else if (f.evidence.length)
    rows.push({
      key: `${key}-e`,
      el: (
        <Text
          color={theme.muted}
        >{safe`        the ${f.kind === 'logs' ? 'lines' : 'traces'} behind it: the evidence key (e)`}</Text>
      ),
    });
  return rows;
}
