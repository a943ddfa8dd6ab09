import { describe, expect, it } from 'vitest';
import { findInLogs } from '../../../src/core/logs/finding.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { findInTraces } from '../../../src/core/traces/finding.js';
import { groupPatterns } from '../../../src/core/logs/patterns.js';
import { SANDBOX_LOG_GROUPS } from '../../../src/sources/sandbox/logLines.js';
import { createSandbox, type Sandbox } from '../../../src/sources/sandbox/sandbox.js';
import { attackerAddress, scraperAddress } from '../../../src/sources/sandbox/scenarios.js';
import { currentRevision, runningTasks } from '../../../src/sources/sandbox/services.js';
import { LAMBDA, SERVICES } from '../../../src/sources/sandbox/topology.js';

const MIN = 60_000;
const SEED = 3;
const API = SERVICES[0]!.name;

function open(scenario: string): Sandbox {
  return createSandbox({
    seed: SEED,
    scenario,
    speed: 1,
    startOffsetMs: 0,
    policy: DEFAULT_POLICY,
    user: { id: 'u', name: 'Test Responder' },
    frozen: true,
  });
}

/** The last ten simulated minutes. */
function lastTen(sb: Sandbox): { start: number; end: number } {
  const end = sb.now();
  return { start: end - 10 * MIN, end };
}

async function rollback(sb: Sandbox, service: string): Promise<void> {
  const previous = await sb.redeployable!.previousTaskDefinition(service);
  await sb.redeployable!.setTaskDefinition(service, previous!);
}

/** The revisions the world's API tasks run now (ground truth, not what the logs say). */
function apiRevisions(sb: Sandbox): number[] {
  const svc = sb.world.services.get(API)!;
  return [...new Set(runningTasks(svc, sb.now()).map((t) => t.revision))].sort();
}

async function linesContaining(sb: Sandbox, group: string, text: string): Promise<number> {
  const w = lastTen(sb);
  const r = await sb.logs!.query({ groups: [group], ...w, contains: text, limit: 100_000 });
  return r.events.length;
}

