import type { EscalationPolicy, OnCallEntry, OnCallRole, Person, Shift } from '../../core/model.js';
import type { EscalationLevelDef } from '../../core/policy/types.js';
import { ESCALATION_POLICY, MANAGER, ROTATION, ROTATION_EPOCH, WEEK } from './topology.js';

/** Weeks since the rotation began; this week's secondary is next week's primary. */
function weekIndex(t: number): number {
  return Math.floor((t - ROTATION_EPOCH) / WEEK);
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

export function personFor(role: OnCallRole, t: number): Person {
  if (role === 'manager') return MANAGER;
  const w = weekIndex(t);
  return ROTATION[mod(role === 'primary' ? w : w + 1, ROTATION.length)]!;
}

export function onCallAt(t: number, escalation: readonly EscalationLevelDef[]): OnCallEntry[] {
  const w = weekIndex(t);
  const start = ROTATION_EPOCH + w * WEEK;
  return escalation.map((e) => ({
    level: e.level,
    role: e.role,
    person: personFor(e.role, t),
    start: e.role === 'manager' ? undefined : start,
    end: e.role === 'manager' ? undefined : start + WEEK,
    scheduleName: e.role === 'manager' ? undefined : `Vitascope ${e.role}`,
  }));
}

export function shiftsBetween(from: number, to: number): Shift[] {
  const out: Shift[] = [];
  for (let w = weekIndex(from); ROTATION_EPOCH + w * WEEK < to; w++) {
    const start = ROTATION_EPOCH + w * WEEK;
    const mid = start + 1;
    out.push({ start, end: start + WEEK, role: 'primary', person: personFor('primary', mid) });
    out.push({ start, end: start + WEEK, role: 'secondary', person: personFor('secondary', mid) });
  }
  return out;
}

export function escalationPolicy(t: number, escalation: readonly EscalationLevelDef[]): EscalationPolicy {
  return {
    id: ESCALATION_POLICY.id,
    name: ESCALATION_POLICY.name,
    rules: escalation.map((e) => ({ level: e.level, delayMinutes: e.delayMinutes, targets: [personFor(e.role, t)] })),
  };
}
