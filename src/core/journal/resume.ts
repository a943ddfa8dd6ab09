import type Database from 'better-sqlite3';
import { decodeRow, EVENT_COLUMNS, type EventRow, type Who } from './events.js';
import { REDUCER_VERSION, reduceIncidentState, type IncidentState } from './state.js';

/**
 * Resuming an incident room: its state folded from its events (state.ts), fast enough for a long incident
 * (budget: 100,000 events in ≤ 200 ms).
 *
 * A full fold reads and decodes every event of the incident; at 100,000 events that alone can take longer
 * than the budget on a busy laptop, most of it turning rows into JavaScript values. So the fold is
 * checkpointed: incident_snapshots holds the state folded over every event that happened at or before a
 * watermark time, and a resume folds only the events after the watermark onto it. The watermark lags the
 * newest event by `lagMs` (default 10 min), so that events recorded a little late (a PagerDuty log entry
 * imported on the next poll) still fall after it and are folded in their time order.
 *
 * The snapshot is a cache, never the record:
 * - it is used only if no event at or before the watermark was recorded after it was taken (head_seq);
 *   otherwise the whole incident is folded again, which is always correct;
 * - it is ignored when REDUCER_VERSION changes;
 * - `rebuild: true` folds every event, ignoring it.
 * A resume that folded many events writes a new snapshot; appending many events to one incident in this
 * process schedules such a resume off the append path (after append has returned), so that the snapshot
 * stays near the head even when nobody resumes the room for a long time.
 */

type WhoRef = number;
/** The snapshot as stored: every `who` replaced by an index into `whos` (a third smaller, parsed faster). */
type StoredState = Omit<IncidentState, 'phases' | 'steps' | 'actions' | 'notes'> & {
  whos: Who[];
  phases: (Omit<IncidentState['phases'][number], 'who'> & { who: WhoRef })[];
  steps: (Omit<IncidentState['steps'][number], 'who'> & { who: WhoRef })[];
  actions: (Omit<IncidentState['actions'][number], 'history'> & {
    history: (Omit<IncidentState['actions'][number]['history'][number], 'who'> & { who: WhoRef })[];
  })[];
  notes: (Omit<IncidentState['notes'][number], 'who'> & { who: WhoRef })[];
};

export function encodeSnapshot(state: IncidentState): string {
  const whos: Who[] = [];
  const index = new Map<string, number>();
  const ref = (w: Who): WhoRef => {
    const key = `${w.kind}\u0000${w.id}\u0000${w.name ?? ''}`;
    let i = index.get(key);
    if (i === undefined) index.set(key, (i = whos.push(w) - 1));
    return i;
  };
  const stored: StoredState = {
    ...state,
    whos,
    phases: state.phases.map((p) => ({ ...p, who: ref(p.who) })),
    steps: state.steps.map((st) => ({ ...st, who: ref(st.who) })),
    actions: state.actions.map((a) => ({ ...a, history: a.history.map((h) => ({ ...h, who: ref(h.who) })) })),
    notes: state.notes.map((n) => ({ ...n, who: ref(n.who) })),
  };
  return JSON.stringify(stored);
}

export function decodeSnapshot(text: string): IncidentState {
  const stored = JSON.parse(text) as StoredState;
  const { whos, ...rest } = stored;
  const who = (i: WhoRef) => whos[i]!;
  for (const p of rest.phases) (p as unknown as { who: Who }).who = who(p.who);
  for (const st of rest.steps) (st as unknown as { who: Who }).who = who(st.who);
  for (const a of rest.actions) for (const h of a.history) (h as unknown as { who: Who }).who = who(h.who);
  for (const n of rest.notes) (n as unknown as { who: Who }).who = who(n.who);
  return rest as unknown as IncidentState;
}

export interface ResumeOptions {
  /** A resume that folded at least this many events writes a snapshot (default 2,000). */
  readonly snapshotAfter?: number;
  /** Events appended to one incident in this process before its snapshot is refreshed (default 5,000). */
  readonly refreshEvery?: number;
  /** How far the snapshot's watermark stays behind the newest event (default 10 minutes). */
  readonly lagMs?: number;
  readonly now: () => number;
}

