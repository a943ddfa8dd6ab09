/**
 * The frame checks of the scenario harness (test/harness/scenarioRun.ts), each shown to fail on the
 * frames issue 15 found, and to pass on their honest counterparts: the tmux tests rely on them.
 */
import { describe, expect, it } from 'vitest';
import { frameProblems, recoveryMissing, reportProblems, type ScenarioScript } from '../harness/scenarioRun.js';

const one = (line: string, typed = '') => frameProblems(line, 80, typed);

describe('the scenario frame checks', () => {
  it('flags internal ids: runbook step ids, option ids, template paths', () => {
    expect(one('  • done     Request rate — request-rate: now 1338 req/s')).toHaveLength(1);
    expect(one('condition not met (remedy chose scale and alarm.dimensions.ServiceName is x)').length).toBeGreaterThan(
      0,
    );
    expect(one('  ↷ skipped  went to elsewhere')).toHaveLength(1);
    expect(one('  • done     Request rate — request rate: now 1338 req/s')).toEqual([]);
    expect(one(' SANDBOX  scenario db-connections · seed 1')).toEqual([]);
  });

  it('flags a ✓ beside a failure, not beside an error rate', () => {
    expect(one('✓ Grow the allocated storage … failed (plan): received NaN')).toHaveLength(1);
    expect(one('✓ The wearables gateway is up [fail]')).toHaveLength(1);
    expect(one('  ✓ passed   API error rate back to OK')).toEqual([]);
  });

  it('flags raw JSON and lines wider than the terminal', () => {
    expect(one('→ {"current":500,"suggested":1400}')).toHaveLength(1);
    expect(one('x'.repeat(81))).toHaveLength(1);
    expect(one('x'.repeat(80))).toEqual([]);
  });

  it('flags a line break shown as its control picture', () => {
    expect(one('SELECT state, count(*)␊FROM pg_stat_activity')).toHaveLength(1);
    expect(one('SELECT state, count(*)')).toEqual([]);
  });

  it('flags two rows reading the same cut name', () => {
    const rows = ['  ✗ CRIT  vitascope-api-high…tical  1 s', '  ✗ CRIT  vitascope-api-high…tical  100 %'].join('\n');
    expect(frameProblems(rows, 80)).toHaveLength(1);
    const apart = ['  ✗ CRIT  vitascope-api-…tency-critical', '  ✗ CRIT  vitascope-api-…h-cpu-critical'].join('\n');
    expect(frameProblems(apart, 80)).toEqual([]);
  });

  it('flags a prompt showing more than was typed, and rows drawn over', () => {
    expect(one('│ > █ch endpoints, how slow │', '')).toHaveLength(1);
    expect(one('│ > p95 1.2 s                │', 'p95 1.2 s')).toEqual([]);
    expect(one('  ↓ 7 more lines belowes the CPU?')).toHaveLength(1);
    expect(one('│ ↑↓ choose · ⏎ take itits maximum: 3 of at most 3 tasks)  │')).toHaveLength(1);
    expect(one('│ ↑↓ choose · ⏎ take it                                    │')).toEqual([]);
  });

  it('flags a room frame whose title row was pushed off', () => {
    const pushed = ' SANDBOX\n[1 overview]\nrunbook cpu-utilization — ECS service CPU high · P2 · 19/33 steps done';
    expect(frameProblems(pushed, 80)).toHaveLength(1);
    const whole =
      ' SANDBOX\n[1 overview]\nINCIDENT ROOM  #1042\nrunbook cpu-utilization — ECS service CPU high · P2 · 19/33 steps done';
    expect(frameProblems(whole, 80)).toEqual([]);
  });
});

describe('recovery read from the journal', () => {
  const script = {
    scenario: 'api-cpu-spike',
    at: '15m',
    speed: 1,
    steps: [],
    recovery: { alarms: ['cpu'], verified: ['recovered'], screen: '' },
  } satisfies ScenarioScript;
  const row = (seq: number, kind: string, payload: object) => ({ seq, kind, payload: JSON.stringify(payload) });

  it('needs the alarm back to OK after the room opened, and the verify step passed', () => {
    const opened = row(5, 'step.started', { stepId: 'acknowledge' });
    expect(recoveryMissing([row(1, 'alarm.transition', { alarmName: 'cpu', to: 'OK' }), opened], script)).toHaveLength(
      2,
    );
    const ok = row(9, 'alarm.transition', { alarmName: 'cpu', to: 'OK' });
    expect(
      recoveryMissing([opened, ok, row(10, 'step.done', { stepId: 'recovered', output: 'fail: ALARM' })], script),
    ).toHaveLength(1);
    expect(
      recoveryMissing([opened, ok, row(10, 'step.done', { stepId: 'recovered', output: 'pass: OK' })], script),
    ).toEqual([]);
  });
});

describe('the reports a run leaves, read by the same rules', () => {
  it('flags raw JSON, ␊, a ✓ beside a failure and internal ids; prose words that are also ids pass', () => {
    expect(reportProblems('- 10:02 suggested → {"current":500,"suggested":1400}', 'handoff')).toHaveLength(1);
    expect(reportProblems('SELECT 1␊FROM x', 'report')).toHaveLength(1);
    expect(reportProblems('| ✓ | Reboot the RDS instance | failed (plan) |', 'report')).toHaveLength(1);
    expect(reportProblems('- decision: remedy chose scale: …', 'report')).toHaveLength(1);
    expect(reportProblems('### Recorded follow-ups', 'postmortem')).toEqual([]);
    expect(reportProblems('| ✓ | API error rate back to OK | passed |', 'report')).toEqual([]);
  });
});
