import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/policy/overrides.js';
import {
  collectStatus,
  connectionsWarningShare,
  databaseCondition,
  exitCodeFor,
  serviceCondition,
  storageThresholds,
  EXIT,
} from '../../src/core/status.js';
import { statusToJson } from '../../src/core/statusJson.js';
import type { Database, Service } from '../../src/core/model.js';
import { createSandbox } from '../../src/sources/sandbox/sandbox.js';
import type { Sources } from '../../src/sources/ports.js';

const MIN = 60_000;
const open = (scenario: string, atMinutes: number) =>
  createSandbox({
    seed: 1,
    scenario,
    speed: 1,
    startOffsetMs: atMinutes * MIN,
    policy: DEFAULT_POLICY,
    user: { id: 'u', name: 'U' },
    frozen: true,
  });

const service = (over: Partial<Service>): Service => ({
  id: 'arn',
  name: 'svc',
  cluster: 'c',
  status: 'ACTIVE',
  desired: 2,
  running: 2,
  pending: 0,
  taskDefinition: 'td:1',
  deployments: [
    {
      id: 'd',
      status: 'PRIMARY',
      taskDefinition: 'td:1',
      desired: 2,
      running: 2,
      pending: 0,
      rolloutState: 'COMPLETED',
      createdAt: 0,
      updatedAt: 0,
    },
  ],
  events: [],
  ...over,
});

describe('service condition', () => {
  it('tells steady, scaling, deploying, degraded, down and failed apart', () => {
    expect(serviceCondition(service({})).condition).toBe('steady');
    expect(serviceCondition(service({ desired: 3, pending: 1 })).condition).toBe('scaling');
    expect(serviceCondition(service({ running: 1 }))).toMatchObject({ condition: 'degraded', health: 'warning' });
    expect(serviceCondition(service({ running: 0 }))).toMatchObject({ condition: 'down', health: 'critical' });
    const failed = service({});
    const primary = { ...failed.deployments[0]!, rolloutState: 'FAILED' as const };
    expect(serviceCondition({ ...failed, deployments: [primary] })).toMatchObject({
      condition: 'deployment failed',
      health: 'critical',
    });
    const rolling = { ...failed.deployments[0]!, rolloutState: 'IN_PROGRESS' as const };
    expect(serviceCondition({ ...failed, deployments: [rolling] }).condition).toBe('deploying');
    // A rollout with none of its tasks running yet serves nothing: never ✓ beside 0/2.
    expect(serviceCondition({ ...failed, running: 0, pending: 2, deployments: [rolling] })).toMatchObject({
      condition: 'deploying',
      health: 'warning',
    });
    expect(serviceCondition({ ...failed, deployments: [rolling] }).health).toBe('ok');
  });
});

