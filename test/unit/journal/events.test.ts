import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  EVENT_KINDS,
  JournalError,
  MAX_TEXT,
  type EventInput,
  type EventKind,
} from '../../../src/core/journal/index.js';
import { alice, bob, reopen, T0, tempDir, tempJournal } from './helpers.js';

const action = {
  runId: 'run-1',
  actionId: 'autoscaling.set-limits',
  target: 'api',
  params: { service: 'api', min: 4, max: 8 },
};

/** One event of every kind; a new kind without a sample here fails to compile. */
const SAMPLES: { [K in EventKind]: Extract<EventInput, { kind: K }> } = {
  'alarm.transition': {
    kind: 'alarm.transition',
    at: T0,
    who: alice,
    payload: {
      alarmId: 'api-cpu',
      alarmName: 'api-cpu-high',
      from: 'OK',
      to: 'ALARM',
      level: 'critical',
      value: 93.5,
      threshold: 90,
      unit: 'percent',
    },
  },
  'incident.created': {
    kind: 'incident.created',
    at: T0 + 1,
    who: bob,
    incidentId: 'INC-1',
    payload: {
      title: 'API CPU high',
      priority: 'P2',
      service: { id: 'PSVC', name: 'api' },
      source: 'pagerduty',
      url: 'https://example.pagerduty.com/incidents/INC-1',
    },
  },
  'alarm.observed': {
    kind: 'alarm.observed',
    at: T0,
    who: alice,
    payload: { alarmId: 'api-cpu', alarmName: 'api-cpu-high', state: 'OK', since: T0 - 60_000 },
  },
  'incident.acknowledged': { kind: 'incident.acknowledged', at: T0 + 2, who: alice, incidentId: 'INC-1', payload: {} },
  'incident.unacknowledged': {
    kind: 'incident.unacknowledged',
    at: T0 + 2,
    who: bob,
    incidentId: 'INC-1',
    payload: { reason: 'the snooze ended', via: 'live' },
  },
  'incident.reassigned': {
    kind: 'incident.reassigned',
    at: T0 + 3,
    who: bob,
    incidentId: 'INC-1',
    payload: { to: ['Carol'] },
  },
  'incident.priority-changed': {
    kind: 'incident.priority-changed',
    at: T0 + 3,
    who: bob,
    incidentId: 'INC-1',
    payload: { from: 'P3', to: 'P2' },
  },
  'incident.alarm-added': {
    kind: 'incident.alarm-added',
    at: T0 + 3,
    who: bob,
    incidentId: 'INC-1',
    payload: { alarmName: 'api-p95-high' },
  },
  'metrics.captured': {
    kind: 'metrics.captured',
    at: T0 + 4,
    who: alice,
    incidentId: 'INC-1',
    payload: {
      from: T0 - 60_000,
      to: T0 + 60_000,
      stepSeconds: 60,
      series: [
        {
          id: 'api-cpu-high',
          points: [
            [T0 - 60_000, 41.5],
            [T0, 93.5],
          ],
        },
      ],
    },
  },
  'run.started': {
    kind: 'run.started',
    at: T0 + 4,
    who: alice,
    payload: { run: 'api-cpu-spike-1-k7q2', scenario: 'api-cpu-spike', seed: 1, mode: 'cockpit' },
  },
  'run.ended': {
    kind: 'run.ended',
    at: T0 + 4,
    who: alice,
    payload: { run: 'api-cpu-spike-1-k7q2', reason: 'the cockpit closed' },
  },
  'incident.escalated': {
    kind: 'incident.escalated',
    at: T0 + 3,
    who: bob,
    incidentId: 'INC-1',
    payload: { level: 2, to: ['Carol'], reason: 'no ack in 30 min' },
  },
  'incident.resolved': {
    kind: 'incident.resolved',
    at: T0 + 4,
    who: alice,
    incidentId: 'INC-1',
    payload: { resolution: 'scaled out' },
  },
  'phase.entered': {
    kind: 'phase.entered',
    at: T0 + 5,
    who: alice,
    incidentId: 'INC-1',
    payload: { phase: 'triage', from: 'detect' },
  },
  'step.started': {
    kind: 'step.started',
    at: T0 + 6,
    who: alice,
    incidentId: 'INC-1',
    payload: { runbookId: 'api-cpu-high', stepId: 'check', title: 'Check CPU' },
  },
  'step.done': {
    kind: 'step.done',
    at: T0 + 7,
    who: alice,
    incidentId: 'INC-1',
    payload: { runbookId: 'api-cpu-high', stepId: 'check', output: 'CPU 93 %\n' },
  },
  'step.finding': {
    kind: 'step.finding',
    at: T0 + 8,
    who: alice,
    incidentId: 'INC-1',
    payload: {
      runbookId: 'auth-bruteforce',
      stepId: 'who-fails',
      finding: {
        kind: 'logs',
        service: 'vitascope-api',
        start: T0 - 600_000,
        end: T0,
        summary: '203.0.113.7 behind 203 lines of "WARNING login failed reason=bad_password user=<num> client=<ip>"',
        complete: true,
        values: { 'findings.logs.topAddress': '203.0.113.7', 'findings.logs.notable': true },
        items: [
          {
            text: 'WARNING login failed reason=bad_password user=<num> client=<ip>',
            count: 307,
            previousCount: 105,
            trend: '×2.9',
          },
        ],
        evidence: ['WARNING login failed reason=bad_password user=12345 client=203.0.113.7'],
      },
    },
  },
  'step.skipped': {
    kind: 'step.skipped',
    at: T0 + 8,
    who: alice,
    incidentId: 'INC-1',
    payload: { runbookId: 'api-cpu-high', stepId: 'logs', reason: 'not needed' },
  },
  'action.planned': {
    kind: 'action.planned',
    at: T0 + 9,
    who: alice,
    incidentId: 'INC-1',
    payload: {
      ...action,
      plan: { summary: 'min 2 → 4, max 4 → 8', changes: ['min: 2 → 4', 'max: 4 → 8'], blastRadius: 'service api' },
    },
  },
  'action.confirmed': {
    kind: 'action.confirmed',
    at: T0 + 10,
    who: alice,
    incidentId: 'INC-1',
    payload: { ...action, typedTarget: true },
  },
  'action.applied': {
    kind: 'action.applied',
    at: T0 + 11,
    who: alice,
    incidentId: 'INC-1',
    payload: { ...action, output: 'RegisterScalableTarget 200', dryRun: false, changed: true },
  },
  'action.verified': {
    kind: 'action.verified',
    at: T0 + 12,
    who: alice,
    incidentId: 'INC-1',
    payload: { ...action, output: 'CPU 61 %' },
  },
  'action.failed': {
    kind: 'action.failed',
    at: T0 + 13,
    who: alice,
    incidentId: 'INC-1',
    payload: { ...action, runId: 'run-2', stage: 'apply', error: 'AccessDenied', output: '' },
  },
  note: {
    kind: 'note',
    at: T0 + 14,
    who: alice,
    incidentId: 'INC-1',
    payload: {
      text: 'Deploy at 09:55 looks related.',
      step: { runbookId: 'api-cpu-high', stepId: 'findings', section: 'findings' },
    },
  },
  'followup.added': {
    kind: 'followup.added',
    at: T0 + 15,
    who: alice,
    incidentId: 'INC-1',
    payload: { text: 'Raise the max to 10', owner: 'platform team', dueAt: T0 + 86_400_000 },
  },
  'followup.closed': {
    kind: 'followup.closed',
    at: T0 + 16,
    who: bob,
    incidentId: 'INC-1',
    payload: { followUpId: 0, resolution: 'done in PR 12' },
  },
  'handoff.note': {
    kind: 'handoff.note',
    at: T0 + 17,
    who: alice,
    payload: { text: 'INC-1 resolved, watch CPU', to: bob, incidentIds: ['INC-1'] },
  },
  'handoff.acknowledged': {
    kind: 'handoff.acknowledged',
    at: T0 + 18,
    who: bob,
    payload: { handoffId: 0, text: 'got it' },
  },
};

