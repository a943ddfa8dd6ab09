/**
 * `vitascope-oncall drill` through the built binary: a sandbox game day resolved with --yes (exit 0,
 * the JSON summary, the journal file), one without --yes (exit 1, dry runs journaled), and `--live`
 * against moto behind the enforcing front: the alarm is set to ALARM and back with SetAlarmState and
 * nothing else is written (every other call the front saw is a read). Before that it lists the SNS
 * actions that will fire and who they reach; in production it refuses to start without the account id
 * (typed, or --confirm-account); --no-actions disables the alarm's actions for the drill and enables them
 * again after, also when the drill is stopped with SIGTERM; read-only refuses it.
 */
import fs from 'node:fs';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { spawn } from 'node:child_process';
import { answerInTmux, Tmux } from '../harness/tmux.js';
import { requireTool } from '../harness/servers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillReport } from '../../src/core/drill/types.js';
import { journalPath, openJournal } from '../../src/core/journal/index.js';
import { startAwsFront, type AwsFront } from '../harness/awsFront.js';
import { motoSkipReason, quietSdkVersionWarning, startMoto, testClientConfig, type Moto } from '../harness/awsMoto.js';
import { BIN, isolatedEnv, runCli } from '../harness/cli.js';

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
    expect(report).toMatchObject({
      scenario: 'db-connections',
      resolved: true,
      exitCode: 0,
      recovery: { 'vitascope-db-connections-warning': 'OK' },
    });
    expect(report.incidents).toHaveLength(1);
    // A run of its own: the incident's id carries the run's tag, in the sandbox and in the journal alike.
    expect(report.incidents[0]).toMatchObject({
      sourceId: expect.stringMatching(/^PSB1001\.\w+$/),
      runbook: 'rds-connections',
      rule: 'rds-connections',
    });
    expect(report.incidents[0]!.journalId).toBe(report.incidents[0]!.sourceId);
    expect(report.incidents[0]!.actions.find((a) => a.action === 'rds.reboot')).toMatchObject({
      status: 'verified',
      target: 'vitascope-db',
      evidence: expect.stringMatching(/before ALARM .*after OK/),
    });
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
    expect(r.stdout).toMatch(
      /^\+0m +drill auth-bruteforce: Authentication brute force — exercises auth-failures \(no --yes: every action is a dry run\)$/m,
    );
    expect(r.stdout).toMatch(
      /◌ block: dry-run: dry run, nothing was changed; the plan: block 203\.0\.113\.\d+ at the edge/,
    );
    expect(r.stdout).toMatch(/^NOT RESOLVED: actions were dry runs \(no --yes\): nothing was remediated$/m);
    expect(r.stdout).toMatch(
      /^incident PSB1001\.\w+: runbook auth-failures, \d+ steps done, \d+ skipped; waf\.block-address on 203\.0\.113\.\d+ dry-run; \w+$/m,
    );
  });
});

const skip = motoSkipReason();

const ACCOUNT = '123456789012';
const ALARM = 'vitascope-db-connections-warning';

