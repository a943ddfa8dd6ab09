/**
 * Log text at the door: well formed (lone surrogates, i.e. invalid UTF-8 after decoding, become U+FFFD),
 * at most the byte bound with the marker, never half a character; Insights' time formats; the filter
 * strings the adapters build.
 */
import { describe, expect, it } from 'vitest';
import { boundMessage, bytesMarker } from '../../../src/sources/aws/logText.js';
import { filterPattern, insightsString, insightsTime } from '../../../src/sources/aws/logsQuery.js';
import { filterExpression, traceIdTime } from '../../../src/sources/aws/xray.js';

describe('boundMessage', () => {
  it('keeps a short message as it is', () => {
    expect(boundMessage('GET /users/me 200')).toEqual({ text: 'GET /users/me 200', truncated: false });
  });

  it('replaces lone surrogates and keeps pairs', () => {
    expect(boundMessage('a\ud800b\udfffc 😀').text).toBe('a\ufffdb\ufffdc 😀');
  });

  it('cuts to the byte bound on a character boundary, marker included', () => {
    for (const unit of ['x', 'é', '語', '😀']) {
      const text = unit.repeat(5_000);
      const out = boundMessage(text, 1_000);
      expect(out.truncated).toBe(true);
      expect(Buffer.byteLength(out.text)).toBeLessThanOrEqual(1_000);
      expect(Buffer.from(out.text).toString()).toBe(out.text);
      const kept = out.text.slice(0, out.text.indexOf('…'));
      expect(kept).toBe(unit.repeat(kept.length / unit.length));
      expect(out.text.endsWith(bytesMarker(Buffer.byteLength(text) - Buffer.byteLength(kept)))).toBe(true);
    }
  });

  it('a message exactly at the bound is whole', () => {
    expect(boundMessage('é'.repeat(500), 1_000)).toEqual({ text: 'é'.repeat(500), truncated: false });
  });
});

describe('query text', () => {
  it('escapes Insights strings and leaves out a FilterLogEvents pattern it cannot quote', () => {
    expect(insightsString('say "hi" \\ now')).toBe('"say \\"hi\\" \\\\ now"');
    expect(filterPattern('login failed')).toBe('"login failed"');
    expect(filterPattern('say "hi"')).toBeUndefined();
    expect(filterPattern(undefined)).toBeUndefined();
  });

  it("reads Insights' @timestamp from AWS (UTC text) and from moto (epoch ms)", () => {
    expect(insightsTime('2026-12-04 20:13:23.456')).toBe(Date.UTC(2026, 11, 4, 20, 13, 23, 456));
    expect(insightsTime('1796415203456')).toBe(1796415203456);
    expect(insightsTime('yesterday')).toBeUndefined();
  });

  it('builds X-Ray filter expressions and reads the time in a trace id', () => {
    expect(filterExpression({ service: 'vitascope-api', errorsOnly: true })).toBe(
      'service("vitascope-api") AND (error OR fault)',
    );
    expect(filterExpression({ service: 'a"b' })).toBe('service("a\\"b")');
    expect(filterExpression({})).toBeUndefined();
    expect(traceIdTime('1-5f84c7a1-0123456789abcdef01234567')).toBe(0x5f84c7a1 * 1000);
    expect(traceIdTime('nope')).toBeUndefined();
  });
});
