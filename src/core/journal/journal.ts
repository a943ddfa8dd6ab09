import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as z from 'zod';
import { JournalError, storageFailure } from './errors.js';
import { checkIntegrity, guardStorage } from './guard.js';
import { createLeases, type Lease, type LeaseHolder, type LeaseTaken } from './leases.js';
import {
  decodeRow,
  EVENT_COLUMNS,
  INCIDENT_SOURCES,
  validateEvent,
  type EventInput,
  type EventKind,
  type EventRow,
  type IncidentSource,
  type JournalEvent,
  type KnownEvent,
  type ParsedEvent,
  type Who,
} from './events.js';
import { migrate } from './migrations.js';
import { createOutbox, type AddNote, type MirrorOptions, type MirrorResult, type MirrorStatus } from './outbox.js';
import {
  createProjections,
  type AlarmStateRecord,
  type FollowUp,
  type FollowUpFilter,
  type Handoff,
  type HandoffFilter,
} from './projections.js';
import { redactDeep, redactSecrets } from './secrets.js';
import { createResume } from './resume.js';
import { createReplica, type Replica } from './replica.js';
import type { IncidentState } from './state.js';

/**
 * The incident journal: everything the responder sees and does, in one SQLite file, so that handoffs,
 * incident reports and postmortems are written from it.
 *
 * Durability. The file is in WAL mode with synchronous=FULL: every commit fsyncs the WAL before it returns,
 * so append() returns only once the event is on stable storage — it survives SIGKILL and also a power cut
 * or kernel panic. synchronous=NORMAL under WAL would also survive SIGKILL (the WAL write is in the page
 * cache before the commit returns) and never corrupt the file, but the last commits before a power loss
 * could roll back: an event the responder saw as "recorded" would be gone. The price is one fsync per
 * commit: an append measured p50 ≈ 0.2 ms, p99 ≈ 0.4–0.5 ms on an ext4 VM disk when the disk is quiet,
 * several ms while other processes load the same disk (fsync waits for the device). That suits this
 * product's write rate (a person's actions, alarm transitions); appendMany() puts a burst in one
 * transaction and one fsync. On macOS, fsync does not flush the drive's cache, so fullfsync is turned on
 * there (slower, still per human action). SIGKILL tests cannot tell FULL from NORMAL (both survive a
 * killed process); FULL is for the power cut, which no test here simulates.
 *
 * Every public method is synchronous (better-sqlite3): when it returns, it has happened. Statements are
 * prepared once per journal (queries: once per shape of filter) and reused.
 */

export interface OpenOptions {
  /** PagerDuty is configured: timeline events of PagerDuty incidents are queued for mirroring as notes. */
  readonly mirror?: boolean;
  /** The clock for events written without `at` and for incident timestamps (default Date.now). */
  readonly now?: () => number;
  /** When resume snapshots are written (resume.ts); the defaults suit the budget, tests lower them. */
  readonly resume?: { readonly snapshotAfter?: number; readonly refreshEvery?: number; readonly lagMs?: number };
}

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface IncidentRecord {
  readonly id: string;
  readonly title: string;
  readonly priority?: 'P1' | 'P2' | 'P3' | 'P4';
  readonly service?: { readonly id: string; readonly name: string };
  readonly status: IncidentStatus;
  readonly source: IncidentSource;
  readonly url?: string;
  readonly createdAt: number;
  readonly acknowledgedAt?: number;
  readonly resolvedAt?: number;
  readonly updatedAt: number;
  /** The sandbox run it belongs to ('' for real sources). */
  readonly run: string;
  readonly escalationLevel?: number;
  /** Who it is assigned to, as its source last said (names). */
  readonly assignees?: readonly string[];
  /** The alarms grouped into it. */
  readonly alarmNames: readonly string[];
  /** Its number as PagerDuty shows it (#1042). */
  readonly number?: number;
}

