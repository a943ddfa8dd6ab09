/**
 * `alarms audit` and `alarms apply` (the built binary) against moto behind the enforcing front
 * (DescribeAlarms paged at 100 like AWS): apply refuses at once without a terminal or in read-only
 * mode, --dry-run changes nothing, apply creates the policy's alarms (metric math included), audit is
 * clean afterwards, planted drift is found, and apply puts back exactly what drifted. Every run is in the
 * live journal (planned → confirmed → applied → verified, refusals and declines as failures); on a
 * terminal, production needs the region typed and anything else changes nothing; without one, production
 * takes --confirm REGION and refuses --yes alone.
 */
import {
  DeleteAlarmsCommand,
  CloudWatchClient,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { defaultMaxConnections } from '../../../src/core/policy/maxConnections.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cloudWatchAlarms, putMetricAlarmRequest } from '../../../src/core/alarms/cloudwatch.js';
import { journalPath, openJournal, type JournalEvent } from '../../../src/core/journal/index.js';
import { alarmsSectionSchema, inventoryFrom } from '../../../src/core/alarms/inventory.js';
import { DEFAULT_RULES } from '../../../src/core/policy/rules.js';
import { motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';
import { isolatedEnv, runCli } from '../../harness/cli.js';
import { ensureBuilt } from '../../harness/prometheus.js';
import { answerInTmux, Tmux } from '../../harness/tmux.js';

const skip = motoSkipReason();

const PAGER = 'arn:aws:sns:us-east-1:123456789012:vitascope-pagerduty';
const TICKETS = 'arn:aws:sns:us-east-1:123456789012:vitascope-tickets';
const SERVICES = 25;

/**
 * 25 ECS services (5 alarms each), a database (its max_connections from RDS's instance class, the one
 * authority; its allocated storage given here), the API behind its load balancer and the product: 134 alarms.
 */
const RESOURCES = [
  'actions:',
  `  critical: [${PAGER}]`,
  `  warning: [${PAGER}]`,
  `  info: [${TICKETS}]`,
  'resources:',
  '  ecs-service:',
  ...Array.from(
    { length: SERVICES },
    (_, i) =>
      `    - { token: svc${String(i).padStart(2, '0')}, dimensions: { ClusterName: prod, ServiceName: vitascope-svc${i} } }`,
  ),
  '  rds-instance:',
  '    - { token: db, dimensions: { DBInstanceIdentifier: prod-db }, limits: { allocated_storage_gib: 200 } }',
  '  api:',
  '    - { token: api, dimensions: { LoadBalancer: app/prod-alb/1234567890abcdef, TargetGroup: targetgroup/prod-api/fedcba0987654321 } }',
  '',
].join('\n');
const EXPECTED_ALARMS = SERVICES * 5 + 3 + 5 + 1;

describe.skipIf(skip)('alarms audit and apply against CloudWatch (moto)', () => {
  const suite = useAwsSuite();
  let dir: string;
  let file: string;
  let cw: CloudWatchClient;
  /** The policy's requests for the file, as the product would send them. */
  let requests: Record<string, unknown>[];

  beforeAll(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-alarms-'));
    file = path.join(dir, 'resources.yaml');
    fs.writeFileSync(file, RESOURCES);
    // What the product reads from RDS: the formula of the instance class, the same number status shows.
    const section = alarmsSectionSchema.parse(parse(RESOURCES));
    const db = section.resources!['rds-instance']![0]!;
    const withLimits = {
      ...section,
      resources: {
        ...section.resources,
        'rds-instance': [
          { ...db, limits: { ...db.limits, max_connections: defaultMaxConnections('postgres', 'db.r6g.large')! } },
        ],
      },
    };
    const { inventory } = inventoryFrom(withLimits, DEFAULT_RULES);
    requests = cloudWatchAlarms(DEFAULT_RULES, inventory, (a) => a.ruleId).alarms.map(putMetricAlarmRequest);
  });

  // The database the resources name, in every test's fresh moto (the suite resets it before each).
  beforeEach(async () => {
    const rds = new RDSClient(suite.config());
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'prod-db',
        Engine: 'postgres',
        DBInstanceClass: 'db.r6g.large',
        AllocatedStorage: 200,
        MasterUsername: 'admin',
        MasterUserPassword: 'not-a-secret-1',
      }),
    );
    rds.destroy();
    suite.front.clearCalls();
  });

  afterAll(() => {
    cw?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: NodeJS.ProcessEnv = {}) =>
    isolatedEnv({
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      VITASCOPE_ONCALL_DATA_DIR: path.join(dir, 'data'),
      ...extra,
    });
  /** The apply runs in the live journal since `afterSeq`, as `kind stage? target` lines. */
  const journaled = (afterSeq = 0): { seq: number; lines: string[]; events: JournalEvent[] } => {
    const journal = openJournal(journalPath({ VITASCOPE_ONCALL_DATA_DIR: path.join(dir, 'data') }, 'live'));
    try {
      const events = journal.query({
        afterSeq,
        kinds: ['action.planned', 'action.confirmed', 'action.applied', 'action.verified', 'action.failed'],
      });
      const lines = events.map((e) => {
        const p = e.payload as { stage?: string; target: string; dryRun?: boolean; actionId: string };
        expect(p.actionId).toBe('cloudwatch.apply-alarms');
        return [e.kind, p.stage, p.dryRun ? 'dry-run' : undefined, p.target].filter(Boolean).join(' ');
      });
      return { seq: events.at(-1)?.seq ?? afterSeq, lines, events };
    } finally {
      journal.close();
    }
  };
  const cli = (args: readonly string[], extra: NodeJS.ProcessEnv = {}) =>
    runCli(['--endpoint-url', suite.front.url, '--region', 'us-east-1', 'alarms', ...args], env(extra));
  const client = () => (cw ??= new CloudWatchClient(suite.config()));
  const put = (request: Record<string, unknown>) =>
    client().send(new PutMetricAlarmCommand(request as unknown as PutMetricAlarmCommandInput));
  const request = (name: string) => structuredClone(requests.find((r) => r.AlarmName === name)!);
  /**
   * A datapoint a minute ago for every metric the policy's alarms watch (but those `skip` names), so that
   * the audit's no-data check finds what it should: an alarm whose metric nothing publishes.
   */
  async function publish(
    skip: (namespace: string, name: string, dims: string) => boolean = () => false,
  ): Promise<void> {
    type Dim = { Name: string; Value: string };
    const seen = new Map<string, { Namespace: string; MetricName: string; Dimensions: Dim[] }>();
    for (const r of requests) {
      const stats = r.Metrics
        ? (
            r.Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: Dim[] } } }[]
          ).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []))
        : [{ Namespace: r.Namespace as string, MetricName: r.MetricName as string, Dimensions: r.Dimensions as Dim[] }];
      for (const m of stats) {
        const dims = m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(',');
        if (!skip(m.Namespace, m.MetricName, dims))
          seen.set(`${m.Namespace} ${m.MetricName} ${dims}`, {
            Namespace: m.Namespace,
            MetricName: m.MetricName,
            Dimensions: m.Dimensions,
          });
      }
    }
    const at = new Date(Date.now() - 60_000);
    for (const ns of new Set([...seen.values()].map((m) => m.Namespace))) {
      const data = [...seen.values()]
        .filter((m) => m.Namespace === ns)
        .map((m) => ({ MetricName: m.MetricName, Dimensions: m.Dimensions, Value: 1, Timestamp: at }));
      await client().send(new PutMetricDataCommand({ Namespace: ns, MetricData: data }));
    }
  }

  it('refuses at once without a terminal and --yes, and in read-only mode; --dry-run changes nothing', async () => {
    const noTty = await cli(['apply', '--resources', file]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/there is no terminal to ask on: pass --yes/);
    const refused = await runCli(
      [
        '--endpoint-url',
        suite.front.url,
        '--region',
        'us-east-1',
        '--readonly',
        'alarms',
        'apply',
        '--resources',
        file,
        '--yes',
      ],
      env(),
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused: read-only mode/);
    const refusedByEnv = await cli(['apply', '--resources', file, '--yes'], { VITASCOPE_READONLY: '1' });
    expect(refusedByEnv.code).toBe(2);
    // Refusing asked nothing of AWS at all.
    expect(suite.front.calls).toEqual([]);

    const dry = await cli(['apply', '--resources', file, '--dry-run'], { VITASCOPE_READONLY: '1' });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      new RegExp(`^plan for CloudWatch alarms in us-east-1: ${EXPECTED_ALARMS} to create, 0 to update, 0 unchanged\n`),
    );
    expect(dry.stdout).toContain('  + create vitascope-api-error-rate-critical  (error-rate, critical, ≥ 5)\n');
    expect(dry.stdout).toContain('  ! not expressible in CloudWatch: rule network-traffic (25 alarms)\n');
    expect(dry.stdout).toMatch(new RegExp(`dry run: ${EXPECTED_ALARMS} changes not applied\n$`));
    // A dry run (allowed in read-only mode) only reads.
    expect(suite.front.count('PutMetricAlarm')).toBe(0);
    expect(suite.front.count('DescribeAlarms')).toBeGreaterThan(0);
    // The two read-only refusals and the dry run are journaled; the run without a terminal attempted nothing.
    expect(journaled().lines).toEqual([
      'action.failed plan CloudWatch alarms in us-east-1',
      'action.failed plan CloudWatch alarms in us-east-1',
      'action.planned dry-run CloudWatch alarms in us-east-1',
    ]);
  });

  it('in production, --yes alone is refused, and --confirm must name the region (as act takes the target)', async () => {
    const before = journaled().seq;
    const yesAlone = await cli(['apply', '--resources', file, '--yes']);
    expect(yesAlone.code).toBe(2);
    expect(yesAlone.stderr).toBe(
      'vitascope-oncall: alarms apply: refused: CloudWatch in us-east-1 is production: confirm by naming the region, --confirm us-east-1 (--yes is not enough)\n',
    );
    const wrong = await cli(['apply', '--resources', file, '--confirm', 'eu-west-1']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      'vitascope-oncall: alarms apply: refused: --confirm "eu-west-1" is not the region us-east-1: nothing changed\n',
    );
    expect(suite.front.count('PutMetricAlarm')).toBe(0);
    expect(journaled(before).lines).toEqual([
      'action.planned CloudWatch alarms in us-east-1',
      'action.failed apply CloudWatch alarms in us-east-1',
      'action.planned CloudWatch alarms in us-east-1',
      'action.failed apply CloudWatch alarms in us-east-1',
    ]);
    suite.front.clearCalls();
  });

  it("creates the policy's alarms; audit is then clean over two pages, and a second apply changes nothing", async () => {
    await publish();
    const before = journaled().seq;
    const apply = await cli(['apply', '--resources', file, '--confirm', 'us-east-1']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(suite.front.count('PutMetricAlarm')).toBe(EXPECTED_ALARMS);
    expect(apply.stdout).toContain(`applied ${EXPECTED_ALARMS} of ${EXPECTED_ALARMS} changes\n`);
    // Read back: what was put now matches the policy.
    expect(apply.stdout).toMatch(
      new RegExp(`verified: the ${EXPECTED_ALARMS} changed alarms read back from CloudWatch match the policy\n$`),
    );
    const run = journaled(before);
    expect(run.lines).toEqual(
      ['action.planned', 'action.confirmed', 'action.applied', 'action.verified'].map(
        (k) => `${k} CloudWatch alarms in us-east-1`,
      ),
    );
    expect(new Set(run.events.map((e) => (e.payload as { runId: string }).runId)).size).toBe(1);
    const planned = run.events[0]!.payload as {
      plan: { summary: string; changes: string[] };
      params: { changes: string[] };
    };
    expect(planned.plan.summary).toBe(`${EXPECTED_ALARMS} to create, 0 to update, 0 unchanged`);
    // The plan lists the first ten changes (reports show it); the parameters hold them all.
    expect(planned.plan.changes).toHaveLength(11);
    expect(planned.plan.changes.at(-1)).toBe(`… and ${EXPECTED_ALARMS - 10} more`);
    expect(planned.params.changes).toHaveLength(EXPECTED_ALARMS);
    expect(planned.params.changes).toContain('create vitascope-api-error-rate-critical');
    expect((run.events[2]!.payload as { output: string }).output.split('\n')).toHaveLength(EXPECTED_ALARMS);

    suite.front.clearCalls();
    const audit = await cli(['audit', '--resources', file]);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain(
      `CloudWatch: ${EXPECTED_ALARMS} alarms in the policy, ${EXPECTED_ALARMS} deployed with the vitascope- prefix\n`,
    );
    expect(audit.stdout).toContain('\nno drift: what is deployed matches the policy\n');
    // More than 100 alarms: the front pages DescribeAlarms as AWS does.
    expect(suite.front.count('DescribeAlarms')).toBe(2);

    const json = await cli(['audit', '--resources', file, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      clean: true,
      findings: [],
      targets: { cloudwatch: { expected: EXPECTED_ALARMS, deployed: EXPECTED_ALARMS } },
    });

    // Nothing to change needs no confirmation: --yes is enough even in production.
    const again = await cli(['apply', '--resources', file, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/\nnothing to change\n$/);
    expect(suite.front.count('PutMetricAlarm')).toBe(0);
  });

  it('finds planted drift, shows it in a dry run without changing anything, and apply puts exactly that right', async () => {
    // Container Insights is off for svc07's cluster: its service-state alarm sees nothing.
    await publish((ns, _name, dims) => ns === 'ECS/ContainerInsights' && dims.includes('vitascope-svc7'));
    for (const r of requests) await put(r);
    // Drift: a threshold, an evaluation window, a metric-math expression, a period, silenced actions,
    // a deleted alarm; plus a hand-made alarm of our prefix and someone else's alarm.
    await put({ ...request('vitascope-svc03-high-cpu-warning'), Threshold: 80 });
    await put({ ...request('vitascope-api-error-rate-critical'), EvaluationPeriods: 5, DatapointsToAlarm: 5 });
    const rate = request('vitascope-api-error-rate-warning');
    (rate.Metrics as { Id: string; Expression?: string }[])[2]!.Expression = 'm1 / m2';
    await put(rate);
    await put({ ...request('vitascope-db-disk-usage-warning'), Period: 60 });
    await put({ ...request('vitascope-db-connections-warning'), AlarmActions: [], OKActions: [] });
    await client().send(new DeleteAlarmsCommand({ AlarmNames: ['vitascope-svc10-service-unhealthy-critical'] }));
    await put({
      AlarmName: 'vitascope-svc03-queue-age-warning',
      Namespace: 'Custom/Queue',
      MetricName: 'OldestMessageAge',
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 600,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    await put({
      AlarmName: 'billing-estimated-charges',
      Namespace: 'AWS/Billing',
      MetricName: 'EstimatedCharges',
      Statistic: 'Maximum',
      Period: 21_600,
      EvaluationPeriods: 1,
      Threshold: 1000,
      ComparisonOperator: 'GreaterThanThreshold',
    });

    const audit = await cli(['audit', '--resources', file, '--json']);
    expect(audit.code).toBe(1);
    const report = JSON.parse(audit.stdout) as {
      clean: boolean;
      findings: { kind: string; alarm: string; message: string }[];
    };
    expect(report.clean).toBe(false);
    expect(report.findings.map((f) => `${f.kind} ${f.alarm}`)).toEqual([
      'missing vitascope-svc10-service-unhealthy-critical',
      'extra vitascope-svc03-queue-age-warning',
      'no-data vitascope-svc03-queue-age-warning',
      'no-data vitascope-svc07-service-unhealthy-critical',
      'threshold vitascope-svc03-high-cpu-warning',
      'period vitascope-db-disk-usage-warning',
      'evaluation vitascope-api-error-rate-critical',
      'metric vitascope-api-error-rate-warning',
      'no-action vitascope-db-connections-warning',
      'no-action vitascope-svc03-queue-age-warning',
      'no-runbook vitascope-svc03-queue-age-warning',
    ]);
    expect(report.findings.find((f) => f.kind === 'threshold')!.message).toBe('threshold 80, policy 70');
    // An alarm that sees no data never pages: said, with what to do.
    const blind = (alarm: string) => report.findings.find((f) => f.kind === 'no-data' && f.alarm === alarm)!.message;
    expect(blind('vitascope-svc03-queue-age-warning')).toBe(
      'no datapoints of Custom/Queue OldestMessageAge Maximum{} in its evaluation window (1m): nothing publishes Custom/Queue OldestMessageAge: publish it from the app, or point the rule at the metric that carries the signal',
    );
    expect(blind('vitascope-svc07-service-unhealthy-critical')).toMatch(
      /^no datapoints of MAX\(\[desired - running, deployments - 1\]\) with .* in its evaluation window \(5m\): turn on Container Insights for the cluster/,
    );

    const text = await cli(['audit', '--resources', file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/cloudwatch +threshold +vitascope-svc03-high-cpu-warning +threshold 80, policy 70\n/);
    expect(text.stdout).toMatch(
      /\n11 findings: 1 missing, 1 extra, 2 no-data, 1 threshold, 1 period, 1 evaluation, 1 metric, 2 no-action, 1 no-runbook; 6 put right by `vitascope-oncall alarms apply`\n$/,
    );

    suite.front.clearCalls();
    const dry = await cli(['apply', '--resources', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      new RegExp(
        `^plan for CloudWatch alarms in us-east-1: 1 to create, 5 to update, ${EXPECTED_ALARMS - 6} unchanged\n`,
      ),
    );
    expect(dry.stdout).toContain(
      '  ~ update vitascope-svc03-high-cpu-warning  (cpu-utilization, warning, ≥ 70)\n      threshold: threshold 80, policy 70\n',
    );
    expect(dry.stdout).toContain(
      '  = leave vitascope-svc03-queue-age-warning: not managed by the policy (apply never deletes)\n',
    );
    expect(suite.front.count('PutMetricAlarm')).toBe(0);

    const apply = await cli(['apply', '--resources', file, '--confirm', 'us-east-1']);
    expect(apply.code).toBe(0);
    expect(suite.front.count('PutMetricAlarm')).toBe(6);
    expect(apply.stdout).toMatch(
      /applied 6 of 6 changes\nverified: the 6 changed alarms read back from CloudWatch match the policy\n$/,
    );

    const after = await cli(['audit', '--resources', file, '--json']);
    expect((JSON.parse(after.stdout) as typeof report).findings.map((f) => `${f.kind} ${f.alarm}`)).toEqual([
      'extra vitascope-svc03-queue-age-warning',
      // Apply cannot make a metric exist: those stay until something publishes it.
      'no-data vitascope-svc03-queue-age-warning',
      'no-data vitascope-svc07-service-unhealthy-critical',
      'no-action vitascope-svc03-queue-age-warning',
      'no-runbook vitascope-svc03-queue-age-warning',
    ]);
    await client().send(new DeleteAlarmsCommand({ AlarmNames: ['vitascope-svc03-queue-age-warning'] }));
    await publish((ns, _name, dims) => ns !== 'ECS/ContainerInsights' || !dims.includes('vitascope-svc7'));
    const clean = await cli(['audit', '--resources', file]);
    expect(clean.code).toBe(0);
  });

  it.skipIf(!Tmux.available())(
    'on a terminal, shows the plan and asks: production needs the region typed, anything else changes nothing',
    async () => {
      const command = (tag: string) =>
        `${process.execPath} ${path.resolve('bin/vitascope-oncall.js')} --endpoint-url ${suite.front.url} --region us-east-1 alarms apply --resources ${file}; echo ${tag}=$?; sleep 60`;
      /** Runs apply in tmux, answers the question with `answer`, and returns the screen once it has exited. */
      const answered = (tag: string, answer: string, question: RegExp, runEnv = env()) =>
        answerInTmux({ command: command(tag), env: runEnv, tag, answer, question });
      const inProduction = new RegExp(
        `apply ${EXPECTED_ALARMS} changes to CloudWatch in us-east-1 \\(production\\)\\? type the region to confirm:`,
      );
      const before = journaled().seq;
      // Real accounts are production unless configured otherwise: "yes" is not the region.
      const declined = await answered('DECLINED', 'yes', inProduction);
      expect(declined).toContain('! not expressible in CloudWatch: rule feature-usage (1 alarm)');
      expect(declined).toMatch(/DECLINED=1/);
      expect(declined).toContain('not applied: nothing changed');
      expect(suite.front.count('PutMetricAlarm')).toBe(0);

      const applied = await answered('APPLIED', 'us-east-1', inProduction);
      expect(applied).toMatch(/APPLIED=0/);
      expect(suite.front.count('PutMetricAlarm')).toBe(EXPECTED_ALARMS);
      const runs = journaled(before);
      expect(runs.lines).toEqual([
        'action.planned CloudWatch alarms in us-east-1',
        'action.failed apply CloudWatch alarms in us-east-1',
        'action.planned CloudWatch alarms in us-east-1',
        'action.confirmed CloudWatch alarms in us-east-1',
        'action.applied CloudWatch alarms in us-east-1',
        'action.verified CloudWatch alarms in us-east-1',
      ]);
      expect((runs.events[1]!.payload as { error: string }).error).toBe(
        'not confirmed: the region was not typed (got "yes"); nothing changed',
      );
      expect((runs.events[3]!.payload as { typedTarget?: boolean }).typedTarget).toBe(true);

      // An account configured as not production asks for "yes".
      await client().send(new DeleteAlarmsCommand({ AlarmNames: ['vitascope-svc02-high-cpu-warning'] }));
      suite.front.clearCalls();
      const staging = env();
      expect((await runCli(['config', 'set', 'aws.production', 'false'], staging)).code).toBe(0);
      const yes = await answered('STAGING', 'yes', /apply 1 change to CloudWatch in us-east-1\? type yes:/, staging);
      expect(yes).toMatch(/STAGING=0/);
      expect(suite.front.count('PutMetricAlarm')).toBe(1);
    },
  );

  it('reports a bad resources file by file, line and field, missing AWS settings, and an unreachable AWS', async () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'resources:\n  ecs-service:\n    - token: api\n      dimensions: { ClusterName: prod }\n');
    const r = await cli(['audit', '--resources', bad]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `vitascope-oncall: alarms: ${bad}:4:19: resources.ecs-service.0.dimensions.ServiceName: missing: the ecs-service rules need the dimension ServiceName\n`,
    );
    fs.writeFileSync(bad, 'resources:\n  ecs-servce: []\n');
    expect((await cli(['export', '--format', 'cloudwatch', '--resources', bad])).stderr).toMatch(
      /bad\.yaml:2:3: resources\.ecs-servce: unknown setting\n$/,
    );
    expect((await cli(['audit', '--resources', path.join(dir, 'nope.yaml')])).code).toBe(3);

    const noRegion = await runCli(['alarms', 'audit', '--resources', file], env());
    expect(noRegion.code).toBe(3);
    expect(noRegion.stderr).toMatch(/AWS is not configured: aws\.region is not set/);

    await suite.front.down();
    const down = await cli(['audit', '--resources', file]);
    expect(down.code).toBe(4);
    expect(down.stderr).toMatch(/CloudWatch DescribeAlarms \(prefix "vitascope-"\) failed/);
  });
});
