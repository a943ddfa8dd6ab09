/**
 * A logs finding states trends ("new since", "×N") only when both windows were read whole: with the window
 * before cut by the source's limit, ordinary traffic must not read as new.
 */
import { describe, expect, it } from 'vitest';
import { findInLogs } from '../../../src/core/logs/finding.js';
import { logFindingText } from '../../../src/core/runbooks/steps/findingText.js';
import type { LogEvent, LogQuery, LogResult, LogSource } from '../../../src/sources/logPorts.js';

/** The same steady traffic in every minute; reads of the window before stop at `beforeLimit` lines (incomplete). */
function steady(beforeStart: number, beforeLimit: number): LogSource {
  const lines = (q: LogQuery): LogEvent[] => {
    const out: LogEvent[] = [];
    for (let t = q.start; t < q.end; t += 1_000)
      out.push({
        timestamp: t,
        message: `INFO request path=/api/v1/users/me status=200 duration=${(t / 1000) % 90}ms`,
        group: '/ecs/vitascope-api',
      });
    return out;
  };
  return {
    async query(q: LogQuery): Promise<LogResult> {
      const all = lines(q);
      const cut = q.start === beforeStart && all.length > beforeLimit;
      return cut
        ? { events: all.slice(-beforeLimit), complete: false, via: 'test', reason: 'the newest lines only' }
        : { events: all, complete: true, via: 'test' };
    },
    async tail() {
      return { events: [], complete: true, via: 'test' };
    },
  };
}

describe('a logs finding with a window read in part', () => {
  const start = 3_600_000;
  const end = start + 15 * 60_000;
  const q = { service: 'vitascope-api', groups: ['/ecs/vitascope-api'], start, end };

  it('states no trend and calls nothing new when the window before was cut', async () => {
    const f = await findInLogs(steady(start - (end - start), 10), q);
    expect(f.trendsKnown).toBe(false);
    expect(f.notable).toBe(false);
    const text = logFindingText(f);
    expect(text).toContain('cannot tell');
    expect(text).not.toMatch(/new since|×\d/);
  });

  it('compares the windows when both were read whole: steady traffic is not new', async () => {
    const f = await findInLogs(steady(-1, 1_000_000), q);
    expect(f.trendsKnown).toBe(true);
    expect(f.notable).toBe(false);
    expect(logFindingText(f)).toMatch(/nothing new or grown/);
  });
});

describe("a finding's clock", () => {
  it('is the zone the screen shows (display.timezone), not UTC', async () => {
    const { setDisplayTimeZone } = await import('../../../src/core/time.js');
    const { hhmm } = await import('../../../src/core/runbooks/steps/findingText.js');
    const at = Date.UTC(2026, 0, 5, 1, 16);
    try {
      setDisplayTimeZone('Asia/Tokyo');
      expect(hhmm(at)).toBe('10:16');
      setDisplayTimeZone('UTC');
      expect(hhmm(at)).toBe('01:16');
    } finally {
      setDisplayTimeZone(undefined);
    }
  });
});
