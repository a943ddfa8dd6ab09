import { Box } from 'ink';
import { Text } from './SafeText.js';
import React, { memo } from 'react';
import { joinSafe, safe, type Safe } from '../../core/sanitize.js';
import type { Health } from '../../core/model.js';
import { COLUMN_GAP, fitCells, layoutColumns, type ColumnSpec } from '../render/columns.js';
import type { Theme } from '../theme.js';

export interface TableProps<T> {
  readonly columns: readonly ColumnSpec[];
  readonly items: readonly T[];
  /** A pure renderer: item → its cells, sanitised (a raw string is a type error). */
  readonly cells: (item: T) => readonly Safe[];
  /** Colours the first cell (and the marker) by the row's health. */
  readonly health?: (item: T) => Health;
  readonly selected: number;
  /** Lines available, header included. */
  readonly height: number;
  readonly width: number;
  readonly theme: Theme;
  readonly empty?: string;
}

/** The first row shown so the selected one stays in view (kept near the middle when it can be). */
export function firstVisible(selected: number, count: number, rows: number): number {
  if (count <= rows) return 0;
  return Math.min(Math.max(0, selected - Math.floor(rows / 2)), count - rows);
}

/**
 * A live table of any length: only the rows that fit are rendered, so 10,000 alarms cost what 40 do.
 * The selected row has a marker (and inverse video), so it is visible without colour.
 */
function TableInner<T>(props: TableProps<T>): React.ReactElement {
  const { columns, items, theme } = props;
  const rows = Math.max(1, props.height - 1);
  const widths = layoutColumns(columns, Math.max(20, props.width - 2));
  const start = firstVisible(props.selected, items.length, rows);
  const visible = items.slice(start, start + rows);
  const header = fitCells(columns.map((c) => c.header), widths, columns).join(COLUMN_GAP);
  return (
    <Box flexDirection="column">
      <Text color={theme.muted} bold wrap="truncate-end">
        {safe`  ${header}`}
      </Text>
      {items.length === 0 ? <Text color={theme.muted}>{safe`  ${props.empty ?? 'nothing to show'}`}</Text> : null}
      {visible.map((item, i) => {
        const index = start + i;
        const selected = index === props.selected;
        const cells = fitCells(props.cells(item), widths, columns);
        const health = props.health?.(item) ?? 'ok';
        return (
          <Text key={index} inverse={selected} wrap="truncate-end">
            {selected ? safe`› ` : safe`  `}
            <Text color={theme.level[health]}>{cells[0]}</Text>
            {cells.length > 1 ? joinSafe(cells.slice(1), COLUMN_GAP, true) : null}
          </Text>
        );
      })}
    </Box>
  );
}

export const Table = memo(TableInner) as typeof TableInner;