const incidentInput = z
  .object({
    id: z.string().trim().min(1, 'must not be empty'),
    title: z.string().trim().min(1, 'an incident needs a title'),
    priority: z.enum(['P1', 'P2', 'P3', 'P4']).optional(),
    service: z
      .object({ id: z.string().min(1), name: z.string().min(1) })
      .strict()
      .optional(),
    status: z.enum(['triggered', 'acknowledged', 'resolved']),
    source: z.enum(INCIDENT_SOURCES),
    url: z.url().optional(),
    createdAt: z.number().int().min(0),
    acknowledgedAt: z.number().int().min(0).optional(),
    resolvedAt: z.number().int().min(0).optional(),
  })
  .strict();
export type IncidentInput = z.input<typeof incidentInput>;

export interface IncidentFilter {
  readonly status?: IncidentStatus | readonly IncidentStatus[];
  readonly source?: IncidentSource;
  /** Only incidents of this sandbox run ('' for real sources). */
  readonly run?: string;
  /** Created at or after / before (epoch ms). */
  readonly since?: number;
  readonly until?: number;
}

export interface EventQuery {
  readonly incidentId?: string;
  /** Time range [since, until) on the event's `at`. */
  readonly since?: number;
  readonly until?: number;
  readonly kinds?: readonly (EventKind | string)[];
  /** Only action events of these catalogue actions (payload.actionId). */
  readonly actionIds?: readonly string[];
  /** Only events recorded after this seq (to follow the journal). */
  readonly afterSeq?: number;
  readonly limit?: number;
}

/** An appended event, as stored (trimmed, clamped, secrets redacted), with its seq. */
export type Appended = KnownEvent & {
  /** True when an event with the same key was already recorded: this is that event, nothing was added. */
  readonly duplicate: boolean;
};

export interface Journal {
  readonly path: string;
  /** Records one event; returns after it is durable. Invalid events throw JournalError naming the field. */
  append(event: EventInput): Appended;
  /** Records several events in one transaction (all or none); returns after they are durable. */
  appendMany(events: readonly EventInput[]): Appended[];
  /** Creates or updates an incident; omitted optional fields keep what is stored. */
  upsertIncident(incident: IncidentInput): IncidentRecord;
  incident(id: string): IncidentRecord | undefined;
  /** Newest first. */
  incidents(filter?: IncidentFilter): IncidentRecord[];
  /** Events ordered by time, then seq. */
  query(q?: EventQuery): JournalEvent[];
  /**
   * The incident room's current state rebuilt from its events (resume.ts: folded onto a snapshot when one
   * is usable; `rebuild: true` folds every event). Meant for opening a room: afterwards, fold the events
   * as they are appended with reduceIncidentState(id, [event], state) instead of calling this again.
   */
  incidentState(incidentId: string, options?: { readonly rebuild?: boolean }): IncidentState;
  addFollowUp(input: {
    text: string;
    owner: string;
    who: Who;
    incidentId?: string;
    dueAt?: number;
    at?: number;
  }): FollowUp;
  closeFollowUp(id: number, input: { who: Who; resolution?: string; at?: number }): FollowUp;
  followUps(filter?: FollowUpFilter): FollowUp[];
  /** What the journal last knew of each alarm of a run ('' for real sources). */
  alarmStates(run?: string): AlarmStateRecord[];
  addHandoff(input: { text: string; who: Who; to?: Who; incidentIds?: string[]; at?: number }): Handoff;
  acknowledgeHandoff(id: number, input: { who: Who; text?: string; at?: number }): Handoff;
  handoffs(filter?: HandoffFilter): Handoff[];
  /** Sends pending mirrors to PagerDuty as notes (outbox.ts). */
  mirrorPending(addNote: AddNote, options?: MirrorOptions): Promise<MirrorResult>;
  mirrorStatus(): MirrorStatus;
  /** SQLite's full integrity_check (doctor); throws a JournalError of kind 'corrupt' when the file is damaged. */
  integrityCheck(): void;
  /** Who runs an incident room's automatic steps now, if anyone (leases.ts). */
  lease(incidentId: string, now?: number): Lease | undefined;
  /** Takes the room's lease unless another live holder has it (atomically); says who holds it otherwise. */
  takeLease(incidentId: string, holder: LeaseHolder, ttlMs: number, now?: number): LeaseTaken;
  /** Extends a lease this holder has; false when it was lost (expired and taken by another). */
  renewLease(incidentId: string, token: string, ttlMs: number, now?: number): boolean;
  releaseLease(incidentId: string, token: string): void;
  /** The team timeline's local side (replica.ts): what to push, what was pulled. */
  readonly replica: Replica;
  /**
   * Told after events are recorded, by this process (`local`) or pulled from the team server (`team`),
   * with the incidents they belong to: what a screen showing the journal refreshes on. Returns the unsubscribe.
   */
  onChange(listener: (change: JournalChange) => void): () => void;
  close(): void;
}

