import type { Health } from '../core/model.js';

/**
 * Colour for headless output, by meaning rather than by colour name. Off when the stream is not a
 * terminal, when NO_COLOR is set (any value, per no-color.org) or --no-color is given; FORCE_COLOR
 * turns it on for pipes. Nothing relies on colour alone: levels also carry a word and a symbol.
 */
export interface Style {
  readonly enabled: boolean;
  level(level: Health, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  production(text: string): string;
}

const SGR: Record<Health, string> = { critical: '31', warning: '33', info: '36', ok: '32' };

export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function createStyle(enabled: boolean): Style {
  const wrap = (code: string, text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    enabled,
    level: (level, text) => wrap(SGR[level], text),
    bold: (text) => wrap('1', text),
    dim: (text) => wrap('2', text),
    production: (text) => wrap('1;97;41', text),
  };
}

/** A level as a symbol and a word, so it reads without colour. */
export const LEVEL_LABEL: Record<Health, string> = {
  critical: '✗ CRIT',
  warning: '▲ WARN',
  info: '● INFO',
  ok: '✓ OK',
};