interface SnapshotRow {
  reducer_version: number;
  watermark: number;
  head_seq: number;
  state: string;
}

export interface Resume {
  incidentState(incidentId: string, options?: { readonly rebuild?: boolean }): IncidentState;
  /** Tells the resume cache that events of an incident were recorded. */
  recorded(incidentId: string, count: number): void;
  close(): void;
}

export function createResume(db: Database.Database, options: ResumeOptions): Resume {
  const snapshotAfter = options.snapshotAfter ?? 2_000;
  const refreshEvery = options.refreshEvery ?? 5_000;
  const lagMs = options.lagMs ?? 10 * 60_000;
  const s = {
    all: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE incident_id = ? ORDER BY at, seq`).raw(),
    after: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE incident_id = ? AND at > ? ORDER BY at, seq`).raw(),
    late: db.prepare(`SELECT 1 FROM events WHERE incident_id = ? AND seq > ? AND at <= ? LIMIT 1`).pluck(),
    snapshot: db.prepare(
      `SELECT reducer_version, watermark, head_seq, state FROM incident_snapshots WHERE incident_id = ?`,
    ),
    save: db.prepare(
      `INSERT INTO incident_snapshots (incident_id, reducer_version, watermark, head_seq, event_count, state, updated_at)
       VALUES (@id, @version, @watermark, @headSeq, @count, @state, @now)
       ON CONFLICT (incident_id) DO UPDATE SET reducer_version = excluded.reducer_version, watermark = excluded.watermark,
         head_seq = excluded.head_seq, event_count = excluded.event_count, state = excluded.state, updated_at = excluded.updated_at`,
    ),
  };
  const appended = new Map<string, number>();
  const scheduled = new Set<string>();
  let closed = false;

  function incidentState(incidentId: string, opts: { readonly rebuild?: boolean } = {}): IncidentState {
    let base: IncidentState | undefined;
    let rows: EventRow[] | undefined;
    let headSeq = 0;
    const snap = opts.rebuild ? undefined : (s.snapshot.get(incidentId) as SnapshotRow | undefined);
    if (
      snap &&
      snap.reducer_version === REDUCER_VERSION &&
      s.late.get(incidentId, snap.head_seq, snap.watermark) === undefined
    ) {
      base = decodeSnapshot(snap.state);
      rows = s.after.all(incidentId, snap.watermark) as EventRow[];
      headSeq = snap.head_seq;
    } else {
      rows = s.all.all(incidentId) as EventRow[];
    }
    const events = rows.map(decodeRow);
    for (const e of events) if (e.seq > headSeq) headSeq = e.seq;

    if (events.length < snapshotAfter) {
      appended.delete(incidentId);
      return reduceIncidentState(incidentId, events, base);
    }
    // Fold up to the new watermark, keep that as the snapshot, then fold the rest.
    const watermark = events[events.length - 1]!.at - lagMs;
    let cut = events.length;
    while (cut > 0 && events[cut - 1]!.at > watermark) cut -= 1;
    const state = reduceIncidentState(incidentId, events.slice(0, cut), base);
    if (cut > 0) {
      s.save.run({
        id: incidentId,
        version: REDUCER_VERSION,
        watermark,
        headSeq,
        count: state.eventCount,
        state: encodeSnapshot(state),
        now: options.now(),
      });
    }
    appended.delete(incidentId);
    return reduceIncidentState(incidentId, events.slice(cut), state);
  }

  return {
    incidentState,
    recorded(incidentId, count) {
      const n = (appended.get(incidentId) ?? 0) + count;
      appended.set(incidentId, n);
      if (n < refreshEvery || scheduled.has(incidentId)) return;
      scheduled.add(incidentId);
      setImmediate(() => {
        scheduled.delete(incidentId);
        if (closed) return;
        try {
          incidentState(incidentId);
        } catch {
          // A refresh that fails (the file busy, the disk full) costs only speed: the next resume folds more.
        }
      }).unref();
    },
    close() {
      closed = true;
    },
  };
}
