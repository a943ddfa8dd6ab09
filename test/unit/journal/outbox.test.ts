import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal, type EventInput, type Journal } from '../../../src/core/journal/index.js';
import { alice, bob, reopen, T0, tempDir, tempJournal } from './helpers.js';

const SEC = 1_000;

/** A stand-in for PagerDuty's notes: records every note posted, can fail or hang on demand. */
class NoteService {
  readonly notes: { incidentId: string; text: string }[] = [];
  failNext = 0;
  /** Accept the note, then fail the call anyway (a timeout that hid a success). */
  acceptThenFailNext = 0;
  hang = false;
  onNote?: () => void;

  addNote = async (incidentId: string, text: string): Promise<void> => {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('PagerDuty 503: service unavailable (token=abc123)');
    }
    this.notes.push({ incidentId, text });
    this.onNote?.();
    if (this.acceptThenFailNext > 0) {
      this.acceptThenFailNext -= 1;
      throw new Error('socket hang up');
    }
    if (this.hang) await new Promise(() => {});
  };

  existingNotes = async (incidentId: string): Promise<string[]> =>
    this.notes.filter((n) => n.incidentId === incidentId).map((n) => n.text);

  /** How many times each note text (`n<i>`) was posted. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const n of this.notes)
      for (const m of n.text.matchAll(/note: (n\d+)/g)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
    return counts;
  }
}

const note = (incidentId: string, i: number, who = alice): EventInput => ({
  kind: 'note',
  at: T0 + i * SEC,
  who,
  incidentId,
  payload: { text: `n${i}` },
});

function withIncidents(j: Journal): Journal {
  j.upsertIncident({ id: 'PD-1', title: 'API CPU high', status: 'acknowledged', source: 'pagerduty', createdAt: T0 });
  j.upsertIncident({ id: 'PD-2', title: 'DB connections', status: 'acknowledged', source: 'pagerduty', createdAt: T0 });
  j.upsertIncident({ id: 'SBX-1', title: 'drill', status: 'triggered', source: 'sandbox', createdAt: T0 });
  return j;
}

describe('the PagerDuty mirror outbox', () => {
  it('queues only local timeline events of PagerDuty incidents, and only when mirroring is on', async () => {
    const j = withIncidents(tempJournal({ mirror: true }));
    j.appendMany([
      note('PD-1', 1),
      note('PD-1', 2, bob), // came from PagerDuty: never mirrored back
      note('SBX-1', 3), // sandbox incident
      {
        kind: 'alarm.transition',
        at: T0,
        who: alice,
        incidentId: 'PD-1',
        payload: { alarmId: 'a', alarmName: 'api-cpu', from: 'OK', to: 'ALARM' },
      },
      { kind: 'step.started', at: T0, who: alice, incidentId: 'PD-1', payload: { runbookId: 'r', stepId: 's' } },
      {
        kind: 'step.done',
        at: T0 + 4 * SEC,
        who: alice,
        incidentId: 'PD-1',
        payload: { runbookId: 'r', stepId: 's', title: 'Check CPU', output: 'CPU 93 %\nmore' },
      },
      note('UNKNOWN', 5), // no such incident row
    ]);
    expect(j.mirrorStatus()).toEqual({ pendingEvents: 2, failingBatches: 0 });
    const pd = new NoteService();
    const r = await j.mirrorPending(pd.addNote, { now: T0 + 10 * SEC });
    expect(r).toEqual({ notesSent: 1, eventsSent: 2, alreadyPresent: 0, failed: 0, deferred: 0, errors: [] });
    expect(pd.notes).toHaveLength(1);
    expect(pd.notes[0]!.incidentId).toBe('PD-1');
    expect(pd.notes[0]!.text).toMatch(
      /^\[vitascope-oncall vo-[0-9a-f]{12}\] incident journal, 2 events:\n2026-01-05 10:00:01Z Alice: note: n1\n2026-01-05 10:00:04Z Alice: done: Check CPU: CPU 93 % …$/,
    );

    const off = withIncidents(tempJournal());
    off.append(note('PD-1', 1));
    expect(off.mirrorStatus().pendingEvents).toBe(0);
  });

  it('sends one note per incident per batch, in order, and never the same event twice', async () => {
    const j = withIncidents(tempJournal({ mirror: true }));
    j.appendMany([
      note('PD-1', 1),
      note('PD-2', 2),
      note('PD-1', 3),
      note('PD-1', 4),
      note('PD-2', 5),
      note('PD-1', 6),
      note('PD-1', 7),
    ]);
    const pd = new NoteService();
    const r = await j.mirrorPending(pd.addNote, { batchSize: 2, now: T0 + 60 * SEC });
    expect(r).toMatchObject({ notesSent: 4, eventsSent: 7, failed: 0 });
    const lines = (id: string) =>
      pd.notes.filter((n) => n.incidentId === id).map((n) => [...n.text.matchAll(/note: (n\d+)/g)].map((m) => m[1]));
    expect(lines('PD-1')).toEqual([['n1', 'n3'], ['n4', 'n6'], ['n7']]);
    expect(lines('PD-2')).toEqual([['n2', 'n5']]);
    expect(new Set(pd.notes.map((n) => n.text.slice(0, 35))).size).toBe(4); // a marker per note
    expect(await j.mirrorPending(pd.addNote, { now: T0 + 120 * SEC })).toMatchObject({ notesSent: 0, eventsSent: 0 });
    j.append(note('PD-2', 8));
    await j.mirrorPending(pd.addNote, { now: T0 + 180 * SEC });
    expect([...pd.counts().values()].every((n) => n === 1)).toBe(true);
    expect(pd.counts().size).toBe(8);
    expect(j.mirrorStatus()).toEqual({ pendingEvents: 0, failingBatches: 0 });
  });

  it('keeps a note within the size limit, and applies the caller’s redaction to its body only', async () => {
    const j = withIncidents(tempJournal({ mirror: true }));
    j.appendMany(
      [1, 2, 3].map(
        (i) =>
          ({ ...note('PD-1', i), payload: { text: `n${i} call alice@example.com ${'x'.repeat(200)}` } }) as EventInput,
      ),
    );
    const pd = new NoteService();
    await j.mirrorPending(pd.addNote, {
      now: T0 + 60 * SEC,
      maxNoteChars: 600,
      redact: (t) => t.replace(/\S+@\S+/g, '[email]'),
    });
    expect(pd.notes.map((n) => [...n.text.matchAll(/note: (n\d+)/g)].length)).toEqual([2, 1]);
    expect(
      pd.notes.every(
        (n) => n.text.startsWith('[vitascope-oncall vo-') && n.text.includes('[email]') && !n.text.includes('@'),
      ),
    ).toBe(true);
  });

  it('retries a failed batch with exponential backoff, keeping later notes of that incident behind it', async () => {
    const j = withIncidents(tempJournal({ mirror: true }));
    j.appendMany([note('PD-1', 1), note('PD-1', 2), note('PD-2', 3)]);
    const pd = new NoteService();
    pd.failNext = 1;
    const t = T0 + 60 * SEC;
    const first = await j.mirrorPending(pd.addNote, { batchSize: 1, now: t, baseDelayMs: 5 * SEC });
    expect(first).toMatchObject({ notesSent: 1, eventsSent: 1, failed: 1, deferred: 1 });
    expect(first.errors).toEqual([
      {
        batchId: expect.stringMatching(/^vo-/),
        incidentId: 'PD-1',
        error: 'PagerDuty 503: service unavailable (token=[REDACTED])',
      },
    ]);
    expect(pd.notes.map((n) => n.incidentId)).toEqual(['PD-2']);
    expect(j.mirrorStatus()).toEqual({
      pendingEvents: 2,
      failingBatches: 1,
      lastError: 'PagerDuty 503: service unavailable (token=[REDACTED])',
      nextAttemptAt: t + 5 * SEC,
    });

    expect(await j.mirrorPending(pd.addNote, { now: t + 4 * SEC })).toMatchObject({
      notesSent: 0,
      failed: 0,
      deferred: 2,
    });
    pd.failNext = 1;
    expect(await j.mirrorPending(pd.addNote, { now: t + 5 * SEC, baseDelayMs: 5 * SEC })).toMatchObject({
      notesSent: 0,
      failed: 1,
    });
    expect(j.mirrorStatus().nextAttemptAt).toBe(t + 15 * SEC); // 5 s, then 10 s
    expect(await j.mirrorPending(pd.addNote, { now: t + 15 * SEC })).toMatchObject({
      notesSent: 2,
      eventsSent: 2,
      failed: 0,
    });
    expect(pd.notes.map((n) => n.text.match(/note: (n\d+)/)![1])).toEqual(['n3', 'n1', 'n2']);
    expect(j.mirrorStatus()).toEqual({ pendingEvents: 0, failingBatches: 0 });
  });

  it('holds new events of an incident whose note is failing, and sends them together after it recovers', async () => {
    const j = withIncidents(tempJournal({ mirror: true }));
    j.append(note('PD-1', 1));
    const pd = new NoteService();
    pd.failNext = 1;
    const t = T0 + 60 * SEC;
    await j.mirrorPending(pd.addNote, { now: t });
    for (let i = 2; i <= 4; i++) {
      j.append(note('PD-1', i));
      expect(await j.mirrorPending(pd.addNote, { now: t + i * SEC })).toMatchObject({ notesSent: 0, deferred: 1 });
    }
    expect(await j.mirrorPending(pd.addNote, { now: t + 5 * SEC })).toMatchObject({ notesSent: 1, eventsSent: 1 });
    expect(await j.mirrorPending(pd.addNote, { now: t + 6 * SEC })).toMatchObject({ notesSent: 1, eventsSent: 3 });
    expect(pd.notes.map((n) => [...n.text.matchAll(/note: (n\d+)/g)].map((m) => m[1]))).toEqual([
      ['n1'],
      ['n2', 'n3', 'n4'],
    ]);
  });

  it('finds a note that was accepted although the call failed, and does not post it again', async () => {
    const j = withIncidents(tempJournal({ mirror: true }));
    j.append(note('PD-1', 1));
    const pd = new NoteService();
    pd.acceptThenFailNext = 1;
    const t = T0 + 60 * SEC;
    const opts = { existingNotes: pd.existingNotes, settleMs: 30 * SEC, baseDelayMs: 5 * SEC };
    expect(await j.mirrorPending(pd.addNote, { ...opts, now: t })).toMatchObject({ failed: 1 });
    // Due after 5 s, but the look-up waits until 30 s after the uncertain attempt began.
    expect(await j.mirrorPending(pd.addNote, { ...opts, now: t + 5 * SEC })).toMatchObject({
      deferred: 1,
      alreadyPresent: 0,
    });
    expect(await j.mirrorPending(pd.addNote, { ...opts, now: t + 30 * SEC })).toMatchObject({
      alreadyPresent: 1,
      notesSent: 0,
    });
    expect(pd.notes).toHaveLength(1);
    expect(j.mirrorStatus().pendingEvents).toBe(0);
  });

  it('does not send blind when the look-up itself fails', async () => {
    const j = withIncidents(tempJournal({ mirror: true }));
    j.append(note('PD-1', 1));
    const pd = new NoteService();
    pd.failNext = 1;
    const t = T0 + 60 * SEC;
    await j.mirrorPending(pd.addNote, { now: t, existingNotes: pd.existingNotes });
    const broken = async () => {
      throw new Error('PagerDuty 500 listing notes');
    };
    expect(await j.mirrorPending(pd.addNote, { now: t + 60 * SEC, existingNotes: broken })).toMatchObject({
      failed: 1,
      notesSent: 0,
    });
    expect(pd.notes).toHaveLength(0);
    expect(await j.mirrorPending(pd.addNote, { now: t + 600 * SEC, existingNotes: pd.existingNotes })).toMatchObject({
      notesSent: 1,
    });
  });

  it('never sends twice across a crash between send and mark, when the notes can be listed', async () => {
    const file = path.join(tempDir(), 'journal.db');
    const a = withIncidents(openJournal(file, { mirror: true }));
    a.appendMany([note('PD-1', 1), note('PD-1', 2), note('PD-2', 3)]);
    const pd = new NoteService();
    pd.hang = true; // the first note reaches PagerDuty; the process "dies" before it hears back
    const sent = new Promise<void>((resolve) => (pd.onNote = resolve));
    const t = T0 + 60 * SEC;
    void a.mirrorPending(pd.addNote, { now: t });
    await sent;
    a.close(); // abandoned mid-send, like a SIGKILL: nothing after the send ran
    pd.hang = false;
    expect(pd.notes).toHaveLength(1);

    const b = reopen(file, { mirror: true });
    // The batch is leased to the "dead" attempt (same pid here, so it looks alive) until the lease ends.
    expect(await b.mirrorPending(pd.addNote, { now: t + 1 * SEC, existingNotes: pd.existingNotes })).toMatchObject({
      notesSent: 1,
      deferred: 1,
    });
    const r = await b.mirrorPending(pd.addNote, { now: t + 121 * SEC, existingNotes: pd.existingNotes });
    expect(r).toMatchObject({ alreadyPresent: 1, notesSent: 0 });
    expect(pd.counts()).toEqual(
      new Map([
        ['n1', 1],
        ['n2', 1],
        ['n3', 1],
      ]),
    );
    expect(b.mirrorStatus()).toEqual({ pendingEvents: 0, failingBatches: 0 });
  });

  it('without a way to list notes, resends an uncertain batch once, with the same marker (the stated limit)', async () => {
    const file = path.join(tempDir(), 'journal.db');
    const a = withIncidents(openJournal(file, { mirror: true }));
    a.append(note('PD-1', 1));
    const pd = new NoteService();
    pd.hang = true;
    const sent = new Promise<void>((resolve) => (pd.onNote = resolve));
    void a.mirrorPending(pd.addNote, { now: T0 });
    await sent;
    a.close();
    pd.hang = false;
    const b = reopen(file, { mirror: true });
    expect(await b.mirrorPending(pd.addNote, { now: T0 + 121 * SEC })).toMatchObject({ notesSent: 1 });
    expect(pd.notes).toHaveLength(2);
    expect(pd.notes[1]!.text).toBe(pd.notes[0]!.text);
  });

  it('runs one mirror at a time per journal', async () => {
    const j = withIncidents(tempJournal({ mirror: true }));
    j.append(note('PD-1', 1));
    const pd = new NoteService();
    const [x, y] = await Promise.all([
      j.mirrorPending(pd.addNote, { now: T0 + SEC }),
      j.mirrorPending(pd.addNote, { now: T0 + SEC }),
    ]);
    expect(x).toBe(y);
    expect(pd.notes).toHaveLength(1);
  });
});