/** The samples in order, with the ids of the follow-up and handoff they refer to filled in. */
function samplesWithIds(followUpId: number, handoffId: number): EventInput[] {
  return EVENT_KINDS.map((k) => {
    const e = SAMPLES[k];
    if (e.kind === 'followup.closed') return { ...e, payload: { ...e.payload, followUpId } };
    if (e.kind === 'handoff.acknowledged') return { ...e, payload: { ...e.payload, handoffId } };
    return e;
  });
}

describe('journal events', () => {
  it('round-trips every event kind, one by one', () => {
    const j = tempJournal();
    const out = [];
    let followUpId = 0;
    let handoffId = 0;
    for (const input of EVENT_KINDS.map((k) => SAMPLES[k])) {
      let e: EventInput = input;
      if (e.kind === 'followup.closed') e = { ...e, payload: { ...e.payload, followUpId } };
      if (e.kind === 'handoff.acknowledged') e = { ...e, payload: { ...e.payload, handoffId } };
      const recorded = j.append(e);
      expect(recorded.duplicate).toBe(false);
      if (e.kind === 'followup.added') followUpId = recorded.seq;
      if (e.kind === 'handoff.note') handoffId = recorded.seq;
      const { duplicate: _, ...stored } = recorded;
      out.push(stored);
      expect(stored).toEqual({ ...e, seq: recorded.seq });
    }
    expect(j.query()).toEqual(out);
    expect(new Set(j.query().map((e) => e.kind))).toEqual(new Set(EVENT_KINDS));
  });

  it('round-trips every kind through appendMany and a reopen', () => {
    const file = path.join(tempDir(), 'journal.db');
    const j = tempJournal({}, file);
    // In one transaction the follow-up and handoff ids are the seqs the batch will get.
    const first = j.append({ kind: 'note', at: T0 - 1, who: alice, payload: { text: 'start' } }).seq;
    const kinds = EVENT_KINDS;
    const batch = samplesWithIds(
      first + 1 + kinds.indexOf('followup.added'),
      first + 1 + kinds.indexOf('handoff.note'),
    );
    const recorded = j.appendMany(batch);
    expect(recorded.map((e) => e.seq)).toEqual(batch.map((_, i) => first + 1 + i));
    j.close();
    const again = reopen(file);
    expect(again.query({ since: T0 })).toEqual(batch.map((e, i) => ({ ...e, seq: first + 1 + i })));
  });

  it.each([
    [{ kind: 'note', at: T0, who: alice, payload: { text: '   ' } }, 'event rejected: payload.text: a note needs text'],
    [{ kind: 'note', at: T0, payload: { text: 'x' } }, 'event rejected: who: required'],
    [{ kind: 'note', at: T0, who: { kind: 'slack', id: 'x' }, payload: { text: 'x' } }, 'event rejected: who.kind: '],
    [
      { kind: 'note', at: T0, who: { kind: 'local', id: '' }, payload: { text: 'x' } },
      'event rejected: who.id: must not be empty',
    ],
    [{ kind: 'note', at: -5, who: alice, payload: { text: 'x' } }, 'event rejected: at: must be epoch milliseconds'],
    [
      { kind: 'note', at: 1.5, who: alice, payload: { text: 'x' } },
      'event rejected: at: must be a whole number of epoch milliseconds',
    ],
    [
      { kind: 'note', at: T0, who: alice, payload: { text: 'x', colour: 'red' } },
      'event rejected: payload.colour: unknown field',
    ],
    [{ kind: 'note', at: T0, who: alice }, 'event rejected: payload: required'],
    [
      {
        kind: 'note',
        at: T0,
        who: alice,
        payload: { text: 'x', step: { runbookId: 'r', stepId: 's', section: 'rootcause' } },
      },
      'event rejected: payload.step.section: ',
    ],
    [
      { kind: 'phase.entered', at: T0, who: alice, payload: { phase: 'triage' } },
      'event rejected: incidentId: required',
    ],
    [
      { kind: 'phase.entered', at: T0, who: alice, incidentId: 'I', payload: { phase: 'panic' } },
      'event rejected: payload.phase: ',
    ],
    [
      { kind: 'action.failed', at: T0, who: alice, payload: { ...action, stage: 'apply' } },
      'event rejected: payload.error: required',
    ],
    [
      { kind: 'action.planned', at: T0, who: alice, payload: { ...action, plan: { summary: '' } } },
      'event rejected: payload.plan.summary: a plan needs a summary',
    ],
    [
      { kind: 'incident.escalated', at: T0, who: alice, incidentId: 'I', payload: { level: 0 } },
      'event rejected: payload.level: levels start at 1',
    ],
    [
      { kind: 'pager.snoozed', at: T0, who: alice, payload: {} },
      'event rejected: kind: unknown event kind "pager.snoozed"',
    ],
    [{ at: T0, who: alice, payload: {} }, 'event rejected: kind: required'],
    [
      { kind: 'followup.closed', at: T0, who: alice, payload: { followUpId: 999 } },
      'event rejected: payload.followUpId: there is no follow-up 999',
    ],
    [
      { kind: 'handoff.acknowledged', at: T0, who: alice, payload: { handoffId: 999 } },
      'event rejected: payload.handoffId: there is no handoff note 999',
    ],
  ])('refuses an invalid event, naming the field: %j', (input, message) => {
    const j = tempJournal();
    let error: unknown;
    try {
      j.append(input as EventInput);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JournalError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as JournalError).field).toBe(message.split(': ')[1]);
    expect(j.query()).toEqual([]);
  });

  it('refuses a batch whole, naming the event and the field', () => {
    const j = tempJournal();
    const good = { kind: 'note', at: T0, who: alice, payload: { text: 'fine' } } as const;
    expect(() => j.appendMany([good, { ...good, payload: { text: '' } }])).toThrow(
      'event 1 rejected: payload.text: a note needs text',
    );
    expect(() =>
      j.appendMany([good, { kind: 'followup.closed', at: T0, who: alice, payload: { followUpId: 42 } }]),
    ).toThrow('event 1 rejected: payload.followUpId: there is no follow-up 42');
    expect(j.query()).toEqual([]);
  });

  it('defaults the time to the clock, trims text and clamps long output', () => {
    const j = tempJournal({ now: () => T0 + 123 });
    const e = j.append({ kind: 'note', who: alice, payload: { text: '  padded  ' } });
    expect(e.at).toBe(T0 + 123);
    expect(e.payload).toEqual({ text: 'padded' });
    const big = 'x'.repeat(MAX_TEXT * 2);
    const out = j.append({
      kind: 'step.done',
      who: alice,
      incidentId: 'I',
      payload: { runbookId: 'r', stepId: 's', output: big },
    });
    if (out.kind !== 'step.done') throw new Error('kind');
    expect(out.payload.output!.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(out.payload.output).toContain('characters cut');
  });

  it('records an event with an idempotency key once', () => {
    const j = tempJournal();
    const seen = { ...SAMPLES['alarm.transition'], key: 'api-cpu@1736071200000' };
    const first = j.append(seen);
    const second = j.append({ ...seen, at: T0 + 60_000 });
    expect(second).toEqual({ ...first, duplicate: true });
    const [a, b] = j.appendMany([seen, { ...seen, key: 'other' }]);
    expect(a!.duplicate).toBe(true);
    expect(b!.duplicate).toBe(false);
    expect(j.query().length).toBe(2);
  });

  it('action.applied carries changed; rows written before the field read with it derived once, here', () => {
    const file = path.join(tempDir(), 'journal.db');
    const j = tempJournal({}, file);
    const act = { runId: 'r0', actionId: 'ecs.set-desired-count', target: 'vitascope-api' };
    // A writer's own word wins over any wording of its output.
    j.append({
      kind: 'action.applied',
      at: T0,
      who: alice,
      payload: { ...act, changed: true, output: 'nothing to change, said nobody' },
    });
    const db = new Database(file);
    const old = db.prepare(
      `INSERT INTO events (at, kind, incident_id, who_kind, who_id, who_name, payload) VALUES (?, 'action.applied', NULL, 'local', 'alice', NULL, ?)`,
    );
    old.run(
      T0 + 1,
      JSON.stringify({
        ...act,
        runId: 'r1',
        output: 'nothing to change: vitascope-api: the desired count is already 2; nothing to change',
      }),
    );
    old.run(
      T0 + 2,
      JSON.stringify({ ...act, runId: 'r2', dryRun: true, output: 'dry run, nothing was changed; the plan: 2 → 4' }),
    );
    old.run(T0 + 3, JSON.stringify({ ...act, runId: 'r3', output: 'UpdateService accepted' }));
    db.close();
    const read = j
      .query({ kinds: ['action.applied'] })
      .map((e) => [(e.payload as { runId: string }).runId, (e.payload as { changed: boolean }).changed]);
    expect(read).toEqual([
      ['r0', true],
      ['r1', false],
      ['r2', false],
      ['r3', true],
    ]);
    // A writer that leaves it out (an older caller) gets the same derivation at the boundary.
    const legacy = j.append({
      kind: 'action.applied',
      at: T0 + 4,
      who: alice,
      payload: { ...act, runId: 'r4', dryRun: true, output: 'shown' },
    });
    expect((legacy.payload as { changed: boolean }).changed).toBe(false);
  });

  it('reads kinds from a newer version as unknown events instead of failing', () => {
    const file = path.join(tempDir(), 'journal.db');
    const j = tempJournal({}, file);
    j.append({ ...SAMPLES.note, incidentId: 'INC-1' });
    const db = new Database(file);
    db.prepare(
      `INSERT INTO events (at, kind, incident_id, who_kind, who_id, who_name, payload) VALUES (?, 'pager.snoozed', 'INC-1', 'local', 'alice', NULL, '{"minutes":5}')`,
    ).run(T0 + 100);
    db.prepare(
      `INSERT INTO events (at, kind, incident_id, who_kind, who_id, who_name, payload) VALUES (?, 'note', 'INC-1', 'robot', 'r2', NULL, '{"text":"hi"}')`,
    ).run(T0 + 101);
    db.close();
    const events = j.query({ incidentId: 'INC-1' });
    expect(events[1]).toEqual({
      kind: 'unknown',
      originalKind: 'pager.snoozed',
      seq: 2,
      at: T0 + 100,
      who: { kind: 'local', id: 'alice' },
      incidentId: 'INC-1',
      payload: { minutes: 5 },
    });
    expect(events[2]).toMatchObject({ kind: 'unknown', originalKind: 'note', who: { kind: 'robot', id: 'r2' } });
    const state = j.incidentState('INC-1');
    expect(state.unknownEvents).toBe(2);
    expect(state.notes.map((n) => n.text)).toEqual(['Deploy at 09:55 looks related.']);
  });

  it('never stores obvious secrets: free text and secret-named parameters are redacted', () => {
    const file = path.join(tempDir(), 'journal.db');
    const j = tempJournal({}, file);
    const note = j.append({
      kind: 'note',
      at: T0,
      who: alice,
      payload: { text: 'tried with AKIAIOSFODNN7EXAMPLE and password=hunter2, worked' },
    });
    expect(note.payload).toEqual({ text: 'tried with [REDACTED] and password=[REDACTED], worked' });
    const applied = j.append({
      kind: 'action.applied',
      at: T0,
      who: alice,
      payload: {
        runId: 'r',
        actionId: 'command.run',
        target: 'api',
        params: {
          argv: ['curl', '-H', 'Authorization: Bearer abcdefghijklmnop1234', 'https://svc'],
          apiToken: 's3cr3t-value',
        },
        output: 'export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\nok',
      },
    });
    expect(JSON.stringify(applied.payload)).not.toMatch(/hunter2|abcdefghijklmnop1234|s3cr3t-value|ghp_/);
    j.upsertIncident({
      id: 'INC-9',
      title: 'leak of sk_live_abcdefghijklmnopqrstuvwx',
      status: 'triggered',
      source: 'local',
      createdAt: T0,
    });
    expect(j.incident('INC-9')!.title).toBe('leak of [REDACTED]');
    j.close();
    const db = new Database(file, { readonly: true });
    const dump = (db.prepare(`SELECT payload FROM events`).pluck().all() as string[]).join('\n');
    db.close();
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'hunter2', 'abcdefghijklmnop1234', 's3cr3t-value', 'ghp_abc'])
      expect(dump).not.toContain(secret);
  });
});
