import { Text as InkText, type TextProps } from 'ink';
import React from 'react';
import type { Safe } from '../../core/sanitize.js';
import type { Linked } from '../../core/links.js';

/**
 * What a <Text> may hold: sanitised strings (core/sanitize.ts: terminalLine, screenLine, the `safe` tag),
 * numbers, and elements (other <Text>s). A plain string is a type error: outside text that skipped the
 * sanitiser cannot reach the screen, and the program's own labels say so with safe`…`. A Linked string is a
 * Safe label inside an OSC 8 link to a checked URL (core/links.ts hyperlink).
 */
export type SafeChild = Safe | Linked | number | boolean | null | undefined | React.ReactElement | readonly SafeChild[];

export interface SafeTextProps extends Omit<TextProps, 'children'> {
  readonly children?: SafeChild;
}

/**
 * Ink's <Text> itself, typed to accept only sanitised strings as children; views import it instead of
 * ink's. The same component, not a wrapper: the guarantee is the compiler's and costs no render.
 */
export const Text = InkText as unknown as (props: SafeTextProps) => React.ReactElement;
