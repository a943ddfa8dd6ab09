import type { Alarm, Incident } from '../model.js';
import { DEFAULT_RULES } from '../policy/rules.js';
import type { PolicyRule } from '../policy/types.js';
import type { LoadedRunbook } from './types.js';
import { DEFAULT_RUNBOOK_ID, isRegexPattern, type Runbook } from './schema.js';

/**
 * Which runbook answers an alarm or an incident. Several usually could (a team's runbook for one
 * alarm, the shipped one for its rule, the default); the most specific wins, so a team can add a
 * sharper runbook without editing the shipped ones:
 *
 *   explicit alarm name  >  alarm name pattern  >  policy rule id  >  metric  >  dimensions  >
 *   PagerDuty service  >  the default runbook (id "default", which matches anything)
 *
 * Within a tier: for an incident, a match on an earlier alarm (the first one opened it) beats a match
 * on a later one; a pattern with more literal characters beats a looser one, a match that also
 * satisfied more dimension qualifiers beats one with fewer, a team runbook beats a shipped one, and
 * finally the id decides (alphabetically), so that the answer never depends on file order.
 */

export type MatchTier = 'alarm' | 'alarm-pattern' | 'rule' | 'metric' | 'dimensions' | 'service' | 'default';
const TIER_RANK: Readonly<Record<MatchTier, number>> = { alarm: 6, 'alarm-pattern': 5, rule: 4, metric: 3, dimensions: 2, service: 1, default: 0 };

/** What is known about the thing to match: an alarm, an incident, or both. */
export interface MatchSubject {
  readonly alarm?: Pick<Alarm, 'name' | 'ruleId' | 'metric'>;
  readonly incident?: Pick<Incident, 'alarmNames' | 'service'>;
}

export interface RunbookMatch {
  readonly runbook: LoadedRunbook;
  readonly tier: MatchTier;
  /** Why it matched, for the responder: "rule cpu-utilization". */
  readonly reason: string;
  /** Literal characters of the pattern that matched (higher is more specific). */
  readonly literal: number;
  /** Dimension qualifiers that held. */
  readonly qualifiers: number;
  /** Which of the incident's alarms matched (0 is the one that opened it); earlier alarms weigh more. */
  readonly alarmIndex: number;
}

/** Whether a glob (* any run, ? one character) or /regex/flags matches the whole text. */
export function patternMatches(pattern: string, text: string): boolean {
  if (isRegexPattern(pattern)) {
    const m = /^\/(.+)\/([a-z]*)$/.exec(pattern)!;
    try {
      return new RegExp(m[1]!, m[2]!.replace(/[gy]/g, '')).test(text);
    } catch {
      return false;
    }
  }
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(text);
}

/** How specific a pattern is: the characters it pins down. A regex counts as a loose pattern. */
function literalChars(pattern: string): number {
  return isRegexPattern(pattern) ? 0 : pattern.replace(/[*?]/g, '').length;
}

/**
 * The policy rule an alarm name implements (vitascope-<resource>-<slug>-<level>), for alarms that do
 * not say (a PagerDuty incident only carries alarm names). Longest slug first, so that no slug is
 * mistaken for the tail of another.
 */
export function ruleIdForAlarmName(name: string, rules: readonly PolicyRule[] = DEFAULT_RULES): string | undefined {
  if (!name.startsWith('vitascope-')) return undefined;
  const bySlug = [...rules].sort((a, b) => b.alarmSlug.length - a.alarmSlug.length);
  for (const rule of bySlug) {
    for (const level of ['critical', 'warning', 'info'] as const) {
      if (rule.thresholds[level] === undefined) continue;
      if (name.endsWith(`-${rule.alarmSlug}-${level}`) || name === `vitascope-${rule.alarmSlug}-${level}`) return rule.id;
    }
  }
  return undefined;
}

