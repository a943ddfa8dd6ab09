/**
 * The cockpit's own words in the language it speaks (--lang, display.lang, else the locale): one
 * catalogue per language, the same keys in both (ja.ts is typed Record<MessageKey, string>, so a key
 * missing there does not compile). The language is chosen once at start and reaches views through the
 * session's snapshot (`snapshot.t`), never through a global the views read.
 */
import type { UiLang } from '../lang.js';
import { en, type MessageKey } from './en.js';
import { ja } from './ja.js';

export type { MessageKey } from './en.js';
export type MessageParams = Readonly<Record<string, string | number>>;

/** `t('list.shownOf', { shown: 3, total: 9 })` → "3 of 9"; `t.lang` says which language it speaks. */
export interface Translate {
  (key: MessageKey, params?: MessageParams): string;
  readonly lang: UiLang;
}

export const CATALOGUES: Readonly<Record<UiLang, Readonly<Record<MessageKey, string>>>> = { en, ja };

const PARAM = /\{(\w+)\}/g;

/** The names of a message's {params}, sorted (the catalogue test compares them across languages). */
export function paramsOf(message: string): string[] {
  return [...new Set([...message.matchAll(PARAM)].map((m) => m[1]!))].sort();
}

function make(lang: UiLang): Translate {
  const catalogue = CATALOGUES[lang];
  const fn = (key: MessageKey, params?: MessageParams): string => {
    const message = catalogue[key];
    if (!params) return message;
    // A param the caller did not pass stays visible as {name}: a bug to see, not a blank to miss.
    return message.replace(PARAM, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
  return Object.assign(fn, { lang }) as Translate;
}

const TRANSLATORS: Readonly<Record<UiLang, Translate>> = { en: make('en'), ja: make('ja') };

/** The translator for a language: the same function object every time (a stable snapshot slice). */
export function translator(lang: UiLang): Translate {
  return TRANSLATORS[lang];
}

/** English, the default where no language was passed (headless callers, tests). */
export const EN: Translate = TRANSLATORS.en;
