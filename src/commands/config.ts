import { Command } from 'commander';
import { DEFAULT_POLICY } from '../core/policy/overrides.js';
import { inert } from '../core/sanitize.js';
import { isSecretKey } from '../config/schema.js';
import { configPath, getPath, leafKeys, loadConfig, parseValue, setConfigValue, unsetConfigValue } from '../config/store.js';
import { renderTable } from '../output/table.js';
import type { Io } from './context.js';

const MASK = '******** (set, hidden)';

function show(key: string, value: unknown): string {
  if (isSecretKey(key) && value !== undefined) return MASK;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Secrets replaced by the mask, at any depth. */
function masked(value: unknown, prefix: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return isSecretKey(prefix) ? MASK : value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, prefix ? `${prefix}.${k}` : k)]));
}

/** Every threshold and window of the default policy, as settable keys. */
function policyDefaults(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const r of DEFAULT_POLICY.rules) {
    const at = `policy.rules.${r.id}`;
    for (const level of ['info', 'warning', 'critical'] as const) if (r.thresholds[level] !== undefined) out.set(`${at}.${level}`, r.thresholds[level]);
    out.set(`${at}.periodSeconds`, r.evaluation.periodSeconds);
    out.set(`${at}.evaluationPeriods`, r.evaluation.evaluationPeriods);
    out.set(`${at}.datapointsToAlarm`, r.evaluation.datapointsToAlarm);
    out.set(`${at}.enabled`, r.enabled);
  }
  for (const p of DEFAULT_POLICY.priorities) if (p.responseTargetMinutes !== undefined) out.set(`policy.priorities.${p.name}.responseTargetMinutes`, p.responseTargetMinutes);
  out.set('policy.escalation.delayMinutes', DEFAULT_POLICY.escalation[0]!.delayMinutes);
  out.set('policy.workingHours.timeZone', DEFAULT_POLICY.workingHours.timeZone);
  out.set('policy.workingHours.start', DEFAULT_POLICY.workingHours.start);
  out.set('policy.workingHours.end', DEFAULT_POLICY.workingHours.end);
  return out;
}

export function registerConfig(program: Command, io: Io, run: (task: () => Promise<number>) => Promise<void>): void {
  const config = program
    .command('config')
    .description('show and change the configuration (validated; secrets are never printed)')
    .addHelpText(
      'after',
      `
Keys use dots: aws.region, pagerduty.token, prometheus.url, policy.rules.cpu-utilization.warning.
Environment variables override the file: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, PAGERDUTY_TOKEN,
PAGERDUTY_FROM, VITASCOPE_PROMETHEUS_URL, VITASCOPE_ALERTMANAGER_URL, VITASCOPE_READONLY;
VITASCOPE_ONCALL_CONFIG_DIR moves the file.`,
    );

  config
    .command('path')
    .description('print where the configuration file is')
    .action(() => run(async () => (io.stdout.write(`${configPath(io.env)}\n`), 0)));

  config
    .command('get')
    .description('print one setting (its effective value: file, then environment)')
    .argument('<key>', 'a dotted key, e.g. aws.region')
    .option('--json', 'print the value as JSON')
    .action((key: string, options: { json?: boolean }) =>
      run(async () => {
        const loaded = loadConfig(io.env);
        let value = getPath(loaded.effective, key);
        if (value === undefined && key.startsWith('policy.')) value = policyDefaults().get(key);
        if (value === undefined) {
          io.stderr.write(`vitascope-oncall: ${inert(key)} is not set\n`);
          return 1;
        }
        const out = masked(value, key);
        io.stdout.write(`${options.json || typeof out !== 'string' ? JSON.stringify(out, null, options.json ? 2 : undefined) : inert(out)}\n`);
        return 0;
      }),
    );

  config
    .command('set')
    .description('change one setting; the whole configuration is checked before anything is written')
    .argument('<key>', 'a dotted key, e.g. policy.rules.cpu-utilization.warning')
    .argument('<value>', 'JSON (75, true, ["a"]) or plain text')
    .action((key: string, raw: string) =>
      run(async () => {
        const value = parseValue(raw);
        setConfigValue(key, value, io.env);
        io.stdout.write(`${inert(key)} = ${inert(show(key, value))}\n`);
        return 0;
      }),
    );

  config
    .command('unset')
    .description('remove one setting (back to its default)')
    .argument('<key>', 'a dotted key')
    .action((key: string) =>
      run(async () => {
        const removed = unsetConfigValue(key, io.env);
        io.stdout.write(removed ? `${inert(key)} removed\n` : `${inert(key)} was not set\n`);
        return 0;
      }),
    );

  config
    .command('list')
    .description('every setting that is set, with where it comes from')
    .option('--all', 'include the policy defaults (every threshold you can override)')
    .option('--json', 'print the effective configuration as JSON')
    .action((options: { all?: boolean; json?: boolean }) =>
      run(async () => {
        const loaded = loadConfig(io.env);
        if (options.json) {
          io.stdout.write(`${JSON.stringify({ path: loaded.path, config: masked(loaded.effective, '') }, null, 2)}\n`);
          return 0;
        }
        const rows: string[][] = leafKeys(loaded.effective).map((k) => [k, show(k, getPath(loaded.effective, k)), loaded.origins.get(k) ?? 'file']);
        if (options.all) {
          const set = new Set(rows.map((r) => r[0]));
          for (const [k, v] of policyDefaults()) if (!set.has(k)) rows.push([k, show(k, v), 'default']);
        }
        io.stdout.write(`# ${loaded.path}\n`);
        if (rows.length === 0) io.stdout.write('nothing set: every setting has its default (config list --all shows the policy)\n');
        else io.stdout.write(`${renderTable([{ header: 'KEY' }, { header: 'VALUE' }, { header: 'FROM' }], rows.map((r) => r.map(inert)))}\n`);
        return 0;
      }),
    );
}