function candidate(runbook: Runbook, subject: MatchSubject, rules: readonly PolicyRule[]): Omit<RunbookMatch, 'runbook'> | undefined {
  if (runbook.id === DEFAULT_RUNBOOK_ID) return { tier: 'default', reason: 'the default runbook', literal: 0, qualifiers: 0, alarmIndex: 0 };
  const m = runbook.matches;
  const names = subject.alarm ? [subject.alarm.name] : [...(subject.incident?.alarmNames ?? [])];
  // Rule id → the first alarm that implements it.
  const ruleIds = new Map<string, number>();
  if (subject.alarm?.ruleId) ruleIds.set(subject.alarm.ruleId, 0);
  names.forEach((n, i) => {
    const r = ruleIdForAlarmName(n, rules);
    if (r && !ruleIds.has(r)) ruleIds.set(r, i);
  });
  const metric = subject.alarm?.metric;
  const dims = metric?.dimensions ?? {};
  // Dimensions narrow every other criterion: all of them must hold.
  const dimEntries = Object.entries(m.dimensions ?? {});
  if (dimEntries.length && !dimEntries.every(([k, p]) => dims[k] !== undefined && patternMatches(p, dims[k]!))) return undefined;
  const qualifiers = dimEntries.length;
  const found: Omit<RunbookMatch, 'runbook'>[] = [];
  for (const p of m.alarms ?? []) {
    names.forEach((n, alarmIndex) => {
      if (!patternMatches(p, n)) return;
      const exact = !isRegexPattern(p) && !/[*?]/.test(p);
      found.push({ tier: exact ? 'alarm' : 'alarm-pattern', reason: exact ? `alarm ${n}` : `alarm name matches ${p}`, literal: literalChars(p), qualifiers, alarmIndex });
    });
  }
  for (const r of m.rules ?? []) {
    const alarmIndex = ruleIds.get(r);
    if (alarmIndex !== undefined) found.push({ tier: 'rule', reason: `rule ${r}`, literal: 0, qualifiers, alarmIndex });
  }
  if (metric) {
    for (const ref of m.metrics ?? []) {
      if (patternMatches(ref.namespace, metric.namespace) && (ref.name === undefined || patternMatches(ref.name, metric.name))) {
        found.push({ tier: 'metric', reason: `metric ${metric.namespace} ${metric.name}`, literal: literalChars(ref.namespace) + literalChars(ref.name ?? ''), qualifiers, alarmIndex: 0 });
      }
    }
  }
  const service = subject.incident?.service.name;
  if (service) for (const p of m.services ?? []) if (patternMatches(p, service)) found.push({ tier: 'service', reason: `PagerDuty service ${service}`, literal: literalChars(p), qualifiers, alarmIndex: 0 });
  const onlyDimensions = dimEntries.length > 0 && !m.alarms && !m.rules && !m.metrics && !m.services;
  if (onlyDimensions) found.push({ tier: 'dimensions', reason: `dimensions ${dimEntries.map(([k, v]) => `${k}=${v}`).join(', ')}`, literal: 0, qualifiers, alarmIndex: 0 });
  return found.sort(compareCandidates)[0];
}

function compareCandidates(a: Omit<RunbookMatch, 'runbook'>, b: Omit<RunbookMatch, 'runbook'>): number {
  return TIER_RANK[b.tier] - TIER_RANK[a.tier] || a.alarmIndex - b.alarmIndex || b.literal - a.literal || b.qualifiers - a.qualifiers;
}

function compareMatches(a: RunbookMatch, b: RunbookMatch): number {
  return (
    compareCandidates(a, b) ||
    (a.runbook.origin === b.runbook.origin ? 0 : a.runbook.origin === 'user' ? -1 : 1) ||
    a.runbook.runbook.id.localeCompare(b.runbook.runbook.id)
  );
}

/** Every runbook that applies, best first. */
export function rankRunbooks(runbooks: readonly LoadedRunbook[], subject: MatchSubject, rules: readonly PolicyRule[] = DEFAULT_RULES): RunbookMatch[] {
  const out: RunbookMatch[] = [];
  for (const rb of runbooks) {
    const c = candidate(rb.runbook, subject, rules);
    if (c) out.push({ runbook: rb, ...c });
  }
  return out.sort(compareMatches);
}

/** The runbook to follow, or undefined when nothing applies and there is no default runbook. */
export function matchRunbook(runbooks: readonly LoadedRunbook[], subject: MatchSubject, rules: readonly PolicyRule[] = DEFAULT_RULES): RunbookMatch | undefined {
  return rankRunbooks(runbooks, subject, rules)[0];
}

/** A one-line summary of what a runbook matches, for lists. */
export function describeMatches(runbook: Runbook): string {
  if (runbook.id === DEFAULT_RUNBOOK_ID) return 'anything else (default)';
  const m = runbook.matches;
  const parts: string[] = [];
  if (m.alarms) parts.push(`alarms ${m.alarms.join(', ')}`);
  if (m.rules) parts.push(`rules ${m.rules.join(', ')}`);
  if (m.metrics) parts.push(`metrics ${m.metrics.map((x) => `${x.namespace}${x.name ? ` ${x.name}` : ''}`).join(', ')}`);
  if (m.dimensions) parts.push(`where ${Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (m.services) parts.push(`services ${m.services.join(', ')}`);
  return parts.join('; ');
}
