/**
 * The pure rules around a live drill: when it may start (liveDrillConsent), read-only where the changing
 * call happens (readOnlySources), and putting back what it changed, newest first (UndoList).
 */
import { describe, expect, it } from 'vitest';
import { ReadOnlyError } from '../../../src/core/actions/errors.js';
import { readOnlySources } from '../../../src/core/actions/readonlyPorts.js';
import { liveDrillConsent } from '../../../src/core/drill/live.js';
import { UndoList } from '../../../src/core/drill/undo.js';
import type { Sources } from '../../../src/sources/ports.js';

describe('liveDrillConsent', () => {
  const prod = { production: true, account: '123456789012' };
  it('goes outside production without asking', () => {
    expect(liveDrillConsent({ production: false }, { terminal: false })).toEqual({ kind: 'go' });
  });
  it('in production: asks on a terminal, takes the right --confirm-account, refuses --yes alone, no terminal, a wrong id, an unknown account', () => {
    expect(liveDrillConsent(prod, { terminal: true })).toEqual({ kind: 'ask', account: '123456789012' });
    expect(liveDrillConsent(prod, { terminal: false, confirmAccount: '123456789012' })).toEqual({ kind: 'go' });
    expect(liveDrillConsent(prod, { terminal: true, confirmAccount: '1' }).kind).toBe('refuse');
    expect(liveDrillConsent(prod, { terminal: false, yes: true })).toMatchObject({
      kind: 'refuse',
      reason: expect.stringContaining('--yes is not enough'),
    });
    expect(liveDrillConsent(prod, { terminal: false })).toMatchObject({
      kind: 'refuse',
      reason: expect.stringContaining('no terminal'),
    });
    expect(liveDrillConsent({ production: true }, { terminal: true, confirmAccount: '123456789012' })).toMatchObject({
      kind: 'refuse',
      reason: expect.stringContaining('could not be read'),
    });
  });
});

describe('readOnlySources', () => {
  it('refuses the changing calls of capability ports where they are made, and lets their reads through', async () => {
    const calls: string[] = [];
    const sources = {
      environment: { kind: 'aws', label: 'x', production: true },
      now: () => 0,
      alarmDrill: { setAlarmState: async () => void calls.push('set') },
      alarmActions: {
        readActions: async () => (calls.push('read'), []),
        setActionsEnabled: async () => void calls.push('switch'),
      },
      close: async () => undefined,
    } as unknown as Sources;
    const ro = readOnlySources(sources, 'drill --live');
    await expect(ro.alarmDrill!.setAlarmState('a', 'ALARM', 'r')).rejects.toBeInstanceOf(ReadOnlyError);
    await expect(ro.alarmActions!.setActionsEnabled(['a'], false)).rejects.toThrow(
      /read-only mode: drill --live \(alarmActions\.setActionsEnabled\)/,
    );
    expect(await ro.alarmActions!.readActions(['a'])).toEqual([]);
    expect(calls).toEqual(['read']);
  });
});

describe('UndoList', () => {
  it('runs what is left newest first, once; a failure does not stop the others', async () => {
    const done: string[] = [];
    const undo = new UndoList();
    undo.add('enable actions', async () => void done.push('enable'));
    const first = undo.add('state back', async () => void done.push('state'));
    undo.add('broken', async () => {
      throw new Error('throttled');
    });
    await first();
    await first();
    const r = await undo.runAll();
    expect(done).toEqual(['state', 'enable']);
    expect(r).toEqual({ done: ['enable actions'], failed: [{ what: 'broken', error: 'throttled' }] });
    expect(undo.pending).toEqual([]);
  });
});
