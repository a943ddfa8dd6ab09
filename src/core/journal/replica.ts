import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { GlobalRef, PulledEvent, WireEvent } from '../team/port.js';
import { JournalError } from './errors.js';
import { isEventKind, validateEvent, type KnownEvent, type ParsedEvent } from './events.js';
import { redactDeep } from './secrets.js';

/**
 * The journal's side of the team timeline (core/team/replicator.ts moves events between it and the team
 * server). Local-first: an event is recorded here, durably, before anyone else hears of it; this module
 * only says what has not been pushed yet and stores what was pulled.
 *
 * Identity. An event recorded here is (this installation, its seq); a pulled one keeps its origin's
 * (origin, origin_seq) in the events row, unique, so it is stored once however often and in whatever
 * order it arrives. References between events (a follow-up closed, a handoff acknowledged name the event
 * that created it by its seq) are local numbers: they travel as global refs and are mapped back to this
 * journal's seq when pulled.
 *
 * Cursors. Push: every local event with seq ≤ `pushed` is on the server; a push that dies before the
 * cursor moves is sent again and the server's unique key drops the copy. Pull: per origin, the highest
 * origin_seq stored here; the server hands out, per origin, what lies above it. An origin's events
 * become visible on the server as a prefix (one pusher's batch is one transaction over a contiguous
 * range from its cursor), so nothing is skipped by these cursors.
 */

/** Payload fields that refer to another event by seq, per kind. */
const REFERENCES: Readonly<Partial<Record<string, string>>> = {
  'followup.closed': 'followUpId',
  'handoff.acknowledged': 'handoffId',
};

export interface OutgoingEvent extends WireEvent {
  /** Its seq in this journal (the push cursor moves to the last one sent). */
  readonly seq: number;
}

export interface StoredResult {
  /** New events stored. */
  readonly stored: number;
  /** Already here (same origin and seq, or the same idempotency key: the same observation made here). */
  readonly duplicates: number;
  /** Refused: invalid, or referring to an event this journal has not got (expired by the team's retention). */
  readonly refused: number;
  /** Left for a later pull: they refer to an event of another origin not pulled yet. */
  readonly deferred: number;
  /** Incidents that got new events (their rooms refresh). */
  readonly incidents: readonly string[];
  /** The events of kinds this version knows, as recorded here. */
  readonly events: readonly KnownEvent[];
}

export interface Replica {
  /** This journal's installation id (made on first use, kept in the file). */
  installation(): string;
  /** Local events not yet pushed, oldest first, at most `limit`. */
  outgoing(limit: number): OutgoingEvent[];
  /** How many local events wait to be pushed. */
  waiting(): number;
  /** The server has every local event up to `seq`. */
  pushed(seq: number): void;
  /** Per origin, the highest origin_seq stored here. */
  cursors(): Record<string, number>;
  /** Stores pulled events (one transaction); see StoredResult. */
  store(events: readonly PulledEvent[]): StoredResult;
  /** Small persistent facts of the replication (last success, offline since), for `team status`. */
  get(name: string): string | undefined;
  set(name: string, value: string | undefined): void;
}

interface OutRow {
  seq: number;
  at: number;
  kind: string;
  incident_id: string | null;
  who_kind: string;
  who_id: string;
  who_name: string | null;
  payload: string;
  key: string | null;
}

