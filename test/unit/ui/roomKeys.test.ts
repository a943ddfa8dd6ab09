/** The incident room's keys (ui/room.ts, pure): a typed confirmation is text, with Esc and Tab still answering. */
import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../../src/core/live/room.js';
import { roomKey } from '../../../src/ui/room.js';

function view(confirmation: { kind: 'yes' } | { kind: 'typed'; text: string }): RoomView {
  return {
    pending: { kind: 'confirm', stepId: 's', step: {}, prepared: { confirmation, plan: {} } },
    runner: { waiting: undefined, status: 'running' },
    running: true,
  } as unknown as RoomView;
}

describe('roomKey', () => {
  const typed = view({ kind: 'typed', text: 'vitascope-db' });
  it('during a typed confirmation: letters (t, n) are text, Tab is a dry run, Esc declines', () => {
    expect(roomKey(typed, { text: '' }, { name: 't', input: 't' }, undefined, false)).toEqual({
      kind: 'input',
      input: { text: 't' },
    });
    expect(roomKey(typed, { text: '' }, { name: 'n', input: 'n' }, undefined, false)).toEqual({
      kind: 'input',
      input: { text: 'n' },
    });
    expect(roomKey(typed, { text: 'vita' }, { name: 'tab', input: '\t' }, undefined, false)).toEqual({
      kind: 'answer',
      value: { answer: 'dry-run' },
    });
    expect(roomKey(typed, { text: 'vita' }, { name: 'escape', input: '' }, undefined, false)).toMatchObject({
      kind: 'answer',
      value: { answer: 'decline' },
    });
    expect(roomKey(typed, { text: 'vitascope-db' }, { name: 'return', input: '\r' }, undefined, false)).toEqual({
      kind: 'answer',
      value: { answer: 'confirm', typed: 'vitascope-db' },
    });
  });
  it('a plain confirmation: y, t, n as commands; Esc leaves the room (the question stays open)', () => {
    const plain = view({ kind: 'yes' });
    expect(roomKey(plain, { text: '' }, { name: 'y', input: 'y' }, 'room.apply', false)).toEqual({
      kind: 'answer',
      value: { answer: 'confirm' },
    });
    expect(roomKey(plain, { text: '' }, { name: 't', input: 't' }, 'room.dryRun', false)).toEqual({
      kind: 'answer',
      value: { answer: 'dry-run' },
    });
    expect(roomKey(plain, { text: '' }, { name: 'escape', input: '' }, undefined, false)).toEqual({
      kind: 'command',
      command: 'back',
    });
  });
});

describe('a chunk of input (a paste, or keys sent faster than they are read)', () => {
  it('is its text, then Enter: nothing typed is lost', async () => {
    const { chunkKeys } = await import('../../../src/ui/keys.js');
    expect(chunkKeys('quick note\r', {})).toEqual([
      { input: 'quick note', key: {} },
      { input: '', key: { return: true } },
    ]);
    expect(chunkKeys('first line\nsecond\r\n', {})).toEqual([
      { input: 'first line second', key: {} },
      { input: '', key: { return: true } },
    ]);
    expect(chunkKeys('a\nb', {})).toEqual([{ input: 'a b', key: {} }]);
    expect(chunkKeys('\r', { return: true })).toEqual([{ input: '\r', key: { return: true } }]);
    expect(chunkKeys('abc', {})).toEqual([{ input: 'abc', key: {} }]);
  });
  it('PgUp/PgDn scroll a question too tall for the terminal, even while its answer is typed', () => {
    const tall = {
      runner: { waiting: undefined, status: 'running' },
      running: true,
      pending: {
        kind: 'confirm',
        stepId: 's',
        step: {},
        prepared: {
          confirmation: { kind: 'typed', text: 'vitascope-db' },
          plan: { title: 'Grow', summary: 'grow it', changes: [], blastRadius: ['x'.repeat(400)] },
        },
      },
    } as unknown as RoomView;
    const down = roomKey(tall, { text: 'vita' }, { name: 'pagedown', input: '' }, undefined, false);
    expect(down).toEqual({ kind: 'input', input: { text: 'vita', questionScroll: 5 } });
    const up = roomKey(tall, { text: 'vita', questionScroll: 5 }, { name: 'pageup', input: '' }, undefined, false);
    expect(up).toEqual({ kind: 'input', input: { text: 'vita', questionScroll: 0 } });
    // Bounded by what the question holds: PgDn held down does not run away.
    let input = { text: '' } as { text: string; questionScroll?: number };
    for (let i = 0; i < 100; i++) {
      const r = roomKey(tall, input, { name: 'pagedown', input: '' }, undefined, false);
      if (r.kind === 'input') input = r.input;
    }
    expect(input.questionScroll).toBeLessThan(40);
  });
});
