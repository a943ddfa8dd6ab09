/**
 * Parsers of option values (commander argParsers: a bad value is a usage error, exit 2) and the
 * constants that help texts name. A module of their own so that registering the commands
 * (commands/register/) loads none of the commands' implementations.
 */
import { InvalidArgumentError } from 'commander';
import type { Lang } from '../core/reports/types.js';
import { formatDuration, parseDuration } from '../core/time.js';

// ---- the reports (handoff, report, summary, postmortem, followup) ----

export function langOption(v: string): Lang {
  if (v !== 'en' && v !== 'ja') throw new InvalidArgumentError('expected en or ja.');
  return v;
}

export function formatOption(v: string): 'md' | 'json' {
  if (v !== 'md' && v !== 'json') throw new InvalidArgumentError('expected md or json.');
  return v;
}

export function durationOption(v: string): number {
  const ms = parseDuration(v);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected a duration with a unit, e.g. 7d, 36h, 2w.');
  return ms;
}

/** An instant: ISO 8601 (a date alone is midnight UTC; a date-time without a zone is UTC). */
export function instantOption(v: string): number {
  const t = v.trim();
  let text = t;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) text = `${t}T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) text = `${t.replace(' ', 'T')}Z`;
  else if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(t)) {
    throw new InvalidArgumentError('expected an ISO 8601 date or time, e.g. 2026-01-05 or 2026-01-05T10:00+09:00.');
  }
  const ms = Date.parse(text.replace(' ', 'T'));
  if (!Number.isFinite(ms)) throw new InvalidArgumentError('expected an ISO 8601 date or time, e.g. 2026-01-05 or 2026-01-05T10:00+09:00.');
  return ms;
}

// ---- deploy-check ----

/** Environment variables the annotation token is read from, first set wins. */
export const ANNOTATION_TOKEN_VARIABLES = ['VITASCOPE_ANNOTATION_TOKEN', 'GRAFANA_API_KEY'] as const;

export function percent(v: string): number {
  const n = Number(v.trim().replace(/\s*%$/, ''));
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('expected a percentage from 0 to 100, e.g. 5.');
  return n;
}

export function durationMs(min: number, example: string): (v: string) => number {
  return (v) => {
    const ms = parseDuration(v);
    if (ms === undefined) throw new InvalidArgumentError(`expected a duration with a unit, e.g. ${example}.`);
    if (ms < min) throw new InvalidArgumentError(`expected at least ${formatDuration(min) === '0s' ? `${min} ms` : formatDuration(min)}.`);
    return ms;
  };
}

export function httpUrl(v: string): string {
  try {
    const u = new URL(v);
    if (u.protocol === 'http:' || u.protocol === 'https:') return v;
  } catch {
    // fall through
  }
  throw new InvalidArgumentError('expected an http:// or https:// URL.');
}

/** --optional: which of the gate's signals may have no data; at least one must stay required. */
export function gateSignals(v: string): ('error-rate' | 'p95')[] {
  const out = new Set<'error-rate' | 'p95'>();
  for (const raw of v.split(',').map((x) => x.trim().toLowerCase())) {
    if (raw === 'p95' || raw === 'latency') out.add('p95');
    else if (raw === 'error-rate' || raw === 'errors') out.add('error-rate');
    else throw new InvalidArgumentError('expected error-rate, p95 or both, comma-separated.');
  }
  if (out.size === 2) throw new InvalidArgumentError('at least one signal must stay required: a gate with no required signal judges nothing.');
  return [...out];
}

export function labelName(v: string): string {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(v) || v.startsWith('__')) throw new InvalidArgumentError('expected a Prometheus label name such as job or service.');
  return v;
}

// ---- drill ----

export function collect(value: string, previous: string[] = []): string[] {
  if (!/^[A-Za-z][A-Za-z0-9_]*=/.test(value)) throw new InvalidArgumentError('expected name=value, e.g. address=203.0.113.7');
  return [...previous, value];
}

export function durationArg(v: string): number {
  const ms = parseDuration(v);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected a duration with a unit, e.g. 3h.');
  return ms;
}

// ---- alarms ----

export const ALARM_FORMATS = ['cloudwatch', 'terraform', 'prometheus-rules'] as const;
export type AlarmFormat = (typeof ALARM_FORMATS)[number];

export function alarmFormat(v: string): AlarmFormat {
  if (!(ALARM_FORMATS as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${ALARM_FORMATS.join(', ')}.`);
  return v as AlarmFormat;
}

export const RESOURCES_HELP = 'the production resources, SNS actions and targets (YAML or JSON; see `alarms --help`); the strategy\'s example resources when not given';

// ---- sandbox ----

export function port(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65_535) throw new InvalidArgumentError(`a port number 0–65535, not "${v}"`);
  return n;
}
