import { safe, type Safe } from '../../core/sanitize.js';
import { displayWidth, truncate } from '../../output/table.js';

/** A column of a live table: a fixed width, or flexible (shares what is left). */
export interface ColumnSpec {
  readonly header: string;
  readonly width?: number;
  /** Flexible columns share the remaining width; min is their least. */
  readonly flex?: number;
  readonly min?: number;
  readonly align?: 'left' | 'right';
}

const GAP = 1;

/**
 * Column widths for a terminal width, from the specs alone (never from the data: scanning 10,000
 * rows per frame is too slow, and widths that change while scrolling are hard to read).
 */
export function layoutColumns(columns: readonly ColumnSpec[], total: number): number[] {
  const fixed = columns.reduce((s, c) => s + (c.flex ? 0 : (c.width ?? 0)), 0);
  const gaps = GAP * (columns.length - 1);
  const flexTotal = columns.reduce((s, c) => s + (c.flex ?? 0), 0);
  const left = Math.max(0, total - fixed - gaps);
  return columns.map((c) => (c.flex ? Math.max(c.min ?? 8, Math.floor((left * c.flex) / flexTotal)) : (c.width ?? 0)));
}

function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const gap = Math.max(0, width - displayWidth(cut));
  return align === 'right' ? ' '.repeat(gap) + cut : cut + ' '.repeat(gap);
}

/** One line of cells padded and cut to their widths by display width (wide characters count double). */
export function fitCells<S extends string>(cells: readonly S[], widths: readonly number[], columns: readonly ColumnSpec[]): S[] {
  // Padding with spaces and cutting with "…" keep a Safe cell safe: the type follows the cells.
  return cells.map((cell, i) => pad(cell, widths[i] ?? 0, columns[i]?.align) as S);
}

export const COLUMN_GAP: Safe = safe`${' '.repeat(GAP)}`;

/** A whole row as text, for tests and for columns that need no colour. */
export function fitRow<S extends string>(cells: readonly S[], widths: readonly number[], columns: readonly ColumnSpec[]): S {
  return fitCells(cells, widths, columns).join(COLUMN_GAP) as S;
}
