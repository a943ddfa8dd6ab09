import type { AlertLevel, Incident, PriorityName } from '../model.js';
import type { EscalationLevelDef, Policy, PolicyRule, PriorityDef } from './types.js';

/** The next escalation of an unacknowledged incident: when, and to whom. */
export interface NextEscalation {
  readonly at: number;
  readonly toLevel: number;
  readonly toRole: EscalationLevelDef['role'];
}

/**
 * When a triggered incident moves to the next escalation level. Acknowledged and resolved incidents
 * do not escalate, and neither does one already at the last level.
 */
export function nextEscalation(
  incident: Incident,
  escalation: readonly EscalationLevelDef[],
): NextEscalation | undefined {
  if (incident.status !== 'triggered') return undefined;
  const current = escalation.find((e) => e.level === incident.escalationLevel);
  const next = escalation.find((e) => e.level === incident.escalationLevel + 1);
  if (!current || !next) return undefined;
  return { at: incident.escalatedAt + current.delayMinutes * 60_000, toLevel: next.level, toRole: next.role };
}

export function priorityDef(policy: Policy, name: PriorityName | undefined): PriorityDef | undefined {
  return name ? policy.priorities.find((p) => p.name === name) : undefined;
}

/**
 * When the first response is due under the incident's priority (undefined when the priority has no
 * clock, or once the incident has been acknowledged: the response has happened).
 */
export function responseDeadline(incident: Incident, policy: Policy): number | undefined {
  if (incident.status !== 'triggered') return undefined;
  const minutes = priorityDef(policy, incident.priority)?.responseTargetMinutes;
  return minutes === undefined ? undefined : incident.createdAt + minutes * 60_000;
}

/** The priority an alarm of this rule and level opens; the strategy's "anything else → P3" otherwise. */
export function priorityForAlarm(rule: PolicyRule | undefined, level: AlertLevel): PriorityName {
  return rule?.priority[level] ?? (level === 'info' ? 'P4' : 'P3');
}

/** Whether a moment falls outside the policy's working hours (weekends count as outside). */
export function outsideWorkingHours(at: number, policy: Policy): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: policy.workingHours.timeZone,
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const weekday = parts.find((p) => p.type === 'weekday')?.value;
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  if (weekday === 'Sat' || weekday === 'Sun') return true;
  return hour < policy.workingHours.start || hour >= policy.workingHours.end;
}
