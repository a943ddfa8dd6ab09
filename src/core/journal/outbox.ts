import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type Database from 'better-sqlite3';
import { decodeRow, EVENT_COLUMNS, type EventKind, type EventRow, type KnownEvent } from './events.js';
import { eventLine, noteHeader } from './render.js';
import { redactSecrets } from './secrets.js';
import { redactOutgoing } from '../reports/redact.js';

/**
 * The PagerDuty mirror: timeline events of PagerDuty incidents are posted to the incident as notes,
 * batched (one note per incident per batch), retried with backoff, and never posted twice as far as the
 * outside world lets us know.
 *
 * How "never twice" is kept:
 * 1. An event enters the outbox in the same transaction that records it; the outbox is keyed by the
 *    event's seq, so an event is mirrored at most once by construction of the table.
 * 2. Pending events are grouped into batches. A batch gets a random marker (vo-…) that is written into the
 *    first line of its note, and its exact text is stored with it, so every attempt sends the same note.
 * 3. Before each attempt the batch is marked 'sending' (attempts + 1, a lease naming this host and process)
 *    and that is committed — durably, synchronous=FULL — before the note is sent. After the note service
 *    accepts it, the batch and its events are marked sent in one transaction. Another process leaves a
 *    leased batch alone until the lease ends (`leaseMs`), unless the lease holder no longer runs on this
 *    host (then it is taken over at once: that is the crash case).
 * 5. Per incident, notes go out in event order: a batch that fails holds back the later ones, and new
 *    events of that incident wait unbatched until it has gone (then they go out together).
 * 4. A batch found 'sending' or 'failed' when it is picked up again is uncertain: an earlier attempt may
 *    have reached PagerDuty (the process died between send and mark, or a timeout hid a success). When the
 *    caller can list the incident's notes (`existingNotes`), the marker is looked for first, and a batch
 *    already posted is marked sent without sending it again. The look-up waits `settleMs` after the
 *    uncertain attempt began, so that a request still in flight when the process died has landed.
 *
 * What remains (stated, not hidden): PagerDuty's notes API takes no idempotency key, so exactly-once is
 * not possible from this side alone. Without `existingNotes`, an uncertain batch is sent again — at least
 * once, possibly twice, and the duplicate carries the same marker so a reader can tell. With it, a
 * duplicate needs the earlier note to be accepted by PagerDuty yet not visible in its notes listing
 * `settleMs` after the attempt began (a request stuck in flight longer than that, or a lagging listing),
 * or a note whose marker was edited away. Two processes can only both send if one holds a batch past its
 * lease (a note call slower than `leaseMs`: give addNote a timeout shorter than the lease).
 */

/** Event kinds mirrored as notes: what the responder did and decided. Alarm transitions and incident
 * status changes are not mirrored: PagerDuty records those itself. */
export const MIRRORED_KINDS: ReadonlySet<EventKind> = new Set<EventKind>([
  'phase.entered',
  'step.done',
  'step.skipped',
  'action.applied',
  'action.verified',
  'action.failed',
  'note',
  'followup.added',
  'followup.closed',
]);

export type AddNote = (incidentId: string, text: string) => Promise<void>;

export interface MirrorOptions {
  /** Events per note (default 20). */
  readonly batchSize?: number;
  /** The time of this run (epoch ms; default Date.now()). Backoff and leases are measured with it. */
  readonly now?: number;
  /**
   * The text of the notes already on an incident (PagerDuty: GET /incidents/{id}/notes). When given, an
   * uncertain batch is looked for by its marker before it is sent again.
   */
  readonly existingNotes?: (incidentId: string) => Promise<readonly string[]>;
  /**
   * Applied to a note's body before it leaves the machine; by default redactOutgoing (secrets, personal
   * and health data, plain text). A caller may only make it stricter.
   */
  readonly redact?: (text: string) => string;
  /** First retry delay (default 5 s), doubled per attempt up to maxDelayMs (default 5 min). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How long a 'sending' claim keeps other processes off a batch (default 2 min). */
  readonly leaseMs?: number;
  /** How long after an uncertain attempt began the marker look-up waits (default 30 s). */
  readonly settleMs?: number;
  /** Longest note text (default 20,000 characters; PagerDuty's limit is 25,000). */
  readonly maxNoteChars?: number;
}

export interface MirrorResult {
  /** Notes posted in this run, and the events they carried. */
  readonly notesSent: number;
  readonly eventsSent: number;
  /** Uncertain batches found already on the incident and marked sent without sending. */
  readonly alreadyPresent: number;
  /** Batches that failed in this run (they will be retried after their backoff). */
  readonly failed: number;
  /** Batches not tried in this run: backing off, settling, leased by another process, or behind a failed one. */
  readonly deferred: number;
  readonly errors: readonly { readonly batchId: string; readonly incidentId: string; readonly error: string }[];
}

export interface MirrorStatus {
  /** Events not yet mirrored. */
  readonly pendingEvents: number;
  /** Batches waiting for a retry, the last error, and when the next attempt is due. */
  readonly failingBatches: number;
  readonly lastError?: string;
  readonly nextAttemptAt?: number;
}

