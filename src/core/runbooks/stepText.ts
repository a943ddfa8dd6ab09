import type { StepView } from './progress.js';

/**
 * What a step found or did, for the screen: the recorded output without the prefixes that exist for the
 * journal and a resume (`pass: `, `chose <id>: `, `verified: `) since the mark already says the outcome,
 * and a decision by its option's label, never its id.
 */
export function stepResultText(s: Pick<StepView, 'kind' | 'status' | 'output' | 'reason' | 'choseLabel'>): string | undefined {
  if (s.status === 'skipped') return s.reason;
  const out = s.output;
  if (out === undefined) return undefined;
  switch (s.kind) {
    case 'check':
      return out.replace(/^(pass|fail|no data): /, '');
    case 'decision': {
      const rest = out.replace(/^chose [a-z0-9]+(?:-[a-z0-9]+)*: /, '');
      return s.choseLabel && !rest.startsWith(s.choseLabel) ? s.choseLabel : rest;
    }
    case 'action':
    case 'command':
      return out.replace(/^(verified|nothing-to-do|dry-run|declined|refused): /, '').replace(/^failed \((plan|apply|verify)\): /, (_, stage: string) => `at ${stage === 'plan' ? 'the plan' : stage === 'apply' ? 'apply' : 'verification'}: `);
    default:
      return out;
  }
}

/** A runbook's text in the responder's language: lines written in Japanese are left out of the English screen. */
export function inLanguage(text: string, lang: 'en' | 'ja' = 'en'): string {
  if (lang === 'ja') return text;
  // Parenthesised Japanese (a title's `(CPU 使用率)`) and whole sentences in Japanese.
  const JA = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;
  return text
    .replace(/\s*[（(][^()（）]*[\u3040-\u30ff\u3400-\u9fff][^()（）]*[)）]/g, '')
    .split('\n')
    .map((line) => line.split(/(?<=[.。!?])\s+/).filter((sentence) => !JA.test(sentence)).join(' '))
    .filter((line, i, all) => line.trim() !== '' || (i > 0 && all[i - 1]!.trim() !== ''))
    .join('\n')
    .trim();
}
