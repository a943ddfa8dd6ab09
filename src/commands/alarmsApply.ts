import type { LoadedConfig } from '../config/store.js';
import type { ApplyPlan } from '../core/alarms/drift.js';
import { confirmationFor } from '../core/actions/guard.js';
import { guardChange } from '../core/actions/gate.js';
import { inertLine } from '../core/sanitize.js';
import { EXIT } from '../core/status.js';
import type { CloudWatchAlarmStore } from '../sources/alarmStores.js';
import type { ApplyRecorder } from './alarmsRecord.js';
import {
  cloudWatchExport,
  deployedCloudWatch,
  fail,
  prepare,
  regionOf,
  type AlarmsOptions,
  type DeployedAlarms,
  type Prepared,
} from './alarmsPrepare.js';
import { configFor, type GlobalOptions, type Io } from './context.js';
import { askLine } from './prompt.js';

/**
 * `alarms apply`: the plan against what CloudWatch has, a confirmation as strong as the account needs,
 * PutMetricAlarm for each change, and a read-back that proves it; every step journaled (alarmsRecord.ts).
 */

/** What read-only mode names when it refuses apply's changes (the journal's action id, alarmsRecord.ts). */
const APPLY_ACTION = 'cloudwatch.apply-alarms';

/** Opens the journal for one apply; one that cannot be written refuses the change (nothing unrecorded). */
async function recorder(config: LoadedConfig, io: Io, target: string): Promise<ApplyRecorder> {
  const { openApplyRecorder } = await import('./alarmsRecord.js');
  try {
    return await openApplyRecorder(config.effective, io, target);
  } catch (error) {
    return fail(
      EXIT.config,
      `apply: cannot open the journal, so nothing is changed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export async function runApply(
  globals: GlobalOptions,
  options: AlarmsOptions & { dryRun?: boolean; yes?: boolean; confirm?: string },
  io: Io,
): Promise<number> {
  const config = await configFor(globals, io);
  // Refuse before asking anything of AWS: read-only mode (journaled, like every refused action), or
  // nobody to confirm with (a usage error: nothing was attempted).
  if (config.effective.readonly && !options.dryRun) {
    const refused = await recorder(
      config,
      io,
      `CloudWatch alarms in ${config.effective.aws?.region ?? 'the configured region'}`,
    );
    try {
      refused.failed('plan', 'refused: read-only mode changes nothing');
    } finally {
      refused.close();
    }
    io.stderr.write(
      'vitascope-oncall: alarms apply: refused: read-only mode (--readonly, VITASCOPE_READONLY or readonly in the configuration) changes nothing; --dry-run shows the plan\n',
    );
    return EXIT.usage;
  }
  if (!options.dryRun && !options.yes && options.confirm === undefined && !process.stdin.isTTY) {
    io.stderr.write(
      'vitascope-oncall: alarms apply: needs a confirmation and there is no terminal to ask on: pass --yes, or --confirm REGION when the account is production (--dry-run shows the plan)\n',
    );
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
    const deployed = await deployedCloudWatch(p, io, () =>
      record.failed('plan', 'CloudWatch could not be read to plan the change'),
    );
    store = deployed.store;
    const planFor = (alarms: typeof deployed.alarms) =>
      L.planApply(expected, alarms, { rules: p.config.policy.rules, runbookFor: p.runbookFor });
    const plan = planFor(deployed.alarms);
    const changes = plan.items.filter((i) => i.action !== 'unchanged');
    const creates = changes.filter((i) => i.action === 'create').length;
    const summary = `${creates} to create, ${changes.length - creates} to update, ${plan.items.length - changes.length} unchanged`;
    io.stdout.write(`plan for CloudWatch alarms in ${inertLine(region)}: ${summary}\n`);
    for (const item of changes) {
      io.stdout.write(
        `  ${item.action === 'create' ? '+ create' : '~ update'} ${inertLine(item.spec.name)}  (${item.spec.ruleId}, ${item.spec.level}, ≥ ${item.spec.threshold})\n`,
      );
      for (const c of item.changes) io.stdout.write(`      ${inertLine(c)}\n`);
    }
    for (const name of plan.leftAlone)
      io.stdout.write(`  = leave ${inertLine(name)}: not managed by the policy (apply never deletes)\n`);
    for (const n of expected.notExported)
      io.stdout.write(`  ! not expressible in CloudWatch: rule ${n.ruleId} (${plural(n.names.length, 'alarm')})\n`);
    const unfixable = new Set(plan.unfixable.map((f) => f.kind));
    if (unfixable.has('no-action'))
      io.stdout.write(
        '  ! no actions are configured for some levels: those alarms will notify nobody (set actions in the resources file)\n',
      );
    record.planned({
      summary,
      changes: changes.map((i) => `${i.action} ${i.spec.name}${i.changes.length ? `: ${i.changes.join('; ')}` : ''}`),
      dryRun: Boolean(options.dryRun),
      params: {
        create: creates,
        update: changes.length - creates,
        unchanged: plan.items.length - changes.length,
        production,
      },
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
        record.failed(
          'apply',
          production
            ? `not confirmed: the region was not typed (got ${JSON.stringify(answer.slice(0, 64))}); nothing changed`
            : 'declined: nothing changed',
        );
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
    io.stdout.write(
      `applied ${done.length} of ${plural(changes.length, 'change')}${errors.length ? `; ${errors.length} failed` : ''}\n`,
    );
    if (errors.length) {
      record.failed(
        'apply',
        `${errors.length} of ${plural(changes.length, 'change')} failed`,
        [...done, ...errors].join('\n'),
      );
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
async function verify(
  p: Prepared,
  io: Io,
  record: ApplyRecorder,
  planFor: (alarms: DeployedAlarms) => ApplyPlan,
  changed: ReadonlySet<string>,
): Promise<number> {
  let after: DeployedAlarms;
  const reread = await deployedCloudWatch(p, io, () =>
    record.failed('verify', 'CloudWatch could not be read back after the change'),
  );
  try {
    after = reread.alarms;
  } finally {
    reread.store.close();
  }
  const still = planFor(after).items.filter((i) => changed.has(i.spec.name) && i.action !== 'unchanged');
  if (still.length) {
    const lines = still.map((i) => `${i.spec.name}: ${i.action === 'create' ? 'missing' : i.changes.join('; ')}`);
    record.failed(
      'verify',
      `${plural(still.length, 'alarm')} still differ from the policy after apply`,
      lines.join('\n'),
    );
    io.stderr.write(
      `vitascope-oncall: alarms apply: verification failed: ${plural(still.length, 'alarm')} still differ from the policy: ${inertLine(lines[0]!)}\n`,
    );
    return EXIT.source;
  }
  record.verified(`read back from CloudWatch: the ${plural(changed.size, 'changed alarm')} match the policy`);
  io.stdout.write(
    `verified: the ${plural(changed.size, 'changed alarm')} read back from CloudWatch match the policy\n`,
  );
  return 0;
}

// The subcommands, for commands/register/alarms.ts: a CommandExit ends them with its exit code.
