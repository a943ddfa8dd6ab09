import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { nextEscalation } from '../../../src/core/policy/escalation.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { attackerAddress } from '../../../src/sources/sandbox/scenarios.js';

const MIN = 60_000;
const me = { id: 'local', name: 'Test Responder' };
const open = (scenario: string) =>
  createSandbox({ seed: 1, scenario, speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: me, frozen: true });

describe('PagerDuty as the sandbox plays it', () => {
  it('opens one P1 incident for the database alarm, assigned to the primary on call', async () => {
    const sb = open('db-connections');
    sb.advance(30 * MIN);
    const [incident, ...rest] = await sb.incidents!.listIncidents();
    expect(rest).toEqual([]);
    expect(incident!.priority).toBe('P1');
    expect(incident!.urgency).toBe('high');
    expect(incident!.status).toBe('triggered');
    expect(incident!.alarmNames).toEqual(['vitascope-db-connections-warning']);
    const primary = (await sb.onCall!.onCallNow()).find((o) => o.role === 'primary')!;
    expect(incident!.assignees.map((p) => p.name)).toEqual([primary.person.name]);
  });

  it('escalates an unacknowledged incident every 30 minutes: secondary, then the manager', async () => {
    const sb = open('db-connections');
    sb.advance(30 * MIN);
    const created = (await sb.incidents!.listIncidents())[0]!;
    const next = nextEscalation(created, DEFAULT_POLICY.escalation)!;
    expect(next.at - created.createdAt).toBe(30 * MIN);
    expect(next.toRole).toBe('secondary');
    const onCall = await sb.onCall!.onCallNow();
    const who = (role: string) => onCall.find((o) => o.role === role)!.person.name;

    sb.advance(next.at - sb.now() - 1);
    expect((await sb.incidents!.getIncident(created.id))!.escalationLevel).toBe(1);
    sb.advance(1);
    const second = (await sb.incidents!.getIncident(created.id))!;
    expect(second.escalationLevel).toBe(2);
    expect(second.assignees.map((p) => p.name)).toEqual([who('secondary')]);
    sb.advance(30 * MIN);
    const third = (await sb.incidents!.getIncident(created.id))!;
    expect(third.escalationLevel).toBe(3);
    expect(third.assignees.map((p) => p.name)).toEqual([who('manager')]);
    expect(nextEscalation(third, DEFAULT_POLICY.escalation)).toBeUndefined();
    const log = await sb.incidents!.timeline(created.id);
    expect(log.filter((e) => e.kind === 'incident.escalated')).toHaveLength(2);
  });

  it('stops escalating once acknowledged, and resolves by itself when its alarms are OK again', async () => {
    const sb = open('auth-bruteforce');
    sb.advance(6 * MIN);
    const incident = (await sb.incidents!.listIncidents())[0]!;
    await sb.incidentActions!.acknowledge(incident.id);
    sb.advance(61 * MIN);
    const acked = (await sb.incidents!.getIncident(incident.id))!;
    expect(acked.status).toBe('acknowledged');
    expect(acked.escalationLevel).toBe(1);
    await sb.addressBlocker!.blockAddress(attackerAddress(1), 'test');
    sb.advance(3 * MIN);
    const done = (await sb.incidents!.getIncident(incident.id))!;
    expect(done.status).toBe('resolved');
    const kinds = (await sb.incidents!.timeline(incident.id)).map((e) => e.kind);
    expect(kinds).toEqual([
      'incident.triggered',
      'incident.reassigned',
      'incident.acknowledged',
      'alarm',
      'incident.resolved',
    ]);
  });

  it('groups alarms on the same service into one incident and raises its priority', async () => {
    const sb = open('api-cpu-spike');
    sb.advance(12 * MIN);
    const api = (await sb.incidents!.listIncidents()).filter((i) => i.service.name === 'Vitascope API');
    expect(api).toHaveLength(1);
    expect(api[0]!.priority).toBe('P2');
    expect(api[0]!.alarmNames).toEqual(
      expect.arrayContaining(['vitascope-api-high-cpu-critical', 'vitascope-api-high-cpu-warning']),
    );
    expect(api[0]!.title).toMatch(/^ALARM: vitascope-api-high-cpu-critical — CPU utilisation .* ≥ 90 %/);
  });

  it('takes notes, reassignment and a manual escalation into the timeline; refuses an empty note', async () => {
    const sb = open('latency-regression');
    sb.advance(14 * MIN);
    const incident = (await sb.incidents!.listIncidents())[0]!;
    await sb.incidentActions!.addNote(incident.id, 'Rolling back vitascope-api:42');
    await expect(sb.incidentActions!.addNote(incident.id, '   ')).rejects.toThrow(/needs some text/);
    await sb.incidentActions!.reassign(incident.id, [{ id: 'PUMAYA', name: 'Maya Chen' }]);
    await sb.incidentActions!.escalate(incident.id, 3);
    const after = (await sb.incidents!.getIncident(incident.id))!;
    expect(after.escalationLevel).toBe(3);
    const log = await sb.incidents!.timeline(incident.id);
    expect(log.find((e) => e.kind === 'note')).toMatchObject({
      summary: 'Rolling back vitascope-api:42',
      who: 'Test Responder',
    });
    expect(log.map((e) => e.at)).toEqual([...log.map((e) => e.at)].sort((a, b) => a - b));
  });

  it('an alarm whose actions are disabled changes state but pages nobody', async () => {
    const sb = open('auth-bruteforce');
    await sb.alarmActions!.setActionsEnabled(['vitascope-api-auth-failures-warning'], false);
    sb.advance(10 * MIN);
    const alarm = (await sb.alarms!.listAlarms()).find((a) => a.name === 'vitascope-api-auth-failures-warning')!;
    expect(alarm).toMatchObject({ state: 'ALARM', actionsEnabled: false });
    expect(await sb.incidents!.listIncidents()).toEqual([]);
  });

  it("an Alertmanager silence does not stop a CloudWatch alarm's page (it would not in production)", async () => {
    const sb = open('auth-bruteforce');
    await sb.silences!.createSilence({
      matchers: [{ name: 'alertname', value: 'vitascope-api-auth-failures-warning', isRegex: false }],
      startsAt: sb.now(),
      endsAt: sb.now() + 60 * MIN,
      createdBy: 'test',
      comment: 'pen test in progress',
    });
    sb.advance(10 * MIN);
    expect((await sb.incidents!.listIncidents()).map((i) => i.alarmNames)).toEqual([
      ['vitascope-api-auth-failures-warning'],
    ]);
  });

  it('hands the rotation over weekly: this week’s secondary is next week’s primary', async () => {
    const sb = open('calm');
    const now = sb.now();
    const shifts = await sb.onCall!.rotation(now, now + 14 * 24 * 60 * MIN);
    const primaries = shifts.filter((s) => s.role === 'primary');
    const secondaries = shifts.filter((s) => s.role === 'secondary');
    expect(primaries).toHaveLength(2);
    expect(primaries[1]!.person).toEqual(secondaries[0]!.person);
    expect(primaries[1]!.start - primaries[0]!.start).toBe(7 * 24 * 60 * MIN);
  });
});
