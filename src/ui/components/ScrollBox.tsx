import { Box, measureElement, type DOMElement } from 'ink';
import { Text } from './SafeText.js';
import React, { useLayoutEffect, useRef } from 'react';
import { screenLine, safe } from '../../core/sanitize.js';
import type { Theme } from '../theme.js';

/** What a long view measured after drawing: how far it can scroll, and the lines that hold the searched text. */
export interface ScrollLayout {
  readonly max: number;
  readonly hits: readonly number[];
  readonly search?: string;
}

interface InkNode {
  readonly nodeName: string;
  readonly nodeValue?: string;
  readonly childNodes?: readonly InkNode[];
  readonly yogaNode?: { getComputedTop(): number; getComputedHeight(): number };
}

// A link's sequence (core/links.ts hyperlink) is not text on screen: its URL must not match a search.
// eslint-disable-next-line no-control-regex
const LINK_SEQUENCE = /\u001b\]8;;[^\u0007]*\u0007/g;

function textOf(node: InkNode): string {
  if (node.nodeName === '#text') return (node.nodeValue ?? '').replace(LINK_SEQUENCE, '');
  return (node.childNodes ?? []).map(textOf).join('');
}

/**
 * The lines (from the top of the content) of every text that holds `search`, read from what was drawn:
 * the search covers the view's whole text, whatever the view, without each view listing its lines.
 */
function findLines(node: InkNode, search: string, top: number, out: number[]): void {
  const y = top + (node.yogaNode?.getComputedTop() ?? 0);
  if (node.nodeName === 'ink-text') {
    if (textOf(node).toLowerCase().includes(search)) out.push(y);
    return;
  }
  for (const child of node.childNodes ?? []) findLines(child, search, y, out);
}

/**
 * A long view in a window of `height` lines, scrolled `offset` lines down: the content is drawn whole
 * and shifted up, the box clips it. After each draw it reports how far it can scroll and where the
 * searched text is (the session clamps the scroll and jumps to the first hit).
 */
export function ScrollBox(props: {
  readonly offset: number;
  readonly height: number;
  readonly search?: string;
  readonly onLayout?: (layout: ScrollLayout) => void;
  readonly theme: Theme;
  readonly children: React.ReactNode;
}): React.ReactElement {
  const ref = useRef<DOMElement>(null);
  const last = useRef<{ max: number; hits: string; search?: string }>({ max: -1, hits: '' });
  const hitsRef = useRef<readonly number[]>([]);
  const search = props.search?.toLowerCase();
  // One line for the search's status when a search is on.
  const window = Math.max(1, props.height - (search ? 1 : 0));
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const content = measureElement(el).height;
    const hits: number[] = [];
    if (search) for (const child of (el as unknown as InkNode).childNodes ?? []) findLines(child, search, 0, hits);
    hitsRef.current = hits;
    const max = Math.max(0, content - window);
    const key = hits.join(',');
    if (last.current.max === max && last.current.hits === key && last.current.search === search) return;
    last.current = { max, hits: key, search };
    props.onLayout?.({ max, hits, ...(search ? { search } : {}) });
  });
  const offset = Math.max(0, props.offset);
  const hits = hitsRef.current;
  const here = hits.filter((h) => h >= offset && h < offset + window).length;
  return (
    <Box flexDirection="column" height={props.height} overflow="hidden">
      {search ? (
        <Text wrap="truncate-end" color={hits.length ? props.theme.accent : props.theme.muted}>
          {safe`${
            hits.length
              ? `/${screenLine(search)}: ${hits.length} line${hits.length > 1 ? 's' : ''} match, ${here} in view (line ${hits
                  .map((h) => h + 1)
                  .slice(0, 8)
                  .join(', ')}${hits.length > 8 ? ', …' : ''})`
              : `/${screenLine(search)}: not in this view`
          }`}
        </Text>
      ) : null}
      <Box flexDirection="column" height={window} overflow="hidden">
        <Box ref={ref} flexDirection="column" flexShrink={0} marginTop={-offset}>
          {props.children}
        </Box>
      </Box>
    </Box>
  );
}
