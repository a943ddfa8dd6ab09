/**
 * Dialogs and the room's questions fit the terminal: at 80x24 (a body of 21 rows) and at 40 rows every
 * line is within the width, the box within the rows, the question and the answer line always drawn, words
 * never cut at a line's end, and what does not fit scrolls (PgUp/PgDn) with how much is out of view said.
 */
import React from 'react';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { DialogBox, dialogKey, type Dialog } from '../../src/ui/components/Dialog.js';
import { ParamQuestion } from '../../src/ui/views/room/ParamQuestion.js';
import type { ParamPrompt } from '../../src/core/runbooks/paramPrompt.js';
import { fitPanel, wrapWords } from '../../src/ui/render/fitPanel.js';
import { createTheme } from '../../src/ui/theme.js';

const theme = createTheme(false);

/** The lines of a frame, and that each fits `width`. */
function lines(frame: string | undefined, width: number): string[] {
  const all = (frame ?? '').split('\n');
  for (const l of all) expect(stringWidth(l), l).toBeLessThanOrEqual(width);
  return all;
}

const blast = Array.from(
  { length: 9 },
  (_, i) =>
    `effect ${i + 1}: the instance stays available, but storage can be modified only once every 6 hours and never shrinks again`,
);
const tall: Dialog = {
  kind: 'confirm',
  title: 'Grow the RDS instance storage: vitascope-db',
  target: 'vitascope-db',
  lines: blast,
  typed: true,
  value: 'vitascope',
  danger: true,
  run: () => Promise.resolve('done'),
};

// The words of the dialog's text, for checking that no word is cut where a line wraps.
const words = new Set(blast.join(' ').split(' '));

