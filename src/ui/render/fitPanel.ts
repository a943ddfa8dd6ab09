import { displayWidth, truncate } from '../../output/table.js';

/**
 * Fitting a question (a dialog, a plan to confirm, a parameter prompt) into the rows and columns the
 * terminal has. Ink lays a column out with flexbox: a box taller than its parent shrinks its text nodes,
 * and a shrunk text still draws all its lines over its neighbours' (the stale `n declinewithin 30m`
 * of an 80x24 terminal). So a question is cut to size here, as plain lines that each fit the width,
 * before Ink sees it: nothing then shrinks, and the answer line is always drawn.
 */

/** One part of a panel: a paragraph, wrapped at word boundaries to the width. */
export interface PanelPart<S> {
  /** Sanitised text (no escape sequences); newlines start new lines. */
  readonly text: string;
  /** Passed through to the lines (a colour, boldness…). */
  readonly style: S;
  /**
   * Pinned parts are never scrolled away: the question itself, the answer line, a validation error.
   * Pinned parts at the start stay on top, pinned parts at the end stay at the bottom.
   */
  readonly pinned?: boolean;
  /** Optional parts go first when the panel is too tall, highest number first. @default undefined (kept) */
  readonly optional?: number;
  /** Shown as one line cut with … when the panel is too tall, instead of wrapped (key hints). */
  readonly squeeze?: boolean;
  /** Always one line, cut with … and never wrapped (an answer line, kept as typed, spaces and all). */
  readonly oneLine?: boolean;
  /** Columns continuation lines are indented by (a list item's text under its marker). @default 0 */
  readonly hang?: number;
}

export interface PanelLine<S> {
  readonly text: string;
  readonly style: S | 'more';
}

export interface FittedPanel<S> {
  readonly lines: readonly PanelLine<S>[];
  /** Lines scrolled out of view above and below (the scrollable middle), after clamping the scroll. */
  readonly above: number;
  readonly below: number;
  /** The scroll actually used (the requested one, clamped). */
  readonly scroll: number;
  /** How many optional parts were left out. */
  readonly dropped: number;
}

/** Wraps text at word boundaries to `width` display columns; a word wider than the width is broken. */
export function wrapWords(text: string, width: number, hang = 0): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    const lead = /^ */.exec(paragraph)![0];
    const words = paragraph.slice(lead.length).split(/ +/).filter(Boolean);
    let line = lead;
    let used = displayWidth(lead);
    let first = true;
    const indent = () => ' '.repeat(Math.min(hang, Math.max(0, w - 8)));
    const flush = () => {
      out.push(line.trimEnd());
      first = false;
      line = indent();
      used = line.length;
    };
    for (const word of words) {
      const ww = displayWidth(word);
      const gap = line.trim() ? 1 : 0;
      if (used + gap + ww <= w) {
        line += (gap ? ' ' : '') + word;
        used += gap + ww;
        continue;
      }
      if (line.trim()) flush();
      // A word longer than a whole line (a long id, a URL) is broken where the line ends.
      let rest = word;
      while (displayWidth(rest) > w - used) {
        let cut = '';
        let cw = 0;
        for (const ch of rest) {
          const chw = displayWidth(ch);
          if (cw + chw > w - used) break;
          cut += ch;
          cw += chw;
        }
        if (!cut) break;
        line += cut;
        rest = rest.slice(cut.length);
        flush();
      }
      line += rest;
      used += displayWidth(rest);
    }
    if (line.trim() || first) out.push(line.trimEnd());
  }
  return out;
}

/** The marker of lines out of view; `key` names the key that brings them in. */
function more(n: number, dir: '↑' | '↓', key: string, width: number): string {
  return truncate(`${dir} ${n} more line${n === 1 ? '' : 's'} (${key})`, width);
}

/**
 * The panel's lines for `width` columns and at most `height` rows: every part wrapped at word
 * boundaries; when that is too tall, hints squeezed to one line, then optional parts dropped (highest
 * first), then the middle (what is neither pinned on top nor at the bottom) scrolled, `scroll` lines
 * down, with how many lines are out of view said above and below.
 */
export function fitPanel<S>(
  parts: readonly PanelPart<S>[],
  size: { readonly width: number; readonly height: number; readonly scroll?: number },
): FittedPanel<S> {
  const width = Math.max(1, size.width);
  const height = Math.max(1, size.height);
  let kept = [...parts];
  let squeezed = false;
  const linesOf = (p: PanelPart<S>): PanelLine<S>[] =>
    (p.oneLine || (squeezed && p.squeeze)
      ? [truncate(p.text.replace(/\n/g, ' '), width)]
      : wrapWords(p.text, width, p.hang)
    ).map((text) => ({ text, style: p.style }));
  const total = () => kept.reduce((n, p) => n + linesOf(p).length, 0);
  if (total() > height) squeezed = true;
  let dropped = 0;
  while (total() > height) {
    const worst = kept.reduce<number | undefined>(
      (best, p, i) =>
        p.optional !== undefined && (best === undefined || p.optional > kept[best]!.optional!) ? i : best,
      undefined,
    );
    if (worst === undefined) break;
    kept = kept.filter((_, i) => i !== worst);
    dropped++;
  }
  const all = kept.map(linesOf);
  if (all.flat().length <= height) return { lines: all.flat(), above: 0, below: 0, scroll: 0, dropped };

  // Still too tall: the pinned head and tail stay, the middle scrolls.
  let h = 0;
  while (h < kept.length && kept[h]!.pinned) h++;
  let t = kept.length;
  while (t > h && kept[t - 1]!.pinned) t--;
  const head = all.slice(0, h).flat();
  const middle = all.slice(h, t).flat();
  const tail = all.slice(t).flat();
  // A terminal too small for even the pinned parts: the answer line and what follows it win.
  if (head.length + tail.length >= height) {
    const lastTail = tail.slice(Math.max(0, tail.length - height));
    const firstHead = head.slice(0, height - lastTail.length);
    return { lines: [...firstHead, ...lastTail], above: 0, below: middle.length, scroll: 0, dropped };
  }
  const room = height - head.length - tail.length;
  if (room < 2 || middle.length === 0) {
    const shown = room >= 1 ? [{ text: more(middle.length, '↓', 'PgDn', width), style: 'more' as const }] : [];
    return { lines: [...head, ...shown, ...tail], above: 0, below: middle.length, scroll: 0, dropped };
  }
  const maxScroll = middle.length - (room - 1);
  const scroll = Math.min(Math.max(0, size.scroll ?? 0), maxScroll);
  let window: PanelLine<S>[];
  if (scroll === 0) window = middle.slice(0, room - 1);
  else if (scroll + room - 1 >= middle.length) window = middle.slice(scroll);
  else window = middle.slice(scroll, scroll + room - 2);
  const below = middle.length - scroll - window.length;
  const shown: PanelLine<S>[] = [
    ...(scroll ? [{ text: more(scroll, '↑', 'PgUp', width), style: 'more' as const }] : []),
    ...window,
    ...(below ? [{ text: more(below, '↓', 'PgDn', width), style: 'more' as const }] : []),
  ];
  return { lines: [...head, ...shown, ...tail], above: scroll, below, scroll, dropped };
}