export function createReplica(
  db: Database.Database,
  hooks: {
    readonly apply: (event: KnownEvent) => void;
    readonly stored: (counts: ReadonlyMap<string, number>) => void;
  },
): Replica {
  const s = {
    get: db.prepare(`SELECT value FROM team_state WHERE name = ?`).pluck(),
    set: db.prepare(
      `INSERT INTO team_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    ),
    setIfAbsent: db.prepare(`INSERT INTO team_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`),
    unset: db.prepare(`DELETE FROM team_state WHERE name = ?`),
    outgoing: db.prepare(
      `SELECT seq, at, kind, incident_id, who_kind, who_id, who_name, payload, key FROM events WHERE origin IS NULL AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    waiting: db.prepare(`SELECT count(*) FROM events WHERE origin IS NULL AND seq > ?`).pluck(),
    identity: db.prepare(`SELECT origin, origin_seq FROM events WHERE seq = ?`),
    local: db.prepare(`SELECT seq FROM events WHERE origin = ? AND origin_seq = ?`).pluck(),
    exists: db.prepare(`SELECT 1 FROM events WHERE seq = ?`).pluck(),
    insert: db.prepare(
      `INSERT INTO events (at, kind, incident_id, who_kind, who_id, who_name, payload, key, origin, origin_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING seq`,
    ),
    cursors: db.prepare(`SELECT origin, seq FROM team_cursors`),
    cursorOf: db.prepare(`SELECT seq FROM team_cursors WHERE origin = ?`).pluck(),
    cursor: db.prepare(
      `INSERT INTO team_cursors (origin, seq) VALUES (?, ?) ON CONFLICT (origin) DO UPDATE SET seq = max(seq, excluded.seq)`,
    ),
  };

  const get = (name: string) => s.get.get(name) as string | undefined;
  let me: string | undefined;
  function installation(): string {
    if (me) return me;
    // Two processes on one file may both make one: the first written wins, and both read it back.
    s.setIfAbsent.run('installation', `i-${randomBytes(6).toString('hex')}`);
    me = get('installation')!;
    return me;
  }
  const cursorOf = (origin: string) => s.cursorOf.get(origin) as number | undefined;
  const pushedSeq = () => Number(get('pushed') ?? 0);

  function globalRef(seq: number): GlobalRef | undefined {
    const row = s.identity.get(seq) as { origin: string | null; origin_seq: number | null } | undefined;
    if (!row) return undefined;
    return row.origin === null ? { origin: installation(), seq } : { origin: row.origin, seq: row.origin_seq! };
  }

  function localSeq(ref: GlobalRef): number | undefined {
    if (ref.origin === installation()) return (s.exists.get(ref.seq) as number | undefined) ? ref.seq : undefined;
    return s.local.get(ref.origin, ref.seq) as number | undefined;
  }

  const store = db.transaction((events: readonly PulledEvent[]): StoredResult & { counts: Map<string, number> } => {
    const self = installation();
    let duplicates = 0;
    let refused = 0;
    const recorded: KnownEvent[] = [];
    const counts = new Map<string, number>();
    // An origin whose event waits for one it refers to is not read further in this batch (its cursor stays).
    const blocked = new Set<string>();
    let deferred = 0;
    let inserted = 0;
    for (const e of events) {
      if (blocked.has(e.origin)) {
        deferred++;
        continue;
      }
      let payload = e.payload;
      const field = REFERENCES[e.kind];
      if (field && e.origin !== self) {
        const ref = e.refs?.[field];
        const seq = ref && localSeq(ref);
        if (seq === undefined) {
          // Not here yet (its origin's pull is behind: it comes in a later batch), or never coming (expired on
          // the server, or no reference at all): the first waits, the second is refused.
          if (ref && ref.origin !== self && ref.seq > (cursorOf(ref.origin) ?? 0)) {
            blocked.add(e.origin);
            deferred++;
            continue;
          }
          s.cursor.run(e.origin, e.originSeq);
          refused++;
          continue;
        }
        payload = { ...(payload as Record<string, unknown>), [field]: seq };
      }
      s.cursor.run(e.origin, e.originSeq);
      if (e.origin === self) {
        duplicates++;
        continue;
      }
      payload = redactDeep(payload);
      const known = isEventKind(e.kind);
      let parsed: ParsedEvent | undefined;
      if (known) {
        const v = validateEvent({
          kind: e.kind,
          at: e.at,
          who: e.who,
          ...(e.incidentId !== undefined ? { incidentId: e.incidentId } : {}),
          ...(e.key !== undefined ? { key: e.key } : {}),
          payload,
        });
        if (!v.ok) {
          refused++;
          continue;
        }
        parsed = v.event;
        payload = parsed.payload;
      }
      // A kind from a newer version is kept as it came (read back as `unknown`), like any journal does.
      const row = s.insert.get(
        e.at,
        e.kind,
        e.incidentId ?? null,
        e.who.kind,
        e.who.id,
        e.who.name ?? null,
        JSON.stringify(payload),
        e.key ?? null,
        e.origin,
        e.originSeq,
      ) as { seq: number } | undefined;
      if (!row) {
        duplicates++;
        continue;
      }
      inserted++;
      if (parsed) {
        const event = { ...parsed, at: e.at, seq: row.seq } as KnownEvent;
        try {
          db.transaction(() => hooks.apply(event))();
        } catch (error) {
          if (!(error instanceof JournalError)) throw error;
          // It refers to something this journal has not got: kept as a record, shown by no projection.
        }
        recorded.push(event);
      }
      if (e.incidentId !== undefined) counts.set(e.incidentId, (counts.get(e.incidentId) ?? 0) + 1);
    }
    return { stored: inserted, duplicates, refused, deferred, incidents: [...counts.keys()], events: recorded, counts };
  });

  return {
    installation,
    outgoing(limit) {
      const rows = s.outgoing.all(pushedSeq(), limit) as OutRow[];
      return rows.map((r) => {
        let payload: unknown;
        try {
          payload = JSON.parse(r.payload);
        } catch {
          payload = r.payload;
        }
        const field = REFERENCES[r.kind];
        const refSeq =
          field && payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[field] : undefined;
        const ref = typeof refSeq === 'number' ? globalRef(refSeq) : undefined;
        return {
          seq: r.seq,
          origin: installation(),
          originSeq: r.seq,
          at: r.at,
          kind: r.kind,
          ...(r.incident_id !== null ? { incidentId: r.incident_id } : {}),
          who:
            r.who_name === null
              ? { kind: r.who_kind, id: r.who_id }
              : { kind: r.who_kind, id: r.who_id, name: r.who_name },
          payload,
          ...(ref && field ? { refs: { [field]: ref } } : {}),
          ...(r.key !== null ? { key: r.key } : {}),
        };
      });
    },
    waiting: () => s.waiting.get(pushedSeq()) as number,
    pushed(seq) {
      db.transaction(() => {
        if (seq > pushedSeq()) s.set.run('pushed', String(seq));
      }).immediate();
    },
    cursors() {
      const out: Record<string, number> = {};
      for (const r of s.cursors.all() as { origin: string; seq: number }[]) out[r.origin] = r.seq;
      return out;
    },
    store(events) {
      const result = store.immediate(events);
      if (result.counts.size) hooks.stored(result.counts);
      const { counts: _counts, ...rest } = result;
      return rest;
    },
    get,
    set(name, value) {
      if (value === undefined) s.unset.run(name);
      else s.set.run(name, value);
    },
  };
}