describe('database condition', () => {
  const db = (over: Partial<Database>): Database => ({
    id: 'vitascope-db',
    engine: 'postgres',
    instanceClass: 'db.r6g.large',
    status: 'available',
    connections: 100,
    maxConnections: 400,
    multiAz: true,
    ...over,
  });

  it("judges connections by the policy's share, the limit itself, and the status", () => {
    expect(connectionsWarningShare(DEFAULT_POLICY)).toBe(0.8);
    expect(databaseCondition(db({}), 0.8)).toEqual({ database: db({}), share: 0.25, health: 'ok' });
    expect(databaseCondition(db({ connections: 319 }), 0.8).health).toBe('ok');
    expect(databaseCondition(db({ connections: 320 }), 0.8).health).toBe('warning');
    expect(databaseCondition(db({ connections: 400 }), 0.8).health).toBe('critical');
    expect(databaseCondition(db({ connections: 390 }), undefined).health).toBe('ok');
    expect(databaseCondition(db({ status: 'rebooting', connections: 0 }), 0.8).health).toBe('warning');
    expect(databaseCondition(db({ status: 'storage-full' }), 0.8).health).toBe('critical');
    expect(databaseCondition(db({ connections: undefined }), 0.8)).toEqual({
      database: db({ connections: undefined }),
      health: 'ok',
    });
    const off = {
      ...DEFAULT_POLICY,
      rules: DEFAULT_POLICY.rules.map((r) => (r.id === 'rds-connections' ? { ...r, enabled: false } : r)),
    };
    expect(connectionsWarningShare(off)).toBeUndefined();
  });

  it("judges storage on its own, by the policy's disk rule, and leaves it unjudged when unknown", () => {
    const disk = storageThresholds(DEFAULT_POLICY);
    expect(disk).toEqual({ warning: 80, critical: 90 });
    expect(
      databaseCondition(db({ connections: 70, storageUsedPercent: 90, allocatedGiB: 200 }), 0.8, disk),
    ).toMatchObject({ share: 0.175, storageHealth: 'critical', health: 'critical' });
    expect(databaseCondition(db({ storageUsedPercent: 85 }), 0.8, disk)).toMatchObject({
      storageHealth: 'warning',
      health: 'warning',
    });
    expect(databaseCondition(db({ storageUsedPercent: 79.9 }), 0.8, disk)).toMatchObject({
      storageHealth: 'ok',
      health: 'ok',
    });
    expect(databaseCondition(db({ storageUsedPercent: undefined }), 0.8, disk).storageHealth).toBeUndefined();
    const off = {
      ...DEFAULT_POLICY,
      rules: DEFAULT_POLICY.rules.map((r) => (r.id === 'disk-utilization' ? { ...r, enabled: false } : r)),
    };
    expect(storageThresholds(off)).toBeUndefined();
  });

  it("status shows the disk filling up as the sandbox's own storage model has it, apart from connections", async () => {
    const sources = open('disk-fill', 55);
    const s = await collectStatus(sources, DEFAULT_POLICY);
    // Ground truth: the storage the sandbox's database reports through its resize port (RDS DescribeDBInstances + FreeStorageSpace).
    const truth = await sources.storageResizable!.getStorage('vitascope-db');
    expect(truth.usedPercent).toBeGreaterThanOrEqual(90);
    const view = s.databases[0]!;
    expect(view.database.storageUsedPercent).toBe(truth.usedPercent);
    expect(view.database.allocatedGiB).toBe(truth.allocatedGiB);
    expect(view.share ?? 0).toBeLessThan(0.8);
    expect(view.storageHealth).toBe('critical');
    expect(view.health).toBe('critical');
    const json = statusToJson(s) as { databases: { storageUsedPercent: number; allocatedGiB: number }[] };
    expect(json.databases[0]).toMatchObject({
      storageUsedPercent: truth.usedPercent,
      allocatedGiB: truth.allocatedGiB,
    });
  });

  it("status shows the database nearing its limit before the alarm's three minutes are up: a warning", async () => {
    const s = await collectStatus(open('db-connections', 25), DEFAULT_POLICY);
    expect(s.alarms.filter((a) => a.state === 'ALARM')).toEqual([]);
    expect(s.databases).toHaveLength(1);
    expect(s.databases[0]!.share).toBeGreaterThanOrEqual(0.8);
    expect(s.health).toBe('warning');
    const json = statusToJson(s) as { databases: { id: string; usedPercent: number; health: string }[] };
    expect(json.databases[0]).toMatchObject({ id: 'vitascope-db', health: 'warning' });
    expect(json.databases[0]!.usedPercent).toBeGreaterThanOrEqual(80);
  });
});

describe('status snapshot and exit code', () => {
  it('calm is OK: exit 0', async () => {
    const s = await collectStatus(open('calm', 0), DEFAULT_POLICY);
    expect(s.health).toBe('ok');
    expect(exitCodeFor(s)).toBe(EXIT.ok);
    expect(s.onCall.map((o) => o.role)).toEqual(['primary', 'secondary', 'manager']);
  });

  it('a P3 warning incident is a warning: exit 1', async () => {
    const s = await collectStatus(open('auth-bruteforce', 6), DEFAULT_POLICY);
    expect(s.health).toBe('warning');
    expect(exitCodeFor(s)).toBe(EXIT.warning);
  });

  it('a critical alarm is critical: exit 2, with escalation and response countdowns', async () => {
    const s = await collectStatus(open('api-cpu-spike', 15), DEFAULT_POLICY);
    expect(s.health).toBe('critical');
    expect(exitCodeFor(s)).toBe(EXIT.critical);
    expect(s.alarms[0]!.state).toBe('ALARM');
    expect(s.alarms[0]!.level).toBe('critical');
    const json = statusToJson(s) as {
      incidents: { escalation: { nextInSeconds: number; nextRole: string }; responseDue: string }[];
    };
    expect(json.incidents[0]!.escalation.nextRole).toBe('secondary');
    expect(json.incidents[0]!.escalation.nextInSeconds).toBeGreaterThan(0);
    expect(json.incidents[0]!.escalation.nextInSeconds).toBeLessThanOrEqual(30 * 60);
    expect(json.incidents[0]!.responseDue).toMatch(/^2026-01-05T/);
  });

  it('a failing source is reported and makes the exit code 4, without hiding the others', async () => {
    const sb = open('calm', 0);
    const broken: Sources = {
      ...sb,
      incidents: { ...sb.incidents!, listIncidents: async () => Promise.reject(new Error('PagerDuty: 503')) },
    };
    const s = await collectStatus(broken, DEFAULT_POLICY);
    expect(s.sources.find((x) => x.name === 'incidents')).toEqual({
      name: 'incidents',
      state: 'failing',
      error: 'PagerDuty: 503',
    });
    expect(s.alarms.length).toBeGreaterThan(0);
    expect(exitCodeFor(s)).toBe(EXIT.source);
  });
});