describe("the sandbox logs and traces name each scenario's cause, and stop when the remedy works", () => {
  it('latency-regression: many more SELECTs per request on the deployed revision; gone after the rollback', async () => {
    const sb = open('latency-regression');
    sb.advance((sb.scenario.firesBy + 2) * MIN);
    const bad = currentRevision(sb.world.services.get(API)!);
    expect(apiRevisions(sb)).toEqual([bad]);
    const traces = await findInTraces(sb.traces!, { service: API, ...lastTen(sb) });
    expect(traces.changed).toMatchObject({
      service: 'vitascope-db',
      operation: 'SELECT health_readings',
      shape: 'more',
    });
    expect(traces.changed!.perTraceNow).toBeGreaterThan(10 * traces.changed!.perTraceBefore);
    expect(traces.slowest[0]!.path![0]).toMatchObject({ service: 'vitascope-db', operation: 'SELECT health_readings' });
    const logs = await findInLogs(sb.logs!, { service: API, groups: [SANDBOX_LOG_GROUPS.api], ...lastTen(sb) });
    expect(logs.revision).toBe(`${SERVICES[0]!.family}:${bad}`);

    await rollback(sb, API);
    sb.advance(15 * MIN);
    expect(apiRevisions(sb)).not.toContain(bad);
    const after = await findInTraces(sb.traces!, { service: API, ...lastTen(sb) });
    expect(after.changed?.shape).not.toBe('more');
    expect(after.slowest[0]!.path![0]!.spans).toBeLessThan(3);
    expect(await linesContaining(sb, SANDBOX_LOG_GROUPS.api, 'slow request')).toBe(0);
    const afterLogs = await findInLogs(sb.logs!, { service: API, groups: [SANDBOX_LOG_GROUPS.api], ...lastTen(sb) });
    expect(afterLogs.revision).toBeUndefined();
  });

  for (const [scenario, addressOf] of [
    ['auth-bruteforce', attackerAddress],
    ['api-scraper', scraperAddress],
  ] as const) {
    it(`${scenario}: the address behind the flood is the one the world's attacker uses; its lines stop once the WAF blocks it`, async () => {
      const sb = open(scenario);
      sb.advance((sb.scenario.firesBy + 2) * MIN);
      const logs = await findInLogs(sb.logs!, { service: API, groups: [SANDBOX_LOG_GROUPS.api], ...lastTen(sb) });
      const address = logs.topAddress!.value;
      // Ground truth: the scenario's remedy blocks this very address, and it is not blocked yet.
      expect(sb.scenario.remedyAction!.params.address).toBe(address);
      expect(address).toBe(addressOf(SEED));
      expect(sb.world.isBlocked(address)).toBe(false);
      expect(logs.patterns[0]!.pattern).toContain('client=<ip>');

      await sb.addressBlocker!.blockAddress(address, 'test');
      expect(sb.world.isBlocked(address)).toBe(true);
      sb.advance(12 * MIN);
      expect(await linesContaining(sb, SANDBOX_LOG_GROUPS.api, `client=${address}`)).toBe(0);
      const after = await findInLogs(sb.logs!, { service: API, groups: [SANDBOX_LOG_GROUPS.api], ...lastTen(sb) });
      expect(after.topAddress?.value).not.toBe(address);
    });
  }

  it('error-spike: the stack trace on /users/me is new in the window; gone after the rollback', async () => {
    const sb = open('error-spike');
    sb.advance((sb.scenario.firesBy + 2) * MIN);
    const bad = currentRevision(sb.world.services.get(API)!);
    const logs = await findInLogs(sb.logs!, { service: API, groups: [SANDBOX_LOG_GROUPS.api], ...lastTen(sb) });
    const top = logs.patterns[0]!;
    expect(top.trend.kind).toBe('new');
    expect(top.pattern).toContain('Exception on GET /api/v1/users/me');
    expect(top.pattern).toContain('KeyError');
    const traces = await findInTraces(sb.traces!, { service: API, ...lastTen(sb) });
    expect(traces.failing.some((t) => t.operation.endsWith('GET /api/v1/users/me') && t.status === 500)).toBe(true);

    await rollback(sb, API);
    sb.advance(15 * MIN);
    expect(apiRevisions(sb)).not.toContain(bad);
    expect(await linesContaining(sb, SANDBOX_LOG_GROUPS.api, 'Exception on GET /api/v1/users/me')).toBe(0);
  });

  it('lambda-poison: the Lambda fails on messages the bad API revision wrote; no more once they drained after the rollback', async () => {
    const sb = open('lambda-poison');
    sb.advance((sb.scenario.firesBy + 2) * MIN);
    const bad = currentRevision(sb.world.services.get(API)!);
    const logs = await findInLogs(sb.logs!, {
      service: LAMBDA.name,
      groups: [SANDBOX_LOG_GROUPS.lambda],
      ...lastTen(sb),
    });
    expect(logs.patterns[0]!.trend.kind).toBe('new');
    expect(logs.patterns[0]!.pattern).toContain('KeyError');
    expect(logs.revision).toBe(`${SERVICES[0]!.family}:${bad}`);
    const traces = await findInTraces(sb.traces!, { service: LAMBDA.name, ...lastTen(sb) });
    expect(traces.failingCount).toBeGreaterThan(0);

    await rollback(sb, API);
    sb.advance((sb.scenario.recoversWithin! + 10) * MIN);
    expect(apiRevisions(sb)).not.toContain(bad);
    expect(await linesContaining(sb, SANDBOX_LOG_GROUPS.lambda, 'KeyError')).toBe(0);
  });

  it('dependency-outage: requests wait on the partner until its client times out; none once it is back', async () => {
    const sb = open('dependency-outage');
    sb.advance((sb.scenario.firesBy + 2) * MIN);
    const m = sb.world.minute - 1;
    expect(sb.world.activity.at(m)!.wearablesDown).toBe(true);
    const traces = await findInTraces(sb.traces!, { service: API, ...lastTen(sb) });
    expect(traces.failing[0]!.path![0]).toMatchObject({ service: 'wearables-gateway', operation: 'POST /v2/sync' });
    const logs = await findInLogs(sb.logs!, {
      service: 'vitascope-worker',
      groups: [SANDBOX_LOG_GROUPS.worker],
      ...lastTen(sb),
    });
    expect(logs.patterns[0]!.pattern).toContain('wearables-gateway POST /v2/sync timed out');

    sb.advance(Math.max(0, 70 * MIN - (sb.now() - sb.world.origin)));
    expect(sb.world.activity.at(sb.world.minute - 1)!.wearablesDown).toBe(false);
    sb.advance(10 * MIN);
    expect(await linesContaining(sb, SANDBOX_LOG_GROUPS.worker, 'timed out')).toBe(0);
    const after = await findInTraces(sb.traces!, { service: API, ...lastTen(sb) });
    expect(after.failing.every((t) => t.path?.[0]?.service !== 'wearables-gateway')).toBe(true);
  });

  it('calm: nothing appears or grows and no span changes; every service writes its background lines', async () => {
    const sb = open('calm');
    sb.advance(90 * MIN);
    const logs = await findInLogs(sb.logs!, {
      service: API,
      groups: Object.values(SANDBOX_LOG_GROUPS),
      ...lastTen(sb),
    });
    expect(logs.notable).toBe(false);
    expect(logs.topAddress).toBeUndefined();
    const traces = await findInTraces(sb.traces!, { service: API, ...lastTen(sb) });
    expect(traces.changed).toBeUndefined();
    const all = await sb.logs!.query({ groups: Object.values(SANDBOX_LOG_GROUPS), ...lastTen(sb), limit: 100_000 });
    expect(new Set(all.events.map((e) => e.group))).toEqual(new Set(Object.values(SANDBOX_LOG_GROUPS)));
  });

  it('is the same on every read (deterministic from the seed), writes nothing ahead of the clock, and honours the limit', async () => {
    const sb = open('auth-bruteforce');
    sb.advance(20 * MIN);
    const w = lastTen(sb);
    const a = await sb.logs!.query({ groups: [SANDBOX_LOG_GROUPS.api], ...w, limit: 100_000 });
    const b = await sb.logs!.query({ groups: [SANDBOX_LOG_GROUPS.api], ...w, limit: 100_000 });
    expect(b.events).toEqual(a.events);
    expect(a.complete).toBe(true);
    const ahead = await sb.logs!.query({
      groups: [SANDBOX_LOG_GROUPS.api],
      start: w.end,
      end: w.end + 60 * MIN,
      limit: 10,
    });
    expect(ahead.events).toEqual([]);
    const few = await sb.logs!.query({ groups: [SANDBOX_LOG_GROUPS.api], ...w, limit: 50 });
    expect(few.complete).toBe(false);
    expect(few.events).toEqual(a.events.slice(-50));
    // Pattern counts of the sandbox's own lines: the attacker's lines are the login failures from its address.
    const set = groupPatterns(a.events, w);
    expect(set.lines).toBe(a.events.length);
    const ids = (await sb.traces!.summaries({ ...w, service: API, limit: 5 })).summaries.map((s) => s.id);
    const traces = await sb.traces!.traces(ids);
    expect(traces.map((t) => t.id)).toEqual(ids);
  });
});
