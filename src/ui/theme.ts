import type { Health } from '../core/model.js';

/**
 * Colours by meaning. Views use these tokens, never colour names. Without colour (NO_COLOR,
 * --no-color) every token is undefined and Ink writes plain text; levels still carry a word and a
 * symbol, and the selected row still shows a marker.
 */
export interface Theme {
  readonly colour: boolean;
  readonly level: Readonly<Record<Health, string | undefined>>;
  readonly accent?: string;
  readonly muted?: string;
  readonly title?: string;
  readonly production: { readonly color?: string; readonly backgroundColor?: string };
  readonly sandbox: { readonly color?: string; readonly backgroundColor?: string };
  readonly ok?: string;
}

export function createTheme(colour: boolean): Theme {
  if (!colour) {
    return {
      colour,
      level: { critical: undefined, warning: undefined, info: undefined, ok: undefined },
      production: {},
      sandbox: {},
    };
  }
  return {
    colour,
    level: { critical: 'red', warning: 'yellow', info: 'cyan', ok: 'green' },
    accent: 'cyan',
    muted: 'gray',
    title: 'white',
    production: { color: 'whiteBright', backgroundColor: 'red' },
    sandbox: { color: 'black', backgroundColor: 'yellow' },
    ok: 'green',
  };
}
