/**
 * Parsers of option values (commander argParsers: a bad value is a usage error, exit 2) and the
 * constants that help texts name. A module of their own so that registering the commands
 * (commands/register/) loads none of the commands' implementations.
 */
import fs from 'node:fs';
import { InvalidArgumentError } from 'commander';
import type { Lang } from '../core/reports/types.js';
import { formatBound, formatDuration, parseDuration } from '../core/time.js';

// ---- the reports (handoff, report, summary, postmortem, followup) ----

export function langOption(v: string): Lang {
  if (v !== 'en' && v !== 'ja') throw new InvalidArgumentError('expected en or ja.');
  return v;
}

export function formatOption(v: string): 'md' | 'json' {
  if (v !== 'md' && v !== 'json') throw new InvalidArgumentError('expected md or json.');
  return v;
}

// ---- bounds ----
// Every duration a command takes has a stated maximum (README, "Limits"): a period of centuries would make
// a report read the journal and the sources for hours, a look-ahead of years simulate for as long.

const DAY = 24 * 3_600_000;

/** The longest report period: --since, --period, and --from to --to. */
export const PERIOD_MAX_MS = 400 * DAY;
/** The furthest --at looks into the sandbox's run. */
export const AT_MAX_MS = 30 * DAY;
/** The longest simulated time a drill waits (--limit). */
export const DRILL_LIMIT_MAX_MS = 2 * DAY;
/** The longest act --verify-timeout. */
export const VERIFY_TIMEOUT_MAX_MS = DAY;

/**
 * A parser of durations between `min` (exclusive when 0: a duration must be positive) and `max`;
 * the messages name the bound and give an example.
 */
export function boundedDuration(example: string, max: number, min = 0): (v: string) => number {
  return (v) => {
    const ms = parseDuration(v);
    if (ms === undefined) throw new InvalidArgumentError(`expected a duration with a unit, e.g. ${example}.`);
    if (min === 0 ? ms <= 0 : ms < min)
      throw new InvalidArgumentError(
        min === 0
          ? 'expected a duration above 0.'
          : `expected at least ${formatDuration(min) === '0s' ? `${min} ms` : formatDuration(min)}.`,
      );
    if (ms > max) throw new InvalidArgumentError(`expected at most ${formatBound(max)}.`);
    return ms;
  };
}

/** --since and --period: a positive duration of at most PERIOD_MAX_MS. */
export const durationOption = boundedDuration('7d, 36h, 2w', PERIOD_MAX_MS);

const ISO_HINT = 'expected an ISO 8601 date or time, e.g. 2026-01-05 or 2026-01-05T10:00+09:00.';
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/i;

/**
 * An instant: ISO 8601 (a date alone is midnight UTC; a date-time without a zone is UTC). Every field
 * is checked, so that 2026-02-30 is refused rather than read as 2 March (as Date.parse would).
 */
export function instantOption(v: string): number {
  const m = INSTANT.exec(v.trim());
  if (!m) throw new InvalidArgumentError(ISO_HINT);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', , sign, oh = '0', om = '0'] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const problem =
    year < 1970
      ? 'a year from 1970 on'
      : month < 1 || month > 12
        ? 'a month from 01 to 12'
        : day < 1 || day > daysInMonth
          ? `a day from 01 to ${daysInMonth} (${year}-${mo} has ${daysInMonth} days)`
          : hour > 23
            ? 'an hour from 00 to 23'
            : minute > 59
              ? 'minutes from 00 to 59'
              : second > 59
                ? 'seconds from 00 to 59'
                : Number(oh) > 14 || Number(om) > 59
                  ? 'a zone offset from -14:00 to +14:00'
                  : undefined;
  if (problem) throw new InvalidArgumentError(`${v.trim()} is not a real date or time: expected ${problem}.`);
  const offsetMs = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000 : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, frac ? Math.floor(Number(frac) * 1000) : 0) - offsetMs;
}

/**
 * Why output cannot go into `folder`: it does not exist (unless --mkdir says to create it: a typo must
 * not scatter folders), or it is not a folder. Checked before any work is done.
 */
export function outFolderProblem(folder: string, mkdir: boolean | undefined): string | undefined {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(folder);
  } catch {
    stat = undefined;
  }
  if (!stat) return mkdir ? undefined : `the folder ${folder} does not exist: create it, or pass --mkdir`;
  if (!stat.isDirectory()) return `${folder} is not a folder`;
  return undefined;
}

// ---- deploy-check ----

/** Environment variables the annotation token is read from, first set wins. */
export const ANNOTATION_TOKEN_VARIABLES = ['VITASCOPE_ANNOTATION_TOKEN', 'GRAFANA_API_KEY'] as const;

export function percent(v: string): number {
  const n = Number(v.trim().replace(/\s*%$/, ''));
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError('expected a percentage from 0 to 100, e.g. 5.');
  return n;
}

/** deploy-check's durations: at least `min`, at most `max` (a gate that watches for days is a mistake). */
export function durationMs(min: number, example: string, max: number): (v: string) => number {
  return (v) => {
    const ms = parseDuration(v);
    if (ms === undefined) throw new InvalidArgumentError(`expected a duration with a unit, e.g. ${example}.`);
    if (ms < min)
      throw new InvalidArgumentError(
        `expected at least ${formatDuration(min) === '0s' ? `${min} ms` : formatDuration(min)}.`,
      );
    if (ms > max) throw new InvalidArgumentError(`expected at most ${formatBound(max)}.`);
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
  if (out.size === 2)
    throw new InvalidArgumentError(
      'at least one signal must stay required: a gate with no required signal judges nothing.',
    );
  return [...out];
}

export function labelName(v: string): string {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(v) || v.startsWith('__'))
    throw new InvalidArgumentError('expected a Prometheus label name such as job or service.');
  return v;
}

// ---- drill ----

export function collect(value: string, previous: string[] = []): string[] {
  if (!/^[A-Za-z][A-Za-z0-9_]*=/.test(value))
    throw new InvalidArgumentError('expected name=value, e.g. address=203.0.113.7');
  return [...previous, value];
}

/** drill --limit: simulated time, at most DRILL_LIMIT_MAX_MS. */
export const drillLimitArg = boundedDuration('3h', DRILL_LIMIT_MAX_MS);

/** act --verify-timeout: at most VERIFY_TIMEOUT_MAX_MS. */
export const verifyTimeoutArg = boundedDuration('20m', VERIFY_TIMEOUT_MAX_MS);

// ---- alarms ----

export const ALARM_FORMATS = ['cloudwatch', 'terraform', 'prometheus-rules'] as const;
export type AlarmFormat = (typeof ALARM_FORMATS)[number];

export function alarmFormat(v: string): AlarmFormat {
  if (!(ALARM_FORMATS as readonly string[]).includes(v))
    throw new InvalidArgumentError(`expected one of ${ALARM_FORMATS.join(', ')}.`);
  return v as AlarmFormat;
}

export const RESOURCES_HELP =
  "the production resources, SNS actions and targets (YAML or JSON; see `alarms --help`); the strategy's example resources when not given";

// ---- sandbox ----

export function port(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65_535) throw new InvalidArgumentError(`a port number 0–65535, not "${v}"`);
  return n;
}
