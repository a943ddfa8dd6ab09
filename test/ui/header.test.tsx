/**
 * The header never wraps: with a team server offline at 80 columns the badge and the clock shorten by
 * priority (the alarm counts always stay), and the whole header is one line of at most the width.
 */
import React from 'react';
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { Banner } from '../../src/ui/components/Chrome.js';
import { createTheme } from '../../src/ui/theme.js';
import { relative } from '../../src/core/time.js';

const NOW = Date.UTC(2026, 0, 5, 2, 0);
const offline = { state: 'offline' as const, offlineSince: NOW - 5 * 60_000, waiting: 12, pushed: 0, pulled: 0 };

function header(width: number): string {
  const ui = render(
    <Box width={width}>
      <Banner
        environment={{ kind: 'sandbox' } as never}
        now={NOW}
        theme={createTheme(false)}
        context="scenario disk-fill · seed 1 · 1× time"
        counts={{ critical: 1, warning: 12, info: 0 }}
        readonly={false}
        team={offline}
        width={width}
      />
    </Box>,
  );
  const frame = ui.lastFrame() ?? '';
  ui.unmount();
  return frame;
}

describe('the header at every width', () => {
  it('100 columns: the whole badge, the date and the time', () => {
    const f = header(100);
    expect(f.split('\n')).toHaveLength(1);
    expect(f).toContain('team: offline (since 01:55, 12 events waiting)');
    expect(f).toContain('2026-01-05 02:00');
  });

  for (const width of [80, 60]) {
    it(`${width} columns: one line, counts kept, the badge short, never cut mid-phrase`, () => {
      const f = header(width);
      const lines = f.split('\n');
      expect(lines).toHaveLength(1);
      expect(stringWidth(lines[0]!)).toBeLessThanOrEqual(width);
      expect(f).toContain('✗ 1 ▲ 12 ● 0');
      expect(f).toMatch(/team offline(, 12 waiting)? {2}(2026-01-05 )?02:00 UTC/);
      expect(f).not.toContain('(since');
    });
  }
});

describe('relative times', () => {
  it('says "now" for what happens within the second, never "in 0s"', () => {
    expect(relative(NOW, NOW)).toBe('now');
    expect(relative(NOW + 400, NOW)).toBe('now');
    expect(relative(NOW - 999, NOW)).toBe('now');
    expect(relative(NOW + 90_000, NOW)).toBe('in 1m');
    expect(relative(NOW - 5_000, NOW)).toBe('5s ago');
  });
});
