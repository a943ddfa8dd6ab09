import fs from 'node:fs';
import type { LoadedConfig } from '../config/store.js';
import type { AlarmInventory } from '../core/alarms/inventory.js';
import type { CloudWatchExport, RunbookLookup } from '../core/alarms/cloudwatch.js';
import type { ApplyPlan, AuditResult, Finding } from '../core/alarms/drift.js';
import { inert, inertLine, jsonText } from '../core/sanitize.js';
import type { CloudWatchAlarmStore } from '../sources/alarmStores.js';
import { CommandExit, guarded } from './errors.js';
import { EXIT } from '../core/status.js';
import { renderTable } from '../output/table.js';
import type { ApplyRecorder } from './alarmsRecord.js';
import { configFor, type GlobalOptions, type Io } from './context.js';
import { askLine } from './prompt.js';
import { confirmationFor } from '../core/actions/guard.js';
import { guardChange } from '../core/actions/gate.js';

/** What read-only mode names when it refuses apply's changes (the journal's action id, alarmsRecord.ts). */
const APPLY_ACTION = 'cloudwatch.apply-alarms';
import type { AlarmFormat } from './options.js';

/**
 * `alarms export | audit | apply`: the policy as deployable alarm definitions, what is deployed
 * against it, and putting CloudWatch right. The pure parts are in core/alarms; this file reads the
 * resources file, the configuration and the runbooks, talks to CloudWatch and Prometheus, and prints.
 */

type Format = AlarmFormat;

interface AlarmsOptions {
  readonly resources?: string;
}

async function lib() {
  const [inventory, cloudwatch, terraform, prom, drift, load, match, topology, names] = await Promise.all([
    import('../core/alarms/inventory.js'),
    import('../core/alarms/cloudwatch.js'),
    import('../core/alarms/terraform.js'),
    import('../core/alarms/prometheusRules.js'),
    import('../core/alarms/drift.js'),
    import('../core/runbooks/load.js'),
    import('../core/runbooks/match.js'),
    import('../sources/sandbox/topology.js'),
    import('../core/appMetrics.js'),
  ]);
  return { ...inventory, ...cloudwatch, ...terraform, ...prom, ...drift, ...load, ...match, topology, appMetrics: names.appMetrics };
}
type Lib = Awaited<ReturnType<typeof lib>>;

/** Ends the command with `code`, the message on stderr (errors.ts guarded prints it). */
function fail(code: number, message: string): never {
  throw new CommandExit(code, message);
}

/** The strategy's example resources (the sandbox's names), used when no --resources file is given. */
function defaultSection(L: Lib) {
  const t = L.topology;
  return {
    resources: {
      'ecs-service': t.SERVICES.map((s) => ({ token: s.token, dimensions: { ClusterName: t.CLUSTER, ServiceName: s.name } })),
      // The sandbox's database: its own parameter group says 400 (what its status and summary show too).
      'rds-instance': [{ token: t.DATABASE.token, dimensions: { DBInstanceIdentifier: t.DATABASE.id }, limits: { max_connections: t.DATABASE.maxConnections, allocated_storage_gib: t.STORAGE_GIB } }],
      'sqs-queue': [{ token: t.QUEUE.token, dimensions: { QueueName: t.QUEUE.name } }],
      'lambda-function': [{ token: t.LAMBDA.token, dimensions: { FunctionName: t.LAMBDA.name } }],
      dependency: t.DEPENDENCIES.map((d) => ({ token: d.token, dimensions: { Dependency: d.name } })),
      api: [{ token: 'api', dimensions: { LoadBalancer: t.LOAD_BALANCER.loadBalancer, TargetGroup: t.LOAD_BALANCER.targetGroup } }],
    },
  };
}

