import { Box } from 'ink';
import React from 'react';
import { safe, type Safe } from '../../core/sanitize.js';
import { displayWidth } from '../../output/table.js';
import { fitPanel, type PanelPart } from '../render/fitPanel.js';
import type { Theme } from '../theme.js';
import { Text } from './SafeText.js';

/** How a panel line is drawn; `cursor` ends the line with the text cursor (the answer line). */
export interface PanelStyle {
  readonly color?: string | undefined;
  readonly bold?: boolean;
  readonly inverse?: boolean;
  readonly cursor?: boolean;
}

export type PanelParts = readonly PanelPart<PanelStyle>[];

/** The rows a bordered panel's frame takes (top and bottom border), and the columns (border and padding). */
export const PANEL_FRAME = { rows: 2, columns: 4 } as const;

/**
 * The answer line as typed, `> text█`: its end (where the cursor is) kept when it is longer than the
 * line, so the answer line never wraps and never pushes anything off the screen.
 */
export function answerLine(prompt: string, text: Safe | string, width: number): PanelPart<PanelStyle> {
  const room = Math.max(1, width - displayWidth(prompt) - 1);
  let shown = String(text);
  if (displayWidth(shown) > room) {
    const chars = [...shown];
    while (chars.length && displayWidth(`…${chars.join('')}`) > room) chars.shift();
    shown = `…${chars.join('')}`;
  }
  return { text: `${prompt}${shown}`, style: { cursor: true }, pinned: true, oneLine: true };
}

/**
 * A question in a round border that fits `width` × `height` by construction (render/fitPanel.ts):
 * wrapped at word boundaries, optional parts left out first, then the middle scrolled by `scroll`.
 */
export function Panel(props: {
  readonly parts: PanelParts;
  readonly width: number;
  readonly height: number;
  readonly scroll?: number;
  readonly borderColor?: string | undefined;
  readonly theme: Theme;
}): React.ReactElement {
  const inner = Math.max(1, props.width - PANEL_FRAME.columns);
  const fitted = fitPanel(props.parts, {
    width: inner,
    height: Math.max(1, props.height - PANEL_FRAME.rows),
    scroll: props.scroll ?? 0,
  });
  return (
    <Box
      flexDirection="column"
      flexShrink={0}
      borderStyle="round"
      borderColor={props.borderColor}
      paddingX={1}
      width={props.width}
    >
      {fitted.lines.map((l, i) =>
        l.style === 'more' ? (
          <Text key={i} wrap="truncate-end" color={props.theme.muted}>{safe`${l.text}`}</Text>
        ) : (
          <Text key={i} wrap="truncate-end" color={l.style.color} bold={l.style.bold} inverse={l.style.inverse}>
            {safe`${l.text}`}
            {l.style.cursor ? <Text inverse>{safe` `}</Text> : null}
          </Text>
        ),
      )}
    </Box>
  );
}

/** The rows a panel of these parts takes at this size (its frame included), for the views laid out around it. */
export function panelRows(parts: PanelParts, width: number, height: number, scroll = 0): number {
  return (
    fitPanel(parts, {
      width: Math.max(1, width - PANEL_FRAME.columns),
      height: Math.max(1, height - PANEL_FRAME.rows),
      scroll,
    }).lines.length + PANEL_FRAME.rows
  );
}
