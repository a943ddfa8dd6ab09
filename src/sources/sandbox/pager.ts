import type { Incident, IncidentStatus, Person, PriorityName, TimelineEntry, TimelineKind } from '../../core/model.js';
import { priorityForAlarm } from '../../core/policy/escalation.js';
import type { Policy } from '../../core/policy/types.js';
import type { AlarmGroup, AlarmRecord } from './alarms.js';
import { personFor } from './oncall.js';
import { MINUTE, PAGERDUTY_SERVICES } from './topology.js';

/** Alarms on one PagerDuty service within this long of an open incident join it (alert grouping). */
const GROUPING_WINDOW_MS = 30 * MINUTE;
const PRIORITY_RANK: Record<PriorityName, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

interface IncidentRecord {
  id: string;
  number: number;
  title: string;
  status: IncidentStatus;
  priority: PriorityName;
  serviceId: string;
  createdAt: number;
  acknowledgedAt?: number;
  resolvedAt?: number;
  /** While snoozed: when it is triggered again. */
  retriggersAt?: number;
  assignees: Person[];
  escalationLevel: number;
  escalatedAt: number;
  alarmNames: string[];
  openAlarms: Set<string>;
  log: TimelineEntry[];
}

/**
 * PagerDuty as the sandbox plays it: CloudWatch alarms open incidents on the matching service
 * (grouped within a window), assign the primary on call, escalate every 30 minutes until someone
 * acknowledges, and resolve when every alarm in the incident is OK again.
 */
export class Pager {
  private readonly incidents: IncidentRecord[] = [];
  private sequence = 0;
  private logSequence = 0;

  constructor(
    private readonly policy: Policy,
    /** The run's tag, appended to incident ids: every run of the sandbox replays the same simulated times. */
    private readonly run?: string,
  ) {}

  onAlarm(group: AlarmGroup, alarm: AlarmRecord, at: number): void {
    if (alarm.state === 'ALARM') this.alarmFired(group, alarm, at);
    else if (alarm.state === 'OK') this.alarmCleared(alarm, at);
  }

  private alarmFired(group: AlarmGroup, alarm: AlarmRecord, at: number): void {
    const priority = priorityForAlarm(group.rule, alarm.level);
    const open = this.incidents.find(
      (i) =>
        i.status !== 'resolved' &&
        i.serviceId === group.pagerDutyService &&
        (i.openAlarms.has(alarm.name) || i.alarmNames.includes(alarm.name) || at - i.createdAt <= GROUPING_WINDOW_MS),
    );
    if (open) {
      if (!open.alarmNames.includes(alarm.name)) open.alarmNames.push(alarm.name);
      open.openAlarms.add(alarm.name);
      this.log(open, at, 'alarm', `Alert added: ${alarm.name} in ALARM — ${alarm.reason}`, 'CloudWatch');
      if (PRIORITY_RANK[priority] < PRIORITY_RANK[open.priority]) {
        this.log(
          open,
          at,
          'alarm',
          `Priority raised from ${open.priority} to ${priority} by ${alarm.name}`,
          'CloudWatch',
        );
        open.priority = priority;
      }
      return;
    }
    this.sequence += 1;
    const primary = personFor('primary', at);
    const record: IncidentRecord = {
      id: `PSB${String(1000 + this.sequence).padStart(4, '0')}${this.run ? `.${this.run}` : ''}`,
      number: 1041 + this.sequence,
      title: `ALARM: ${alarm.name} — ${alarm.reason}`,
      status: 'triggered',
      priority,
      serviceId: group.pagerDutyService,
      createdAt: at,
      assignees: [primary],
      escalationLevel: 1,
      escalatedAt: at,
      alarmNames: [alarm.name],
      openAlarms: new Set([alarm.name]),
      log: [],
    };
    this.incidents.push(record);
    this.log(
      record,
      at,
      'incident.triggered',
      `Triggered through CloudWatch: ${alarm.name} — ${alarm.reason}`,
      'CloudWatch',
    );
    this.log(
      record,
      at,
      'incident.reassigned',
      `Assigned to ${primary.name} (primary on call), ${priority}`,
      'PagerDuty',
    );
  }

  private alarmCleared(alarm: AlarmRecord, at: number): void {
    for (const i of this.incidents) {
      if (i.status === 'resolved' || !i.openAlarms.delete(alarm.name)) continue;
      this.log(i, at, 'alarm', `Alert resolved: ${alarm.name} is OK — ${alarm.reason}`, 'CloudWatch');
      if (i.openAlarms.size === 0) {
        i.status = 'resolved';
        i.resolvedAt = at;
        this.log(i, at, 'incident.resolved', 'Resolved: every alarm in the incident is OK again', 'CloudWatch');
      }
    }
  }

