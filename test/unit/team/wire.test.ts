import { describe, expect, it } from 'vitest';
import { incoming, outgoing, WireError } from '../../../src/core/team/wire.js';
import { teammateActivity } from '../../../src/core/team/activity.js';
import type { JournalEvent } from '../../../src/core/journal/index.js';

const row = (over: Record<string, unknown> = {}) => ({
  id: '42',
  team: 'blue',
  origin: 'i-abc123',
  origin_seq: '7',
  at: '1000',
  kind: 'note',
  incident_id: 'INC-1',
  who: { kind: 'local', id: 'kenji@example.org', name: 'Kenji' },
  payload: { text: 'hello' },
  refs: null,
  key: null,
  ...over,
});

describe('team wire format', () => {
  it('redacts prose on the way out and leaves identifiers alone', () => {
    const e = outgoing({
      origin: 'i-1',
      originSeq: 3,
      at: 5,
      kind: 'step.done',
      who: { kind: 'local', id: 'kenji@example.org', name: 'Kenji' },
      payload: {
        runbookId: 'api-cpu',
        stepId: 'call-user',
        output: 'called the user at 090-1234-5678, mail bob@example.com, heart rate 72 bpm',
      },
    });
    const p = e.payload as Record<string, string>;
    expect(p.runbookId).toBe('api-cpu');
    expect(p.stepId).toBe('call-user');
    expect(p.output).not.toMatch(/090-1234-5678|bob@example\.com|72 bpm/);
    expect(p.output).toContain('[REDACTED:phone]');
    // Who did it travels as is: the team needs to see it.
    expect(e.who.id).toBe('kenji@example.org');
  });

  it('reads a row into an event with every string made inert', () => {
    const e = incoming(
      row({
        payload: { text: 'evil \u001b[2J\u009b31m text' },
        who: { kind: 'local', id: 'x', name: 'K\u001b]0;t\u0007' },
      }),
      'blue',
    );
    expect(e).toMatchObject({
      serverId: '42',
      origin: 'i-abc123',
      originSeq: 7,
      at: 1000,
      kind: 'note',
      incidentId: 'INC-1',
    });
    expect(JSON.stringify(e)).not.toMatch(/\u001b|\u009b|\u0007/);
    expect((e.payload as { text: string }).text).toContain('␛[2J');
  });

  it('refuses a row of another team, and malformed rows, naming the field', () => {
    expect(() => incoming(row({ team: 'red' }), 'blue')).toThrow(/team: it belongs to another team/);
    expect(() => incoming(row({ origin: 'bad origin!' }), 'blue')).toThrow(WireError);
    expect(() => incoming(row({ origin_seq: '-1' }), 'blue')).toThrow(/origin_seq/);
    expect(() => incoming(row({ who: { kind: 'local' } }), 'blue')).toThrow(/who\.id/);
    expect(() => incoming(row({ extra: 1 }), 'blue')).toThrow(WireError);
  });

  it('teammate activity: only other responders, newest last, with who', () => {
    const ev = (seq: number, who: string, kind: string, payload: unknown) =>
      ({
        seq,
        at: seq * 1000,
        kind,
        who: { kind: 'local', id: who, name: who.toUpperCase() },
        incidentId: 'I',
        payload,
      }) as unknown as JournalEvent;
    const events = [
      ev(1, 'me', 'note', { text: 'mine' }),
      ev(2, 'aiko', 'note', { text: 'hers' }),
      ev(3, 'aiko', 'step.done', { runbookId: 'r', stepId: 's' }),
      ev(4, 'aiko', 'alarm.transition', {}),
    ];
    const a = teammateActivity(events, { kind: 'local', id: 'me' });
    expect(a.map((x) => [x.seq, x.who])).toEqual([
      [2, 'AIKO'],
      [3, 'AIKO'],
    ]);
    expect(a[0]!.text).toContain('hers');
  });
});