/** The inventory from --resources (YAML or JSON), or the example one with a note on stderr. */
async function readInventory(L: Lib, options: AlarmsOptions, config: LoadedConfig, io: Io): Promise<AlarmInventory> {
  let userGiven = true;
  let section: import('../core/alarms/inventory.js').AlarmsSection;
  let locate: (path: readonly (string | number)[], key?: boolean) => string = (p) => `${options.resources}: ${p.join('.')}`;
  // The configuration's "alarms" section, once the configuration schema has one (same shape as the file).
  const configured = (config.effective as { alarms?: unknown }).alarms;
  if (options.resources === undefined && configured !== undefined) {
    const result = L.alarmsSectionSchema.safeParse(configured);
    if (!result.success) fail(EXIT.config, `${config.path}: alarms.${result.error.issues[0]!.path.join('.')}: ${result.error.issues[0]!.message}`);
    section = result.data;
    locate = (p) => `${config.path}: alarms.${p.join('.')}`;
  } else if (options.resources === undefined) {
    io.stderr.write('vitascope-oncall: alarms: no --resources file: using the strategy\'s example resources (vitascope-cluster, vitascope-api, vitascope-db, …); production names differ\n');
    section = defaultSection(L);
    userGiven = false;
  } else {
    const file = options.resources;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      fail(EXIT.config, `${file}: cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    const parsed = L.parseRunbookText(file, text);
    if (parsed.syntaxErrors.length) {
      const e = parsed.syntaxErrors[0]!;
      fail(EXIT.config, `${file}:${e.line}:${e.column}: ${e.message}`);
    }
    locate = (p, key) => {
      const at = parsed.locate(p, key);
      return `${file}:${at.line}:${at.column}: ${p.join('.') || '(top level)'}`;
    };
    const result = L.alarmsSectionSchema.safeParse(parsed.data ?? {});
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const p = issue.path.map((x) => (typeof x === 'number' ? x : String(x)));
      const field = issue.code === 'unrecognized_keys' ? [...p, issue.keys[0] ?? ''] : p;
      const unknown = issue.code === 'unrecognized_keys';
      fail(EXIT.config, `${locate(field, unknown)}: ${unknown ? 'unknown setting' : issue.message}`);
    }
    section = result.data;
  }
  // max_connections and the allocated storage from their one authority each (alarmsLimits.ts).
  const { withDatabaseLimits } = await import('./alarmsLimits.js');
  const limited = await withDatabaseLimits(section, { config: config.effective, env: io.env, rules: config.policy.rules, userGiven });
  if (limited.problem) fail(EXIT.config, `${locate(limited.problem.path)}: ${limited.problem.message}`);
  for (const w of limited.warnings) io.stderr.write(`vitascope-oncall: alarms: ${inert(w)}\n`);
  section = limited.section;
  const { inventory, problems } = L.inventoryFrom(section, config.policy.rules);
  if (problems.length) fail(EXIT.config, `${locate(problems[0]!.path)}: ${problems[0]!.message}`);
  return inventory;
}

/** The runbook that answers an alarm, by the same rules the cockpit uses; undefined when only the default would. */
function runbookLookup(L: Lib, config: LoadedConfig, io: Io): RunbookLookup {
  const dirs = (config.effective.runbooks?.dirs ?? []).map((d) => L.resolveRunbookDir(d, io.env));
  const set = L.loadRunbooks({ dirs });
  if (set.errors.length) io.stderr.write(`vitascope-oncall: alarms: ${set.errors.length} runbook error${set.errors.length === 1 ? '' : 's'}; those runbooks are left out (details: vitascope-oncall runbooks lint)\n`);
  return (alarm) => {
    const found = L.matchRunbook(set.runbooks, { alarm: { name: alarm.name, ruleId: alarm.ruleId, metric: alarm.metric } }, config.policy.rules);
    return found && found.tier !== 'default' ? found.runbook.runbook.id : undefined;
  };
}

interface Prepared {
  readonly L: Lib;
  readonly config: LoadedConfig;
  readonly inventory: AlarmInventory;
  readonly runbookFor: RunbookLookup;
}

async function prepare(globals: GlobalOptions, options: AlarmsOptions, io: Io): Promise<Prepared> {
  const L = await lib();
  const config = await configFor(globals, io);
  const inventory = await readInventory(L, options, config, io);
  return { L, config, inventory, runbookFor: runbookLookup(L, config, io) };
}

const HEADER = [
  'The Vitascope monitoring policy (seed/monitoring-strategy.ja.md, with the configuration\'s overrides),',
  'generated by `vitascope-oncall alarms export`. Edit the policy or the resources file, not this output.',
];

/** The app's metric names in Prometheus, as configured (prometheus.metrics.*). */
function appMetricsOf(p: Prepared) {
  return p.L.appMetrics(p.config.effective.prometheus?.metrics);
}

function cloudWatchExport(p: Prepared): CloudWatchExport {
  return p.L.cloudWatchAlarms(p.config.policy.rules, p.inventory, p.runbookFor);
}

async function runExport(globals: GlobalOptions, options: AlarmsOptions & { format: Format }, io: Io): Promise<number> {
  const p = await prepare(globals, options, io);
  const { L } = p;
  let out: string;
  let skipped: number;
  switch (options.format) {
    case 'cloudwatch': {
      const e = cloudWatchExport(p);
      skipped = e.notExported.length;
      out = `${jsonText({ comment: HEADER.join(' '), requests: e.alarms.map(L.putMetricAlarmRequest), notExported: e.notExported }, 2)}\n`;
      break;
    }
    case 'terraform': {
      const e = cloudWatchExport(p);
      skipped = e.notExported.length;
      out = L.terraformAlarms(e, [...HEADER, `${e.alarms.length} aws_cloudwatch_metric_alarm resources; rules CloudWatch cannot express are listed at the end.`]);
      break;
    }
    case 'prometheus-rules': {
      const names = appMetricsOf(p);
      const e = L.prometheusRules(p.config.policy.rules, p.inventory, p.runbookFor, names);
      skipped = e.notExported.length;
      out = L.prometheusRulesYaml(e, [
        ...HEADER,
        `App metrics: ${names.requestCount} and ${names.requestLatency}_bucket${names.service ? ` where ${names.labels.service}="${names.service}"` : ''} (prometheus.metrics.*). Other metrics: as the Prometheus`,
        'CloudWatch exporter names them (aws_ecs_cpuutilization_average{cluster_name,service_name}, …).',
        'for: (datapointsToAlarm − 1) × period; Prometheus has no "M of N", so M-of-N rules need M periods in a row.',
      ]);
      break;
    }
  }
  io.stdout.write(out);
  if (skipped > 0) io.stderr.write(`vitascope-oncall: alarms export: ${skipped} rule${skipped === 1 ? '' : 's'} not expressible in ${options.format} (listed in the output as notExported / NOT EXPORTED)\n`);
  return 0;
}

/** Runs an opening of CloudWatch; a configuration without a region ends the command (exit 3). */
async function needsAws<T>(io: Io, open: (stores: typeof import('../sources/alarmStores.js')) => Promise<T>): Promise<T> {
  const stores = await import('../sources/alarmStores.js');
  try {
    return await open(stores);
  } catch (error) {
    if (error instanceof stores.StoreNotConfiguredError) return fail(EXIT.config, `AWS is not configured: ${error.message} (or pass --region)`);
    throw error;
  }
}

/** CloudWatch's alarm definitions in the configured region. */
const cloudWatchStore = (p: Prepared, io: Io) => needsAws(io, (s) => s.openCloudWatchAlarmStore(p.config.effective, p.config.policy.rules));
/** The region apply would change. */
const regionOf = (p: Prepared, io: Io) => needsAws(io, (s) => s.cloudWatchRegion(p.config.effective, p.config.policy.rules));

/** What CloudWatch has under the managed prefix; `onFailure` runs before a failure to read ends the command. */
async function deployedCloudWatch(p: Prepared, io: Io, onFailure?: () => void) {
  const store = await cloudWatchStore(p, io);
  try {
    return { store, alarms: await store.describe(p.L.MANAGED_PREFIX) };
  } catch (error) {
    store.close();
    onFailure?.();
    return fail(EXIT.source, error instanceof Error ? error.message : String(error));
  }
}
type DeployedAlarms = Awaited<ReturnType<typeof deployedCloudWatch>>['alarms'];

function prometheusUrl(p: Prepared, flag: string | undefined): string | undefined {
  return flag ?? (p.inventory.targets.includes('prometheus') ? p.config.effective.prometheus?.url : undefined);
}

function findingRows(findings: readonly Finding[]): string[][] {
  return findings.map((f) => [f.target, f.kind, f.alarm, f.message].map(inertLine));
}

function auditJson(results: Record<string, AuditResult>, all: AuditResult, notExported: Record<string, unknown>): object {
  return {
    clean: all.findings.length === 0,
    targets: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, { expected: r.expected, deployed: r.deployed, ignored: r.ignored, findings: r.findings.length }])),
    findings: all.findings,
    notes: all.notes,
    notExported,
  };
}

async function runAudit(globals: GlobalOptions, options: AlarmsOptions & { json?: boolean; prometheus?: string }, io: Io): Promise<number> {
  const p = await prepare(globals, options, io);
  const { L } = p;
  const results: Record<string, AuditResult> = {};
  const notExported: Record<string, unknown> = {};
  if (p.inventory.targets.includes('cloudwatch')) {
    const expected = cloudWatchExport(p);
    const { store, alarms } = await deployedCloudWatch(p, io);
    // Alarms that see no data judge nothing and never page: counted over each one's evaluation window.
    const now = Date.now();
    let datapoints: Map<string, number | undefined>;
    try {
      datapoints = await store.datapoints(alarms.filter((a) => a.AlarmName?.startsWith(L.MANAGED_PREFIX)), now, AbortSignal.timeout(30_000));
    } finally {
      store.close();
    }
    results.cloudwatch = L.auditCloudWatch(expected, alarms, { rules: p.config.policy.rules, runbookFor: p.runbookFor, data: { datapoints, now } });
    notExported.cloudwatch = expected.notExported;
  }
  const promUrl = prometheusUrl(p, options.prometheus);
  if (p.inventory.targets.includes('prometheus') && !promUrl) fail(EXIT.config, 'the resources file names prometheus as a target, but no Prometheus is configured: pass --prometheus URL (or set prometheus.url)');
  if (promUrl) {
    const expected = L.prometheusRules(p.config.policy.rules, p.inventory, p.runbookFor, appMetricsOf(p));
    const { openPrometheusRuleStore } = await import('../sources/alarmStores.js');
    const client = await openPrometheusRuleStore(p.config.effective, promUrl);
    try {
      results.prometheus = L.auditPrometheus(expected, await client.alertingRules());
    } catch (error) {
      fail(EXIT.source, error instanceof Error ? error.message : String(error));
    } finally {
      client.close();
    }
    notExported.prometheus = expected.notExported;
  }
  const all = L.mergeAudits(Object.values(results));
  if (options.json) {
    io.stdout.write(`${jsonText(auditJson(results, all, notExported), 2)}\n`);
    return all.findings.length ? 1 : 0;
  }
  for (const [target, r] of Object.entries(results)) {
    io.stdout.write(`${target === 'cloudwatch' ? 'CloudWatch' : 'Prometheus'}: ${r.expected} alarms in the policy, ${r.deployed} deployed with the vitascope- prefix${r.ignored ? ` (${r.ignored} others ignored)` : ''}\n`);
  }
  if (all.findings.length) {
    io.stdout.write(`\n${renderTable([{ header: 'TARGET' }, { header: 'KIND' }, { header: 'ALARM' }, { header: 'DETAIL', shrink: true }], findingRows(all.findings), { maxWidth: io.stdout.isTTY ? io.stdout.columns : undefined })}\n`);
  }
  for (const n of all.notes) io.stdout.write(`note: ${inertLine(n.alarm)}: ${inertLine(n.message)}\n`);
  for (const [target, list] of Object.entries(notExported)) {
    const ids = (list as { ruleId: string }[]).map((n) => n.ruleId);
    if (ids.length) io.stdout.write(`not exported to ${target === 'cloudwatch' ? 'CloudWatch' : 'Prometheus'}, so not audited there (alarms export says why): ${[...new Set(ids)].join(', ')}\n`);
  }
  if (all.findings.length === 0) {
    io.stdout.write('\nno drift: what is deployed matches the policy\n');
    return 0;
  }
  const counts = new Map<string, number>();
  for (const f of all.findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  const fixable = all.findings.filter((f) => f.fixable).length;
  io.stdout.write(
    `\n${all.findings.length} finding${all.findings.length === 1 ? '' : 's'}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}${fixable ? `; ${fixable} put right by \`vitascope-oncall alarms apply\`` : ''}\n`,
  );
  return 1;
}

/** Opens the journal for one apply; one that cannot be written refuses the change (nothing unrecorded). */
async function recorder(config: LoadedConfig, io: Io, target: string): Promise<ApplyRecorder> {
  const { openApplyRecorder } = await import('./alarmsRecord.js');
  try {
    return await openApplyRecorder(config.effective, io, target);
  } catch (error) {
    return fail(EXIT.config, `apply: cannot open the journal, so nothing is changed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

async function runApply(globals: GlobalOptions, options: AlarmsOptions & { dryRun?: boolean; yes?: boolean; confirm?: string }, io: Io): Promise<number> {
  const config = await configFor(globals, io);
  // Refuse before asking anything of AWS: read-only mode (journaled, like every refused action), or
  // nobody to confirm with (a usage error: nothing was attempted).
  if (config.effective.readonly && !options.dryRun) {
    const refused = await recorder(config, io, `CloudWatch alarms in ${config.effective.aws?.region ?? 'the configured region'}`);
    try {
      refused.failed('plan', 'refused: read-only mode changes nothing');
    } finally {
      refused.close();
    }
    io.stderr.write('vitascope-oncall: alarms apply: refused: read-only mode (--readonly, VITASCOPE_READONLY or readonly in the configuration) changes nothing; --dry-run shows the plan\n');
    return EXIT.usage;
  }
  if (!options.dryRun && !options.yes && options.confirm === undefined && !process.stdin.isTTY) {
    io.stderr.write('vitascope-oncall: alarms apply: needs a confirmation and there is no terminal to ask on: pass --yes, or --confirm REGION when the account is production (--dry-run shows the plan)\n');
    return EXIT.usage;
  }
  const p = await prepare(globals, options, io);
  const { L } = p;
  const expected = cloudWatchExport(p);
  const region = await regionOf(p, io);
  // Real accounts are production unless the configuration says otherwise (as in sources/real.ts).
  const production = p.config.effective.aws?.production ?? true;
  const record = await recorder(p.config, io, `CloudWatch alarms in ${region}`);
  let store: CloudWatchAlarmStore | undefined;
  try {
    const deployed = await deployedCloudWatch(p, io, () => record.failed('plan', 'CloudWatch could not be read to plan the change'));
    store = deployed.store;
    const planFor = (alarms: typeof deployed.alarms) => L.planApply(expected, alarms, { rules: p.config.policy.rules, runbookFor: p.runbookFor });
    const plan = planFor(deployed.alarms);
    const changes = plan.items.filter((i) => i.action !== 'unchanged');
    const creates = changes.filter((i) => i.action === 'create').length;
    const summary = `${creates} to create, ${changes.length - creates} to update, ${plan.items.length - changes.length} unchanged`;
    io.stdout.write(`plan for CloudWatch alarms in ${inertLine(region)}: ${summary}\n`);
    for (const item of changes) {
      io.stdout.write(`  ${item.action === 'create' ? '+ create' : '~ update'} ${inertLine(item.spec.name)}  (${item.spec.ruleId}, ${item.spec.level}, ≥ ${item.spec.threshold})\n`);
      for (const c of item.changes) io.stdout.write(`      ${inertLine(c)}\n`);
    }
    for (const name of plan.leftAlone) io.stdout.write(`  = leave ${inertLine(name)}: not managed by the policy (apply never deletes)\n`);
    for (const n of expected.notExported) io.stdout.write(`  ! not expressible in CloudWatch: rule ${n.ruleId} (${plural(n.names.length, 'alarm')})\n`);
    const unfixable = new Set(plan.unfixable.map((f) => f.kind));
    if (unfixable.has('no-action')) io.stdout.write('  ! no actions are configured for some levels: those alarms will notify nobody (set actions in the resources file)\n');
    record.planned({
      summary,
      changes: changes.map((i) => `${i.action} ${i.spec.name}${i.changes.length ? `: ${i.changes.join('; ')}` : ''}`),
      dryRun: Boolean(options.dryRun),
      params: { create: creates, update: changes.length - creates, unchanged: plan.items.length - changes.length, production },
    });
    if (changes.length === 0) {
      io.stdout.write('nothing to change\n');
      return 0;
    }
    if (options.dryRun) {
      io.stdout.write(`dry run: ${plural(changes.length, 'change')} not applied\n`);
      return 0;
    }
    // The same rule as act's (core/actions/guard.ts): every alarm of production at once is dangerous,
    // so production takes the region named (--confirm REGION, or typed), never --yes alone.
    const needed = confirmationFor({ danger: 'dangerous', production, target: region });
    let typed = false;
    if (options.confirm !== undefined) {
      if (options.confirm.trim() !== region) {
        const why = `--confirm ${JSON.stringify(options.confirm.slice(0, 64))} is not the region ${region}: nothing changed`;
        record.failed('apply', `refused: ${why}`);
        io.stderr.write(`vitascope-oncall: alarms apply: refused: ${inertLine(why)}\n`);
        return EXIT.usage;
      }
      typed = needed.kind === 'typed';
    } else if (options.yes && needed.kind === 'typed') {
      const why = `CloudWatch in ${region} is production: confirm by naming the region, --confirm ${region} (--yes is not enough)`;
      record.failed('apply', `refused: ${why}`);
      io.stderr.write(`vitascope-oncall: alarms apply: refused: ${inertLine(why)}\n`);
      return EXIT.usage;
    } else if (!options.yes) {
      // Production needs the target typed (the region), as every dangerous action does; elsewhere "yes".
      const question = production
        ? `apply ${plural(changes.length, 'change')} to CloudWatch in ${region} (production)? type the region to confirm: `
        : `apply ${plural(changes.length, 'change')} to CloudWatch in ${region}? type yes: `;
      const answer = (await askLine(question, io)).trim();
      const confirmed = production ? answer === region : ['yes', 'y'].includes(answer.toLowerCase());
      if (!confirmed) {
        record.failed('apply', production ? `not confirmed: the region was not typed (got ${JSON.stringify(answer.slice(0, 64))}); nothing changed` : 'declined: nothing changed');
        io.stdout.write('not applied: nothing changed\n');
        return 1;
      }
      typed = production;
    }
    record.confirmed(typed);
    const done: string[] = [];
    const errors: string[] = [];
    for (const item of changes) {
      try {
        await guardChange(config.effective.readonly === true, APPLY_ACTION, () => deployed.store.put(item.request!));
        done.push(`${item.action === 'create' ? 'created' : 'updated'} ${item.spec.name}`);
        io.stdout.write(`${inertLine(done.at(-1)!)}\n`);
      } catch (error) {
        errors.push(`${item.spec.name}: ${error instanceof Error ? error.message : String(error)}`);
        io.stderr.write(`vitascope-oncall: alarms apply: ${inertLine(errors.at(-1)!)}\n`);
      }
    }
    io.stdout.write(`applied ${done.length} of ${plural(changes.length, 'change')}${errors.length ? `; ${errors.length} failed` : ''}\n`);
    if (errors.length) {
      record.failed('apply', `${errors.length} of ${plural(changes.length, 'change')} failed`, [...done, ...errors].join('\n'));
      return EXIT.source;
    }
    record.applied(done.join('\n'));
    return await verify(p, io, record, planFor, new Set(changes.map((i) => i.spec.name)));
  } finally {
    store?.close();
    record.close();
  }
}

/** Reads CloudWatch back: every alarm just put must now match the policy (the evidence in the journal). */
async function verify(p: Prepared, io: Io, record: ApplyRecorder, planFor: (alarms: DeployedAlarms) => ApplyPlan, changed: ReadonlySet<string>): Promise<number> {
  let after: DeployedAlarms;
  const reread = await deployedCloudWatch(p, io, () => record.failed('verify', 'CloudWatch could not be read back after the change'));
  try {
    after = reread.alarms;
  } finally {
    reread.store.close();
  }
  const still = planFor(after).items.filter((i) => changed.has(i.spec.name) && i.action !== 'unchanged');
  if (still.length) {
    const lines = still.map((i) => `${i.spec.name}: ${i.action === 'create' ? 'missing' : i.changes.join('; ')}`);
    record.failed('verify', `${plural(still.length, 'alarm')} still differ from the policy after apply`, lines.join('\n'));
    io.stderr.write(`vitascope-oncall: alarms apply: verification failed: ${plural(still.length, 'alarm')} still differ from the policy: ${inertLine(lines[0]!)}\n`);
    return EXIT.source;
  }
  record.verified(`read back from CloudWatch: the ${plural(changed.size, 'changed alarm')} match the policy`);
  io.stdout.write(`verified: the ${plural(changed.size, 'changed alarm')} read back from CloudWatch match the policy\n`);
  return 0;
}

// The subcommands, for commands/register/alarms.ts: a CommandExit ends them with its exit code.
export const runAlarmsExport = (globals: GlobalOptions, options: AlarmsOptions & { format: Format }, io: Io) => guarded(io, 'alarms', () => runExport(globals, options, io));
export const runAlarmsAudit = (globals: GlobalOptions, options: AlarmsOptions & { json?: boolean; prometheus?: string }, io: Io) => guarded(io, 'alarms', () => runAudit(globals, options, io));
export const runAlarmsApply = (globals: GlobalOptions, options: AlarmsOptions & { dryRun?: boolean; yes?: boolean }, io: Io) => guarded(io, 'alarms', () => runApply(globals, options, io));