interface BatchRow {
  id: string;
  incident_id: string;
  text: string;
  first_seq: number;
  event_count: number;
  state: 'ready' | 'sending' | 'failed' | 'sent';
  attempts: number;
  next_attempt_at: number;
  attempt_started_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
}

/** Whether the process named in a lease might still be running (a dead one on this host has lost it). */
function ownerAlive(owner: string): boolean {
  const [host, pidText] = owner.split('|');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function message(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error)).slice(0, 2000);
}

export interface Outbox {
  /** Queues a just-recorded event when it is to be mirrored; called inside the append transaction. */
  enqueue(event: KnownEvent): void;
  mirrorPending(addNote: AddNote, options?: MirrorOptions): Promise<MirrorResult>;
  status(): MirrorStatus;
}

export function createOutbox(db: Database.Database, enabled: boolean): Outbox {
  /** This process's lease name: host|pid|random, so a lease of a dead process on this host can be taken over. */
  const owner = `${os.hostname()}|${process.pid}|${randomBytes(4).toString('hex')}`;
  const s = {
    enqueue: db.prepare(
      `INSERT INTO mirror_outbox (event_seq, incident_id)
       SELECT @seq, id FROM incidents WHERE id = @incidentId AND source = 'pagerduty'
       ON CONFLICT (event_seq) DO NOTHING`,
    ),
    unbatched: db
      .prepare(
        `SELECT ${EVENT_COLUMNS.split(', ')
          .map((c) => `e.${c}`)
          .join(', ')} FROM mirror_outbox o JOIN events e ON e.seq = o.event_seq
         WHERE o.batch_id IS NULL AND o.incident_id NOT IN (SELECT incident_id FROM mirror_batches WHERE state != 'sent')
         ORDER BY o.incident_id, o.event_seq`,
      )
      .raw(),
    insertBatch: db.prepare(
      `INSERT INTO mirror_batches (id, incident_id, text, first_seq, event_count, state, next_attempt_at, created_at)
       VALUES (@id, @incidentId, @text, @firstSeq, @count, 'ready', @now, @now)`,
    ),
    assign: db.prepare(
      `UPDATE mirror_outbox SET batch_id = @id WHERE event_seq IN (SELECT value FROM json_each(@seqs)) AND batch_id IS NULL`,
    ),
    due: db.prepare(`SELECT * FROM mirror_batches WHERE state != 'sent' ORDER BY first_seq`),
    batch: db.prepare(`SELECT * FROM mirror_batches WHERE id = ?`),
    claim: db.prepare(
      `UPDATE mirror_batches SET state = 'sending', attempts = attempts + 1, attempt_started_at = @now,
         lease_owner = @owner, lease_until = @leaseUntil WHERE id = @id`,
    ),
    defer: db.prepare(
      `UPDATE mirror_batches SET state = CASE WHEN state = 'sending' THEN 'failed' ELSE state END, next_attempt_at = @at,
         lease_owner = NULL, lease_until = NULL WHERE id = @id`,
    ),
    sent: db.prepare(
      `UPDATE mirror_batches SET state = 'sent', sent_at = @now, lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE id = @id`,
    ),
    sentEvents: db.prepare(`UPDATE mirror_outbox SET sent_at = @now WHERE batch_id = @id`),
    fail: db.prepare(
      `UPDATE mirror_batches SET state = 'failed', next_attempt_at = @next, last_error = @error, lease_owner = NULL, lease_until = NULL WHERE id = @id`,
    ),
    pendingEvents: db.prepare(`SELECT count(*) AS n FROM mirror_outbox WHERE sent_at IS NULL`),
    failing: db.prepare(
      `SELECT count(*) AS n, min(next_attempt_at) AS next,
         (SELECT last_error FROM mirror_batches WHERE state = 'failed' ORDER BY next_attempt_at DESC LIMIT 1) AS lastError
       FROM mirror_batches WHERE state = 'failed'`,
    ),
  };

  /**
   * Groups unbatched events per incident into batches, each stored with its marker and exact note text.
   * An incident whose earlier batch is still unsent (failing, backing off) gets no new batch: its events
   * wait and go out together once it recovers, rather than as one small note per run of the mirror.
   */
  const formBatches = db.transaction(
    (now: number, batchSize: number, maxChars: number, redact: (t: string) => string) => {
      const rows = s.unbatched.all() as EventRow[];
      const flush = (incidentId: string, events: KnownEvent[], lines: string[]) => {
        const id = `vo-${randomBytes(6).toString('hex')}`;
        const text = `${noteHeader(id, events.length)}\n${redact(lines.join('\n'))}`;
        s.insertBatch.run({ id, incidentId, text, firstSeq: events[0]!.seq, count: events.length, now });
        s.assign.run({ id, seqs: JSON.stringify(events.map((e) => e.seq)) });
      };
      let incident: string | undefined;
      let events: KnownEvent[] = [];
      let lines: string[] = [];
      let size = 0;
      for (const row of rows) {
        const e = decodeRow(row) as KnownEvent;
        const line = eventLine(e);
        const full = events.length >= batchSize || (events.length > 0 && size + line.length + 1 > maxChars);
        if (incident !== undefined && (e.incidentId !== incident || full)) {
          flush(incident, events, lines);
          events = [];
          lines = [];
          size = 0;
        }
        incident = e.incidentId;
        events.push(e);
        lines.push(line);
        size += line.length + 1;
      }
      if (incident !== undefined && events.length) flush(incident, events, lines);
    },
  );

  type Claim = { kind: 'claimed'; batch: BatchRow; uncertain: boolean } | { kind: 'skip' } | { kind: 'deferred' };

  /** Takes a batch for one attempt, durably, before anything is sent. */
  const claim = db.transaction(
    (id: string, now: number, leaseMs: number, settleMs: number, canCheck: boolean): Claim => {
      const b = s.batch.get(id) as BatchRow | undefined;
      if (!b || b.state === 'sent') return { kind: 'skip' };
      if (b.next_attempt_at > now) return { kind: 'deferred' };
      if (
        b.state === 'sending' &&
        b.lease_owner !== owner &&
        (b.lease_until ?? 0) > now &&
        b.lease_owner &&
        ownerAlive(b.lease_owner)
      ) {
        return { kind: 'deferred' };
      }
      const uncertain = b.attempts > 0;
      if (uncertain && canCheck && b.attempt_started_at !== null && now - b.attempt_started_at < settleMs) {
        s.defer.run({ id, at: b.attempt_started_at + settleMs });
        return { kind: 'deferred' };
      }
      s.claim.run({ id, now, owner, leaseUntil: now + leaseMs });
      return { kind: 'claimed', batch: b, uncertain };
    },
  );

  const markSent = db.transaction((id: string, now: number) => {
    s.sent.run({ id, now });
    s.sentEvents.run({ id, now });
  });

  let running: Promise<MirrorResult> | undefined;

  async function run(addNote: AddNote, o: MirrorOptions): Promise<MirrorResult> {
    const now = o.now ?? Date.now();
    const batchSize = Math.max(1, Math.floor(o.batchSize ?? 20));
    const base = o.baseDelayMs ?? 5_000;
    const max = o.maxDelayMs ?? 300_000;
    const leaseMs = o.leaseMs ?? 120_000;
    const settleMs = o.settleMs ?? 30_000;
    formBatches.immediate(now, batchSize, o.maxNoteChars ?? 20_000, o.redact ?? redactOutgoing);

    let notesSent = 0;
    let eventsSent = 0;
    let alreadyPresent = 0;
    let failed = 0;
    let deferred = 0;
    const errors: { batchId: string; incidentId: string; error: string }[] = [];
    // A batch that could not go blocks the later batches of its incident in this run: notes keep their order.
    const blocked = new Set<string>();

    for (const candidate of s.due.all() as BatchRow[]) {
      if (blocked.has(candidate.incident_id)) {
        deferred += 1;
        continue;
      }
      const c = claim.immediate(candidate.id, now, leaseMs, settleMs, o.existingNotes !== undefined);
      if (c.kind === 'skip') continue;
      if (c.kind === 'deferred') {
        deferred += 1;
        blocked.add(candidate.incident_id);
        continue;
      }
      const b = c.batch;
      try {
        if (c.uncertain && o.existingNotes) {
          const notes = await o.existingNotes(b.incident_id);
          if (notes.some((n) => n.includes(b.id))) {
            markSent.immediate(b.id, now);
            alreadyPresent += 1;
            continue;
          }
        }
        await addNote(b.incident_id, b.text);
        markSent.immediate(b.id, now);
        notesSent += 1;
        eventsSent += b.event_count;
      } catch (error) {
        const attempts = b.attempts + 1;
        const text = message(error);
        s.fail.run({ id: b.id, next: now + Math.min(max, base * 2 ** (attempts - 1)), error: text });
        failed += 1;
        errors.push({ batchId: b.id, incidentId: b.incident_id, error: text });
        blocked.add(b.incident_id);
      }
    }
    return { notesSent, eventsSent, alreadyPresent, failed, deferred, errors };
  }

  return {
    enqueue(e) {
      if (!enabled || e.incidentId === undefined || e.who.kind !== 'local' || !MIRRORED_KINDS.has(e.kind)) return;
      s.enqueue.run({ seq: e.seq, incidentId: e.incidentId });
    },
    /** One run at a time per journal: a call while one is in flight gets that run's result. */
    mirrorPending(addNote, options = {}) {
      if (running) return running;
      running = run(addNote, options).finally(() => {
        running = undefined;
      });
      return running;
    },
    status() {
      const pending = (s.pendingEvents.get() as { n: number }).n;
      const f = s.failing.get() as { n: number; next: number | null; lastError: string | null };
      return {
        pendingEvents: pending,
        failingBatches: f.n,
        ...(f.lastError !== null ? { lastError: f.lastError } : {}),
        ...(f.next !== null ? { nextAttemptAt: f.next } : {}),
      };
    },
  };
}
