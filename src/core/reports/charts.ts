/**
 * Charts for the postmortem: an SVG line chart per key metric (written beside the Markdown and linked
 * from it) and a text sparkline for the Markdown itself. The SVG is self-contained, well-formed XML
 * (every text escaped), with the alarm's threshold drawn as a dashed horizontal line and labelled, the
 * impact window shaded, and moments (acknowledged, mitigated, recovered) as labelled vertical lines.
 */

import { svgText } from '../sanitize.js';

export interface ChartInput {
  readonly title: string;
  readonly points: readonly { readonly t: number; readonly v: number }[];
  /** Horizontal lines: the alarms' thresholds. */
  readonly thresholds?: readonly { readonly value: number; readonly label: string }[];
  /** Shaded span (the impact window). */
  readonly window?: { readonly start: number; readonly end?: number };
  /** The time axis (default: the points' first to last). */
  readonly range?: { readonly from: number; readonly to: number };
  /** Vertical lines with a label at the top: acknowledged, mitigated, recovered. */
  readonly marks?: readonly { readonly at: number; readonly label: string; readonly kind: string }[];
  /** Formats a value for the axis labels (with its unit). */
  readonly formatValue: (v: number) => string;
  /** Formats an instant for the axis labels. */
  readonly formatTime: (t: number) => string;
}

const W = 720;
const H = 300;
const PAD = { left: 70, right: 20, top: 36, bottom: 40 };

/** Text safe inside an XML element or attribute: core/sanitize.ts's SVG variant. */
export const xmlEscape = svgText;

const num = (n: number) => (Math.round(n * 10) / 10).toString();

/** A line chart as an SVG document. */
export function lineChartSvg(input: ChartInput): string {
  const pts = input.points.filter(
    (p) => Number.isFinite(p.v) && (!input.range || (p.t >= input.range.from && p.t <= input.range.to)),
  );
  const values = pts.map((p) => p.v);
  for (const th of input.thresholds ?? []) values.push(th.value);
  let lo = values.length ? Math.min(...values, 0) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi === lo) hi = lo + 1;
  hi += (hi - lo) * 0.1;
  if (lo < 0) lo -= (hi - lo) * 0.05;
  const t0 = input.range?.from ?? (pts.length ? pts[0]!.t : (input.window?.start ?? 0));
  // The time axis ends with the data: a series recorded only until the program closed does not run on
  // into an empty stretch that would read as "flat".
  const lastT = pts.length ? pts[pts.length - 1]!.t : undefined;
  let t1 =
    input.range?.to !== undefined
      ? lastT !== undefined
        ? Math.min(input.range.to, lastT)
        : input.range.to
      : (lastT ?? t0 + 1);
  if (t1 === t0) t1 = t0 + 60_000;
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * iw;
  const y = (v: number) => PAD.top + ih - ((v - lo) / (hi - lo)) * ih;
  const clampX = (t: number) => Math.min(PAD.left + iw, Math.max(PAD.left, x(t)));

  const parts: string[] = [];
  parts.push('<?xml version="1.0" encoding="UTF-8"?>');
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${xmlEscape(input.title)}">`,
  );
  parts.push(`<title>${xmlEscape(input.title)}</title>`);
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  // About 7.5 px a character at 14 px: a longer title is cut to the width, whole in <title>.
  const room = Math.floor((W - PAD.left - 8) / 7.5);
  const shownTitle = input.title.length > room ? `${input.title.slice(0, room - 1)}…` : input.title;
  parts.push(
    `<text x="${PAD.left}" y="22" font-family="sans-serif" font-size="14" font-weight="bold" fill="#222222">${xmlEscape(shownTitle)}</text>`,
  );
  if (input.window) {
    const x0 = clampX(input.window.start);
    const x1 = clampX(input.window.end ?? t1);
    if (x1 > x0)
      parts.push(
        `<rect class="impact" x="${num(x0)}" y="${PAD.top}" width="${num(x1 - x0)}" height="${ih}" fill="#f4c7c3" fill-opacity="0.35"/>`,
      );
  }
  // Axes and grid: four value ticks, three time ticks.
  parts.push(`<g class="axes" stroke="#999999" stroke-width="1">`);
  parts.push(`<line x1="${PAD.left}" y1="${PAD.top + ih}" x2="${PAD.left + iw}" y2="${PAD.top + ih}"/>`);
  parts.push(`<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + ih}"/>`);
  parts.push('</g>');
  parts.push(`<g class="labels" font-family="sans-serif" font-size="11" fill="#555555">`);
  // A 0/1 series (a dependency up or down) gets its two values as ticks, not four in-between ones.
  const binary = pts.length > 0 && pts.every((p) => p.v === 0 || p.v === 1);
  const ticks = binary ? [0, 1] : [0, 1, 2, 3, 4].map((i) => lo + ((hi - lo) * i) / 4);
  for (const v of ticks) {
    parts.push(
      `<text x="${PAD.left - 6}" y="${num(y(v) + 4)}" text-anchor="end">${xmlEscape(input.formatValue(v))}</text>`,
    );
  }
  for (let i = 0; i <= 2; i++) {
    const t = t0 + ((t1 - t0) * i) / 2;
    parts.push(
      `<text x="${num(x(t))}" y="${H - 14}" text-anchor="${i === 0 ? 'start' : i === 2 ? 'end' : 'middle'}">${xmlEscape(input.formatTime(t))}</text>`,
    );
  }
  parts.push('</g>');
  (input.thresholds ?? []).forEach((th, i) => {
    const ty = num(y(th.value));
    const colour = i === 0 ? '#f29900' : '#d93025';
    parts.push(
      `<line class="threshold" data-value="${xmlEscape(String(th.value))}" x1="${PAD.left}" y1="${ty}" x2="${PAD.left + iw}" y2="${ty}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      `<text class="threshold-label" x="${PAD.left + iw - 4}" y="${num(y(th.value) - 5)}" text-anchor="end" font-family="sans-serif" font-size="11" fill="${colour}">${xmlEscape(th.label)}</text>`,
    );
  });
  // Labels of marks close together are stacked, so that "acknowledged" and "mitigated" a minute apart stay legible.
  let lastX = -Infinity;
  let row = 0;
  for (const mk of [...(input.marks ?? [])].filter((mk) => mk.at >= t0 && mk.at <= t1).sort((a, b) => a.at - b.at)) {
    const mx = x(mk.at);
    row = mx - lastX < 90 ? row + 1 : 0;
    lastX = mx;
    parts.push(
      `<line class="mark" data-kind="${xmlEscape(mk.kind)}" data-at="${xmlEscape(String(mk.at))}" x1="${num(mx)}" y1="${PAD.top}" x2="${num(mx)}" y2="${PAD.top + ih}" stroke="#5f6368" stroke-width="1" stroke-dasharray="2 3"/>`,
      `<text class="mark-label" x="${num(mx + 3)}" y="${PAD.top + 11 + row * 12}" font-family="sans-serif" font-size="10" fill="#5f6368">${xmlEscape(mk.label)}</text>`,
    );
  }
  if (pts.length) {
    const d = pts.map((p) => `${num(x(p.t))},${num(y(p.v))}`).join(' ');
    parts.push(`<polyline class="series" points="${d}" fill="none" stroke="#1a73e8" stroke-width="2"/>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A text sparkline of at most `width` characters (values averaged into buckets). */
export function sparkline(
  values: readonly number[],
  width = 40,
  options: { readonly fromZero?: boolean } = {},
): string {
  const vs = values.filter((v) => Number.isFinite(v));
  if (!vs.length) return '';
  const buckets: number[] = [];
  const n = Math.min(width, vs.length);
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * vs.length) / n);
    const to = Math.max(from + 1, Math.floor(((i + 1) * vs.length) / n));
    let s = 0;
    for (let j = from; j < to; j++) s += vs[j]!;
    buckets.push(s / (to - from));
  }
  // Counts start at zero: scaled from their own minimum, 50 against 51 a minute would read as a spike.
  const lo = options.fromZero ? Math.min(0, ...buckets) : Math.min(...buckets);
  const hi = Math.max(...buckets);
  return buckets
    .map((v) => BARS[hi === lo ? 0 : Math.min(BARS.length - 1, Math.floor(((v - lo) / (hi - lo)) * BARS.length))])
    .join('');
}