describe('dialogs fit the terminal', () => {
  it('80x24: a confirmation taller than the screen scrolls between its pinned title and answer line', () => {
    const body = 21;
    const ui = render(<DialogBox dialog={tall} theme={theme} width={80} height={body} />);
    const shown = lines(ui.lastFrame(), 80);
    ui.unmount();
    expect(shown.length).toBeLessThanOrEqual(body);
    expect(shown[1]).toContain('Grow the RDS instance storage: vitascope-db');
    expect(shown.at(-3)).toContain('Type vitascope-db to confirm');
    expect(shown.at(-2)).toMatch(/│ > vitascope {2}/);
    const below = /↓ (\d+) more lines \(PgDn\)/.exec(shown.join('\n'));
    expect(below).not.toBeNull();
    // Wrapped at word boundaries: every word of a body line is a whole word of the text.
    for (const l of shown.slice(2, -4)) {
      const text = l.replace(/^│ /, '').replace(/ *│$/, '').trim();
      if (text.startsWith('↓') || text.startsWith('↑')) continue;
      for (const w of text.split(' ')) expect(words.has(w), `${w} in ${text}`).toBe(true);
    }

    // PgDn scrolls the text; the title and the answer line stay.
    const next = dialogKey(tall, { name: 'pagedown', input: '' }).next!;
    expect(next.kind === 'confirm' && next.scroll).toBe(5);
    const ui2 = render(<DialogBox dialog={next} theme={theme} width={80} height={body} />);
    const scrolled = lines(ui2.lastFrame(), 80);
    ui2.unmount();
    expect(scrolled.length).toBeLessThanOrEqual(body);
    // Scrolled as far as the text goes (the 5 asked for, clamped to its end): nothing left below.
    expect(scrolled.join('\n')).toMatch(/↑ \d+ more lines \(PgUp\)/);
    expect(scrolled.join('\n')).not.toContain('(PgDn)');
    expect(scrolled.join('\n')).toContain('effect 9:');
    expect(scrolled[1]).toContain('Grow the RDS instance storage');
    expect(scrolled.at(-2)).toContain('> vitascope');
    // Typing still edits the answer while scrolled.
    const typed = dialogKey(next, { name: '-', input: '-' }).next!;
    expect(typed.kind === 'confirm' && typed.value).toBe('vitascope-');
  });

  it('40 rows: the same confirmation is shown whole, nothing scrolled', () => {
    const ui = render(<DialogBox dialog={tall} theme={theme} width={120} height={37} />);
    const shown = lines(ui.lastFrame(), 120);
    ui.unmount();
    expect(shown.length).toBeLessThanOrEqual(37);
    const text = shown.join('\n');
    expect(text).not.toMatch(/more lines? \(Pg/);
    for (let i = 1; i <= 9; i++) expect(text).toContain(`effect ${i}:`);
  });

  it('a long answer keeps its end (where the cursor is) on one line', () => {
    const d: Dialog = {
      kind: 'input',
      title: 'Note',
      prompt: 'What happened?',
      value: 'x'.repeat(150) + 'END',
      run: undefined as never,
      submit: () => Promise.resolve(''),
    } as Dialog;
    const ui = render(<DialogBox dialog={d} theme={theme} width={80} height={21} />);
    const shown = lines(ui.lastFrame(), 80);
    ui.unmount();
    const answer = shown.find((l) => l.includes('> '))!;
    expect(answer).toContain('…');
    expect(answer).toContain('END');
    expect(shown.filter((l) => l.includes('xxxx'))).toHaveLength(1);
  });
});

describe('a parameter question fits the room', () => {
  const prompt: ParamPrompt = {
    kind: 'param',
    name: 'allocatedGiB',
    about: 'the new allocated storage of the database, in GiB (it can only grow)',
    why: 'The step “Grow the allocated storage (asks for the new size in GiB)” needs it to grow the RDS instance storage.',
    current: 'vitascope-db has 200 GiB allocated, 94 % used',
    suggested: {
      value: '400',
      from: 'double the current allocation (the usual step: it can be grown again only after six hours)',
    },
    above: 200,
  };

  it('80 columns, 9 rows: the why gives way; the question, the answer and the refusal as typed stay', () => {
    const ui = render(<ParamQuestion prompt={prompt} text="y" theme={theme} width={80} height={9} />);
    const shown = lines(ui.lastFrame(), 80);
    ui.unmount();
    expect(shown.length).toBeLessThanOrEqual(9);
    const text = shown.join('\n');
    expect(text).toContain('Give the new allocated storage');
    expect(text).toContain('> y');
    expect(text).toContain('✗ more than 200 is needed');
    expect(text).not.toContain('The step “Grow');
  });

  it('80 columns, 16 rows: everything, words whole', () => {
    const ui = render(<ParamQuestion prompt={prompt} text="" theme={theme} width={80} height={16} />);
    const shown = lines(ui.lastFrame(), 80);
    ui.unmount();
    const text = shown.join('\n');
    expect(text).toContain('The step “Grow');
    expect(text).toContain('Suggested: 400 — double the current allocation');
    expect(text).toContain('⏎ on an empty line takes 400');
    expect(text).not.toMatch(/more lines? \(Pg/);
  });
});

describe('fitPanel', () => {
  it('wraps at spaces, breaks only a word longer than the line, and keeps a hanging indent', () => {
    expect(wrapWords('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrapWords('a 0123456789abc', 6)).toEqual(['a', '012345', '6789ab', 'c']);
    expect(wrapWords('  ! one two three four', 12, 4)).toEqual(['  ! one two', '    three', '    four']);
    expect(wrapWords('幅広い文字の行です', 8)).toEqual(['幅広い文', '字の行で', 'す']);
  });

  it('drops optional parts (highest first) before scrolling, and scroll is clamped', () => {
    const parts = [
      { text: 'Q', style: 'q', pinned: true },
      { text: 'why', style: 'w', optional: 2 },
      { text: 'a\nb\nc\nd\ne\nf', style: 'm' },
      { text: 'detail', style: 'd', optional: 1 },
      { text: '> x', style: 'i', pinned: true },
    ];
    expect(fitPanel(parts, { width: 20, height: 10 }).dropped).toBe(0);
    const nine = fitPanel(parts, { width: 20, height: 9 });
    expect(nine.dropped).toBe(1);
    expect(nine.lines.map((l) => l.text)).toContain('detail');
    const eight = fitPanel(parts, { width: 20, height: 8 });
    expect(eight.dropped).toBe(2);
    expect(eight.lines.map((l) => l.text)).toEqual(['Q', 'a', 'b', 'c', 'd', 'e', 'f', '> x']);
    const five = fitPanel(parts, { width: 24, height: 5, scroll: 99 });
    expect(five.lines.map((l) => l.text)).toEqual(['Q', '↑ 4 more lines (PgUp)', 'e', 'f', '> x']);
    expect(five.below).toBe(0);
    const tiny = fitPanel(parts, { width: 20, height: 1 });
    expect(tiny.lines.map((l) => l.text)).toEqual(['> x']);
  });
});
