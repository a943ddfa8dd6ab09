/**
 * On-call: who is on call now, shifts, escalation policies with schedule targets resolved, schedules and
 * priorities, against the spec's examples as Prism serves them.
 */
import { expect, it } from 'vitest';
import { expectValid, type PagerDutyTestEnv } from '../../harness/pagerdutyPrism.js';

const T = (iso: string) => Date.parse(iso);

export function onCallCases(env: () => PagerDutyTestEnv): void {
  const valid = <R>(fn: () => Promise<R>) => expectValid(env(), fn);

  it('says who is on call, by level and role, for the configured escalation policy', async () => {
    const pd = env().sources({ now: () => T('2015-03-07T00:00:00Z') });
    const { result, calls } = await valid(() => pd.onCall.onCallNow());
    expect(calls[0]!.query.getAll('escalation_policy_ids[]')).toEqual(['PT20YPA']);
    expect(calls[0]!.query.get('earliest')).toBe('true');
    expect(result).toEqual([
      {
        level: 2,
        role: 'secondary',
        person: { id: 'PT23IWX', name: 'Tim Wright' },
        start: T('2015-03-06T15:28:51-05:00'),
        end: T('2015-03-07T15:28:51-05:00'),
        scheduleName: 'Daily Engineering Rotation',
      },
    ]);
    // The example's on-call ended in 2015: at the wall clock nobody from it is on call.
    expect(await env().sources().onCall.onCallNow()).toEqual([]);
  });

  it('gives the shifts of a period', async () => {
    const pd = env().sources();
    const from = T('2015-03-01T00:00:00Z');
    const to = T('2015-03-08T00:00:00Z');
    const { result, calls } = await valid(() => pd.onCall.rotation(from, to));
    expect(calls[0]!.query.get('since')).toBe('2015-03-01T00:00:00.000Z');
    expect(calls[0]!.query.get('until')).toBe('2015-03-08T00:00:00.000Z');
    expect(result).toEqual([
      {
        start: T('2015-03-06T20:28:51Z'),
        end: T('2015-03-07T20:28:51Z'),
        role: 'secondary',
        person: { id: 'PT23IWX', name: 'Tim Wright' },
      },
    ]);
  });

  it('reads escalation policies and resolves schedule targets to whoever is on call', async () => {
    const one = await valid(() => env().sources().onCall.escalationPolicies());
    expect(one.calls.map((c) => c.path)).toEqual(['/escalation_policies/PT20YPA', '/oncalls']);
    expect(one.calls[1]!.query.getAll('schedule_ids[]')).toEqual(['PI7DH85']);
    expect(one.result).toEqual([
      {
        id: 'PT20YPA',
        name: 'Another Escalation Policy',
        rules: [
          {
            level: 1,
            delayMinutes: 30,
            targets: [
              { id: 'PAM4FGS', name: 'Kyler Kuhn' },
              { id: 'PT23IWX', name: 'Tim Wright' },
            ],
          },
        ],
      },
    ]);
    const all = await valid(() => env().sources({ escalationPolicyId: undefined }).onCall.escalationPolicies());
    expect(all.calls[0]!.path).toBe('/escalation_policies');
    expect(all.result.map((p) => p.id)).toEqual(['PANZZEQ']);
  });

  it('lists schedules and priorities (extras beyond the ports)', async () => {
    const pd = env().sources();
    const schedules = await valid(() => pd.schedules());
    expect(schedules.result).toEqual([
      {
        id: 'PI7DH85',
        name: 'Daily Engineering Rotation',
        timeZone: 'America/New_York',
        description: 'Rotation schedule for engineering',
        users: [{ id: 'PEYSGVF', name: 'PagerDuty Admin' }],
        escalationPolicies: [{ id: 'PT20YPA', name: 'Another Escalation Policy' }],
        url: 'https://subdomain.pagerduty.com/schedules/PI7DH85',
      },
    ]);
    const priorities = await valid(() => pd.priorities());
    expect(priorities.result.map((p) => [p.name, p.priority])).toEqual([
      ['P1', 'P1'],
      ['P2', 'P2'],
      ['P3', 'P3'],
      ['P4', 'P4'],
      ['P5', undefined],
    ]);
  });
}
