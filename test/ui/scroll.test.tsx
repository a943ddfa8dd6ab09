/**
 * The long views' window (ScrollBox) in a real Ink frame: it shows the lines from its offset, measures
 * how far it can scroll, and finds the searched text's lines in what was drawn; and help, which was cut
 * before the room's keys, reaches them by scrolling.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ScrollBox, type ScrollLayout } from '../../src/ui/components/ScrollBox.js';
import { resolveBindings } from '../../src/ui/keys.js';
import { createTheme } from '../../src/ui/theme.js';
import { HelpView } from '../../src/ui/views/HelpView.js';

const theme = createTheme(false);
const lines = Array.from({ length: 50 }, (_, i) => `line ${i + 1}${i === 33 ? ' the needle' : ''}`);

describe('ScrollBox', () => {
  it('shows the window at its offset and reports how far it scrolls', () => {
    const layouts: ScrollLayout[] = [];
    const { lastFrame } = render(
      <ScrollBox offset={20} height={10} theme={theme} onLayout={(l) => layouts.push(l)}>
        <Box flexDirection="column">
          {lines.map((l) => (
            <Text key={l}>{l}</Text>
          ))}
        </Box>
      </ScrollBox>,
    );
    const shown = lastFrame()!.split('\n');
    expect(shown[0]).toBe('line 21');
    expect(shown.at(-1)).toBe('line 30');
    expect(shown).toHaveLength(10);
    expect(layouts.at(-1)).toEqual({ max: 40, hits: [] });
  });

  it('finds the lines that hold the searched text, wherever the view put them', () => {
    const layouts: ScrollLayout[] = [];
    const { lastFrame } = render(
      <ScrollBox offset={0} height={10} search="NEEDLE" theme={theme} onLayout={(l) => layouts.push(l)}>
        <Text bold>title</Text>
        <Box flexDirection="column" marginTop={1}>
          {lines.map((l) => (
            <Text key={l}>{l}</Text>
          ))}
        </Box>
      </ScrollBox>,
    );
    // title, a blank line, then line 1 at index 2: "line 34" is at 35.
    expect(layouts.at(-1)).toEqual({ max: 43, hits: [35], search: 'needle' });
    expect(lastFrame()).toContain('/needle');
  });

  it('help scrolls to the incident room keys at 80x24', () => {
    const bindings = resolveBindings(undefined, false);
    const layouts: ScrollLayout[] = [];
    const draw = (offset: number) => (
      <ScrollBox offset={offset} height={21} theme={theme} onLayout={(l) => layouts.push(l)}>
        <HelpView bindings={bindings} readonly={false} theme={theme} width={80} height={21} />
      </ScrollBox>
    );
    const { lastFrame, rerender } = render(draw(0));
    expect(lastFrame()).not.toContain('apply the planned action');
    const max = layouts.at(-1)!.max;
    expect(max).toBeGreaterThan(0);
    rerender(draw(max));
    expect(lastFrame()).toContain('Override keys in the config');
    const all: string[] = [];
    for (let at = 0; at <= max; at += 10) {
      rerender(draw(at));
      all.push(lastFrame()!);
    }
    expect(all.join('\n')).toContain('apply the planned action');
  });
});
