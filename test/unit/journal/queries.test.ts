import path from 'node:path';
import envPaths from 'env-paths';
import { describe, expect, it } from 'vitest';
import { journalPath, type EventInput } from '../../../src/core/journal/index.js';
import { alice, bob, T0, tempJournal } from './helpers.js';

const MIN = 60_000;
const note = (incidentId: string | undefined, at: number, text: string): EventInput => ({
  kind: 'note',
  at,
  who: alice,
  ...(incidentId ? { incidentId } : {}),
  payload: { text },
});

describe('journal queries', () => {
  it('orders by time, then by sequence, whatever order events were recorded in', () => {
    const j = tempJournal();
    j.append(note('INC-1', T0 + 2 * MIN, 'b'));
    j.append(note('INC-1', T0, 'a')); // seen late
    j.append(note('INC-1', T0 + 2 * MIN, 'c')); // same millisecond as b, recorded after
    expect(j.query({ incidentId: 'INC-1' }).map((e) => (e.kind === 'note' ? e.payload.text : ''))).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('filters by incident, time range [since, until), kinds, afterSeq and limit', () => {
    const j = tempJournal();
    j.appendMany([
      note('INC-1', T0, 'one'),
      note('INC-2', T0 + MIN, 'two'),
      { kind: 'phase.entered', at: T0 + 2 * MIN, who: alice, incidentId: 'INC-1', payload: { phase: 'triage' } },
      {
        kind: 'alarm.transition',
        at: T0 + 3 * MIN,
        who: alice,
        payload: { alarmId: 'a', alarmName: 'api-cpu', from: 'OK', to: 'ALARM' },
      },
      note(undefined, T0 + 4 * MIN, 'shift note'),
      note('INC-1', T0 + 5 * MIN, 'five'),
    ]);
    const seqs = (q: Parameters<typeof j.query>[0]) => j.query(q).map((e) => e.seq);
    expect(seqs({ incidentId: 'INC-1' })).toEqual([1, 3, 6]);
    expect(seqs({ since: T0 + MIN, until: T0 + 4 * MIN })).toEqual([2, 3, 4]);
    expect(seqs({ kinds: ['note'] })).toEqual([1, 2, 5, 6]);
    expect(seqs({ kinds: ['phase.entered', 'alarm.transition'] })).toEqual([3, 4]);
    expect(seqs({ incidentId: 'INC-1', kinds: ['note'], since: T0 + MIN })).toEqual([6]);
    expect(seqs({ afterSeq: 4 })).toEqual([5, 6]);
    expect(seqs({ limit: 2 })).toEqual([1, 2]);
    expect(seqs({ incidentId: 'nope' })).toEqual([]);
  });

  it('upserts incidents by id, keeping what an update leaves out', () => {
    const j = tempJournal({ now: () => T0 + 99 });
    j.upsertIncident({
      id: 'P1X',
      title: 'DB connections',
      priority: 'P1',
      service: { id: 'S1', name: 'rds' },
      status: 'triggered',
      source: 'pagerduty',
      createdAt: T0,
    });
    const updated = j.upsertIncident({
      id: 'P1X',
      title: 'DB connections exhausted',
      status: 'acknowledged',
      source: 'pagerduty',
      createdAt: T0 + 5,
      acknowledgedAt: T0 + MIN,
    });
    expect(updated).toEqual({
      id: 'P1X',
      title: 'DB connections exhausted',
      priority: 'P1',
      service: { id: 'S1', name: 'rds' },
      status: 'acknowledged',
      source: 'pagerduty',
      createdAt: T0,
      acknowledgedAt: T0 + MIN,
      updatedAt: T0 + 99,
      run: '',
      alarmNames: [],
    });
    j.upsertIncident({
      id: 'SBX-1',
      title: 'drill',
      status: 'resolved',
      source: 'sandbox',
      createdAt: T0 + 10 * MIN,
      resolvedAt: T0 + 20 * MIN,
    });
    expect(j.incidents().map((i) => i.id)).toEqual(['SBX-1', 'P1X']);
    expect(j.incidents({ status: 'acknowledged' }).map((i) => i.id)).toEqual(['P1X']);
    expect(j.incidents({ status: ['acknowledged', 'resolved'], source: 'sandbox' }).map((i) => i.id)).toEqual([
      'SBX-1',
    ]);
    expect(j.incidents({ since: T0 + MIN }).map((i) => i.id)).toEqual(['SBX-1']);
    expect(() =>
      j.upsertIncident({ id: 'X', title: ' ', status: 'triggered', source: 'local', createdAt: T0 }),
    ).toThrow('incident rejected: title: an incident needs a title');
    expect(() =>
      j.upsertIncident({ id: 'X', title: 't', status: 'triggered', source: 'jira' as 'local', createdAt: T0 }),
    ).toThrow(/^incident rejected: source: /);
  });

  it('keeps the incident row in step with incident events', () => {
    const j = tempJournal();
    j.append({
      kind: 'incident.created',
      at: T0,
      who: alice,
      incidentId: 'L-1',
      payload: { title: 'checkout slow', priority: 'P3', source: 'local' },
    });
    expect(j.incident('L-1')).toMatchObject({
      title: 'checkout slow',
      status: 'triggered',
      source: 'local',
      createdAt: T0,
    });
    j.append({ kind: 'incident.acknowledged', at: T0 + MIN, who: alice, incidentId: 'L-1', payload: {} });
    expect(j.incident('L-1')).toMatchObject({ status: 'acknowledged', acknowledgedAt: T0 + MIN });
    j.append({ kind: 'incident.resolved', at: T0 + 2 * MIN, who: alice, incidentId: 'L-1', payload: {} });
    j.append({ kind: 'incident.acknowledged', at: T0 + 3 * MIN, who: bob, incidentId: 'L-1', payload: {} });
    expect(j.incident('L-1')).toMatchObject({
      status: 'resolved',
      acknowledgedAt: T0 + MIN,
      resolvedAt: T0 + 2 * MIN,
      updatedAt: T0 + 3 * MIN,
    });
  });

  it('tracks follow-ups with owners, open and closed', () => {
    const j = tempJournal();
    const a = j.addFollowUp({
      incidentId: 'INC-1',
      text: 'Raise autoscaling max to 10',
      owner: 'alice',
      who: alice,
      at: T0,
    });
    const b = j.addFollowUp({
      incidentId: 'INC-1',
      text: 'Alarm on RDS connections at 70 %',
      owner: 'dba team',
      who: alice,
      at: T0 + 1,
      dueAt: T0 + 7 * 86_400_000,
    });
    j.addFollowUp({ text: 'Update the runbook', owner: 'alice', who: bob, at: T0 + 2 });
    expect(a).toEqual({
      id: a.id,
      incidentId: 'INC-1',
      text: 'Raise autoscaling max to 10',
      owner: 'alice',
      createdAt: T0,
      createdBy: alice,
      status: 'open',
    });
    expect(j.followUps({ owner: 'alice' }).map((f) => f.text)).toEqual([
      'Raise autoscaling max to 10',
      'Update the runbook',
    ]);
    const closed = j.closeFollowUp(b.id, { who: bob, resolution: 'alarm added', at: T0 + MIN });
    expect(closed).toMatchObject({
      status: 'closed',
      closedAt: T0 + MIN,
      closedBy: bob,
      resolution: 'alarm added',
      dueAt: T0 + 7 * 86_400_000,
    });
    expect(j.followUps().map((f) => f.id)).toEqual([a.id, a.id + 2]);
    expect(j.followUps({ status: 'closed' }).map((f) => f.id)).toEqual([b.id]);
    expect(j.followUps({ status: 'all', incidentId: 'INC-1' }).map((f) => f.id)).toEqual([a.id, b.id]);
    expect(() => j.closeFollowUp(b.id, { who: bob })).toThrow(
      `event rejected: payload.followUpId: follow-up ${b.id} is already closed`,
    );
    // The follow-up's events are on the incident's timeline.
    expect(j.query({ incidentId: 'INC-1', kinds: ['followup.added', 'followup.closed'] }).map((e) => e.kind)).toEqual([
      'followup.added',
      'followup.added',
      'followup.closed',
    ]);
  });

  it('records handoff notes and their acknowledgement', () => {
    const j = tempJournal();
    const h = j.addHandoff({
      text: 'INC-1 mitigated; watch api CPU overnight',
      who: alice,
      to: bob,
      incidentIds: ['INC-1'],
      at: T0,
    });
    expect(h).toEqual({
      id: h.id,
      at: T0,
      from: alice,
      to: bob,
      text: 'INC-1 mitigated; watch api CPU overnight',
      incidentIds: ['INC-1'],
    });
    const later = j.addHandoff({ text: 'quiet week', who: bob, at: T0 + 7 * 86_400_000 });
    expect(j.handoffs({ unacknowledged: true }).map((x) => x.id)).toEqual([h.id, later.id]);
    const acked = j.acknowledgeHandoff(h.id, { who: bob, text: 'on it', at: T0 + MIN });
    expect(acked.acknowledged).toEqual({ at: T0 + MIN, by: bob, text: 'on it' });
    expect(j.handoffs({ unacknowledged: true }).map((x) => x.id)).toEqual([later.id]);
    expect(j.handoffs({ since: T0 + MIN }).map((x) => x.id)).toEqual([later.id]);
    expect(() => j.acknowledgeHandoff(h.id, { who: bob })).toThrow(
      `event rejected: payload.handoffId: handoff note ${h.id} is already acknowledged`,
    );
    expect(j.query({ kinds: ['handoff.note', 'handoff.acknowledged'] }).length).toBe(3);
  });
});

describe('journal paths', () => {
  it('puts the live and the sandbox journal in separate files of the data directory', () => {
    const dir = path.resolve('/tmp/vo-data');
    expect(journalPath({ VITASCOPE_ONCALL_DATA_DIR: dir }, 'live')).toBe(path.join(dir, 'journal.db'));
    expect(journalPath({ VITASCOPE_ONCALL_DATA_DIR: dir }, 'sandbox')).toBe(path.join(dir, 'journal-sandbox.db'));
    const platform = envPaths('vitascope-oncall', { suffix: '' }).data;
    expect(journalPath({}, 'live')).toBe(path.join(platform, 'journal.db'));
    expect(journalPath({ VITASCOPE_ONCALL_DATA_DIR: '' }, 'sandbox')).toBe(path.join(platform, 'journal-sandbox.db'));
  });
});