  /** Ends snoozes that are over, then escalates unacknowledged incidents whose time at the current level has run out. */
  tick(now: number): void {
    for (const i of this.incidents) {
      if (i.status === 'acknowledged' && i.retriggersAt !== undefined && i.retriggersAt <= now) {
        i.status = 'triggered';
        i.escalatedAt = i.retriggersAt;
        this.log(
          i,
          i.retriggersAt,
          'incident.triggered',
          `The snooze ended: triggered again at level ${i.escalationLevel} (${i.assignees.map((p) => p.name).join(', ')})`,
          'PagerDuty',
        );
        i.retriggersAt = undefined;
      }
      while (i.status === 'triggered') {
        const current = this.policy.escalation.find((e) => e.level === i.escalationLevel);
        const next = this.policy.escalation.find((e) => e.level === i.escalationLevel + 1);
        if (!current || !next) break;
        const due = i.escalatedAt + current.delayMinutes * MINUTE;
        if (due > now) break;
        i.escalationLevel = next.level;
        i.escalatedAt = due;
        const person = personFor(next.role, due);
        i.assignees = [person];
        this.log(
          i,
          due,
          'incident.escalated',
          `Escalated to level ${next.level}: ${person.name} (${next.role}), not acknowledged in ${current.delayMinutes} minutes`,
          'PagerDuty',
        );
      }
    }
  }

  private find(id: string): IncidentRecord {
    const found = this.incidents.find((i) => i.id === id);
    if (!found) throw new Error(`no incident ${id} in the sandbox`);
    return found;
  }

  acknowledge(id: string, who: Person, at: number): void {
    const i = this.find(id);
    if (i.status !== 'triggered') throw new Error(`incident ${id} is ${i.status}, not triggered`);
    i.status = 'acknowledged';
    i.acknowledgedAt = at;
    this.log(i, at, 'incident.acknowledged', `Acknowledged by ${who.name}`, who.name);
  }

  resolve(id: string, who: Person, at: number): void {
    const i = this.find(id);
    if (i.status === 'resolved') throw new Error(`incident ${id} is already resolved`);
    i.status = 'resolved';
    i.resolvedAt = at;
    i.retriggersAt = undefined;
    this.log(i, at, 'incident.resolved', `Resolved by ${who.name}`, who.name);
  }

  reassign(id: string, people: readonly Person[], who: Person, at: number): void {
    const i = this.find(id);
    if (i.status === 'resolved') throw new Error(`incident ${id} is resolved`);
    i.assignees = [...people];
    this.log(
      i,
      at,
      'incident.reassigned',
      `Reassigned to ${people.map((p) => p.name).join(', ')} by ${who.name}`,
      who.name,
    );
  }

  escalate(id: string, level: number, who: Person, at: number): void {
    const i = this.find(id);
    const target = this.policy.escalation.find((e) => e.level === level);
    if (!target) throw new Error(`the escalation policy has no level ${level}`);
    if (i.status === 'resolved') throw new Error(`incident ${id} is resolved`);
    i.escalationLevel = level;
    i.escalatedAt = at;
    i.status = 'triggered';
    i.retriggersAt = undefined;
    const person = personFor(target.role, at);
    i.assignees = [person];
    this.log(
      i,
      at,
      'incident.escalated',
      `Escalated to level ${level}: ${person.name} (${target.role}) by ${who.name}`,
      who.name,
    );
  }

  snooze(id: string, ms: number, who: Person, at: number): void {
    const i = this.find(id);
    if (i.status !== 'acknowledged')
      throw new Error(`incident ${id} is ${i.status}: only an acknowledged incident can be snoozed`);
    i.retriggersAt = at + ms;
    this.log(i, at, 'action', `Snoozed by ${who.name} until ${new Date(at + ms).toISOString()}`, who.name);
  }

  addNote(id: string, text: string, who: Person, at: number): void {
    if (text.trim() === '') throw new Error('a note needs some text');
    this.log(this.find(id), at, 'note', text, who.name);
  }

  list(): Incident[] {
    return this.incidents.map(toIncident);
  }

  get(id: string): Incident | undefined {
    const i = this.incidents.find((x) => x.id === id);
    return i ? toIncident(i) : undefined;
  }

  timeline(id: string): TimelineEntry[] {
    return [...(this.incidents.find((x) => x.id === id)?.log ?? [])];
  }

  private log(i: IncidentRecord, at: number, kind: TimelineKind, summary: string, who: string): void {
    this.logSequence += 1;
    // CloudWatch and PagerDuty's own rules (escalation, grouping, resolving when the alarms are OK) are systems.
    const agent = who === 'CloudWatch' || who === 'PagerDuty' ? 'system' : 'person';
    i.log.push({
      id: `LE${String(this.logSequence).padStart(6, '0')}`,
      at,
      kind,
      summary,
      who,
      agent,
      incidentId: i.id,
    });
  }
}

function toIncident(i: IncidentRecord): Incident {
  const service = PAGERDUTY_SERVICES.find((s) => s.id === i.serviceId) ?? { id: i.serviceId, name: i.serviceId };
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    status: i.status,
    urgency: i.priority === 'P1' || i.priority === 'P2' ? 'high' : 'low',
    priority: i.priority,
    service: { id: service.id, name: service.name },
    createdAt: i.createdAt,
    acknowledgedAt: i.acknowledgedAt,
    resolvedAt: i.resolvedAt,
    assignees: [...i.assignees],
    escalationLevel: i.escalationLevel,
    escalatedAt: i.escalatedAt,
    escalationPolicyId: 'PEPVITA',
    alarmNames: [...i.alarmNames],
    ...(i.retriggersAt !== undefined ? { retriggersAt: i.retriggersAt } : {}),
  };
}
