import fs from 'node:fs';
import type { LoadedConfig } from '../config/store.js';
import type { AlarmInventory } from '../core/alarms/inventory.js';
import type { CloudWatchExport, RunbookLookup } from '../core/alarms/cloudwatch.js';
import { inert } from '../core/sanitize.js';
import { EXIT } from '../core/status.js';
import { CommandExit } from './errors.js';
import { configFor, type GlobalOptions, type Io } from './context.js';
import type { AlarmFormat } from './options.js';

/**
 * What every `alarms` subcommand starts from: the policy's rules, the resources inventory (--resources, the
 * configuration's alarms section, or the strategy's example), the runbook lookup, and CloudWatch opened
 * through sources/alarmStores.ts. A failure ends the command with its exit code (CommandExit).
 */

export type Format = AlarmFormat;

export interface AlarmsOptions {
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
  return {
    ...inventory,
    ...cloudwatch,
    ...terraform,
    ...prom,
    ...drift,
    ...load,
    ...match,
    topology,
    appMetrics: names.appMetrics,
  };
}
export type Lib = Awaited<ReturnType<typeof lib>>;

/** Ends the command with `code`, the message on stderr (errors.ts guarded prints it). */
export function fail(code: number, message: string): never {
  throw new CommandExit(code, message);
}

/** The strategy's example resources (the sandbox's names), used when no --resources file is given. */
function defaultSection(L: Lib) {
  const t = L.topology;
  return {
    resources: {
      'ecs-service': t.SERVICES.map((s) => ({
        token: s.token,
        dimensions: { ClusterName: t.CLUSTER, ServiceName: s.name },
      })),
      // The sandbox's database: its own parameter group says 400 (what its status and summary show too).
      'rds-instance': [
        {
          token: t.DATABASE.token,
          dimensions: { DBInstanceIdentifier: t.DATABASE.id },
          limits: { max_connections: t.DATABASE.maxConnections, allocated_storage_gib: t.STORAGE_GIB },
        },
      ],
      'sqs-queue': [{ token: t.QUEUE.token, dimensions: { QueueName: t.QUEUE.name } }],
      'lambda-function': [{ token: t.LAMBDA.token, dimensions: { FunctionName: t.LAMBDA.name } }],
      dependency: t.DEPENDENCIES.map((d) => ({ token: d.token, dimensions: { Dependency: d.name } })),
      api: [
        {
          token: 'api',
          dimensions: { LoadBalancer: t.LOAD_BALANCER.loadBalancer, TargetGroup: t.LOAD_BALANCER.targetGroup },
        },
      ],
    },
  };
}

/** The inventory from --resources (YAML or JSON), or the example one with a note on stderr. */
async function readInventory(L: Lib, options: AlarmsOptions, config: LoadedConfig, io: Io): Promise<AlarmInventory> {
  let userGiven = true;
  let section: import('../core/alarms/inventory.js').AlarmsSection;
  let locate: (path: readonly (string | number)[], key?: boolean) => string = (p) =>
    `${options.resources}: ${p.join('.')}`;
  // The configuration's "alarms" section, once the configuration schema has one (same shape as the file).
  const configured = (config.effective as { alarms?: unknown }).alarms;
  if (options.resources === undefined && configured !== undefined) {
    const result = L.alarmsSectionSchema.safeParse(configured);
    if (!result.success)
      fail(
        EXIT.config,
        `${config.path}: alarms.${result.error.issues[0]!.path.join('.')}: ${result.error.issues[0]!.message}`,
      );
    section = result.data;
    locate = (p) => `${config.path}: alarms.${p.join('.')}`;
  } else if (options.resources === undefined) {
    io.stderr.write(
      "vitascope-oncall: alarms: no --resources file: using the strategy's example resources (vitascope-cluster, vitascope-api, vitascope-db, …); production names differ\n",
    );
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
  const limited = await withDatabaseLimits(section, {
    config: config.effective,
    env: io.env,
    rules: config.policy.rules,
    userGiven,
  });
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
  if (set.errors.length)
    io.stderr.write(
      `vitascope-oncall: alarms: ${set.errors.length} runbook error${set.errors.length === 1 ? '' : 's'}; those runbooks are left out (details: vitascope-oncall runbooks lint)\n`,
    );
  return (alarm) => {
    const found = L.matchRunbook(
      set.runbooks,
      { alarm: { name: alarm.name, ruleId: alarm.ruleId, metric: alarm.metric } },
      config.policy.rules,
    );
    return found && found.tier !== 'default' ? found.runbook.runbook.id : undefined;
  };
}

export interface Prepared {
  readonly L: Lib;
  readonly config: LoadedConfig;
  readonly inventory: AlarmInventory;
  readonly runbookFor: RunbookLookup;
}

export async function prepare(globals: GlobalOptions, options: AlarmsOptions, io: Io): Promise<Prepared> {
  const L = await lib();
  const config = await configFor(globals, io);
  const inventory = await readInventory(L, options, config, io);
  return { L, config, inventory, runbookFor: runbookLookup(L, config, io) };
}

/** The app's metric names in Prometheus, as configured (prometheus.metrics.*). */
export function appMetricsOf(p: Prepared) {
  return p.L.appMetrics(p.config.effective.prometheus?.metrics);
}

export function cloudWatchExport(p: Prepared): CloudWatchExport {
  return p.L.cloudWatchAlarms(p.config.policy.rules, p.inventory, p.runbookFor);
}

/** Runs an opening of CloudWatch; a configuration without a region ends the command (exit 3). */
async function needsAws<T>(
  io: Io,
  open: (stores: typeof import('../sources/alarmStores.js')) => Promise<T>,
): Promise<T> {
  const stores = await import('../sources/alarmStores.js');
  try {
    return await open(stores);
  } catch (error) {
    if (error instanceof stores.StoreNotConfiguredError)
      return fail(EXIT.config, `AWS is not configured: ${error.message} (or pass --region)`);
    throw error;
  }
}

/** CloudWatch's alarm definitions in the configured region. */
export const cloudWatchStore = (p: Prepared, io: Io) =>
  needsAws(io, (s) => s.openCloudWatchAlarmStore(p.config.effective, p.config.policy.rules));
/** The region apply would change. */
export const regionOf = (p: Prepared, io: Io) =>
  needsAws(io, (s) => s.cloudWatchRegion(p.config.effective, p.config.policy.rules));

/** What CloudWatch has under the managed prefix; `onFailure` runs before a failure to read ends the command. */
export async function deployedCloudWatch(p: Prepared, io: Io, onFailure?: () => void) {
  const store = await cloudWatchStore(p, io);
  try {
    return { store, alarms: await store.describe(p.L.MANAGED_PREFIX) };
  } catch (error) {
    store.close();
    onFailure?.();
    return fail(EXIT.source, error instanceof Error ? error.message : String(error));
  }
}
export type DeployedAlarms = Awaited<ReturnType<typeof deployedCloudWatch>>['alarms'];
