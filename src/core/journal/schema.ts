/**
 * The journal's tables, as a list of versioned migrations. A migration is never edited once released:
 * a change to the schema is a new entry at the end, and PRAGMA user_version records how many have run.
 *
 * Version 1:
 * - events: the append-only log (rows are never updated or deleted, so the rowid `seq` is never reused
 *   without the cost of AUTOINCREMENT's extra page write per append). `seq` orders events recorded in the
 *   same millisecond; `at` is when it happened (epoch ms), which may be earlier than when it was recorded
 *   (an alarm transition seen late). `payload` is the kind's JSON. `key` is an optional idempotency key:
 *   recording the same observation twice (a poller seeing one alarm transition on every refresh) keeps
 *   one event; its index is partial so that events without a key cost no index write.
 *   Indexes: by incident in time order (queries, full resume), by incident and seq (what is new since a
 *   resume snapshot), by time (time-range and kind queries). Every index is a page written per append,
 *   so there are no more than these.
 * - incidents: one row per incident the responder worked, upserted from the sources and from the
 *   incident.* events.
 * - follow_ups, handoffs: projections of the followup.* and handoff.* events, kept in the same transaction
 *   as the event, so that "open follow-ups" and "unacknowledged handoffs" are one indexed query. Their id
 *   is the seq of the event that created them.
 * - mirror_outbox, mirror_batches: timeline events waiting to be mirrored to PagerDuty as notes. The
 *   outbox's primary key is the event (one mirror per event, ever); a batch is the unit sent as one note,
 *   and its id is the idempotency marker written into that note (outbox.ts).
 * - incident_snapshots: a cache of an incident room's state folded up to an event (resume.ts), so that
 *   resuming a long incident folds only the events since. Never the record: it can be dropped at any time
 *   and is ignored when the state's shape (reducer_version) changes.
 *
 * Version 3:
 * - room_leases: which live process runs an incident room's automatic steps (leases.ts); one row per room.
 *
 * Version 4 (the team timeline, replica.ts):
 * - events.origin, events.origin_seq: the global identity of an event pulled from the team server (the
 *   installation that recorded it and its seq there); NULL for events recorded here, whose identity is
 *   (this installation, seq). Unique where set, so a pulled event is stored once whatever the order.
 * - team_state: this installation's id, the push cursor (every local event up to it is on the server),
 *   the last round's outcome; team_cursors: per origin, the highest origin_seq stored here.
 */

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, incidents, follow-ups, handoffs, mirror outbox',
    sql: `
      CREATE TABLE events (
        seq         INTEGER PRIMARY KEY,
        at          INTEGER NOT NULL,
        kind        TEXT    NOT NULL,
        incident_id TEXT,
        who_kind    TEXT    NOT NULL,
        who_id      TEXT    NOT NULL,
        who_name    TEXT,
        payload     TEXT    NOT NULL,
        key         TEXT
      );
      CREATE UNIQUE INDEX events_key ON events (key) WHERE key IS NOT NULL;
      CREATE INDEX events_incident_time ON events (incident_id, at, seq);
      CREATE INDEX events_incident_seq ON events (incident_id, seq);
      CREATE INDEX events_time ON events (at, seq);

      CREATE TABLE incidents (
        id              TEXT    PRIMARY KEY,
        title           TEXT    NOT NULL,
        priority        TEXT,
        service_id      TEXT,
        service_name    TEXT,
        status          TEXT    NOT NULL CHECK (status IN ('triggered', 'acknowledged', 'resolved')),
        source          TEXT    NOT NULL CHECK (source IN ('sandbox', 'pagerduty', 'local')),
        url             TEXT,
        created_at      INTEGER NOT NULL,
        acknowledged_at INTEGER,
        resolved_at     INTEGER,
        updated_at      INTEGER NOT NULL
      );
      CREATE INDEX incidents_created ON incidents (created_at);

      CREATE TABLE follow_ups (
        id          INTEGER PRIMARY KEY REFERENCES events (seq),
        incident_id TEXT,
        text        TEXT    NOT NULL,
        owner       TEXT    NOT NULL,
        due_at      INTEGER,
        created_at  INTEGER NOT NULL,
        created_by  TEXT    NOT NULL,
        closed_at   INTEGER,
        closed_by   TEXT,
        resolution  TEXT
      );
      CREATE INDEX follow_ups_open ON follow_ups (closed_at, owner);
      CREATE INDEX follow_ups_incident ON follow_ups (incident_id);

      CREATE TABLE handoffs (
        id              INTEGER PRIMARY KEY REFERENCES events (seq),
        at              INTEGER NOT NULL,
        from_who        TEXT    NOT NULL,
        to_who          TEXT,
        text            TEXT    NOT NULL,
        incident_ids    TEXT    NOT NULL,
        acknowledged_at INTEGER,
        acknowledged_by TEXT,
        ack_text        TEXT
      );
      CREATE INDEX handoffs_at ON handoffs (at);

      CREATE TABLE mirror_batches (
        id                 TEXT    PRIMARY KEY,
        incident_id        TEXT    NOT NULL,
        text               TEXT    NOT NULL,
        first_seq          INTEGER NOT NULL,
        event_count        INTEGER NOT NULL,
        state              TEXT    NOT NULL CHECK (state IN ('ready', 'sending', 'failed', 'sent')),
        attempts           INTEGER NOT NULL DEFAULT 0,
        next_attempt_at    INTEGER NOT NULL,
        attempt_started_at INTEGER,
        lease_owner        TEXT,
        lease_until        INTEGER,
        last_error         TEXT,
        created_at         INTEGER NOT NULL,
        sent_at            INTEGER
      );
      CREATE INDEX mirror_batches_due ON mirror_batches (state, next_attempt_at);

      CREATE TABLE mirror_outbox (
        event_seq   INTEGER PRIMARY KEY REFERENCES events (seq),
        incident_id TEXT    NOT NULL,
        batch_id    TEXT    REFERENCES mirror_batches (id),
        sent_at     INTEGER
      );
      CREATE INDEX mirror_outbox_unbatched ON mirror_outbox (incident_id, event_seq) WHERE batch_id IS NULL;

      CREATE TABLE incident_snapshots (
        incident_id     TEXT    PRIMARY KEY,
        reducer_version INTEGER NOT NULL,
        watermark       INTEGER NOT NULL,
        head_seq        INTEGER NOT NULL,
        event_count     INTEGER NOT NULL,
        state           TEXT    NOT NULL,
        updated_at      INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'one timeline: incident assignees, escalation level, alarms and run; alarm states',
    // Projections of the timeline recorder's events (core/record): what the journal last knew of each
    // incident and alarm, so that the next observation is compared with the record, not with memory,
    // and a restart records nothing twice. `run` keeps sandbox runs (which replay the same simulated
    // times) apart; '' for real sources.
    sql: `
      ALTER TABLE incidents ADD COLUMN run TEXT NOT NULL DEFAULT '';
      ALTER TABLE incidents ADD COLUMN escalation_level INTEGER;
      ALTER TABLE incidents ADD COLUMN assignees TEXT;
      ALTER TABLE incidents ADD COLUMN alarm_names TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE incidents ADD COLUMN number INTEGER;
      CREATE INDEX incidents_open ON incidents (status, run);

      CREATE TABLE alarm_states (
        run        TEXT    NOT NULL,
        alarm_id   TEXT    NOT NULL,
        alarm_name TEXT    NOT NULL,
        state      TEXT    NOT NULL CHECK (state IN ('OK', 'ALARM', 'INSUFFICIENT_DATA')),
        since      INTEGER NOT NULL,
        seq        INTEGER NOT NULL,
        PRIMARY KEY (run, alarm_id)
      );
    `,
  },
  {
    version: 3,
    name: 'room leases',
    sql: `
      CREATE TABLE room_leases (
        incident_id TEXT    PRIMARY KEY,
        token       TEXT    NOT NULL,
        pid         INTEGER NOT NULL,
        host        TEXT    NOT NULL,
        user        TEXT    NOT NULL,
        since       INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'team timeline: global event identity, push cursor, pull cursors',
    sql: `
      ALTER TABLE events ADD COLUMN origin TEXT;
      ALTER TABLE events ADD COLUMN origin_seq INTEGER;
      CREATE UNIQUE INDEX events_origin ON events (origin, origin_seq) WHERE origin IS NOT NULL;
      CREATE TABLE team_state (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE team_cursors (
        origin TEXT    PRIMARY KEY,
        seq    INTEGER NOT NULL
      );
    `,
  },
];

/** The schema version this program writes; a file with a higher user_version is refused. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
