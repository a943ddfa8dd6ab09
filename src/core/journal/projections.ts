import type Database from 'better-sqlite3';
import { JournalError } from './errors.js';
import type { KnownEvent, Who } from './events.js';

/**
 * Tables derived from events, updated in the same transaction as the event that changes them: the
 * incident row's status, follow-ups and handoffs. The events stay the record; these exist so that "open
 * follow-ups of alice" or "the last unacknowledged handoff" is one indexed query instead of a scan, and
 * so that closing a follow-up that does not exist is refused when it is written rather than found later.
 */

export interface FollowUp {
  /** The seq of the followup.added event. */
  readonly id: number;
  readonly incidentId?: string;
  readonly text: string;
  readonly owner: string;
  readonly dueAt?: number;
  readonly createdAt: number;
  readonly createdBy: Who;
  readonly status: 'open' | 'closed';
  readonly closedAt?: number;
  readonly closedBy?: Who;
  readonly resolution?: string;
}

export interface FollowUpFilter {
  /** Default 'open'. */
  readonly status?: 'open' | 'closed' | 'all';
  readonly owner?: string;
  readonly incidentId?: string;
}

export interface Handoff {
  /** The seq of the handoff.note event. */
  readonly id: number;
  readonly at: number;
  readonly from: Who;
  readonly to?: Who;
  readonly text: string;
  readonly incidentIds: readonly string[];
  readonly acknowledged?: { readonly at: number; readonly by: Who; readonly text?: string };
}

export interface HandoffFilter {
  readonly since?: number;
  readonly until?: number;
  readonly unacknowledged?: boolean;
}

interface FollowUpRow {
  id: number;
  incident_id: string | null;
  text: string;
  owner: string;
  due_at: number | null;
  created_at: number;
  created_by: string;
  closed_at: number | null;
  closed_by: string | null;
  resolution: string | null;
}

interface HandoffRow {
  id: number;
  at: number;
  from_who: string;
  to_who: string | null;
  text: string;
  incident_ids: string;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  ack_text: string | null;
}

function toFollowUp(r: FollowUpRow): FollowUp {
  return {
    id: r.id,
    ...(r.incident_id !== null ? { incidentId: r.incident_id } : {}),
    text: r.text,
    owner: r.owner,
    ...(r.due_at !== null ? { dueAt: r.due_at } : {}),
    createdAt: r.created_at,
    createdBy: JSON.parse(r.created_by) as Who,
    status: r.closed_at === null ? 'open' : 'closed',
    ...(r.closed_at !== null ? { closedAt: r.closed_at } : {}),
    ...(r.closed_by !== null ? { closedBy: JSON.parse(r.closed_by) as Who } : {}),
    ...(r.resolution !== null ? { resolution: r.resolution } : {}),
  };
}

function toHandoff(r: HandoffRow): Handoff {
  return {
    id: r.id,
    at: r.at,
    from: JSON.parse(r.from_who) as Who,
    ...(r.to_who !== null ? { to: JSON.parse(r.to_who) as Who } : {}),
    text: r.text,
    incidentIds: JSON.parse(r.incident_ids) as string[],
    ...(r.acknowledged_at !== null && r.acknowledged_by !== null
      ? {
          acknowledged: {
            at: r.acknowledged_at,
            by: JSON.parse(r.acknowledged_by) as Who,
            ...(r.ack_text !== null ? { text: r.ack_text } : {}),
          },
        }
      : {}),
  };
}

/** What the journal last knew of an alarm (alarm.observed and alarm.transition events). */
export interface AlarmStateRecord {
  readonly run: string;
  readonly alarmId: string;
  readonly alarmName: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly since: number;
  /** The event that set it. */
  readonly seq: number;
}

