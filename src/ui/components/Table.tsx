import { Box } from 'ink';
import React, { memo, useMemo } from 'react';
import { joinSafe, safe, type Safe } from '../../core/sanitize.js';
import { Text } from './SafeText.js';
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

interface RowProps<T> {
  readonly item: T;
  readonly selected: boolean;
  readonly columns: readonly ColumnSpec[];
  readonly widths: readonly number[];
  readonly cells: (item: T) => readonly Safe[];
  readonly health?: (item: T) => Health;
  readonly theme: Theme;
}

function RowInner<T>(props: RowProps<T>): React.ReactElement {
  const cells = fitCells(props.cells(props.item), props.widths, props.columns);
  const health = props.health?.(props.item) ?? 'ok';
  return (
    <Text inverse={props.selected} wrap="truncate-end">
      {props.selected ? safe`› ` : safe`  `}
      <Text color={props.theme.level[health]}>{cells[0]}</Text>
      {cells.length > 1 ? joinSafe(cells.slice(1), COLUMN_GAP, true) : null}
    </Text>
  );
}

/** One row, re-rendered only when its item, its selection or the layout changes. */
const Row = memo(RowInner) as typeof RowInner;

// Rows are keyed by their item (the same object until its source changes it), so moving the cursor or
// scrolling by one keeps every other row as it was: one row enters, one leaves, two change selection.
const rowKeys = new WeakMap<object, number>();
let nextRowKey = 0;
function rowKey(item: unknown, index: number): string | number {
  if (typeof item !== 'object' || item === null) return `at${index}`;
  let key = rowKeys.get(item);
  if (key === undefined) rowKeys.set(item, (key = nextRowKey++));
  return key;
}

/**
 * A live table of any length: only the rows that fit are rendered, so 10,000 alarms cost what 40 do.
 * The selected row has a marker (and inverse video), so it is visible without colour.
 */
function TableInner<T>(props: TableProps<T>): React.ReactElement {
  const { columns, items, theme } = props;
  const rows = Math.max(1, props.height - 1);
  const available = Math.max(20, props.width - 2);
  const widths = useMemo(() => layoutColumns(columns, available), [columns, available]);
  const start = firstVisible(props.selected, items.length, rows);
  const visible = items.slice(start, start + rows);
  const header = useMemo(
    () =>
      fitCells(
        columns.map((c) => c.header),
        widths,
        columns,
      ).join(COLUMN_GAP),
    [columns, widths],
  );
  return (
    <Box flexDirection="column">
      <Text color={theme.muted} bold wrap="truncate-end">
        {safe`  ${header}`}
      </Text>
      {items.length === 0 ? <Text color={theme.muted}>{safe`  ${props.empty ?? 'nothing to show'}`}</Text> : null}
      {visible.map((item, i) => (
        <Row
          key={rowKey(item, start + i)}
          item={item}
          selected={start + i === props.selected}
          columns={columns}
          widths={widths}
          cells={props.cells}
          health={props.health}
          theme={theme}
        />
      ))}
    </Box>
  );
}

export const Table = memo(TableInner) as typeof TableInner;
