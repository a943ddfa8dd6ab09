import React from 'react';
import { hyperlink, type LinkUrl } from '../../core/links.js';
import type { Safe } from '../../core/sanitize.js';
import { Text, type SafeTextProps } from './SafeText.js';

export interface LinkProps extends Omit<SafeTextProps, 'children'> {
  /** The text shown, already sanitised: the link changes nothing of what is seen or how wide it is. */
  readonly label: Safe;
  /** Where it leads; no link when undefined (an item without a checked URL). */
  readonly url?: LinkUrl | undefined;
  /** Whether links are drawn at all (the terminal shows them, not --no-links, real sources). @default false */
  readonly on?: boolean;
}

/**
 * A label that is a clickable link (OSC 8) where links are on, and plain text otherwise. Ink measures and
 * cuts the linked label like a coloured one (core/links.ts hyperlink says why), so columns stay put.
 */
export function Link({ label, url, on = false, ...rest }: LinkProps): React.ReactElement {
  return <Text {...rest}>{on && url ? hyperlink(label, url) : label}</Text>;
}