export interface Projections {
  /** Every alarm the journal knows in a run ('' for real sources). */
  alarmStates(run: string): AlarmStateRecord[];
  /**
   * Applies one just-inserted event; throws JournalError (rolling the transaction back) when it refers to
   * nothing. `replicated`: a teammate's event pulled from the team server (replica.ts). Two responders may
   * close the same follow-up or acknowledge the same handoff on two machines before either hears of the
   * other; both events are kept, and the earliest (time, then who) is the one the projection shows on
   * every machine, whatever order they arrive in, instead of "already closed" refusing the second.
   */
  apply(event: KnownEvent, replicated?: boolean): void;
  followUp(id: number): FollowUp | undefined;
  followUps(filter?: FollowUpFilter): FollowUp[];
  handoff(id: number): Handoff | undefined;
  handoffs(filter?: HandoffFilter): Handoff[];
}

export function createProjections(db: Database.Database): Projections {
  const s = {
    incidentCreated: db.prepare(
      `INSERT INTO incidents (id, title, priority, service_id, service_name, status, source, url, created_at, updated_at, run, escalation_level, assignees, alarm_names, number)
       VALUES (@id, @title, @priority, @serviceId, @serviceName, 'triggered', @source, @url, @at, @at, @run, @level, @assignees, @alarmNames, @number)
       ON CONFLICT (id) DO UPDATE SET
         run = CASE WHEN run = '' THEN excluded.run ELSE run END,
         escalation_level = coalesce(escalation_level, excluded.escalation_level),
         assignees = coalesce(assignees, excluded.assignees),
         alarm_names = CASE WHEN alarm_names = '[]' THEN excluded.alarm_names ELSE alarm_names END,
         number = coalesce(number, excluded.number)`,
    ),
    incidentUnacknowledged: db.prepare(
      `UPDATE incidents SET status = CASE WHEN status = 'acknowledged' THEN 'triggered' ELSE status END, updated_at = max(updated_at, @at) WHERE id = @id`,
    ),
    incidentEscalated: db.prepare(
      `UPDATE incidents SET escalation_level = @level, assignees = coalesce(@assignees, assignees), updated_at = max(updated_at, @at) WHERE id = @id`,
    ),
    incidentReassigned: db.prepare(
      `UPDATE incidents SET assignees = @assignees, updated_at = max(updated_at, @at) WHERE id = @id`,
    ),
    incidentPriority: db.prepare(
      `UPDATE incidents SET priority = @priority, updated_at = max(updated_at, @at) WHERE id = @id`,
    ),
    incidentAlarmAdded: db.prepare(
      `UPDATE incidents SET alarm_names = CASE WHEN EXISTS (SELECT 1 FROM json_each(alarm_names) WHERE value = @name) THEN alarm_names
         ELSE json_insert(alarm_names, '$[#]', @name) END, updated_at = max(updated_at, @at) WHERE id = @id`,
    ),
    // What the journal last knew of an alarm: a transition or observation older than what is known (history
    // read after the fact) does not move it back.
    alarmState: db.prepare(
      `INSERT INTO alarm_states (run, alarm_id, alarm_name, state, since, seq) VALUES (@run, @alarmId, @alarmName, @state, @since, @seq)
       ON CONFLICT (run, alarm_id) DO UPDATE SET alarm_name = excluded.alarm_name, state = excluded.state, since = excluded.since, seq = excluded.seq
       WHERE excluded.since >= alarm_states.since`,
    ),
    incidentAcknowledged: db.prepare(
      `UPDATE incidents SET status = CASE WHEN status = 'triggered' THEN 'acknowledged' ELSE status END,
         acknowledged_at = coalesce(acknowledged_at, @at), updated_at = max(updated_at, @at) WHERE id = @id`,
    ),
    incidentResolved: db.prepare(
      `UPDATE incidents SET status = 'resolved', resolved_at = coalesce(resolved_at, @at), updated_at = max(updated_at, @at) WHERE id = @id`,
    ),
    incidentTouched: db.prepare(`UPDATE incidents SET updated_at = max(updated_at, @at) WHERE id = @id`),
    followUpAdd: db.prepare(
      `INSERT INTO follow_ups (id, incident_id, text, owner, due_at, created_at, created_by) VALUES (@id, @incidentId, @text, @owner, @dueAt, @at, @who)`,
    ),
    followUpGet: db.prepare(`SELECT * FROM follow_ups WHERE id = ?`),
    followUpClose: db.prepare(
      `UPDATE follow_ups SET closed_at = @at, closed_by = @who, resolution = @resolution WHERE id = @id AND closed_at IS NULL`,
    ),
    handoffAdd: db.prepare(
      `INSERT INTO handoffs (id, at, from_who, to_who, text, incident_ids) VALUES (@id, @at, @from, @to, @text, @incidentIds)`,
    ),
    handoffGet: db.prepare(`SELECT * FROM handoffs WHERE id = ?`),
    handoffAck: db.prepare(
      `UPDATE handoffs SET acknowledged_at = @at, acknowledged_by = @who, ack_text = @text WHERE id = @id AND acknowledged_at IS NULL`,
    ),
    // The replicated forms: the earlier of two concurrent closes/acknowledgements wins (see apply).
    followUpCloseMerged: db.prepare(
      `UPDATE follow_ups SET closed_at = @at, closed_by = @who, resolution = @resolution
       WHERE id = @id AND (closed_at IS NULL OR closed_at > @at OR (closed_at = @at AND closed_by > @who))`,
    ),
    handoffAckMerged: db.prepare(
      `UPDATE handoffs SET acknowledged_at = @at, acknowledged_by = @who, ack_text = @text
       WHERE id = @id AND (acknowledged_at IS NULL OR acknowledged_at > @at OR (acknowledged_at = @at AND acknowledged_by > @who))`,
    ),
  };
  const cache = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };

  const followUp = (id: number) => {
    const row = s.followUpGet.get(id) as FollowUpRow | undefined;
    return row && toFollowUp(row);
  };
  const handoff = (id: number) => {
    const row = s.handoffGet.get(id) as HandoffRow | undefined;
    return row && toHandoff(row);
  };

  function apply(e: KnownEvent, replicated = false): void {
    const who = JSON.stringify(e.who);
    switch (e.kind) {
      case 'incident.created': {
        const p = e.payload;
        s.incidentCreated.run({
          id: e.incidentId,
          title: p.title,
          priority: p.priority ?? null,
          serviceId: p.service?.id ?? null,
          serviceName: p.service?.name ?? null,
          source: p.source,
          url: p.url ?? null,
          at: e.at,
          run: p.run ?? '',
          level: p.escalationLevel ?? null,
          assignees: p.assignees ? JSON.stringify(p.assignees) : null,
          alarmNames: JSON.stringify(p.alarmNames ?? []),
          number: p.number ?? null,
        });
        return;
      }
      case 'incident.acknowledged':
        s.incidentAcknowledged.run({ id: e.incidentId, at: e.at });
        return;
      case 'incident.unacknowledged':
        s.incidentUnacknowledged.run({ id: e.incidentId, at: e.at });
        return;
      case 'incident.resolved':
        s.incidentResolved.run({ id: e.incidentId, at: e.at });
        return;
      case 'incident.escalated':
        s.incidentEscalated.run({
          id: e.incidentId,
          at: e.at,
          level: e.payload.level,
          assignees: e.payload.to ? JSON.stringify(e.payload.to) : null,
        });
        return;
      case 'incident.reassigned':
        s.incidentReassigned.run({ id: e.incidentId, at: e.at, assignees: JSON.stringify(e.payload.to) });
        return;
      case 'incident.priority-changed':
        s.incidentPriority.run({ id: e.incidentId, at: e.at, priority: e.payload.to });
        return;
      case 'incident.alarm-added':
        s.incidentAlarmAdded.run({ id: e.incidentId, at: e.at, name: e.payload.alarmName });
        return;
      case 'alarm.observed':
        s.alarmState.run({
          run: e.payload.run ?? '',
          alarmId: e.payload.alarmId,
          alarmName: e.payload.alarmName,
          state: e.payload.state,
          since: e.payload.since,
          seq: e.seq,
        });
        return;
      case 'alarm.transition':
        s.alarmState.run({
          run: e.payload.run ?? '',
          alarmId: e.payload.alarmId,
          alarmName: e.payload.alarmName,
          state: e.payload.to,
          since: e.at,
          seq: e.seq,
        });
        return;
      case 'followup.added':
        s.followUpAdd.run({
          id: e.seq,
          incidentId: e.incidentId ?? null,
          text: e.payload.text,
          owner: e.payload.owner,
          dueAt: e.payload.dueAt ?? null,
          at: e.at,
          who,
        });
        return;
      case 'followup.closed': {
        const id = e.payload.followUpId;
        const existing = followUp(id);
        if (!existing)
          throw new JournalError(
            `event rejected: payload.followUpId: there is no follow-up ${id}`,
            undefined,
            'payload.followUpId',
          );
        if (replicated) {
          s.followUpCloseMerged.run({ id, at: e.at, who, resolution: e.payload.resolution ?? null });
          return;
        }
        if (existing.status === 'closed') {
          throw new JournalError(
            `event rejected: payload.followUpId: follow-up ${id} is already closed`,
            undefined,
            'payload.followUpId',
          );
        }
        s.followUpClose.run({ id, at: e.at, who, resolution: e.payload.resolution ?? null });
        return;
      }
      case 'handoff.note':
        s.handoffAdd.run({
          id: e.seq,
          at: e.at,
          from: who,
          to: e.payload.to ? JSON.stringify(e.payload.to) : null,
          text: e.payload.text,
          incidentIds: JSON.stringify(e.payload.incidentIds ?? (e.incidentId ? [e.incidentId] : [])),
        });
        return;
      case 'handoff.acknowledged': {
        const id = e.payload.handoffId;
        const existing = handoff(id);
        if (!existing)
          throw new JournalError(
            `event rejected: payload.handoffId: there is no handoff note ${id}`,
            undefined,
            'payload.handoffId',
          );
        if (replicated) {
          s.handoffAckMerged.run({ id, at: e.at, who, text: e.payload.text ?? null });
          return;
        }
        if (existing.acknowledged) {
          throw new JournalError(
            `event rejected: payload.handoffId: handoff note ${id} is already acknowledged`,
            undefined,
            'payload.handoffId',
          );
        }
        s.handoffAck.run({ id, at: e.at, who, text: e.payload.text ?? null });
        return;
      }
      default:
        return;
    }
  }

  const alarmStatesOf = db.prepare(
    `SELECT run, alarm_id AS alarmId, alarm_name AS alarmName, state, since, seq FROM alarm_states WHERE run = ?`,
  );
  return {
    apply,
    followUp,
    handoff,
    alarmStates: (run) => alarmStatesOf.all(run) as AlarmStateRecord[],
    followUps(filter: FollowUpFilter = {}) {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      const status = filter.status ?? 'open';
      if (status === 'open') where.push('closed_at IS NULL');
      if (status === 'closed') where.push('closed_at IS NOT NULL');
      if (filter.owner !== undefined) {
        where.push('owner = @owner');
        params.owner = filter.owner;
      }
      if (filter.incidentId !== undefined) {
        where.push('incident_id = @incidentId');
        params.incidentId = filter.incidentId;
      }
      const sql = `SELECT * FROM follow_ups${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`;
      return (prepared(sql).all(params) as FollowUpRow[]).map(toFollowUp);
    },
    handoffs(filter: HandoffFilter = {}) {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter.since !== undefined) {
        where.push('at >= @since');
        params.since = filter.since;
      }
      if (filter.until !== undefined) {
        where.push('at < @until');
        params.until = filter.until;
      }
      if (filter.unacknowledged) where.push('acknowledged_at IS NULL');
      const sql = `SELECT * FROM handoffs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at, id`;
      return (prepared(sql).all(params) as HandoffRow[]).map(toHandoff);
    },
  };
}
