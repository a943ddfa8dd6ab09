import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { DEFAULT_RULES } from '../../../src/core/policy/rules.js';
import { lintFiles } from '../../../src/core/runbooks/lint.js';
import type { LoadedRunbook } from '../../../src/core/runbooks/types.js';
import { loadRunbooks, parseRunbookText, shippedRunbooksDir } from '../../../src/core/runbooks/load.js';
import { matchRunbook, patternMatches, rankRunbooks, ruleIdForAlarmName, type MatchSubject } from '../../../src/core/runbooks/match.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';

const shipped = loadRunbooks({ shipped: shippedRunbooksDir()!, dirs: [] });

async function sandboxAlarms(): Promise<Alarm[]> {
  const sb = createSandbox({ seed: 1, scenario: 'calm', speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: { id: 'u', name: 'Test' }, frozen: true });
  try {
    return await sb.alarms!.listAlarms();
  } finally {
    await sb.close();
  }
}

describe('every alarm the sandbox produces', () => {
  it('matches the runbook of its rule, by rule id, by name alone, and by metric alone', async () => {
    expect(shipped.errors).toEqual([]);
    const alarms = await sandboxAlarms();
    expect(alarms.length).toBeGreaterThanOrEqual(30);
    const table: string[] = [];
    for (const alarm of alarms) {
      const byRule = matchRunbook(shipped.runbooks, { alarm });
      expect(byRule?.runbook.runbook.id, alarm.name).toBe(alarm.ruleId);
      expect(byRule?.tier).toBe('rule');
      // A PagerDuty incident only carries alarm names: the rule is read from the name.
      const byName = matchRunbook(shipped.runbooks, { incident: { alarmNames: [alarm.name], service: { id: 'P', name: 'Vitascope API' } } });
      expect(byName?.runbook.runbook.id, alarm.name).toBe(alarm.ruleId);
      // A CloudWatch alarm named otherwise still matches on its metric.
      const byMetric = matchRunbook(shipped.runbooks, { alarm: { name: 'hand-made-alarm', metric: alarm.metric } });
      expect(byMetric?.runbook.runbook.id, `${alarm.name} by metric`).toBe(alarm.ruleId);
      expect(byMetric?.tier).toBe('metric');
      table.push(`${alarm.name} → ${byRule!.runbook.runbook.id}`);
    }
    expect(table).toContain('vitascope-api-high-cpu-critical → cpu-utilization');
    expect(table).toContain('vitascope-worker-high-memory-warning → memory-utilization');
    expect(table).toContain('vitascope-db-connections-warning → rds-connections');
    expect(table).toContain('vitascope-sync-queue-depth-warning → sqs-queue-depth');
    expect(table).toContain('vitascope-wearables-gateway-dependency-down-critical → dependency-availability');
    expect(table).toContain('vitascope-sync-failures-warning → sync-failure-rate');
    expect(table).toContain('vitascope-feature-usage-drop-info → feature-usage');
    expect(new Set(table.map((t) => t.split(' → ')[1])).size).toBe(DEFAULT_RULES.length);
  });

  it('unknown alarms fall to the default runbook', () => {
    for (const subject of [
      { alarm: { name: 'legacy-billing-cron-failed' } },
      { alarm: { name: 'vitascope-api-something-new-warning', metric: { namespace: 'Custom/Thing', name: 'Other', dimensions: {} } } },
      { incident: { alarmNames: [], service: { id: 'P', name: 'Vitascope API' } } },
      {},
    ] satisfies MatchSubject[]) {
      expect(matchRunbook(shipped.runbooks, subject)).toMatchObject({ tier: 'default', runbook: { runbook: { id: 'default' } } });
    }
  });
});