/**
 * A sparkline over time: [from, to) cut into `width` equal slices, each the mean of the values in it
 * (blank where there is none), scaled from the lowest to the highest slice.
 */
export function sparklineOver(
  points: readonly { readonly t: number; readonly v: number }[],
  from: number,
  to: number,
  width = 40,
): string {
  if (!(to > from)) return '';
  const sums = new Array<number>(width).fill(0);
  const counts = new Array<number>(width).fill(0);
  for (const p of points) {
    if (!Number.isFinite(p.v) || p.t < from || p.t >= to) continue;
    const i = Math.min(width - 1, Math.floor(((p.t - from) / (to - from)) * width));
    sums[i]! += p.v;
    counts[i]! += 1;
  }
  const means = sums.map((s, i) => (counts[i] ? s / counts[i]! : undefined));
  const defined = means.filter((v): v is number => v !== undefined);
  if (!defined.length) return '';
  const lo = Math.min(...defined);
  const hi = Math.max(...defined);
  return means
    .map((v) =>
      v === undefined
        ? ' '
        : BARS[hi === lo ? 0 : Math.min(BARS.length - 1, Math.floor(((v - lo) / (hi - lo)) * BARS.length))],
    )
    .join('');
}

/** The line under a sparklineOver: each mark's letter at its slice (the next free slice when two meet). */
export function markLine(
  marks: readonly { readonly at: number; readonly letter: string }[],
  from: number,
  to: number,
  width = 40,
): string {
  const cells = new Array<string>(width).fill(' ');
  if (!(to > from)) return '';
  for (const mk of [...marks].sort((a, b) => a.at - b.at)) {
    if (mk.at < from || mk.at > to) continue;
    let i = Math.min(width - 1, Math.floor(((mk.at - from) / (to - from)) * width));
    while (i < width - 1 && cells[i] !== ' ') i += 1;
    if (cells[i] !== ' ') {
      // The last slices are taken: place it before them.
      i = cells.lastIndexOf(' ');
      if (i < 0) continue;
    }
    cells[i] = mk.letter;
  }
  return cells.join('').replace(/\s+$/, '');
}
