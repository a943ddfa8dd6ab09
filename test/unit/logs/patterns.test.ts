import { describe, expect, it } from 'vitest';
import {
  analyseLogs,
  comparePatterns,
  factorText,
  groupPatterns,
  PATTERN_LIMITS,
  tokenise,
  topValue,
  type LogLine,
} from '../../../src/core/logs/patterns.js';
import { Tokens } from '../../../src/core/logs/tokens.js';

const T0 = Date.UTC(2026, 11, 4, 1, 0, 0);
const MIN = 60_000;

function pattern(message: string): { key: string; tokens: { kind: string; value: string }[] } {
  const tokens = new Tokens();
  return { key: tokenise(message, tokens), tokens: tokens.list() };
}

describe('tokenise: the variable parts of a line become placeholders', () => {
  it('replaces numbers, addresses, ids, durations, timestamps and quoted strings', () => {
    const { key, tokens } = pattern(
      '2026-12-04T01:07:03.123Z INFO request 9f1c2e4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b from 203.0.113.7 took 231ms status=500 user="alice smith" trace 0x1f2e',
    );
    expect(key).toBe('<ts> INFO request <id> from <ip> took <dur> status=<num> user=<str> trace <id>');
    expect(tokens.map((t) => t.kind)).toEqual(['ts', 'id', 'ip', 'dur', 'num', 'str', 'id']);
    expect(tokens[2]!.value).toBe('203.0.113.7');
    expect(tokens[3]!.value).toBe('231ms');
  });

  it('knows IPv6 addresses and does not take a clock time or a word for one', () => {
    expect(pattern('from 2001:db8::1 at 01:07:03').key).toBe('from <ip> at <ts>');
    expect(pattern('from fe80:0:0:0:200:f8ff:fe21:67cf ok').key).toBe('from <ip> ok');
    expect(pattern('client ::1 said hi').key).toBe('client <ip> said hi');
    expect(pattern('std::vector and a:b').key).toBe('std::vector and a:b');
  });

  it('keeps words with digits in them (v2, HTTP/1.1 keeps its words) and long hex as ids', () => {
    expect(pattern('api v2 HTTP/1.1 sha deadbeefcafe1234 word deadbeef').key).toBe(
      'api v2 HTTP/<num> sha <id> word deadbeef',
    );
  });

  it('makes runs of white space one space, so a stack trace is one pattern whatever its line numbers', () => {
    const a = pattern('Traceback:\n  File "app/users.py", line 42, in me\nKeyError: \'plan\'').key;
    const b = pattern('Traceback:\n  File "app/users.py", line 57, in me\nKeyError: \'plan\'').key;
    expect(a).toBe(b);
    expect(a).toBe('Traceback: File <str>, line <num>, in me KeyError: <str>');
  });

  it('tokenises only the head of a huge line, marking that it did', () => {
    const { key } = pattern(`x ${'y'.repeat(100_000)}`);
    expect(key.length).toBeLessThan(2100);
    expect(key.endsWith(' …')).toBe(true);
  });
});

function lines(spec: [offsetMs: number, message: string][]): LogLine[] {
  return spec.map(([o, message]) => ({ timestamp: T0 + o, message }));
}

