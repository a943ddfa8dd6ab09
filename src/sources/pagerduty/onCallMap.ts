/**
 * PagerDuty on-calls, escalation policies, schedules and priorities → the model. Pure and tolerant, like
 * incidentMap.ts. Roles come from escalation levels: level 1 is the primary, 2 the secondary, 3 and
 * above the manager (the strategy's primary → secondary → engineering manager), unless the caller
 * names the roles per level.
 */
import type {
  EscalationPolicy,
  EscalationRule,
  OnCallEntry,
  OnCallRole,
  Person,
  PriorityName,
  Shift,
} from '../../core/model.js';
import { boundEscalationPolicy, boundPerson } from '../../core/bounds.js';
import { clip, clipOptional, TEXT_LIMITS } from '../../core/sanitize.js';
import { arr, int, obj, person, priorityName, ref, str, time, uniquePeople } from './raw.js';

export const DEFAULT_ROLES: readonly OnCallRole[] = ['primary', 'secondary', 'manager'];

/** The role of an escalation level (1-based); levels past the list take its last role. */
export function roleForLevel(level: number, roles: readonly OnCallRole[] = DEFAULT_ROLES): OnCallRole {
  const list = roles.length > 0 ? roles : DEFAULT_ROLES;
  return list[Math.min(Math.max(1, level), list.length) - 1] ?? 'manager';
}

/** One PagerDuty on-call (GET /oncalls), normalised. */
export interface RawOnCall {
  readonly level: number;
  readonly person: Person;
  readonly start?: number;
  readonly end?: number;
  readonly schedule?: { id: string; name: string };
  readonly policyId?: string;
}

export function mapOnCall(value: unknown): RawOnCall | undefined {
  const r = obj(value);
  const found = person(r?.user);
  if (!r || !found) return undefined;
  const who = boundPerson(found);
  const level = int(r.escalation_level);
  const start = time(r.start);
  const end = time(r.end);
  const scheduleRef = ref(r.schedule);
  const schedule = scheduleRef && {
    id: clip(scheduleRef.id, TEXT_LIMITS.name),
    name: clip(scheduleRef.name, TEXT_LIMITS.name),
  };
  const policyId = clipOptional(str(obj(r.escalation_policy)?.id), TEXT_LIMITS.name);
  return {
    level: level !== undefined && level >= 1 ? level : 1,
    person: who,
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    ...(schedule ? { schedule } : {}),
    ...(policyId ? { policyId } : {}),
  };
}

export function mapOnCalls(values: readonly unknown[]): RawOnCall[] {
  return values.map(mapOnCall).filter((o): o is RawOnCall => o !== undefined);
}

/** Who is on call at `now`, one entry per level and person, by level then name. */
export function onCallEntries(
  onCalls: readonly RawOnCall[],
  now: number,
  roles?: readonly OnCallRole[],
): OnCallEntry[] {
  const seen = new Set<string>();
  const entries: OnCallEntry[] = [];
  for (const o of onCalls) {
    if ((o.start !== undefined && o.start > now) || (o.end !== undefined && o.end <= now)) continue;
    const key = `${o.level}/${o.person.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({
      level: o.level,
      role: roleForLevel(o.level, roles),
      person: o.person,
      ...(o.start !== undefined ? { start: o.start } : {}),
      ...(o.end !== undefined ? { end: o.end } : {}),
      ...(o.schedule ? { scheduleName: o.schedule.name } : {}),
    });
  }
  return entries.sort((a, b) => a.level - b.level || a.person.name.localeCompare(b.person.name));
}

/** Shifts overlapping [from, to); an open start or end (a permanent on-call) is clipped to the period. */
export function shifts(
  onCalls: readonly RawOnCall[],
  from: number,
  to: number,
  roles?: readonly OnCallRole[],
): Shift[] {
  const seen = new Set<string>();
  const out: Shift[] = [];
  for (const o of onCalls) {
    const start = o.start ?? from;
    const end = o.end ?? to;
    if (end <= from || start >= to || end <= start) continue;
    const role = roleForLevel(o.level, roles);
    const key = `${start}/${end}/${role}/${o.person.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ start, end, role, person: o.person });
  }
  return out.sort((a, b) => a.start - b.start || DEFAULT_ROLES.indexOf(a.role) - DEFAULT_ROLES.indexOf(b.role));
}

