/**
 * The UI tests render through the Ink that ships: Ink's own imports of output.js, widest-line and
 * is-in-ci reach the stand-ins in src/ui/vendor/ (vitest.config.ts, scripts/inkVendor.mjs). Each
 * stand-in is wrapped here to count its use; if Ink loaded its own modules instead (Ink not inlined,
 * the substitution broken), the counts stay at zero.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { waitForFrame } from '../harness/ink.js';

const used = vi.hoisted(() => ({ output: 0, widestLine: 0, isInCi: 0 }));

type OutputClass = new (...args: never[]) => object;

vi.mock('../../src/ui/vendor/inkOutput.js', async (importOriginal) => {
  const real = await importOriginal<{ default: OutputClass }>();
  return {
    default: class extends real.default {
      constructor(...args: never[]) {
        super(...args);
        used.output += 1;
      }
    },
  };
});

vi.mock('../../src/ui/vendor/widestLine.js', async (importOriginal) => {
  const real = await importOriginal<{ default: (text: string) => number }>();
  return {
    default: (text: string) => {
      used.widestLine += 1;
      return real.default(text);
    },
  };
});

vi.mock('../../src/ui/vendor/isInCi.js', async (importOriginal) => {
  used.isInCi += 1;
  return importOriginal();
});

describe('the patched Ink under vitest', () => {
  it("renders through src/ui/vendor's Output and widest-line, and asks its is-in-ci", async () => {
    const { lastFrame, unmount } = render(
      <Box borderStyle="single" alignSelf="flex-start">
        <Text>patched 日本語</Text>
      </Box>,
    );
    const frame = await waitForFrame(lastFrame, (f) => f.includes('patched 日本語'), 'the first frame');
    unmount();
    // The box is drawn to the text's measured width: 8 columns of ASCII and 3 wide characters.
    expect(frame.split('\n')[0]).toBe(`┌${'─'.repeat(14)}┐`);
    expect(used.output).toBeGreaterThan(0);
    expect(used.widestLine).toBeGreaterThan(0);
    expect(used.isInCi).toBe(1);
  });
});