describe.skipIf(skip)('drill --live against moto', () => {
  let moto: Moto;
  let front: AwsFront;
  const awsEnv = () =>
    env({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: front.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
  const writes = () => front.calls.map((c) => c.op).filter((op) => !/^(Describe|List|Get)/.test(op));
  async function alarmNow() {
    const cw = new CloudWatchClient(testClientConfig(front.url));
    try {
      return (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [ALARM] }))).MetricAlarms![0]!;
    } finally {
      cw.destroy();
    }
  }
  beforeAll(async () => {
    quietSdkVersionWarning();
    moto = await startMoto();
    front = await startAwsFront(moto.url);
    const sns = new SNSClient(testClientConfig(front.url));
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'vitascope-pagerduty' }))).TopicArn!;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'https',
        Endpoint: 'https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue',
      }),
    );
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'oncall@vitascope.example' }));
    sns.destroy();
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
        AlarmActions: [topic],
        OKActions: [topic],
      }),
    );
    cw.destroy();
    const rds = new RDSClient(testClientConfig(front.url));
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'vitascope-db',
        Engine: 'postgres',
        DBInstanceClass: 'db.r6g.large',
        MultiAZ: true,
        AllocatedStorage: 200,
        MasterUsername: 'admin',
        MasterUserPassword: 'not-a-secret-1',
      }),
    );
    rds.destroy();
    front.clearCalls();
  }, 60_000);
  afterAll(async () => {
    await front?.close();
    await moto?.stop();
  });

  it('sets the alarm with SetAlarmState, walks the runbook with every action a dry run, and writes nothing else', async () => {
    front.clearCalls();
    const e = awsEnv();
    const r = await runCli(
      ['drill', '--live', '--scenario', 'db-connections', '--json', '--confirm-account', ACCOUNT],
      e,
    );
    // First, what will fire and who it reaches (the integration key never printed).
    expect(r.stderr).toContain(
      `drill --live on AWS ${ACCOUNT} (PRODUCTION): 1 alarm will be set to ALARM with SetAlarmState and back`,
    );
    expect(r.stderr).toContain(
      '→ ALARM runs: SNS vitascope-pagerduty → https https://events.pagerduty.com/…, email oncall@vitascope.example',
    );
    expect(r.stderr).toContain('→ back to OK runs: SNS vitascope-pagerduty →');
    expect(r.stderr).not.toContain('0123456789abcdef');
    const report = JSON.parse(r.stdout) as DrillReport & { exitCode: number };
    expect(report, r.stderr).toMatchObject({
      environment: 'live',
      resolved: true,
      exitCode: 0,
      recovery: { 'vitascope-db-connections-warning': 'OK' },
    });
    expect(r.code).toBe(0);
    expect(report.incidents[0]).toMatchObject({
      runbook: 'rds-connections',
      alarm: 'vitascope-db-connections-warning',
    });
    expect(report.incidents[0]!.actions.map((a) => [a.action, a.status])).toEqual(
      expect.arrayContaining([
        ['pagerduty.acknowledge', 'dry-run'],
        ['rds.reboot', 'dry-run'],
      ]),
    );
    // The reboot was planned from what RDS reports: a real read, no write.
    expect(report.incidents[0]!.actions.find((a) => a.action === 'rds.reboot')!.summary).toBe(
      'vitascope-db: reboot (postgres, db.r6g.large, Multi-AZ)',
    );

    const states = front.bodies('SetAlarmState').map((b) => JSON.parse(b) as { AlarmName: string; StateValue: string });
    expect(states.map((s) => [s.AlarmName, s.StateValue])).toEqual([
      ['vitascope-db-connections-warning', 'ALARM'],
      ['vitascope-db-connections-warning', 'OK'],
    ]);
    expect(writes()).toEqual(['SetAlarmState', 'SetAlarmState']);
    expect(front.count('ListSubscriptionsByTopic')).toBe(1);
    expect(front.count('RebootDBInstance')).toBe(0);

    const cw = new CloudWatchClient(testClientConfig(front.url));
    const { MetricAlarms } = await cw.send(
      new DescribeAlarmsCommand({ AlarmNames: ['vitascope-db-connections-warning'] }),
    );
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
  it('refuses production without the account id: --yes alone, no terminal, a wrong id; nothing is written', async () => {
    for (const [args, said] of [
      [['--yes'], '--yes is not enough for a live drill; confirm the account with --confirm-account ACCOUNT_ID'],
      [[], 'there is no terminal to ask on: confirm the account with --confirm-account ACCOUNT_ID'],
      [
        ['--confirm-account', '999999999999'],
        '--confirm-account 999999999999 is not the account these credentials reach',
      ],
    ] as const) {
      front.clearCalls();
      const r = await runCli(['drill', '--live', '--scenario', 'db-connections', ...args], awsEnv());
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toContain('→ ALARM runs: SNS vitascope-pagerduty');
      expect(r.stderr).toContain(said);
      expect(writes()).toEqual([]);
    }
    expect((await alarmNow()).StateValue).toBe('OK');
  });

  it('asks for the account id typed on a terminal, and starts only when it is right', async () => {
    if (requireTool('tmux', Tmux.available(), 'apt-get install tmux')) return;
    front.clearCalls();
    const wrong = await answerInTmux({
      command: `node ${BIN} drill --live --scenario db-connections; echo DRILL=$?; sleep 60`,
      env: { ...awsEnv(), TERM: 'xterm-256color' },
      tag: 'DRILL',
      question: /Type the account id/,
      answer: '210987654321',
    });
    expect(wrong).toContain('not the account id: nothing was changed');
    expect(wrong).toMatch(/DRILL=2/);
    expect(writes()).toEqual([]);
    const tmux = new Tmux();
    try {
      front.clearCalls();
      tmux.start(
        `node ${BIN} drill --live --scenario db-connections --no-actions; echo DRILL=$?; sleep 60`,
        { ...awsEnv(), TERM: 'xterm-256color' },
        { width: 160, height: 50 },
      );
      await tmux.waitFor((s) => s.includes('Type the account id to start the drill'), 'the question', 20_000);
      expect(writes()).toEqual([]);
      tmux.type(ACCOUNT);
      tmux.keys('Enter');
      const screen = await tmux.waitFor((s) => /DRILL=\d/.test(s), 'the drill', 40_000);
      expect(screen).toMatch(/DRILL=0/);
      expect(writes()).toEqual(['DisableAlarmActions', 'SetAlarmState', 'SetAlarmState', 'EnableAlarmActions']);
    } finally {
      tmux.kill();
    }
  }, 90_000);

  it("--no-actions: the alarm's actions are off for the drill and on again after, even when the drill is stopped with SIGTERM", async () => {
    front.clearCalls();
    const e = awsEnv();
    const r = await runCli(
      ['drill', '--live', '--scenario', 'db-connections', '--no-actions', '--confirm-account', ACCOUNT],
      e,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('--no-actions: its actions are disabled for the drill and enabled again after it');
    expect(writes()).toEqual(['DisableAlarmActions', 'SetAlarmState', 'SetAlarmState', 'EnableAlarmActions']);
    expect((await alarmNow()).ActionsEnabled).toBe(true);

    // Stopped in the middle: RDS answers slowly while the runbook reads it, and SIGTERM arrives then.
    front.clearCalls();
    front.setFault({ kind: 'slow', delayMs: 20_000 }, Infinity, ['DescribeDBInstances']);
    const child = spawn(
      process.execPath,
      [BIN, 'drill', '--live', '--scenario', 'db-connections', '--no-actions', '--confirm-account', ACCOUNT],
      { env: e, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      const poll = setInterval(() => {
        if (out.includes(`SetAlarmState ${ALARM} → ALARM`)) {
          clearInterval(poll);
          setTimeout(() => child.kill('SIGTERM'), 300);
        }
      }, 50);
    });
    front.setFault({ kind: 'pass' });
    expect(code, out).toBe(143);
    expect(out).toContain('SIGTERM: putting back what the drill changed');
    const a = await alarmNow();
    expect(a.ActionsEnabled).toBe(true);
    expect(a.StateValue).toBe('OK');
    expect(writes()).toEqual(['DisableAlarmActions', 'SetAlarmState', 'SetAlarmState', 'EnableAlarmActions']);
  });

  it('read-only refuses it (exit 2) and sets no alarm state', async () => {
    front.clearCalls();
    const r = await runCli(
      ['drill', '--live', '--scenario', 'db-connections', '--readonly', '--confirm-account', ACCOUNT],
      awsEnv(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('drill --live refused: read-only mode: drill --live');
    expect(writes()).toEqual([]);
  });
});
