import { hasControl } from '../sanitize.js';
import type { Health } from '../model.js';

/** The dialogs the cockpit shows above every view; while one is open, it gets every key. */
export type Dialog =
  | {
      readonly kind: 'confirm';
      readonly title: string;
      /** The thing the action changes, named in the question (and typed, for dangerous ones). */
      readonly target: string;
      readonly lines: readonly string[];
      /** Dangerous actions against production: the target's name must be typed. */
      readonly typed: boolean;
      readonly value: string;
      readonly danger: boolean;
      readonly run: () => Promise<string>;
      readonly scroll?: number;
    }
  | {
      readonly kind: 'input';
      readonly title: string;
      readonly prompt: string;
      readonly value: string;
      readonly submit: (value: string) => Promise<string>;
      readonly scroll?: number;
    }
  | {
      readonly kind: 'select';
      readonly title: string;
      readonly options: readonly { label: string; value: string }[];
      readonly index: number;
      readonly choose: (value: string) => Promise<string>;
    }
  | { readonly kind: 'busy'; readonly title: string }
  | {
      readonly kind: 'message';
      readonly title: string;
      readonly lines: readonly string[];
      readonly level: Health;
      readonly scroll?: number;
    };

export type DialogKey = { readonly name: string; readonly input: string };

/** Lines PgUp/PgDn scroll a question that is taller than the terminal by. */
export const QUESTION_SCROLL_STEP = 5;

/**
 * The scroll of a question's text after PgUp/PgDn (lines from its top), or undefined for any other key.
 * The view clamps it to the text it lays out; `bound` only keeps the number from running away.
 */
export function questionScroll(scroll: number | undefined, key: DialogKey, bound: number): number | undefined {
  if (key.name === 'pageup') return Math.max(0, (scroll ?? 0) - QUESTION_SCROLL_STEP);
  if (key.name === 'pagedown') return Math.min(Math.max(0, bound), (scroll ?? 0) + QUESTION_SCROLL_STEP);
  return undefined;
}

/** A generous bound on the lines a question's text can wrap to (a screen line per 20 characters). */
export function questionBound(texts: readonly string[]): number {
  return texts.reduce((n, t) => n + 1 + Math.ceil(t.length / 20), 0);
}

/** What a key does to a dialog: a new dialog, close it, or run its action. Pure, for tests. */
export function dialogKey(d: Dialog, key: DialogKey): { next?: Dialog; run?: () => Promise<string>; close?: boolean } {
  if (key.name === 'escape') return { close: true };
  if (
    (key.name === 'pageup' || key.name === 'pagedown') &&
    (d.kind === 'confirm' || d.kind === 'input' || d.kind === 'message')
  ) {
    const texts = d.kind === 'input' ? [d.prompt] : d.lines;
    const scroll = questionScroll(d.scroll, key, questionBound(texts));
    if (scroll !== undefined) return { next: { ...d, scroll } };
  }
  switch (d.kind) {
    case 'confirm':
      if (d.typed) {
        if (key.name === 'return') return d.value === d.target ? { run: d.run } : { next: d };
        return { next: { ...d, value: edit(d.value, key) } };
      }
      if (key.input === 'y' || key.input === 'Y') return { run: d.run };
      if (key.input === 'n' || key.input === 'N') return { close: true };
      return { next: d };
    case 'input':
      if (key.name === 'return') return d.value.trim() ? { run: () => d.submit(d.value) } : { next: d };
      return { next: { ...d, value: edit(d.value, key) } };
    case 'select': {
      if (key.name === 'return') {
        const chosen = d.options[d.index];
        return chosen ? { run: () => d.choose(chosen.value) } : { next: d };
      }
      const delta = key.name === 'up' || key.input === 'k' ? -1 : key.name === 'down' || key.input === 'j' ? 1 : 0;
      return { next: { ...d, index: Math.min(d.options.length - 1, Math.max(0, d.index + delta)) } };
    }
    case 'busy':
      return { next: d };
    case 'message':
      return key.name === 'return' || key.input === 'q' ? { close: true } : { next: d };
  }
}

/** Text editing for one-line inputs: printable characters (typed or pasted) append, backspace deletes. */
export function edit(value: string, key: DialogKey): string {
  if (key.name === 'backspace' || key.name === 'delete') return [...value].slice(0, -1).join('');
  if (key.name === 'space') return `${value} `;
  if (key.input && !key.name.startsWith('ctrl+') && !hasControl(key.input)) return value + key.input;
  return value;
}
