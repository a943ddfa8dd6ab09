/**
 * On-call on PagerDuty: who is on call now (GET /oncalls, earliest), the shifts of a period, the
 * escalation policies with schedule targets resolved to people, and — beyond the OnCallSource port —
 * schedules and priorities. Scoped to the configured escalation policy when there is one.
 */
import type { EscalationPolicy, OnCallEntry, OnCallRole, Person, Shift } from '../../core/model.js';
import type { OnCallSource } from '../ports.js';
import type { PagerDutyClient, Query } from './client.js';
import { obj, iso } from './raw.js';
import {
  mapOnCalls,
  mapPolicy,
  mapPriority,
  mapSchedule,
  onCallEntries,
  scheduleTargets,
  shifts,
  type PagerDutyPriority,
  type PagerDutySchedule,
} from './onCallMap.js';

export interface OnCallOptions {
  readonly escalationPolicyId?: string;
  /** Roles by escalation level (index 0 is level 1). */
  readonly roles?: readonly OnCallRole[];
  readonly now?: () => number;
}

function defined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

export class PagerDutyOnCall implements OnCallSource {
  constructor(
    private readonly client: PagerDutyClient,
    private readonly options: OnCallOptions = {},
  ) {}

  private policyQuery(): Query {
    const id = this.options.escalationPolicyId;
    return id ? { 'escalation_policy_ids[]': [id] } : {};
  }

  async onCallNow(signal?: AbortSignal): Promise<OnCallEntry[]> {
    const raw = await this.client.getAll('/oncalls', 'oncalls', { ...this.policyQuery(), earliest: 'true' }, signal);
    return onCallEntries(mapOnCalls(raw), (this.options.now ?? Date.now)(), this.options.roles);
  }

  async rotation(from: number, to: number): Promise<Shift[]> {
    if (!(to > from)) return [];
    const raw = await this.client.getAll('/oncalls', 'oncalls', { ...this.policyQuery(), since: iso(from), until: iso(to) });
    return shifts(mapOnCalls(raw), from, to, this.options.roles);
  }

  async escalationPolicies(): Promise<EscalationPolicy[]> {
    const id = this.options.escalationPolicyId;
    const raw = id
      ? [obj(await this.client.get(`/escalation_policies/${encodeURIComponent(id)}`))?.escalation_policy]
      : await this.client.getAll('/escalation_policies', 'escalation_policies');
    const schedules = scheduleTargets(raw);
    const bySchedule = new Map<string, Person[]>();
    if (schedules.length > 0) {
      const onCalls = await this.client.getAll('/oncalls', 'oncalls', { 'schedule_ids[]': schedules, earliest: 'true' });
      for (const o of mapOnCalls(onCalls)) {
        if (!o.schedule) continue;
        const people = bySchedule.get(o.schedule.id) ?? [];
        people.push(o.person);
        bySchedule.set(o.schedule.id, people);
      }
    }
    return raw.map((p) => mapPolicy(p, bySchedule)).filter(defined);
  }

  async schedules(signal?: AbortSignal): Promise<PagerDutySchedule[]> {
    return (await this.client.getAll('/schedules', 'schedules', {}, signal)).map(mapSchedule).filter(defined);
  }

  async priorities(signal?: AbortSignal): Promise<PagerDutyPriority[]> {
    return (await this.client.getAll('/priorities', 'priorities', {}, signal)).map(mapPriority).filter(defined);
  }
}
