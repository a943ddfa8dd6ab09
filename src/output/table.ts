import stringWidth from 'string-width';

export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** Columns that may shrink (long titles) do so first when the table is too wide. */
  readonly shrink?: boolean;
  /** The widest the column gets whatever its cells hold (longer cells are cut with "…"); DEFAULT_COLUMN_MAX when unset. */
  readonly max?: number;
}

/**
 * The widest a column gets by default: one long cell (an alarm name from outside) must not pad every
 * row of the table to its width.
 */
export const DEFAULT_COLUMN_MAX = 160;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Columns a string takes in a terminal (wide characters count double). Printable ASCII, the
 * common case, is answered without string-width's grapheme segmentation, which is slow.
 */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let w = widths.get(text);
  if (w === undefined) {
    // Bounded: a table's distinct cells come back frame after frame; forget all when it overflows.
    if (widths.size > 10_000) widths.clear();
    w = stringWidth(text);
    widths.set(text, w);
  }
  return w;
}

const widths = new Map<string, number>();

/** Cuts text to a display width (wide characters count double), ending with "…" when cut. */
export function truncate(text: string, width: number): string {
  // A cell far longer than the width is cut before it is measured: measuring costs its whole length.
  const room = 4 * Math.max(0, width) + 16;
  const long = text.length > room;
  const head = long ? text.slice(0, room) : text;
  if (!long && displayWidth(head) <= width) return head;
  if (PRINTABLE_ASCII.test(head)) return width <= 1 ? (width === 1 ? '…' : '') : `${head.slice(0, width - 1)}…`;
  if (width <= 1) return width === 1 ? '…' : '';
  let out = '';
  let used = 0;
  for (const ch of head) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const gap = Math.max(0, width - displayWidth(text));
  return align === 'right' ? ' '.repeat(gap) + text : text + ' '.repeat(gap);
}

/**
 * An aligned plain-text table. Cells must already be sanitised; widths are measured in terminal
 * columns so Japanese text lines up. `paint` colours a cell after layout, so escape codes never
 * count towards widths.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  options: {
    maxWidth?: number;
    paint?: (row: number, col: number, cell: string) => string;
    header?: (text: string) => string;
  } = {},
): string {
  const widths = columns.map((c, i) => {
    const max = Math.max(displayWidth(c.header), c.max ?? DEFAULT_COLUMN_MAX);
    let widest = displayWidth(c.header);
    // Measured up to what the column can hold: a cell longer than that is cut anyway.
    for (const r of rows) widest = Math.max(widest, displayWidth(truncate(r[i] ?? '', max)));
    return Math.min(widest, max);
  });
  const gap = 2;
  const total = () => widths.reduce((s, w) => s + w, 0) + gap * (widths.length - 1);
  if (options.maxWidth !== undefined) {
    for (let i = 0; i < columns.length && total() > options.maxWidth; i++) {
      if (!columns[i]!.shrink) continue;
      widths[i] = Math.max(displayWidth(columns[i]!.header), 8, widths[i]! - (total() - options.maxWidth));
    }
  }
  const line = (cells: readonly string[], paint?: (col: number, cell: string) => string) =>
    cells
      .map((cell, i) => {
        const text = pad(truncate(cell, widths[i]!), widths[i]!, columns[i]!.align ?? 'left');
        return paint ? paint(i, text) : text;
      })
      .join(' '.repeat(gap))
      .trimEnd();
  const head = line(columns.map((c) => c.header));
  const out = [options.header ? options.header(head) : head];
  rows.forEach((r, ri) => out.push(line(r, options.paint ? (ci, cell) => options.paint!(ri, ci, cell) : undefined)));
  return out.join('\n');
}
