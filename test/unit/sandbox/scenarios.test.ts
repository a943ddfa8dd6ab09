import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { createSandbox, type Sandbox } from '../../../src/sources/sandbox/sandbox.js';
import { scenarios, type Remedy } from '../../../src/sources/sandbox/scenarios.js';

const MIN = 60_000;
const user = { id: 'u', name: 'Test Responder' };

function open(scenario: string, seed = 1): Sandbox {
  return createSandbox({ seed, scenario, speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user, frozen: true });
}

async function states(sb: Sandbox): Promise<Map<string, string>> {
  return new Map((await sb.alarms!.listAlarms()).map((a) => [a.name, a.state]));
}

async function apply(sb: Sandbox, r: Remedy): Promise<void> {
  switch (r.kind) {
    case 'scaling-limits':
      return sb.autoScalable!.setScalingLimits(r.service, { min: r.min, max: r.max });
    case 'desired-count':
      return sb.scalable!.setDesiredCount(r.service, r.desired);
    case 'reboot-database':
      return sb.rebootable!.rebootDatabase(r.database, { failover: r.failover });
    case 'rollback': {
      const previous = await sb.redeployable!.previousTaskDefinition(r.service);
      return sb.redeployable!.setTaskDefinition(r.service, previous!);
    }
    case 'force-deployment':
      return sb.redeployable!.forceNewDeployment(r.service);
    case 'block-address':
      return sb.addressBlocker!.blockAddress(r.address, 'test');
  }
}

describe('the calm scenario', () => {
  it('raises no alarm and opens no incident over two simulated days, for several seeds', async () => {
    for (const seed of [1, 7, 99]) {
      const sb = open('calm', seed);
      sb.advance(2 * 24 * 60 * MIN);
      const alarms = await sb.alarms!.listAlarms();
      expect(alarms.filter((a) => a.state !== 'OK').map((a) => a.name)).toEqual([]);
      expect(await sb.incidents!.listIncidents()).toEqual([]);
    }
  });
});

describe.each(scenarios(1).filter((s) => s.remedy))('scenario $name', (scenario) => {
  const remedyAt = Math.max(scenario.firesBy, scenario.remedyFrom ?? 0);
  const recovers = scenario.recovers ?? [];

  it(`drives ${scenario.fires.join(', ')} to ALARM by minute ${scenario.firesBy} and opens an incident`, async () => {
    const sb = open(scenario.name);
    const before = await states(sb);
    for (const name of scenario.fires) expect(before.get(name), name).toBe('OK');
    sb.advance(scenario.firesBy * MIN);
    const after = await states(sb);
    for (const name of scenario.fires) expect(after.get(name), name).toBe('ALARM');
    const incidents = await sb.incidents!.listIncidents({ statuses: ['triggered'] });
    const paged = incidents.flatMap((i) => i.alarmNames);
    expect(scenario.fires.some((n) => paged.includes(n))).toBe(true);
  });

  it(`the remedy clears ${recovers.join(', ')} within ${scenario.recoversWithin} minutes for good; without it they come back`, async () => {
    const treated = open(scenario.name);
    const untreated = open(scenario.name);
    treated.advance(remedyAt * MIN);
    untreated.advance(remedyAt * MIN);
    const at = await states(treated);
    expect(recovers.some((name) => at.get(name) === 'ALARM'), 'in ALARM when the remedy is applied').toBe(true);
    await apply(treated, scenario.remedy!);
    treated.advance(scenario.recoversWithin! * MIN);
    let untreatedAlarmed = false;
    untreated.advance(scenario.recoversWithin! * MIN);
    // For half an hour after recovery the treated world stays OK; the untreated one alarms again.
    for (let minute = 0; minute <= 30; minute++) {
      const healed = await states(treated);
      for (const name of recovers) expect(healed.get(name), `${name}, ${minute} min after recovery`).toBe('OK');
      const sick = await states(untreated);
      untreatedAlarmed ||= recovers.some((name) => sick.get(name) === 'ALARM');
      treated.advance(MIN);
      untreated.advance(MIN);
    }
    expect(untreatedAlarmed, 'in ALARM again without the remedy').toBe(true);
  });
});

