/**
 * Re-enabling muted CloudWatch alarms: the journal is the schedule (live/alarmActionsTimer.ts); the timer
 * re-enables what is due through the engine, on the sandbox's alarms, and the read-back says so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import { simulatedClock } from '../../../src/core/actions/clock.js';
import { openJournal, type Journal } from '../../../src/core/journal/index.js';
import { AlarmActionsTimer, disabledFromJournal } from '../../../src/core/live/alarmActionsTimer.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/defaults.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';

const MIN = 60_000;
let journal: Journal | undefined;
afterEach(() => journal?.close());

function setup(readonly = false) {
  const sb = createSandbox({
    seed: 1,
    scenario: 'calm',
    speed: 1,
    startOffsetMs: 0,
    policy: DEFAULT_POLICY,
    user: { id: 'local', name: 'Aiko' },
    frozen: true,
  });
  journal = openJournal(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vo-timer-')), 'j.db'), {
    now: () => sb.now(),
  });
  const clock = simulatedClock(sb);
  const who = { kind: 'local' as const, id: 'aiko', name: 'Aiko' };
  const engine = () =>
    Promise.resolve(
      createActionEngine({ sources: sb, actor: { id: 'local', name: 'Aiko' }, who, clock, journal, readonly }),
    );
  const timer = new AlarmActionsTimer({ journal: () => Promise.resolve(journal!), engine, clock, readonly });
  return { sb, engine, timer };
}

const NAME = 'vitascope-api-high-cpu-critical';

describe('the re-enabling timer', () => {
  it('re-enables an alarm when its time is up, journaled as an action; nothing before', async () => {
    const { sb, engine, timer } = setup();
    const e = await engine();
    const out = await e.run(
      { action: 'cloudwatch.disable-alarm-actions', params: { alarm: NAME, duration: '30m', reason: 'load test' } },
      async () => ({ answer: 'confirm' }),
    );
    expect(out.status).toBe('verified');
    expect((await sb.alarmActions!.readActions([NAME]))[0]!.enabled).toBe(false);
    expect(await timer.tick()).toBe(sb.now() + 30 * MIN);
    expect(timer.snapshot().map((d) => [d.alarm, d.duration, d.by, d.reason])).toEqual([
      [NAME, '30m', 'Aiko', 'load test'],
    ]);
    sb.advance(29 * MIN);
    await timer.tick();
    expect((await sb.alarmActions!.readActions([NAME]))[0]!.enabled).toBe(false);
    sb.advance(2 * MIN);
    expect(await timer.tick()).toBeUndefined();
    expect((await sb.alarmActions!.readActions([NAME]))[0]!.enabled).toBe(true);
    expect(timer.snapshot()).toEqual([]);
    const enabled = journal!.query({ kinds: ['action.verified'], actionIds: ['cloudwatch.enable-alarm-actions'] });
    expect(enabled).toHaveLength(1);
  });

  it('read-only: shows what is overdue and changes nothing', async () => {
    const { sb, engine } = setup();
    await (
      await engine()
    ).run(
      { action: 'cloudwatch.disable-alarm-actions', params: { alarm: NAME, duration: '5m', reason: 'x' } },
      async () => ({ answer: 'confirm' }),
    );
    const ro = new AlarmActionsTimer({
      journal: () => Promise.resolve(journal!),
      engine,
      clock: simulatedClock(sb),
      readonly: true,
    });
    sb.advance(10 * MIN);
    await ro.tick();
    expect(ro.snapshot().map((d) => d.alarm)).toEqual([NAME]);
    expect((await sb.alarmActions!.readActions([NAME]))[0]!.enabled).toBe(false);
  });

  it('reads the schedule from the journal alone: dry runs do not count, an enable ends it, the last disable wins', () => {
    const ev = (seq: number, at: number, actionId: string, params: Record<string, unknown>, dryRun = false) =>
      ({
        seq,
        at,
        kind: 'action.applied',
        who: { kind: 'local', id: 'a', name: 'A' },
        payload: { runId: `r${seq}`, actionId, target: 'x', params, ...(dryRun ? { dryRun } : {}) },
      }) as never;
    expect(
      disabledFromJournal([
        ev(1, 0, 'cloudwatch.disable-alarm-actions', { alarm: 'a', duration: '1h', reason: 'r' }),
        ev(2, 10, 'cloudwatch.disable-alarm-actions', { alarm: 'b', duration: '1h', reason: 'r' }, true),
        ev(3, 20, 'cloudwatch.enable-alarm-actions', { alarm: 'a' }),
        ev(4, 30, 'cloudwatch.disable-alarm-actions', { alarm: 'c', duration: '1h', reason: 'r' }),
        ev(5, 40, 'cloudwatch.disable-alarm-actions', { alarm: 'c', duration: '2h', reason: 'longer' }),
      ]).map((d) => [d.alarm, d.until, d.reason]),
    ).toEqual([['c', 40 + 2 * 3_600_000, 'longer']]);
  });
});
