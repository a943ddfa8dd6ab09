/**
 * Prometheus's rules and Alertmanager's alerts as one list (sources/alertsMerged.ts): one row per alert,
 * an alert Prometheus fires and Alertmanager holds is one row naming both, silences shown per series.
 */
import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../src/core/model.js';
import { PartialAnswerError } from '../../../src/core/partial.js';
import { MergedAlertSource, mergeAlerts } from '../../../src/sources/alertsMerged.js';

const rule = (name: string, firing: Record<string, string>[], extra: Partial<Alarm> = {}) => ({
  alarm: {
    id: `prometheus:r.yml:g:${name}`,
    name,
    kind: 'metric',
    state: firing.length ? 'ALARM' : 'OK',
    level: 'critical',
    stateSince: 0,
    actions: [],
    origins: ['prometheus'],
    ...extra,
  } as Alarm,
  firing,
});
const held = (labels: Record<string, string>, suppressed?: Alarm['suppressed']) => ({
  alarm: {
    id: `alertmanager:${JSON.stringify(labels)}`,
    name: labels.alertname!,
    kind: 'metric',
    state: 'ALARM',
    level: 'warning',
    stateSince: 0,
    actions: ['pagerduty'],
    origins: ['alertmanager'],
    labels,
    ...(suppressed ? { suppressed } : {}),
  } as Alarm,
  labels,
});

describe('mergeAlerts', () => {
  it('one row for an alert Prometheus fires and Alertmanager holds (external labels added), naming both and its receivers', () => {
    const rows = mergeAlerts(
      [rule('HighErrorRate', [{ alertname: 'HighErrorRate', job: 'vitascope-api' }])],
      [held({ alertname: 'HighErrorRate', job: 'vitascope-api', cluster: 'prod' })],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      name: 'HighErrorRate',
      origins: ['prometheus', 'alertmanager'],
      actions: ['pagerduty'],
    });
    expect(rows[0]!.suppressed).toBeUndefined();
  });
  it('keeps an alert only Alertmanager holds as its own row, and inactive rules as rows', () => {
    const rows = mergeAlerts(
      [rule('HighLatency', [])],
      [held({ alertname: 'BackupFailed', instance: 'db' }, { kind: 'silenced', by: ['s1'] })],
    );
    expect(rows.map((r) => [r.name, r.origins, r.suppressed?.kind])).toEqual([
      ['HighLatency', ['prometheus'], undefined],
      ['BackupFailed', ['alertmanager'], 'silenced'],
    ]);
  });
  it('a rule whose every firing series is silenced is silenced; some of them: how many', () => {
    const a = { alertname: 'HighCpu', instance: 'a' };
    const b = { alertname: 'HighCpu', instance: 'b' };
    const all = mergeAlerts(
      [rule('HighCpu', [a, b])],
      [held(a, { kind: 'silenced', by: ['s1'] }), held(b, { kind: 'silenced', by: ['s2'] })],
    );
    expect(all[0]!.suppressed).toEqual({ kind: 'silenced', by: ['s1', 's2'] });
    const some = mergeAlerts([rule('HighCpu', [a, b])], [held(a, { kind: 'inhibited', by: ['f1'] }), held(b)]);
    expect(some[0]!.suppressed).toEqual({ kind: 'inhibited', by: ['f1'], series: { suppressed: 1, of: 2 } });
  });
  it('does not take an alert of another name or other label values', () => {
    const rows = mergeAlerts(
      [rule('HighCpu', [{ alertname: 'HighCpu', instance: 'a' }])],
      [held({ alertname: 'HighCpu', instance: 'z' }), held({ alertname: 'Other', instance: 'a' })],
    );
    expect(rows.map((r) => r.origins)).toEqual([['prometheus'], ['alertmanager'], ['alertmanager']]);
  });
});

describe('MergedAlertSource', () => {
  it('one of the two failing: the other is shown, the failure is reported (never an empty all-clear)', async () => {
    let promUp = true;
    const source = new MergedAlertSource(
      { listRules: async () => (promUp ? [rule('HighCpu', [])] : Promise.reject(new Error('connection refused'))) },
      { listHeld: async () => [held({ alertname: 'BackupFailed' })] },
    );
    expect((await source.listAlarms()).map((a) => a.name)).toEqual(['HighCpu', 'BackupFailed']);
    promUp = false;
    const error = await source.listAlarms().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialAnswerError);
    expect((error as Error).message).toContain('Prometheus: connection refused');
    // The rows it last read from Prometheus stay, with the fresh ones from Alertmanager.
    expect((error as PartialAnswerError<Alarm[]>).partial.map((a) => a.name)).toEqual(['HighCpu', 'BackupFailed']);
  });
});
