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

/** The text in the interface's language (core/lang.ts): runbooks carry both, the screen shows one. */
export { inLanguage } from '../lang.js';
