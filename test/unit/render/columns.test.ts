import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { fitRow, layoutColumns, truncateMiddle, type ColumnSpec } from '../../../src/ui/render/columns.js';
import { ALARM_COLUMNS } from '../../../src/ui/render/alarms.js';
import { INCIDENT_COLUMNS } from '../../../src/ui/render/incidents.js';

describe('columns at every width', () => {
  it('a middle cut keeps the head and the distinguishing tail, and never exceeds the width', () => {
    const a = truncateMiddle('vitascope-api-high-latency-critical', 29);
    const b = truncateMiddle('vitascope-api-high-cpu-critical', 29);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^vitascope-api.*…atency-critical$/);
    expect([...a].length).toBe(29);
    expect(truncateMiddle('completed vitascope-api:41', 20)).toMatch(/^completed.*….*-api:41$/);
    expect(truncateMiddle('short', 20)).toBe('short');
    // Wide characters count double.
    expect(stringWidth(truncateMiddle('サービス-データベース-接続数-警告', 20))).toBeLessThanOrEqual(20);
  });

  it('columns drop by priority until the rest fit; the undroppable ones (the incident title) stay', () => {
    const at80 = layoutColumns(INCIDENT_COLUMNS, 78);
    const title = INCIDENT_COLUMNS.findIndex((c) => c.header === 'TITLE');
    expect(at80[title]).toBeGreaterThanOrEqual(30);
    expect(at80.reduce((s, w) => s + w + (w ? 1 : 0), -1)).toBeLessThanOrEqual(78);
    // The assignee goes first; the escalation (and the snooze it shows) goes next.
    expect(at80[INCIDENT_COLUMNS.findIndex((c) => c.header === 'ASSIGNEE')]).toBe(0);
    const at200 = layoutColumns(INCIDENT_COLUMNS, 198);
    expect(at200.every((w) => w > 0)).toBe(true);
    const alarms80 = layoutColumns(ALARM_COLUMNS, 78);
    expect(alarms80[ALARM_COLUMNS.findIndex((c) => c.header === 'NAME')]).toBeGreaterThanOrEqual(26);
  });

  it('a dropped column leaves no gap behind in the row', () => {
    const cols: ColumnSpec[] = [
      { header: 'A', width: 3 },
      { header: 'B', width: 10, drop: 1 },
      { header: 'C', flex: 1, min: 5 },
    ];
    const w = layoutColumns(cols, 12);
    expect(w).toEqual([3, 0, 8]);
    expect(fitRow(['aaa', 'bbb', 'ccc'], w, cols)).toBe('aaa ccc     ');
  });
});
