import { DEFAULT_POLICY } from '../core/policy/defaults.js';
import { appMetricDefaults } from '../core/appMetrics.js';
import { inert, jsonText } from '../core/sanitize.js';
import { getPath, isSecretKey, leafKeys, readConfig } from '../config/load.js';
import { renderTable } from '../output/table.js';
import { printConfigWarnings, type Io } from './context.js';
import { maskUrl } from '../core/journal/secrets.js';

const MASK = '******** (set, hidden)';

/** A value with the secrets of any URL in it masked (userinfo, token=… in the query), at any depth. */
function maskUrls(value: unknown): unknown {
  if (typeof value === 'string') return maskUrl(value);
  if (Array.isArray(value)) return value.map(maskUrls);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskUrls(v)]));
  return value;
}

function show(key: string, value: unknown): string {
  if (isSecretKey(key) && value !== undefined) return MASK;
  const shown = maskUrls(value);
  return typeof shown === 'string' ? shown : JSON.stringify(shown);
}

/** Secrets replaced by the mask, and URLs' credentials masked, at any depth (from the file or the environment alike). */
function masked(value: unknown, prefix: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return isSecretKey(prefix) ? MASK : maskUrls(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, prefix ? `${prefix}.${k}` : k)]));
}

/** Every threshold and window of the default policy and the app metrics' default names, as settable keys. */
function settingDefaults(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const r of DEFAULT_POLICY.rules) {
    const at = `policy.rules.${r.id}`;
    for (const level of ['info', 'warning', 'critical'] as const)
      if (r.thresholds[level] !== undefined) out.set(`${at}.${level}`, r.thresholds[level]);
    out.set(`${at}.periodSeconds`, r.evaluation.periodSeconds);
    out.set(`${at}.evaluationPeriods`, r.evaluation.evaluationPeriods);
    out.set(`${at}.datapointsToAlarm`, r.evaluation.datapointsToAlarm);
    out.set(`${at}.enabled`, r.enabled);
  }
  for (const p of DEFAULT_POLICY.priorities)
    if (p.responseTargetMinutes !== undefined)
      out.set(`policy.priorities.${p.name}.responseTargetMinutes`, p.responseTargetMinutes);
  out.set('policy.escalation.delayMinutes', DEFAULT_POLICY.escalation[0]!.delayMinutes);
  out.set('policy.workingHours.timeZone', DEFAULT_POLICY.workingHours.timeZone);
  out.set('policy.workingHours.start', DEFAULT_POLICY.workingHours.start);
  out.set('policy.workingHours.end', DEFAULT_POLICY.workingHours.end);
  for (const [k, v] of appMetricDefaults()) out.set(k, v);
  return out;
}

/** `config get KEY`: one setting's effective value (file, then environment; policy defaults too). */
export async function runConfigGet(key: string, options: { json?: boolean }, io: Io): Promise<number> {
  const loaded = await readConfig(io.env);
  printConfigWarnings(loaded, io.stderr);
  let value = getPath(loaded.effective, key);
  if (value === undefined && (key.startsWith('policy.') || key.startsWith('prometheus.metrics.')))
    value = settingDefaults().get(key);
  if (value === undefined) {
    io.stderr.write(`vitascope-oncall: ${inert(key)} is not set\n`);
    return 1;
  }
  const out = masked(value, key);
  io.stdout.write(
    `${options.json || typeof out !== 'string' ? jsonText(out, options.json ? 2 : undefined) : inert(out)}\n`,
  );
  return 0;
}

/** `config set KEY VALUE`: the whole configuration is checked before anything is written (by conf, atomically). */
export async function runConfigSet(key: string, raw: string, io: Io): Promise<number> {
  const { parseValue, setConfigValue } = await import('../config/store.js');
  const value = parseValue(raw);
  setConfigValue(key, value, io.env);
  io.stdout.write(`${inert(key)} = ${inert(show(key, value))}\n`);
  return 0;
}

/** `config unset KEY`. */
export async function runConfigUnset(key: string, io: Io): Promise<number> {
  const { unsetConfigValue } = await import('../config/store.js');
  const removed = unsetConfigValue(key, io.env);
  io.stdout.write(removed ? `${inert(key)} removed\n` : `${inert(key)} was not set\n`);
  return 0;
}

/** `config list [--all] [--json]`: every setting that is set, with where it comes from. */
export async function runConfigList(options: { all?: boolean; json?: boolean }, io: Io): Promise<number> {
  const loaded = await readConfig(io.env);
  printConfigWarnings(loaded, io.stderr);
  if (options.json) {
    io.stdout.write(`${jsonText({ path: loaded.path, config: masked(loaded.effective, '') }, 2)}\n`);
    return 0;
  }
  const rows: string[][] = leafKeys(loaded.effective).map((k) => [
    k,
    show(k, getPath(loaded.effective, k)),
    loaded.origins.get(k) ?? 'file',
  ]);
  if (options.all) {
    const set = new Set(rows.map((r) => r[0]));
    for (const [k, v] of settingDefaults()) if (!set.has(k)) rows.push([k, show(k, v), 'default']);
  }
  io.stdout.write(`# ${loaded.path}\n`);
  if (rows.length === 0)
    io.stdout.write(
      'nothing set: every setting has its default (config list --all shows the policy and the app metric names)\n',
    );
  else
    io.stdout.write(
      `${renderTable(
        [{ header: 'KEY' }, { header: 'VALUE' }, { header: 'FROM' }],
        rows.map((r) => r.map(inert)),
      )}\n`,
    );
  return 0;
}
