import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { reduceIncidentState, type EventInput, type Journal } from '../../../src/core/journal/index.js';
import { alice, bob, T0, tempDir, tempJournal } from './helpers.js';

const I = 'INC-7';
const act = { actionId: 'rds.reboot', target: 'vitascope-prod-db' };
const ev = (e: Omit<EventInput, 'who' | 'incidentId'> & { who?: EventInput['who'] }): EventInput =>
  ({ who: alice, incidentId: I, ...e }) as EventInput;

function lastSnapshot(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT head_seq FROM incident_snapshots WHERE incident_id = ?').pluck().get(I);
  } finally {
    db.close();
  }
}

function room(j: Journal) {
  j.upsertIncident({
    id: I,
    title: 'DB connections exhausted',
    priority: 'P1',
    status: 'triggered',
    source: 'sandbox',
    createdAt: T0,
  });
  j.appendMany([
    ev({ kind: 'incident.acknowledged', at: T0 + 1, payload: {} }),
    ev({ kind: 'phase.entered', at: T0 + 2, payload: { phase: 'triage' } }),
    ev({ kind: 'phase.entered', at: T0 + 3, payload: { phase: 'investigate', from: 'triage' } }),
    ev({
      kind: 'step.started',
      at: T0 + 4,
      payload: { runbookId: 'db', stepId: 'connections', title: 'Check connections' },
    }),
    ev({ kind: 'step.done', at: T0 + 5, payload: { runbookId: 'db', stepId: 'connections', output: '498/500' } }),
    ev({ kind: 'step.skipped', at: T0 + 6, payload: { runbookId: 'db', stepId: 'slow-queries', reason: 'no time' } }),
    ev({ kind: 'note', at: T0 + 7, payload: { text: 'pool leak in worker since deploy 41' } }),
    ev({ kind: 'phase.entered', at: T0 + 8, payload: { phase: 'resolve', from: 'investigate' } }),
    ev({
      kind: 'action.planned',
      at: T0 + 9,
      payload: {
        ...act,
        runId: 'r1',
        params: { database: 'vitascope-prod-db' },
        plan: { summary: 'reboot, ~60 s outage' },
      },
    }),
    ev({ kind: 'action.confirmed', at: T0 + 10, payload: { ...act, runId: 'r1', typedTarget: true } }),
    ev({ kind: 'action.applied', at: T0 + 11, payload: { ...act, runId: 'r1', output: 'rebooting' } }),
    ev({
      kind: 'action.planned',
      at: T0 + 12,
      payload: {
        actionId: 'ecs.force-new-deployment',
        target: 'worker',
        runId: 'r2',
        plan: { summary: 'replace 2 tasks' },
      },
    }),
    ev({
      kind: 'action.failed',
      at: T0 + 13,
      who: bob,
      payload: {
        actionId: 'ecs.force-new-deployment',
        target: 'worker',
        runId: 'r2',
        stage: 'apply',
        error: 'AccessDenied',
      },
    }),
    ev({ kind: 'followup.added', at: T0 + 14, payload: { text: 'fix the pool leak', owner: 'worker team' } }),
    ev({
      kind: 'alarm.transition',
      at: T0 + 15,
      payload: { alarmId: 'db', alarmName: 'db-connections', from: 'ALARM', to: 'OK' },
    }),
  ]);
}

