/**
 * `vitascope-oncall drill` through the built binary: a sandbox game day resolved with --yes (exit 0,
 * the JSON summary, the journal file), one without --yes (exit 1, dry runs journaled), and `--live`
 * against moto behind the enforcing front: the alarm is set to ALARM and back with SetAlarmState and
 * nothing else is written (every other call the front saw is a read).
 */
import fs from 'node:fs';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillReport } from '../../src/core/drill/types.js';
import { journalPath, openJournal } from '../../src/core/journal/index.js';
import { startAwsFront, type AwsFront } from '../harness/awsFront.js';
import { motoSkipReason, quietSdkVersionWarning, startMoto, testClientConfig, type Moto } from '../harness/awsMoto.js';
import { isolatedEnv, runCli } from '../harness/cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e = isolatedEnv(extra);
  dirs.push(e.HOME!);
  return { ...e, VITASCOPE_ONCALL_DATA_DIR: `${e.HOME}/data` };
}

describe('drill on the sandbox (the binary)', () => {
  it('db-connections --yes --json: resolved, exit 0, the journal holds the run', async () => {
    const e = env();
    const r = await runCli(['drill', '--scenario', 'db-connections', '--yes', '--json'], e);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as DrillReport & { exitCode: number };
    expect(report).toMatchObject({ scenario: 'db-connections', resolved: true, exitCode: 0, recovery: { 'vitascope-db-connections-warning': 'OK' } });
    expect(report.incidents).toHaveLength(1);
    // A run of its own: the incident's id carries the run's tag, in the sandbox and in the journal alike.
    expect(report.incidents[0]).toMatchObject({ sourceId: expect.stringMatching(/^PSB1001\.\w+$/), runbook: 'rds-connections', rule: 'rds-connections' });
    expect(report.incidents[0]!.journalId).toBe(report.incidents[0]!.sourceId);
    expect(report.incidents[0]!.actions.find((a) => a.action === 'rds.reboot')).toMatchObject({ status: 'verified', target: 'vitascope-db', evidence: expect.stringMatching(/before ALARM .*after OK/) });
    // Progress went to stderr, the summary alone to stdout.
    expect(r.stderr).toMatch(/── resolve/);
    expect(report.journal.path).toBe(journalPath(e, 'sandbox'));
    const journal = openJournal(report.journal.path);
    try {
      expect(journal.query({ incidentId: report.incidents[0]!.journalId })).toHaveLength(report.journal.events);
      expect(journal.incident(report.incidents[0]!.journalId)).toMatchObject({ status: 'resolved' });
    } finally {
      journal.close();
    }
  });

  it('prints progress and the incident id; without --yes it cannot resolve (exit 1)', async () => {
    const r = await runCli(['drill', '--scenario', 'auth-bruteforce'], env());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\+0m +drill auth-bruteforce: Authentication brute force — exercises auth-failures \(no --yes: every action is a dry run\)$/m);
    expect(r.stdout).toMatch(/⚙ block: dry-run: dry run, nothing was changed; the plan: block 203\.0\.113\.\d+ at the edge/);
    expect(r.stdout).toMatch(/^NOT RESOLVED: actions were dry runs \(no --yes\): nothing was remediated$/m);
    expect(r.stdout).toMatch(/^incident PSB1001\.\w+: runbook auth-failures, \d+ steps done, \d+ skipped; waf\.block-address on 203\.0\.113\.\d+ dry-run; \w+$/m);
  });
});

const skip = motoSkipReason();

describe.skipIf(skip)('drill --live against moto', () => {
  let moto: Moto;
  let front: AwsFront;
  beforeAll(async () => {
    quietSdkVersionWarning();
    moto = await startMoto();
    front = await startAwsFront(moto.url);
    const cw = new CloudWatchClient(testClientConfig(front.url));
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'vitascope-db-connections-warning',
        Namespace: 'AWS/RDS',
        MetricName: 'DatabaseConnections',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 320,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'vitascope-db' }],
      }),
    );
    cw.destroy();
    const rds = new RDSClient(testClientConfig(front.url));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'vitascope-db', Engine: 'postgres', DBInstanceClass: 'db.r6g.large', MultiAZ: true, AllocatedStorage: 200, MasterUsername: 'admin', MasterUserPassword: 'not-a-secret-1' }));
    rds.destroy();
    front.clearCalls();
  }, 60_000);
  afterAll(async () => {
    await front?.close();
    await moto?.stop();
  });

  it('sets the alarm with SetAlarmState, walks the runbook with every action a dry run, and writes nothing else', async () => {
    const e = env({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: front.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    const r = await runCli(['drill', '--live', '--scenario', 'db-connections', '--json'], e);
    const report = JSON.parse(r.stdout) as DrillReport & { exitCode: number };
    expect(report, r.stderr).toMatchObject({ environment: 'live', resolved: true, exitCode: 0, recovery: { 'vitascope-db-connections-warning': 'OK' } });
    expect(r.code).toBe(0);
    expect(report.incidents[0]).toMatchObject({ runbook: 'rds-connections', alarm: 'vitascope-db-connections-warning' });
    expect(report.incidents[0]!.actions.map((a) => [a.action, a.status])).toEqual(
      expect.arrayContaining([
        ['pagerduty.acknowledge', 'dry-run'],
        ['rds.reboot', 'dry-run'],
      ]),
    );
    // The reboot was planned from what RDS reports: a real read, no write.
    expect(report.incidents[0]!.actions.find((a) => a.action === 'rds.reboot')!.summary).toBe('vitascope-db: reboot (postgres, db.r6g.large, Multi-AZ)');

    const states = front.bodies('SetAlarmState').map((b) => JSON.parse(b) as { AlarmName: string; StateValue: string });
    expect(states.map((s) => [s.AlarmName, s.StateValue])).toEqual([
      ['vitascope-db-connections-warning', 'ALARM'],
      ['vitascope-db-connections-warning', 'OK'],
    ]);
    const writes = front.calls.map((c) => c.op).filter((op) => !/^(Describe|List|Get)/.test(op));
    expect(writes).toEqual(['SetAlarmState', 'SetAlarmState']);
    expect(front.count('RebootDBInstance')).toBe(0);

    const cw = new CloudWatchClient(testClientConfig(front.url));
    const { MetricAlarms } = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['vitascope-db-connections-warning'] }));
    cw.destroy();
    expect(MetricAlarms?.[0]?.StateValue).toBe('OK');

    // The drill is in the sandbox's journal (drills never mix with real incidents), dry runs included.
    const journal = openJournal(journalPath(e, 'sandbox'));
    try {
      const applied = journal.query({ incidentId: report.incidents[0]!.journalId, kinds: ['action.applied'] });
      expect(applied.length).toBeGreaterThan(2);
      expect(applied.every((a) => (a.payload as { dryRun?: boolean }).dryRun === true)).toBe(true);
    } finally {
      journal.close();
    }
  });
});