describe('groupPatterns: counts, first and last seen, a series and the values of each placeholder', () => {
  it('groups lines of one shape and keeps counts, times, the series and one example', () => {
    const set = groupPatterns(
      lines([
        [0, 'GET /health 200 in 3ms'],
        [MIN, 'GET /health 200 in 4ms'],
        [9 * MIN, 'GET /health 200 in 2ms'],
        [5 * MIN, 'login failed for bob from 198.51.100.9'],
        [10 * MIN, 'outside the window'],
      ]),
      { start: T0, end: T0 + 10 * MIN, buckets: 10 },
    );
    expect(set.lines).toBe(4);
    expect(set.patterns.map((p) => [p.pattern, p.count])).toEqual([
      ['GET /health <num> in <dur>', 3],
      ['login failed for bob from <ip>', 1],
    ]);
    const health = set.patterns[0]!;
    expect(health.firstSeen).toBe(T0);
    expect(health.lastSeen).toBe(T0 + 9 * MIN);
    expect(health.series).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(health.example).toBe('GET /health 200 in 3ms');
    expect(health.placeholders[0]!.top).toEqual([{ value: '200', count: 3, error: 0 }]);
  });

  it('keeps the flooding address among thousands of one-off ones (bounded, heavy hitters never lost)', () => {
    const input: LogLine[] = [];
    for (let i = 0; i < 3000; i++)
      input.push({ timestamp: T0 + i, message: `login failed from 10.${(i >> 8) & 255}.${i & 255}.1` });
    for (let i = 0; i < 1000; i++) input.push({ timestamp: T0 + 3000 + i, message: 'login failed from 203.0.113.66' });
    const set = groupPatterns(input, { start: T0, end: T0 + 10_000 });
    const ph = set.patterns[0]!.placeholders[0]!;
    expect(ph.top.length).toBe(PATTERN_LIMITS.values);
    expect(ph.top[0]!.value).toBe('203.0.113.66');
    expect(ph.top[0]!.count - ph.top[0]!.error).toBeLessThanOrEqual(1000);
    expect(ph.top[0]!.count).toBeGreaterThanOrEqual(1000);
    expect(ph.exact).toBe(false);
    expect(ph.total).toBe(4000);
  });

  it('holds a bounded number of patterns and counts the rest', () => {
    const input: LogLine[] = [];
    for (let i = 0; i < PATTERN_LIMITS.patterns + 50; i++)
      input.push({ timestamp: T0, message: `event kind${String.fromCharCode(97 + (i % 26))}${i.toString(36)}x` });
    const set = groupPatterns(input, { start: T0, end: T0 + 1 });
    expect(set.patterns.length).toBe(PATTERN_LIMITS.patterns);
    expect(set.otherLines).toBe(50);
    expect(set.lines).toBe(PATTERN_LIMITS.patterns + 50);
  });
});

describe('comparePatterns and analyseLogs: the window against the one before it', () => {
  const window = { start: T0 + 30 * MIN, end: T0 + 60 * MIN, buckets: 30 };
  const input: LogLine[] = [];
  // Steady background in both windows.
  for (let m = 0; m < 60; m++) input.push({ timestamp: T0 + m * MIN, message: `GET /health 200 in ${m % 7}ms` });
  // Grows ×10 in the window.
  for (let m = 0; m < 60; m++) {
    const n = m < 30 ? 1 : 10;
    for (let k = 0; k < n; k++) input.push({ timestamp: T0 + m * MIN + k, message: `slow query ${k} rows` });
  }
  // New since 01:37 (minute 37), from one address mostly.
  for (let m = 37; m < 60; m++)
    for (let k = 0; k < 4; k++)
      input.push({
        timestamp: T0 + m * MIN + k * 1000,
        message: `login failed from ${k === 3 ? '10.0.0.5' : '203.0.113.66'}`,
      });
  // Gone in the window.
  for (let m = 0; m < 30; m++) input.push({ timestamp: T0 + m * MIN, message: 'cache warmed' });

  const analysis = analyseLogs(input, window);
  const byPattern = new Map(analysis.comparisons.map((c) => [c.pattern, c]));

  it('says new (with since), more (×N), steady and gone, notable first', () => {
    expect(byPattern.get('login failed from <ip>')!.trend).toEqual({ kind: 'new', since: T0 + 37 * MIN });
    expect(byPattern.get('slow query <num> rows')!.trend).toEqual({ kind: 'more', factor: 10 });
    expect(byPattern.get('GET /health <num> in <dur>')!.trend.kind).toBe('steady');
    expect(byPattern.get('cache warmed')!.trend).toEqual({ kind: 'gone', lastSeen: T0 + 29 * MIN });
    expect(analysis.comparisons.map((c) => c.trend.kind)).toEqual(['more', 'new', 'steady', 'gone']);
    expect(analysis.window.lines + analysis.before.lines).toBe(input.length);
  });

  it('names the address most seen in what appeared or grew', () => {
    const top = topValue(analysis.comparisons, 'ip')!;
    expect(top.value).toBe('203.0.113.66');
    expect(top.count).toBe(23 * 3);
    expect(top.of).toBe(23 * 4);
    // The health lines hold no address; nothing notable holds a duration.
    expect(topValue(analysis.comparisons, 'dur')).toBeUndefined();
    expect(topValue(analysis.comparisons, 'dur', false)!.pattern).toBe('GET /health <num> in <dur>');
  });

  it('compares two empty windows to nothing', () => {
    const empty = groupPatterns([], window);
    expect(comparePatterns(empty, empty)).toEqual([]);
  });

  it('writes factors for a glance', () => {
    expect(factorText(40)).toBe('×40');
    expect(factorText(2.46)).toBe('×2.5');
    expect(factorText(Infinity)).toBe('×∞');
  });
});