describe('incident state (resume)', () => {
  it('rebuilds the room: phase, steps, actions and their status, notes, follow-ups', () => {
    const j = tempJournal();
    room(j);
    const s = j.incidentState(I);
    expect(s).toMatchObject({
      incidentId: I,
      title: 'DB connections exhausted',
      status: 'acknowledged',
      phase: 'resolve',
      phaseEnteredAt: T0 + 8,
      eventCount: 15,
      lastSeq: 15,
      lastAt: T0 + 15,
      unknownEvents: 0,
    });
    expect(s.phases.map((p) => p.phase)).toEqual(['triage', 'investigate', 'resolve']);
    expect(s.steps).toEqual([
      {
        runbookId: 'db',
        stepId: 'connections',
        title: 'Check connections',
        status: 'done',
        startedAt: T0 + 4,
        finishedAt: T0 + 5,
        who: alice,
        output: '498/500',
      },
      { runbookId: 'db', stepId: 'slow-queries', status: 'skipped', finishedAt: T0 + 6, who: alice, reason: 'no time' },
    ]);
    expect(s.actions.map((a) => [a.runId, a.status])).toEqual([
      ['r1', 'applied'],
      ['r2', 'failed'],
    ]);
    expect(s.actions[0]).toMatchObject({
      plan: { summary: 'reboot, ~60 s outage' },
      output: 'rebooting',
      params: { database: 'vitascope-prod-db' },
    });
    expect(s.actions[0]!.history.map((h) => h.status)).toEqual(['planned', 'confirmed', 'applied']);
    expect(s.actions[1]).toMatchObject({ error: 'AccessDenied', failedStage: 'apply' });
    expect(s.notes.map((n) => n.text)).toEqual(['pool leak in worker since deploy 41']);
    expect(s.followUps).toEqual([{ id: 14, text: 'fix the pool leak', owner: 'worker team', open: true }]);
    j.closeFollowUp(14, { who: alice, at: T0 + 20 });
    expect(j.incidentState(I).followUps[0]!.open).toBe(false);
    expect(j.incidentState('nothing-here')).toMatchObject({ eventCount: 0, steps: [], actions: [], notes: [] });
  });

  it('folds onto an earlier state to the same result as one fold', () => {
    const j = tempJournal();
    room(j);
    const events = j.query({ incidentId: I });
    const whole = reduceIncidentState(I, events);
    const halves = reduceIncidentState(I, events.slice(7), reduceIncidentState(I, events.slice(0, 7)));
    expect(JSON.parse(JSON.stringify(halves))).toEqual(JSON.parse(JSON.stringify(whole)));
  });

  it('resumes from a snapshot plus the newer events, to the same state as a full rebuild', () => {
    const file = path.join(tempDir(), 'journal.db');
    const j = tempJournal({ resume: { snapshotAfter: 5, refreshEvery: 1_000_000, lagMs: 0 } }, file);
    room(j);
    const first = j.incidentState(I); // 15 events ≥ 5: writes a snapshot
    expect(lastSnapshot(file)).toBe(15);
    j.append(ev({ kind: 'step.done', at: T0 + 30, payload: { runbookId: 'db', stepId: 'slow-queries' } }));
    j.append(ev({ kind: 'phase.entered', at: T0 + 31, payload: { phase: 'postmortem' } }));
    const resumed = j.incidentState(I);
    expect(resumed).toEqual(j.incidentState(I, { rebuild: true }));
    expect(resumed).toMatchObject({ phase: 'postmortem', eventCount: 17 });
    expect(resumed.steps[1]!.status).toBe('done');
    expect(first.phase).toBe('resolve');
  });

  it('ignores the snapshot when an older event arrives late, so time order still holds', () => {
    const j = tempJournal({ resume: { snapshotAfter: 5, refreshEvery: 1_000_000, lagMs: 0 } });
    room(j);
    j.incidentState(I); // snapshot at phase resolve, last at T0 + 15
    // Recorded late: a phase change from T0 + 2, after the snapshot and after a newer one.
    j.append(ev({ kind: 'phase.entered', at: T0 + 20, payload: { phase: 'postmortem' } }));
    j.append(ev({ kind: 'phase.entered', at: T0 + 2, payload: { phase: 'detect' } }));
    const s = j.incidentState(I);
    expect(s.phase).toBe('postmortem');
    expect(s.phases.map((p) => p.phase)).toEqual(['triage', 'detect', 'investigate', 'resolve', 'postmortem']);
    expect(s).toEqual(j.incidentState(I, { rebuild: true }));
  });

  it('folds events recorded late but within the lag onto the snapshot, in time order', () => {
    const file = path.join(tempDir(), 'journal.db');
    const j = tempJournal({ resume: { snapshotAfter: 5, refreshEvery: 1_000_000, lagMs: 5 } }, file);
    room(j); // events at T0 + 1 … T0 + 15: the snapshot holds those at or before T0 + 10
    j.incidentState(I);
    const db = new Database(file);
    expect(db.prepare('SELECT watermark, head_seq, event_count FROM incident_snapshots').get()).toEqual({
      watermark: T0 + 10,
      head_seq: 15,
      event_count: 10,
    });
    // Mark the snapshot so that its use shows in the result.
    db.prepare(`UPDATE incident_snapshots SET state = json_set(state, '$.title', 'from the snapshot')`).run();
    db.close();
    j.append(ev({ kind: 'phase.entered', at: T0 + 12, payload: { phase: 'postmortem' } })); // late, but after the watermark
    const s = j.incidentState(I);
    expect(s.title).toBe('from the snapshot');
    expect(s.phases.map((p) => [p.phase, p.at])).toEqual([
      ['triage', T0 + 2],
      ['investigate', T0 + 3],
      ['resolve', T0 + 8],
      ['postmortem', T0 + 12],
    ]);
    expect({ ...s, title: 'x' }).toEqual({ ...j.incidentState(I, { rebuild: true }), title: 'x' });
  });

  it('ignores a snapshot of another reducer version', () => {
    const file = path.join(tempDir(), 'journal.db');
    const j = tempJournal({ resume: { snapshotAfter: 5, refreshEvery: 1_000_000, lagMs: 0 } }, file);
    room(j);
    j.incidentState(I);
    const db = new Database(file);
    db.prepare(`UPDATE incident_snapshots SET reducer_version = 999, state = '{"garbage":true}'`).run();
    db.close();
    expect(j.incidentState(I)).toEqual(j.incidentState(I, { rebuild: true }));
  });

  it('refreshes the snapshot off the append path after many appends', async () => {
    const file = path.join(tempDir(), 'journal.db');
    const j = tempJournal({ resume: { snapshotAfter: 10, refreshEvery: 10, lagMs: 0 } }, file);
    room(j); // 15 events of one incident: a refresh is scheduled, not run inside append
    expect(lastSnapshot(file)).toBeUndefined();
    await new Promise((r) => setImmediate(r));
    expect(lastSnapshot(file)).toBe(15);
  });
});
