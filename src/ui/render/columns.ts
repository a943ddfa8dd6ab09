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
  /**
   * Where a long cell is cut: at the end (default), or in the middle for names whose tail tells them
   * apart (`vitascope-api-hi…-p95`, a task definition's `…:42` revision).
   */
  readonly cut?: 'middle';
  /**
   * When the terminal is too narrow for every column, columns with `drop` go, the lowest number first,
   * until the rest fit at their least widths; columns without it always stay.
   */
  readonly drop?: number;
}

const GAP = 1;

/**
 * Column widths for a terminal width, from the specs alone (never from the data: scanning 10,000
 * rows per frame is too slow, and widths that change while scrolling are hard to read).
 */
export function layoutColumns(columns: readonly ColumnSpec[], total: number): number[] {
  const kept = columns.map(() => true);
  const least = (c: ColumnSpec) => (c.flex ? (c.min ?? 8) : (c.width ?? 0));
  const need = () => columns.reduce((s, c, i) => s + (kept[i] ? least(c) + GAP : 0), -GAP);
  const order = columns
    .map((c, i) => ({ i, drop: c.drop }))
    .filter((x): x is { i: number; drop: number } => x.drop !== undefined);
  order.sort((a, b) => a.drop - b.drop);
  for (const { i } of order) {
    if (need() <= total) break;
    kept[i] = false;
  }
  const shown = columns.filter((_, i) => kept[i]);
  const fixed = shown.reduce((s, c) => s + (c.flex ? 0 : (c.width ?? 0)), 0);
  const gaps = GAP * (shown.length - 1);
  const flexTotal = shown.reduce((s, c) => s + (c.flex ?? 0), 0);
  const left = Math.max(0, total - fixed - gaps);
  // A dropped column is width 0: fitCells leaves it out, gap and all.
  return columns.map((c, i) =>
    !kept[i] ? 0 : c.flex ? Math.max(c.min ?? 8, Math.floor((left * c.flex) / flexTotal)) : (c.width ?? 0),
  );
}

/** Cuts text to a width keeping its head and its distinguishing tail (the last `-`, `:` or `/` part, at least 40 %). */
export function truncateMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width < 8) return truncate(text, width);
  const chars = [...text];
  const room = width - 1;
  const sep = Math.max(text.lastIndexOf('-'), text.lastIndexOf(':'), text.lastIndexOf('/'));
  const lastPart = sep >= 0 ? [...text.slice(sep)].length : 0;
  const tailLen = Math.min(room - 4, Math.max(Math.floor(room * 0.55), lastPart));
  let tail = chars.slice(chars.length - tailLen).join('');
  while (displayWidth(tail) > tailLen) tail = [...tail].slice(1).join('');
  const head = truncate(chars.slice(0, chars.length - tailLen).join(''), room - displayWidth(tail) + 1).replace(
    /…$/,
    '',
  );
  return `${head}…${tail}`;
}

function pad(text: string, width: number, align: 'left' | 'right' = 'left', how?: 'middle'): string {
  const cut = how === 'middle' ? truncateMiddle(text, width) : truncate(text, width);
  const gap = Math.max(0, width - displayWidth(cut));
  return align === 'right' ? ' '.repeat(gap) + cut : cut + ' '.repeat(gap);
}

/** One line of cells padded and cut to their widths by display width (wide characters count double); dropped columns (width 0) left out. */
export function fitCells<S extends string>(
  cells: readonly S[],
  widths: readonly number[],
  columns: readonly ColumnSpec[],
): S[] {
  // Padding with spaces and cutting with "…" keep a Safe cell safe: the type follows the cells.
  const out: S[] = [];
  cells.forEach((cell, i) => {
    if (widths[i] !== 0) out.push(pad(cell, widths[i] ?? 0, columns[i]?.align, columns[i]?.cut) as S);
  });
  return out;
}

export const COLUMN_GAP: Safe = safe`${' '.repeat(GAP)}`;

/** A whole row as text, for tests and for columns that need no colour. */
export function fitRow<S extends string>(
  cells: readonly S[],
  widths: readonly number[],
  columns: readonly ColumnSpec[],
): S {
  return fitCells(cells, widths, columns).join(COLUMN_GAP) as S;
}