describe('the rule of an alarm name', () => {
  it.each([
    ['vitascope-api-high-cpu-critical', 'cpu-utilization'],
    ['vitascope-worker-high-memory-warning', 'memory-utilization'],
    ['vitascope-db-disk-usage-warning', 'disk-utilization'],
    ['vitascope-api-error-rate-critical', 'error-rate'],
    ['vitascope-api-call-rate-warning', 'api-call-rate'],
    ['vitascope-sync-processor-lambda-errors-critical', 'lambda-error-rate'],
    ['vitascope-push-notifications-dependency-down-critical', 'dependency-availability'],
    ['vitascope-dau-drop-warning', 'daily-active-users'],
    ['vitascope-registrations-drop-info', 'new-registrations'],
    ['vitascope-api-high-cpu-info', undefined],
    ['vitascope-api-high-cpu', undefined],
    ['other-api-high-cpu-critical', undefined],
  ])('%s → %s', (name, rule) => {
    expect(ruleIdForAlarmName(name)).toBe(rule);
  });
});

describe('patterns', () => {
  it.each([
    ['vitascope-*-high-cpu-*', 'vitascope-api-high-cpu-critical', true],
    ['vitascope-*-high-cpu-*', 'vitascope-api-high-memory-warning', false],
    ['vitascope-api-high-cpu-????ing', 'vitascope-api-high-cpu-warning', true],
    ['vitascope-api.high-cpu-*', 'vitascope-apiXhigh-cpu-warning', false],
    ['/^vitascope-(api|worker)-high-/', 'vitascope-worker-high-memory-warning', true],
    ['/HIGH-CPU/i', 'vitascope-api-high-cpu-warning', true],
    ['/HIGH-CPU/', 'vitascope-api-high-cpu-warning', false],
    ['Vitascope *', 'Vitascope Database', true],
  ])('%s ~ %s: %s', (pattern, text, expected) => {
    expect(patternMatches(pattern, text)).toBe(expected);
  });
});

/** Runbooks from matches: lines, for the ranking table. */
function book(specs: Record<string, string>, origin: 'shipped' | 'user' = 'user'): LoadedRunbook[] {
  const files = Object.entries(specs).map(([id, matches]) =>
    parseRunbookText(`${id}.yaml`, `id: ${id}\ntitle: ${id}\npriority: P3\n${matches ? `matches: ${matches}\n` : ''}phases: { detect: [{ id: a, kind: note, title: t }] }\n`, origin),
  );
  const r = lintFiles(files);
  expect(r.errors).toEqual([]);
  return r.runbooks;
}

const cpuAlarm: MatchSubject = {
  alarm: {
    name: 'vitascope-api-high-cpu-critical',
    ruleId: 'cpu-utilization',
    metric: { namespace: 'AWS/ECS', name: 'CPUUtilization', dimensions: { ClusterName: 'vitascope-cluster', ServiceName: 'vitascope-api' } },
  },
};