/** Schedule ids named as targets anywhere in these policies. */
export function scheduleTargets(policies: readonly unknown[]): string[] {
  const ids = new Set<string>();
  for (const p of policies)
    for (const rule of arr(obj(p)?.escalation_rules))
      for (const target of arr(obj(rule)?.targets)) {
        const t = obj(target);
        const id = str(t?.id);
        if (id && /^schedule/.test(str(t?.type) ?? '')) ids.add(id);
      }
  return [...ids];
}

/**
 * An escalation policy: rules in order become levels 1…n. User targets are people; a schedule target
 * resolves to whoever is on call for it now (from `onCallBySchedule`), and is left out when unknown.
 */
export function mapPolicy(
  value: unknown,
  onCallBySchedule: ReadonlyMap<string, readonly Person[]> = new Map(),
): EscalationPolicy | undefined {
  const r = obj(value);
  const id = str(r?.id);
  if (!r || !id) return undefined;
  const rules: EscalationRule[] = arr(r.escalation_rules).map((rule, index) => {
    const ru = obj(rule);
    const targets = arr(ru?.targets).flatMap((target): (Person | undefined)[] => {
      const type = str(obj(target)?.type) ?? '';
      if (type.startsWith('schedule')) return [...(onCallBySchedule.get(str(obj(target)?.id) ?? '') ?? [])];
      return type.startsWith('user') ? [person(target)] : [];
    });
    const delay = int(ru?.escalation_delay_in_minutes);
    return {
      level: index + 1,
      delayMinutes: delay !== undefined && delay >= 0 ? delay : 0,
      targets: uniquePeople(targets),
    };
  });
  return boundEscalationPolicy({ id, name: str(r.name) ?? str(r.summary) ?? id, rules });
}

/** A PagerDuty schedule (GET /schedules), for the on-call view. */
export interface PagerDutySchedule {
  readonly id: string;
  readonly name: string;
  readonly timeZone?: string;
  readonly description?: string;
  readonly users: readonly Person[];
  readonly escalationPolicies: readonly { id: string; name: string }[];
  readonly url?: string;
}

export function mapSchedule(value: unknown): PagerDutySchedule | undefined {
  const r = obj(value);
  const id = str(r?.id);
  if (!r || !id) return undefined;
  const timeZone = str(r.time_zone);
  const description = str(r.description);
  const url = str(r.html_url);
  return {
    id: clip(id, TEXT_LIMITS.name),
    name: clip(str(r.name) ?? str(r.summary) ?? id, TEXT_LIMITS.name),
    ...(timeZone ? { timeZone: clip(timeZone, TEXT_LIMITS.name) } : {}),
    ...(description ? { description: clip(description, TEXT_LIMITS.text) } : {}),
    users: uniquePeople(arr(r.users).map(person)).map(boundPerson),
    escalationPolicies: arr(r.escalation_policies)
      .map(ref)
      .filter((p): p is { id: string; name: string } => p !== undefined),
    ...(url ? { url } : {}),
  };
}

/** A PagerDuty priority (GET /priorities); `priority` is set when its name is one of the strategy's P1–P4. */
export interface PagerDutyPriority {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly priority?: PriorityName;
}

export function mapPriority(value: unknown): PagerDutyPriority | undefined {
  const r = obj(value);
  const id = str(r?.id);
  if (!r || !id) return undefined;
  const name = str(r.name) ?? str(r.summary) ?? id;
  const description = str(r.description);
  const priority = priorityName(name);
  return {
    id: clip(id, TEXT_LIMITS.name),
    name: clip(name, TEXT_LIMITS.name),
    ...(description ? { description: clip(description, TEXT_LIMITS.text) } : {}),
    ...(priority ? { priority } : {}),
  };
}