/** Events were recorded (see Journal.onChange). */
export interface JournalChange {
  readonly origin: 'local' | 'team';
  readonly incidentIds: readonly string[];
  readonly count: number;
}

interface IncidentRow {
  id: string;
  title: string;
  priority: IncidentRecord['priority'] | null;
  service_id: string | null;
  service_name: string | null;
  status: IncidentStatus;
  source: IncidentSource;
  url: string | null;
  created_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  updated_at: number;
  run: string;
  escalation_level: number | null;
  assignees: string | null;
  alarm_names: string;
  number: number | null;
}

function toIncident(r: IncidentRow): IncidentRecord {
  return {
    id: r.id,
    title: r.title,
    ...(r.priority !== null ? { priority: r.priority } : {}),
    ...(r.service_id !== null ? { service: { id: r.service_id, name: r.service_name ?? r.service_id } } : {}),
    status: r.status,
    source: r.source,
    ...(r.url !== null ? { url: r.url } : {}),
    createdAt: r.created_at,
    ...(r.acknowledged_at !== null ? { acknowledgedAt: r.acknowledged_at } : {}),
    ...(r.resolved_at !== null ? { resolvedAt: r.resolved_at } : {}),
    updatedAt: r.updated_at,
    run: r.run,
    ...(r.escalation_level !== null ? { escalationLevel: r.escalation_level } : {}),
    ...(r.assignees !== null ? { assignees: JSON.parse(r.assignees) as string[] } : {}),
    alarmNames: JSON.parse(r.alarm_names) as string[],
    ...(r.number !== null ? { number: r.number } : {}),
  };
}

/** WAL pages after which SQLite checkpoints inside a commit, when the idle checkpoint has not run. */
const CHECKPOINT_BACKSTOP_PAGES = 10_000;
/** Quiet time after the last write before the WAL is checkpointed. */
const CHECKPOINT_IDLE_MS = 1_000;

const STATUS_RANK: Readonly<Record<IncidentStatus, number>> = { triggered: 0, acknowledged: 1, resolved: 2 };

function rejected(index: number | undefined, field: string, message: string): JournalError {
  const which = index === undefined ? 'event' : `event ${index}`;
  return new JournalError(`${which} rejected: ${field}: ${message}`, undefined, field);
}

/**
 * Makes a new file's directory entry durable (SQLite does this itself for the -wal file it creates, not
 * for a database file created by us). Not possible on Windows, where NTFS journals metadata anyway.
 */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens (creating if needed) the journal file and brings its schema up to date. */