describe('the most specific runbook wins', () => {
  const all = book({
    'exact-name': '{ alarms: [vitascope-api-high-cpu-critical] }',
    'tight-glob': '{ alarms: ["vitascope-api-high-cpu-*"] }',
    'loose-glob': '{ alarms: ["vitascope-*-high-cpu-*"] }',
    'a-regex': '{ alarms: ["/high-cpu/"] }',
    'rule-api': '{ rules: [cpu-utilization], dimensions: { ServiceName: vitascope-api } }',
    'rule-any': '{ rules: [cpu-utilization] }',
    'rule-worker': '{ rules: [cpu-utilization], dimensions: { ServiceName: vitascope-worker } }',
    metric: '{ metrics: [{ namespace: AWS/ECS, name: CPUUtilization }] }',
    'metric-ns': '{ metrics: [{ namespace: AWS/ECS }] }',
    dims: '{ dimensions: { ClusterName: vitascope-cluster } }',
    service: '{ services: ["Vitascope API"] }',
    other: '{ rules: [error-rate] }',
    default: '',
  });

  it('ranks: exact name > tight glob > loose glob > regex > rule with dimensions > rule > metric > dimensions > default', () => {
    expect(rankRunbooks(all, cpuAlarm).map((m) => `${m.runbook.runbook.id}:${m.tier}`)).toEqual([
      'exact-name:alarm',
      'tight-glob:alarm-pattern',
      'loose-glob:alarm-pattern',
      'a-regex:alarm-pattern',
      'rule-api:rule',
      'rule-any:rule',
      'metric:metric',
      'metric-ns:metric',
      'dims:dimensions',
      'default:default',
    ]);
  });

  it('removing the winner each time walks down the table', () => {
    const order = ['exact-name', 'tight-glob', 'loose-glob', 'a-regex', 'rule-api', 'rule-any', 'metric', 'metric-ns', 'dims', 'default'];
    let left = all;
    for (const id of order) {
      expect(matchRunbook(left, cpuAlarm)?.runbook.runbook.id).toBe(id);
      left = left.filter((r) => r.runbook.id !== id);
    }
  });

  it('a PagerDuty service is the weakest criterion before the default', () => {
    const subject: MatchSubject = { incident: { alarmNames: ['something-unknown'], service: { id: 'PSVCAPI', name: 'Vitascope API' } } };
    expect(rankRunbooks(all, subject).map((m) => `${m.runbook.runbook.id}:${m.tier}`)).toEqual(['service:service', 'default:default']);
  });

  it('for an incident, the alarm that opened it weighs more than the ones grouped later', () => {
    const runbooks = book({ 'cpu-utilization': '{ rules: [cpu-utilization] }', 'api-call-rate': '{ rules: [api-call-rate] }' });
    const incident = (names: string[]): MatchSubject => ({ incident: { alarmNames: names, service: { id: 'P', name: 'Vitascope API' } } });
    expect(matchRunbook(runbooks, incident(['vitascope-api-high-cpu-critical', 'vitascope-api-call-rate-warning']))?.runbook.runbook.id).toBe('cpu-utilization');
    expect(matchRunbook(runbooks, incident(['vitascope-api-call-rate-warning', 'vitascope-api-high-cpu-critical']))?.runbook.runbook.id).toBe('api-call-rate');
  });

  it('ties are broken deterministically: a team runbook before a shipped one, then by id', () => {
    const team = book({ 'zz-team': '{ rules: [cpu-utilization] }' }, 'user');
    const ours = book({ 'aa-shipped': '{ rules: [cpu-utilization] }', 'bb-shipped': '{ rules: [cpu-utilization] }' }, 'shipped');
    expect(matchRunbook([...ours, ...team], cpuAlarm)?.runbook.runbook.id).toBe('zz-team');
    expect(matchRunbook([...team, ...ours], cpuAlarm)?.runbook.runbook.id).toBe('zz-team');
    expect(matchRunbook([...ours].reverse(), cpuAlarm)?.runbook.runbook.id).toBe('aa-shipped');
    expect(matchRunbook(ours, cpuAlarm)?.runbook.runbook.id).toBe('aa-shipped');
  });

  it('says why it matched', () => {
    expect(matchRunbook(all, cpuAlarm)?.reason).toBe('alarm vitascope-api-high-cpu-critical');
    expect(matchRunbook(all.filter((r) => !['exact-name', 'tight-glob'].includes(r.runbook.id)), cpuAlarm)?.reason).toBe('alarm name matches vitascope-*-high-cpu-*');
    expect(rankRunbooks(all, cpuAlarm).find((m) => m.runbook.runbook.id === 'rule-any')?.reason).toBe('rule cpu-utilization');
  });

  it('nothing matches when there is no default runbook and no criterion holds', () => {
    expect(matchRunbook(all.filter((r) => r.runbook.id !== 'default'), { alarm: { name: 'x' } })).toBeUndefined();
  });
});

describe('named queries', () => {
  it('map onto the Prometheus adapter\'s queries', async () => {
    const { NAMED_QUERIES } = await import('../../../src/core/runbooks/schema.js');
    const { NAMED_QUERY_IDS } = await import('../../../src/sources/prometheus/queries.js');
    expect(Object.values(NAMED_QUERIES).sort()).toEqual([...NAMED_QUERY_IDS].sort());
  });
});
