/**
 * ECS rolling deployments in the sandbox when the new tasks never become healthy: ECS stops them
 * and launches more, the deployment circuit breaker (enabled, rollback off) marks the rollout FAILED
 * at its threshold and stops launching, and the old tasks keep serving (minimum healthy 100 %).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { createSandbox, type Sandbox } from '../../../src/sources/sandbox/sandbox.js';
import { circuitBreakerThreshold } from '../../../src/sources/sandbox/services.js';

const MIN = 60_000;

function open(): Sandbox {
  return createSandbox({
    seed: 1,
    scenario: 'crashloop-deploy',
    speed: 1,
    startOffsetMs: 0,
    policy: DEFAULT_POLICY,
    user: { id: 'u', name: 'Test Responder' },
    frozen: true,
  });
}

const api = async (sb: Sandbox) => (await sb.services!.listServices()).find((s) => s.name === 'vitascope-api')!;
const td = (rev: number) => `arn:aws:ecs:ap-northeast-1:000000000000:task-definition/vitascope-api:${rev}`;

describe('a rollout whose tasks fail their health checks', () => {
  it('the circuit breaker threshold is half the desired count, between 3 and 200', () => {
    expect([1, 2, 6, 7, 10, 1000].map(circuitBreakerThreshold)).toEqual([3, 3, 3, 4, 5, 200]);
  });

  it('is in progress while ECS replaces the failing tasks, then FAILED; the old tasks keep serving', async () => {
    const sb = open();
    sb.advance(8 * MIN);
    const rolling = await api(sb);
    expect(rolling.deployments.map((d) => [d.status, d.rolloutState, d.taskDefinition])).toEqual([
      ['PRIMARY', 'IN_PROGRESS', td(43)],
      ['ACTIVE', 'COMPLETED', td(41)],
    ]);
    expect(rolling.deployments[0]).toMatchObject({ desired: 2, running: 0, pending: 2 });
    expect(
      rolling.events.some((e) =>
        /is unhealthy in \(target-group .*vitascope-api-tg.*\) due to \(reason Health checks failed/.test(e.message),
      ),
    ).toBe(true);

    sb.advance(4 * MIN);
    const failed = await api(sb);
    const [primary, old] = failed.deployments;
    expect(primary).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'FAILED',
      rolloutReason: 'ECS deployment circuit breaker: tasks failed to start.',
      taskDefinition: td(43),
      running: 0,
      pending: 0,
    });
    expect(old).toMatchObject({
      status: 'ACTIVE',
      rolloutState: 'COMPLETED',
      taskDefinition: td(41),
      desired: 2,
      running: 2,
    });
    expect(failed).toMatchObject({ desired: 2, running: 2, pending: 0, taskDefinition: td(43) });
    expect(failed.events[0]!.message).toMatch(/deployment failed: tasks failed to start\.$/);
    // Users notice nothing: latency and errors are ordinary.
    expect(sb.world.last!.p95).toBeLessThan(400);
    expect(sb.world.last!.errors5xx / sb.world.last!.requests).toBeLessThan(0.01);
    // And it stays that way: no more launches, no more failures.
    sb.advance(30 * MIN);
    const later = await api(sb);
    expect(later.deployments.map((d) => [d.rolloutState, d.running, d.pending])).toEqual([
      ['FAILED', 0, 0],
      ['COMPLETED', 2, 0],
    ]);
    expect(later.events[0]!.message).toBe(failed.events[0]!.message);
    expect(
      (await sb.alarms!.listAlarms()).find((a) => a.name === 'vitascope-api-service-unhealthy-critical')!.state,
    ).toBe('ALARM');
  });

  it('a forced new deployment of the same revision fails the same way', async () => {
    const sb = open();
    sb.advance(16 * MIN);
    await sb.redeployable!.forceNewDeployment('vitascope-api');
    sb.advance(2 * MIN);
    expect((await api(sb)).deployments[0]!.rolloutState).toBe('IN_PROGRESS');
    sb.advance(12 * MIN);
    const s = await api(sb);
    expect(s.deployments[0]).toMatchObject({ rolloutState: 'FAILED', taskDefinition: td(43) });
    expect(s.running).toBe(2);
    expect(
      (await sb.alarms!.listAlarms()).find((a) => a.name === 'vitascope-api-service-unhealthy-critical')!.state,
    ).toBe('ALARM');
  });

  it('rolling back to the revision that was running completes and leaves one deployment', async () => {
    const sb = open();
    sb.advance(16 * MIN);
    expect(await sb.redeployable!.previousTaskDefinition('vitascope-api')).toBe(td(41));
    await sb.redeployable!.setTaskDefinition('vitascope-api', td(41));
    sb.advance(3 * MIN);
    const s = await api(sb);
    expect(s.deployments.map((d) => [d.status, d.rolloutState, d.taskDefinition])).toEqual([
      ['PRIMARY', 'COMPLETED', td(41)],
    ]);
    expect(s).toMatchObject({ desired: 2, running: 2, taskDefinition: td(41) });
  });

  it('scaling in a service whose rollout failed stops old tasks; scaling out cannot be served', async () => {
    const sb = open();
    sb.advance(16 * MIN);
    // Through the scalable target, so that Application Auto Scaling keeps the count where it is put.
    await sb.autoScalable!.setScalingLimits('vitascope-api', { min: 1, max: 1 });
    sb.advance(MIN);
    expect(await api(sb)).toMatchObject({ desired: 1, running: 1 });
    await sb.autoScalable!.setScalingLimits('vitascope-api', { min: 3, max: 3 });
    sb.advance(5 * MIN);
    expect(await api(sb)).toMatchObject({ desired: 3, running: 1, pending: 0 });
  });
});
