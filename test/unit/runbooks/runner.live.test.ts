/**
 * `drill --live` decisions that need no AWS: which alarm a rule's drill uses, and that an alarm in
 * ALARM for real is never drilled (setting it back afterwards would hide a real problem).
 */
import { describe, expect, it } from 'vitest';
import { realClock } from '../../../src/core/actions/clock.js';
import { pickAlarm, runLiveDrill } from '../../../src/core/drill/live.js';
import type { Alarm, AlarmState } from '../../../src/core/model.js';
import { loadRunbooks } from '../../../src/core/runbooks/load.js';
import type { Sources } from '../../../src/sources/ports.js';
import { tempJournal } from '../journal/helpers.js';

function alarm(name: string, state: AlarmState, level: Alarm['level'], ruleId = 'rds-connections'): Alarm {
  return { id: name, name, kind: 'metric', state, level, stateSince: 0, actions: [], ruleId };
}

describe('drill --live', () => {
  it('uses the scenario\'s alarm by name, else the most severe of the rule', () => {
    const alarms = [alarm('prod-db-conn-warning', 'OK', 'warning'), alarm('prod-db-conn-critical', 'OK', 'critical'), alarm('vitascope-db-connections-warning', 'OK', 'warning')];
    expect(pickAlarm(alarms, 'rds-connections', ['vitascope-db-connections-warning'])?.name).toBe('vitascope-db-connections-warning');
    expect(pickAlarm(alarms, 'rds-connections', [])?.name).toBe('prod-db-conn-critical');
    expect(pickAlarm(alarms, 'cpu-utilization', [])).toBeUndefined();
  });

  it('never drills an alarm that is in ALARM for real', async () => {
    const set: [string, AlarmState][] = [];
    const sources: Sources = {
      environment: { kind: 'aws', label: 'AWS', production: true },
      now: Date.now,
      alarms: { listAlarms: async () => [alarm('vitascope-db-connections-warning', 'ALARM', 'warning')], alarmHistory: async () => [] },
      alarmDrill: { setAlarmState: async (name, state) => void set.push([name, state]) },
      close: async () => {},
    };
    const lines: string[] = [];
    const report = await runLiveDrill({
      scenario: { name: 'db-connections', title: 'DB', fires: ['vitascope-db-connections-warning'], firesBy: 30, exercises: ['rds-connections'] },
      sources,
      clock: realClock(),
      journal: tempJournal(),
      runbooks: loadRunbooks({ dirs: [] }).runbooks,
      actor: { id: 'local', name: 'Aiko Tanaka' },
      who: { kind: 'local', id: 'aiko' },
      yes: false,
      onLine: (l) => lines.push(l),
    });
    expect(set).toEqual([]);
    expect(report).toMatchObject({ resolved: false, reason: 'vitascope-db-connections-warning in ALARM for real: a drill does not touch them', incidents: [] });
    expect(lines.some((l) => l.endsWith('vitascope-db-connections-warning is in ALARM for real: not drilled'))).toBe(true);
  });
});
