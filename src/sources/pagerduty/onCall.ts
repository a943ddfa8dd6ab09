/**
 * On-call on PagerDuty: who is on call now (GET /oncalls, earliest), the shifts of a period, the
 * escalation policies with schedule targets resolved to people, and — beyond the OnCallSource port —
 * schedules and priorities. Scoped to the configured escalation policy when there is one.
 */
import type { EscalationPolicy, OnCallEntry, OnCallRole, Person, Shift } from '../../core/model.js';
import type { OnCallSource } from '../ports.js';
import type { PagerDutyClient, Query } from './client.js';
import * as z from 'zod';
import { iso } from './raw.js';
import {
  checked,
  checkedItems,
  escalationPolicySchema,
  onCallSchema,
  prioritySchema,
  scheduleSchema,
} from './schemas.js';
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

const ONE_POLICY = z.looseObject({ escalation_policy: escalationPolicySchema });

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
    const raw = await this.onCalls({ ...this.policyQuery(), earliest: 'true' }, signal);
    return onCallEntries(mapOnCalls(raw), (this.options.now ?? Date.now)(), this.options.roles);
  }

  async rotation(from: number, to: number): Promise<Shift[]> {
    if (!(to > from)) return [];
    const raw = await this.onCalls({ ...this.policyQuery(), since: iso(from), until: iso(to) });
    return shifts(mapOnCalls(raw), from, to, this.options.roles);
  }

  async escalationPolicies(): Promise<EscalationPolicy[]> {
    const id = this.options.escalationPolicyId;
    const path = id ? `/escalation_policies/${encodeURIComponent(id)}` : '/escalation_policies';
    const raw = id
      ? [checked(`PagerDuty GET ${path}`, ONE_POLICY, await this.client.get(path)).escalation_policy]
      : checkedItems(
          `PagerDuty GET ${path}`,
          'escalation_policies',
          escalationPolicySchema,
          await this.client.getAll(path, 'escalation_policies'),
        );
    const schedules = scheduleTargets(raw);
    const bySchedule = new Map<string, Person[]>();
    if (schedules.length > 0) {
      const onCalls = await this.onCalls({ 'schedule_ids[]': schedules, earliest: 'true' });
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
    const items = await this.client.getAll('/schedules', 'schedules', {}, signal);
    return checkedItems('PagerDuty GET /schedules', 'schedules', scheduleSchema, items)
      .map(mapSchedule)
      .filter(defined);
  }

  async priorities(signal?: AbortSignal): Promise<PagerDutyPriority[]> {
    const items = await this.client.getAll('/priorities', 'priorities', {}, signal);
    return checkedItems('PagerDuty GET /priorities', 'priorities', prioritySchema, items)
      .map(mapPriority)
      .filter(defined);
  }

  /** GET /oncalls, every page, each on-call checked (its user and escalation level are required). */
  private async onCalls(query: Query, signal?: AbortSignal): Promise<unknown[]> {
    return checkedItems(
      'PagerDuty GET /oncalls',
      'oncalls',
      onCallSchema,
      await this.client.getAll('/oncalls', 'oncalls', query, signal),
    );
  }
}