export function openJournal(file: string, options: OpenOptions = {}): Journal {
  const clock = options.now ?? Date.now;
  let db: Database.Database;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Created private before SQLite opens it: the -wal and -shm files take the same permissions.
    if (!fs.existsSync(file)) {
      fs.closeSync(fs.openSync(file, 'a', 0o600));
      syncDirectory(path.dirname(file));
    }
    db = new Database(file, { timeout: 5_000 });
  } catch (error) {
    throw (
      storageFailure(file, error) ??
      new JournalError(`${file}: cannot open the journal: ${(error as Error).message}`, file)
    );
  }
  try {
    // A file damaged mid-way (a bad disk, a copy cut short) is named now, not when a room stops on it later.
    // quick_check reads every page once (measured: about 0.1 s for a 32 MB journal); doctor runs the full integrity_check.
    checkIntegrity(db, file, 'quick_check');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`the file system does not support WAL (journal_mode is ${String(mode)})`);
    db.pragma('synchronous = FULL');
    if (process.platform === 'darwin') {
      db.pragma('fullfsync = ON');
      db.pragma('checkpoint_fullfsync = ON');
    }
    db.pragma('foreign_keys = ON');
    // Checkpoints (copying the WAL into the database file, with its own fsyncs) run when the journal has
    // been idle for a moment (below), not inside an append: only a burst that fills 10,000 pages
    // (~40 MB) without a pause makes an append pay for one. The WAL is cut back to 16 MB afterwards.
    db.pragma(`wal_autocheckpoint = ${CHECKPOINT_BACKSTOP_PAGES}`);
    db.pragma(`journal_size_limit = ${16 * 1024 * 1024}`);
    migrate(db, file);
  } catch (error) {
    db.close();
    if (error instanceof JournalError) throw error;
    throw (
      storageFailure(file, error) ??
      new JournalError(`${file}: cannot open the journal: ${(error as Error).message}`, file)
    );
  }

  const projections = createProjections(db);
  const leases = createLeases(db);
  const outbox = createOutbox(db, options.mirror ?? false);
  const resume = createResume(db, { ...options.resume, now: clock });
  const listeners = new Set<(change: JournalChange) => void>();
  const changed = (change: JournalChange) => {
    for (const l of listeners) {
      try {
        l(change);
      } catch {
        // A listener's failure is its own; the event is recorded.
      }
    }
  };
  const replica = createReplica(db, {
    apply: (e) => projections.apply(e, true),
    stored(counts) {
      for (const [id, n] of counts) resume.recorded(id, n);
      wrote();
    },
  });

  const s = {
    insert: db.prepare(
      `INSERT INTO events (at, kind, incident_id, who_kind, who_id, who_name, payload, key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING RETURNING seq`,
    ),
    byKey: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE key = ?`).raw(),
    incident: db.prepare(`SELECT * FROM incidents WHERE id = ?`),
    upsertIncident: db.prepare(
      `INSERT INTO incidents (id, title, priority, service_id, service_name, status, source, url, created_at, acknowledged_at, resolved_at, updated_at)
       VALUES (@id, @title, @priority, @serviceId, @serviceName, @status, @source, @url, @createdAt, @acknowledgedAt, @resolvedAt, @now)
       ON CONFLICT (id) DO UPDATE SET
         title = excluded.title,
         priority = coalesce(excluded.priority, priority),
         service_id = coalesce(excluded.service_id, service_id),
         service_name = coalesce(excluded.service_name, service_name),
         status = excluded.status,
         source = excluded.source,
         url = coalesce(excluded.url, url),
         created_at = min(created_at, excluded.created_at),
         acknowledged_at = coalesce(acknowledged_at, excluded.acknowledged_at),
         resolved_at = coalesce(excluded.resolved_at, resolved_at),
         updated_at = max(updated_at, excluded.updated_at)`,
    ),
  };
  const cache = new Map<string, Database.Statement>();
  const prepared = (sql: string, raw = false) => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = raw ? db.prepare(sql).raw() : db.prepare(sql)));
    return stmt;
  };

  /** Validates, normalises and redacts; throws JournalError naming the field. */
  function prepare(input: EventInput, index?: number): ParsedEvent & { at: number } {
    const v = validateEvent(input);
    if (!v.ok) throw rejected(index, v.field, v.message);
    const e = v.event;
    return { ...e, at: e.at ?? clock(), payload: redactDeep(e.payload) } as ParsedEvent & { at: number };
  }

  function insert(e: ParsedEvent & { at: number }, index?: number): Appended {
    const row = s.insert.get(
      e.at,
      e.kind,
      e.incidentId ?? null,
      e.who.kind,
      e.who.id,
      e.who.name ?? null,
      JSON.stringify(e.payload),
      e.key ?? null,
    ) as { seq: number } | undefined;
    if (!row) {
      const existing = decodeRow(s.byKey.get(e.key) as EventRow);
      return { ...(existing.kind === 'unknown' ? { ...e, seq: existing.seq } : existing), duplicate: true } as Appended;
    }
    const recorded = { ...e, seq: row.seq } as KnownEvent;
    try {
      projections.apply(recorded);
    } catch (error) {
      if (error instanceof JournalError && index !== undefined)
        throw new JournalError(error.message.replace(/^event /, `event ${index} `), undefined, error.field);
      throw error;
    }
    outbox.enqueue(recorded);
    return { ...recorded, duplicate: false } as Appended;
  }

  let closed = false;
  let idle: NodeJS.Timeout | undefined;
  /** (Re)starts the idle timer after a write; when it fires, a PASSIVE checkpoint runs (it never waits for other connections). */
  function wrote(): void {
    if (idle) {
      idle.refresh();
      return;
    }
    idle = setTimeout(() => {
      idle = undefined;
      if (closed) return;
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // Busy or failing: the next idle moment, the backstop, or close() checkpoints instead.
      }
    }, CHECKPOINT_IDLE_MS);
    idle.unref();
  }

  const appendOne = db.transaction((e: ParsedEvent & { at: number }) => insert(e));
  const appendAll = db.transaction((events: (ParsedEvent & { at: number })[]) => events.map((e, i) => insert(e, i)));

  const journal: Journal = {
    path: file,
    append(event) {
      const recorded = appendOne.immediate(prepare(event));
      wrote();
      if (!recorded.duplicate && recorded.incidentId !== undefined) resume.recorded(recorded.incidentId, 1);
      if (!recorded.duplicate && listeners.size)
        changed({
          origin: 'local',
          incidentIds: recorded.incidentId !== undefined ? [recorded.incidentId] : [],
          count: 1,
        });
      return recorded;
    },
    appendMany(events) {
      const parsed = events.map((e, i) => prepare(e, i));
      if (!parsed.length) return [];
      const recorded = appendAll.immediate(parsed);
      wrote();
      const counts = new Map<string, number>();
      for (const e of recorded)
        if (!e.duplicate && e.incidentId !== undefined) counts.set(e.incidentId, (counts.get(e.incidentId) ?? 0) + 1);
      for (const [id, n] of counts) resume.recorded(id, n);
      const added = recorded.filter((e) => !e.duplicate).length;
      if (added && listeners.size) changed({ origin: 'local', incidentIds: [...counts.keys()], count: added });
      return recorded;
    },
    upsertIncident(input) {
      const r = incidentInput.safeParse(input);
      if (!r.success) {
        const issue = r.error.issues[0]!;
        const field = issue.path.join('.') || '(incident)';
        throw new JournalError(`incident rejected: ${field}: ${issue.message}`, undefined, field);
      }
      const i = r.data;
      s.upsertIncident.run({
        id: i.id,
        title: redactSecrets(i.title),
        priority: i.priority ?? null,
        serviceId: i.service?.id ?? null,
        serviceName: i.service?.name ?? null,
        status: i.status,
        source: i.source,
        url: i.url ?? null,
        createdAt: i.createdAt,
        acknowledgedAt: i.acknowledgedAt ?? null,
        resolvedAt: i.resolvedAt ?? null,
        now: clock(),
      });
      wrote();
      return journal.incident(i.id)!;
    },
    incident(id) {
      const row = s.incident.get(id) as IncidentRow | undefined;
      return row && toIncident(row);
    },
    incidents(filter = {}) {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter.status !== undefined) {
        where.push('status IN (SELECT value FROM json_each(@statuses))');
        params.statuses = JSON.stringify(typeof filter.status === 'string' ? [filter.status] : filter.status);
      }
      if (filter.source !== undefined) {
        where.push('source = @source');
        params.source = filter.source;
      }
      if (filter.run !== undefined) {
        where.push('run = @run');
        params.run = filter.run;
      }
      if (filter.since !== undefined) {
        where.push('created_at >= @since');
        params.since = filter.since;
      }
      if (filter.until !== undefined) {
        where.push('created_at < @until');
        params.until = filter.until;
      }
      const sql = `SELECT * FROM incidents${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id`;
      return (prepared(sql).all(params) as IncidentRow[]).map(toIncident);
    },
    query(q = {}) {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (q.incidentId !== undefined) {
        where.push('incident_id = @incidentId');
        params.incidentId = q.incidentId;
      }
      if (q.since !== undefined) {
        where.push('at >= @since');
        params.since = q.since;
      }
      if (q.until !== undefined) {
        where.push('at < @until');
        params.until = q.until;
      }
      if (q.afterSeq !== undefined) {
        where.push('seq > @afterSeq');
        params.afterSeq = q.afterSeq;
      }
      if (q.kinds !== undefined) {
        where.push('kind IN (SELECT value FROM json_each(@kinds))');
        params.kinds = JSON.stringify(q.kinds);
      }
      if (q.actionIds !== undefined) {
        where.push("json_extract(payload, '$.actionId') IN (SELECT value FROM json_each(@actionIds))");
        params.actionIds = JSON.stringify(q.actionIds);
      }
      let sql = `SELECT ${EVENT_COLUMNS} FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at, seq`;
      if (q.limit !== undefined) {
        sql += ' LIMIT @limit';
        params.limit = q.limit;
      }
      return (prepared(sql, true).all(params) as EventRow[]).map(decodeRow);
    },
    incidentState(incidentId, opts) {
      const state = resume.incidentState(incidentId, opts);
      const record = journal.incident(incidentId);
      if (record) {
        // The source's record and the events may each be ahead of the other: the further status wins.
        state.title ??= record.title;
        if (!state.status || STATUS_RANK[record.status] > STATUS_RANK[state.status]) state.status = record.status;
      }
      return state;
    },
    addFollowUp(input) {
      const { text, owner, who, incidentId, dueAt, at } = input;
      const e = journal.append({
        kind: 'followup.added',
        who,
        ...(incidentId !== undefined ? { incidentId } : {}),
        ...(at !== undefined ? { at } : {}),
        payload: { text, owner, ...(dueAt !== undefined ? { dueAt } : {}) },
      });
      return projections.followUp(e.seq)!;
    },
    closeFollowUp(id, input) {
      const existing = projections.followUp(id);
      journal.append({
        kind: 'followup.closed',
        who: input.who,
        ...(existing?.incidentId !== undefined ? { incidentId: existing.incidentId } : {}),
        ...(input.at !== undefined ? { at: input.at } : {}),
        payload: { followUpId: id, ...(input.resolution !== undefined ? { resolution: input.resolution } : {}) },
      });
      return projections.followUp(id)!;
    },
    followUps: (filter) => projections.followUps(filter),
    alarmStates: (run = '') => projections.alarmStates(run),
    addHandoff(input) {
      const e = journal.append({
        kind: 'handoff.note',
        who: input.who,
        ...(input.at !== undefined ? { at: input.at } : {}),
        payload: {
          text: input.text,
          ...(input.to ? { to: input.to } : {}),
          ...(input.incidentIds ? { incidentIds: input.incidentIds } : {}),
        },
      });
      return projections.handoff(e.seq)!;
    },
    acknowledgeHandoff(id, input) {
      journal.append({
        kind: 'handoff.acknowledged',
        who: input.who,
        ...(input.at !== undefined ? { at: input.at } : {}),
        payload: { handoffId: id, ...(input.text !== undefined ? { text: input.text } : {}) },
      });
      return projections.handoff(id)!;
    },
    handoffs: (filter) => projections.handoffs(filter),
    mirrorPending: (addNote, options) => outbox.mirrorPending(addNote, options),
    mirrorStatus: () => outbox.status(),
    integrityCheck: () => checkIntegrity(db, file, 'integrity_check'),
    lease: (incidentId, now) => leases.current(incidentId, now),
    takeLease: (incidentId, holder, ttlMs, now) => leases.take(incidentId, holder, ttlMs, now),
    renewLease: (incidentId, token, ttlMs, now) => leases.renew(incidentId, token, ttlMs, now),
    releaseLease: (incidentId, token) => leases.release(incidentId, token),
    replica: {
      ...replica,
      store(events) {
        const result = replica.store(events);
        if (result.stored && listeners.size)
          changed({ origin: 'team', incidentIds: result.incidents, count: result.stored });
        return result;
      },
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      if (closed) return;
      closed = true;
      if (idle) clearTimeout(idle);
      resume.close();
      db.close();
    },
  };
  return guardStorage(journal, file);
}