describe('remedies that do not help', () => {
  it('a forced redeploy of the slow revision leaves the latency regression in place', async () => {
    const sb = open('latency-regression');
    sb.advance(15 * MIN);
    await sb.redeployable!.forceNewDeployment('vitascope-api');
    sb.advance(10 * MIN);
    expect((await states(sb)).get('vitascope-api-high-latency-critical')).toBe('ALARM');
  });

  it('a forced redeploy of the leaking worker resets memory for a while', async () => {
    const sb = open('sync-failures');
    sb.advance(30 * MIN);
    const before = sb.world.last!.workerMemory;
    await sb.redeployable!.forceNewDeployment('vitascope-worker');
    sb.advance(4 * MIN);
    expect(before).toBeGreaterThan(85);
    expect(sb.world.last!.workerMemory).toBeLessThan(60);
  });

  it('a desired count above the autoscaling maximum is pulled back by Application Auto Scaling', async () => {
    const sb = open('calm');
    await sb.scalable!.setDesiredCount('vitascope-api', 6);
    sb.advance(40 * MIN);
    const api = (await sb.services!.listServices()).find((s) => s.name === 'vitascope-api')!;
    expect(api.desired).toBeLessThanOrEqual(3);
  });
});

describe('determinism', () => {
  it('the same seed gives the same world; another seed gives different noise', async () => {
    const a = open('db-connections', 5);
    const b = open('db-connections', 5);
    const c = open('db-connections', 6);
    for (const s of [a, b, c]) s.advance(45 * MIN);
    const view = async (s: Sandbox) => JSON.stringify([await s.alarms!.listAlarms(), await s.services!.listServices(), await s.incidents!.listIncidents()]);
    expect(await view(a)).toBe(await view(b));
    expect(await view(a)).not.toBe(await view(c));
  });
});

describe('what the sandbox measures', () => {
  it('produces every metric of the strategy tables, with a calm history before it starts', async () => {
    const sb = open('calm');
    sb.advance(10 * MIN);
    for (const group of sb.world.alarms.groups) {
      expect(group.numerator, `${group.rule.id} on ${group.resource || 'product'}`).toBeDefined();
      if (group.rule.metric.denominator) expect(group.denominator, group.rule.id).toBeDefined();
    }
    expect(new Set(sb.world.alarms.groups.map((g) => g.rule.id)).size).toBe(DEFAULT_POLICY.rules.length);
    const series = await sb.metrics!.getSeries(
      [{ id: 'cpu', metric: { namespace: 'AWS/ECS', name: 'CPUUtilization', dimensions: { ClusterName: 'vitascope-cluster', ServiceName: 'vitascope-api' } }, statistic: 'Average' }],
      { start: sb.now() - 3 * 60 * MIN, end: sb.now(), stepSeconds: 300 },
    );
    expect(series[0]!.points).toHaveLength(36);
    for (const p of series[0]!.points) expect(p.v).toBeGreaterThan(5);
  });

  it('a reboot is a short outage: connections drop to zero, then come back', async () => {
    const sb = open('db-connections');
    sb.advance(30 * MIN);
    await sb.rebootable!.rebootDatabase('vitascope-db', { failover: false });
    sb.advance(1 * MIN);
    const during = await sb.databases!.listDatabases();
    expect(during[0]!.status).toBe('rebooting');
    expect(during[0]!.connections).toBe(0);
    sb.advance(5 * MIN);
    const after = await sb.databases!.listDatabases();
    expect(after[0]!.status).toBe('available');
    expect(after[0]!.connections).toBeGreaterThan(40);
    expect(after[0]!.connections).toBeLessThan(120);
  });
});
