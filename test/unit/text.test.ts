import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { inert, inertLine, inertText, hasControl, jsonText } from '../../src/core/sanitize.js';
import { renderTable, truncate } from '../../src/output/table.js';
import { formatDuration, parseDuration, formatClock } from '../../src/core/time.js';
import { formatValue } from '../../src/core/policy/units.js';
import { colourWanted, createStyle } from '../../src/output/style.js';

describe('sanitising text from outside', () => {
  it('shows escape and control sequences as visible symbols, never raw', () => {
    const evil = 'api\u001b[31m-red\u001b]0;pwned\u0007\u009b2J\r\n\u202etxt';
    const out = inert(evil);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(out).toContain('␛[31m');
    expect(out).toContain('␇');
    expect(out).toContain('\\u009b2J');
    expect(out).toContain('\\u202e');
    expect(hasControl(evil)).toBe(true);
    expect(hasControl(out)).toBe(false);
    expect(inertLine('a\nb\tc')).toBe('a b c');
  });

  it('leaves ordinary and Japanese text alone', () => {
    expect(inert('API CPU使用率が70%を超えています')).toBe('API CPU使用率が70%を超えています');
  });

  it('keeps line breaks and tabs in messages of several lines, and nothing else', () => {
    expect(inertText("error: argument '\u001b]2;PWN\u0007' is invalid.\n(Did you mean\t--speed?)\r\n")).toBe(
      "error: argument '␛]2;PWN␇' is invalid.\n(Did you mean\t--speed?)\n",
    );
    expect(inertText('a\rb\u009b2J\u202e')).toBe('a␍b\\u009b2J\\u202e');
  });
});

describe('JSON output', () => {
  const hostile = {
    name: 'api\u001b[31m\u007f\u0085\u009b2J\u202egnp.exe\u2066x\u2028y',
    nested: [{ 'k\u202e': 'v\u200f' }],
    n: 1,
    none: null,
  };

  it('escapes C0 and C1 controls, DEL, the bidirectional controls and the line separators, and stays the same value', () => {
    for (const text of [jsonText(hostile), jsonText(hostile, 2)]) {
      expect(text).not.toMatch(
        /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/,
      );
      expect(JSON.parse(text)).toEqual(hostile);
    }
    expect(jsonText(hostile)).toContain('api\\u001b[31m\\u007f\\u0085\\u009b2J\\u202egnp.exe\\u2066x\\u2028y');
    expect(jsonText('日本語 ✓')).toBe('"日本語 ✓"');
    expect(jsonText(undefined)).toBe('null');
  });

  it('takes a replacer (the reports turn instants into ISO strings)', () => {
    expect(jsonText({ at: 0, v: 1 }, undefined, (k, v) => (k === 'at' ? new Date(v as number).toISOString() : v))).toBe(
      '{"at":"1970-01-01T00:00:00.000Z","v":1}',
    );
  });
});

describe('aligned tables', () => {
  it('aligns columns by display width, Japanese included', () => {
    const text = renderTable(
      [{ header: 'NAME' }, { header: 'VALUE', align: 'right' }],
      [
        ['CPU 使用率', '93 %'],
        ['memory', '5 %'],
      ],
    );
    const lines = text.split('\n');
    const ends = lines.map((l) => stringWidth(l));
    expect(new Set(ends).size).toBe(1);
  });

  it('shrinks the shrinkable column to fit, cutting with an ellipsis at a character boundary', () => {
    const text = renderTable(
      [{ header: 'ID' }, { header: 'TITLE', shrink: true }],
      [['1', 'データベース接続数が最大接続数の80%を超えました']],
      { maxWidth: 24 },
    );
    for (const line of text.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(24);
    expect(text).toContain('…');
    expect(truncate('日本語テキスト', 5)).toBe('日本…');
  });
});

describe('durations, clocks and values', () => {
  it('parses durations with units only', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    for (const bad of ['10', '-5m', 'soon', '', '5 minutes', '1h 30m']) expect(parseDuration(bad), bad).toBeUndefined();
  });

  it('formats durations compactly', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(12 * 60_000)).toBe('12m');
    expect(formatDuration(65 * 60_000)).toBe('1h05m');
    expect(formatDuration(76 * 3_600_000)).toBe('3d4h');
    expect(formatDuration(-90_000)).toBe('-1m');
  });

  it('formats a clock in a given time zone', () => {
    expect(formatClock(Date.UTC(2026, 0, 5, 1, 0), 'Asia/Tokyo')).toBe('2026-01-05 10:00 GMT+9');
    expect(formatClock(Date.UTC(2026, 0, 5, 1, 0), 'UTC')).toBe('2026-01-05 01:00 UTC');
  });

  it('formats values in their units', () => {
    expect(formatValue(93.456, 'percent')).toBe('93.5 %');
    expect(formatValue(1234, 'milliseconds')).toBe('1.23 s');
    expect(formatValue(480, 'milliseconds')).toBe('480 ms');
    expect(formatValue(3.1667, 'times')).toBe('3.17 ×');
    expect(formatValue(14_300, 'bytesPerSecond')).toBe('14.3 kB/s');
    expect(formatValue(undefined, 'percent')).toBe('–');
  });
});

describe('colour', () => {
  it('follows the terminal, NO_COLOR, FORCE_COLOR and --no-color', () => {
    expect(colourWanted({ isTTY: true }, {}, false)).toBe(true);
    expect(colourWanted({ isTTY: false }, {}, false)).toBe(false);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: '1' }, false)).toBe(false);
    expect(colourWanted({ isTTY: true }, {}, true)).toBe(false);
    expect(colourWanted({ isTTY: false }, { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(createStyle(false).level('critical', 'x')).toBe('x');
    expect(createStyle(true).level('critical', 'x')).toBe('\u001b[31mx\u001b[0m');
  });
});

describe('tables bounded whatever their cells hold', () => {
  it('one long cell does not pad every row: the column stops at its maximum and the cell is cut with "…"', async () => {
    const { renderStatus } = await import('../../src/output/statusText.js');
    const { createStyle } = await import('../../src/output/style.js');
    const alarm = (name: string) => ({
      id: name,
      name,
      kind: 'metric' as const,
      state: 'ALARM' as const,
      level: 'warning' as const,
      stateSince: 0,
      actions: [],
    });
    const alarms = [
      alarm('x'.repeat(100_000)),
      ...Array.from({ length: 10 }, (_, i) => alarm(`vitascope-alarm-${i}-warning`)),
    ];
    const text = renderStatus(
      {
        at: 0,
        environment: { kind: 'aws', label: 'AWS', production: false },
        health: 'warning',
        alarms,
        services: [],
        databases: [],
        incidents: [],
        onCall: [],
        sources: [],
        observed: {},
      },
      createStyle(false),
    );
    expect(text.length).toBeLessThan(4000);
    const rows = text.split('\n').filter((l) => l.includes('ALARM') && l.includes('WARN'));
    expect(rows).toHaveLength(11);
    for (const r of rows) expect(stringWidth(r)).toBeLessThan(130);
    expect(rows[0]).toContain('x…');
  });

  it('truncate cuts a long non-ASCII cell without measuring all of it, and keeps the width', () => {
    const cut = truncate('データ'.repeat(50_000), 20);
    expect(stringWidth(cut)).toBeLessThanOrEqual(20);
    expect(cut.endsWith('…')).toBe(true);
    expect(truncate('ab', 20)).toBe('ab');
  });
});
