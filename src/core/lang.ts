/**
 * The interface speaks one language (display.lang, --lang; default from the locale). Full translations
 * of the cockpit's own words are not here yet: what this module guarantees is that the English interface
 * never mixes in Japanese from runbooks and alarm descriptions. Those carry both languages as
 * "English (日本語)"; the matching one is shown, and a text only in the other language is named, not shown.
 */
export type UiLang = 'en' | 'ja';

/** Hiragana, katakana, CJK ideographs, half-width katakana, CJK punctuation and full-width forms. */
const JAPANESE = /[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;
/** A parenthesised part (ASCII or full-width brackets), one level of nesting allowed inside. */
const PAREN = /\s*[(（](?:[^()（）]|[(（][^()（）]*[)）])*[)）]/g;

/** The language the locale asks for: LC_ALL, else LC_MESSAGES, else LANG (POSIX's order); ja_JP.UTF-8 → ja. */
export function langFromEnv(env: NodeJS.ProcessEnv): UiLang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^ja(?:[_.@-]|$)/i.test(locale) ? 'ja' : 'en';
}

let current: UiLang = 'en';

/** Set once at start (commands/context.ts configFor), like the time zone: one process speaks one language. */
export function setUiLang(lang: UiLang): void {
  current = lang;
}

export function uiLang(): UiLang {
  return current;
}

export function hasJapanese(text: string): boolean {
  return JAPANESE.test(text);
}

/**
 * The part of a text in `lang`. "ECS service CPU high (CPU 使用率)": English before, Japanese in the
 * brackets. For English, bracketed Japanese goes; a text that is Japanese through and through says so
 * instead of mixing in. For Japanese, the bracketed Japanese of a bilingual text, else the text itself.
 */
export function inLanguage(text: string, lang: UiLang = current): string {
  if (!hasJapanese(text)) return text;
  const japaneseParts: string[] = [];
  const english = text
    .replace(PAREN, (part) => {
      if (!hasJapanese(part)) return part;
      japaneseParts.push(part.trim().slice(1, -1).trim());
      return '';
    })
    .trim();
  if (lang === 'ja') return japaneseParts.length === 1 && english && !hasJapanese(english) ? japaneseParts[0]! : text;
  // A description written in both, sentence by sentence: the English sentences are kept, line by line.
  const sentences = english
    .split('\n')
    .map((line) =>
      line
        .split(/(?<=[.。!?])\s+/)
        .filter((sentence) => !hasJapanese(sentence))
        .join(' '),
    )
    .filter((line, i, all) => line.trim() !== '' || (i > 0 && all[i - 1]!.trim() !== ''))
    .join('\n')
    .trim();
  return sentences ? sentences : '(written in Japanese: --lang ja shows it)';
}
