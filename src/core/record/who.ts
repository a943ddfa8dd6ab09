import type { Who } from '../journal/index.js';
import type { TimelineEntry } from '../model.js';

/**
 * Who caused a change the recorder saw at the source. The source's log says a name (PagerDuty's log entry
 * agent, the sandbox pager's "Acknowledged by …"); that name is this responder when it is one of theirs
 * (their configured name or email, or their PagerDuty user's), a system when the source says so
 * (PagerDuty's own escalation rules, CloudWatch), and a teammate otherwise.
 */
export interface Identity {
  /** The responder at this keyboard, as events record them. */
  readonly who: Who;
  /** Names and emails the sources may use for this responder (compared case-insensitively). */
  readonly aliases: readonly string[];
}

export const PAGER: Who = { kind: 'system', id: 'pagerduty', name: 'PagerDuty' };
export const SANDBOX_PAGER: Who = { kind: 'system', id: 'sandbox-pager', name: 'PagerDuty (sandbox)' };
export const ALARMS: Who = { kind: 'system', id: 'alarms', name: 'the alarm' };
/** A change whose author the source did not say (its log could not be read, or has no entry for it). */
export const UNKNOWN: Who = { kind: 'system', id: 'unknown', name: 'unknown (the source did not say)' };

export function identity(who: Who, ...aliases: (string | undefined)[]): Identity {
  const all = [who.id, who.name, ...aliases].filter((a): a is string => typeof a === 'string' && a.trim() !== '');
  return { who, aliases: [...new Set(all.map((a) => a.trim().toLowerCase()))] };
}

/** The Who of a source log entry's author. */
export function whoOf(
  entry: Pick<TimelineEntry, 'who' | 'agent'> | undefined,
  me: Identity,
  fallback: Who = UNKNOWN,
): Who {
  const name = entry?.who?.trim();
  if (!name) return fallback;
  if (me.aliases.includes(name.toLowerCase())) return me.who;
  if (entry?.agent === 'system') return { kind: 'system', id: name.slice(0, 512), name: name.slice(0, 1024) };
  return { kind: 'pagerduty', id: name.slice(0, 512), name: name.slice(0, 1024) };
}
