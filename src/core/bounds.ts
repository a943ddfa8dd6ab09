/**
 * Sizes bounded at the door: the one function per domain type that every adapter calls on what it maps
 * (CloudWatch, ECS, RDS, PagerDuty, Prometheus, Alertmanager), so that no text from outside enters the
 * model longer than TEXT_LIMITS (sanitize.ts) says. A cut is marked ("…[+98,304 chars]"), never silent.
 * Numbers, states and times are left alone: only strings can grow without bound.
 */
import type {
  Alarm,
  AlarmHistoryItem,
  Database,
  Deployment,
  EscalationPolicy,
  Incident,
  MetricRef,
  OnCallEntry,
  Person,
  Service,
  ServiceEvent,
  Shift,
  TimelineEntry,
} from './model.js';
import { clip, clipOptional, MAX_LABELS, TEXT_LIMITS } from './sanitize.js';

const L = TEXT_LIMITS;

/** Label or annotation pairs: names and values bounded, at most MAX_LABELS pairs (the rest counted in "…"). */
export function boundLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const entries = Object.entries(labels);
  const out: Record<string, string> = {};
  for (const [k, v] of entries.slice(0, MAX_LABELS)) out[clip(k, L.name)] = clip(v, L.text);
  if (entries.length > MAX_LABELS) out['…'] = `+${entries.length - MAX_LABELS} more`;
  return out;
}

function boundMetric(m: MetricRef): MetricRef {
  const dimensions: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.dimensions).slice(0, MAX_LABELS)) dimensions[clip(k, L.name)] = clip(v, L.name);
  return {
    ...m,
    namespace: clip(m.namespace, L.name),
    name: clip(m.name, L.name),
    dimensions,
    ...(m.statistic !== undefined ? { statistic: clip(m.statistic, L.name) } : {}),
  };
}

/**
 * An alarm with every text bounded. `descriptionLimit`: CloudWatch's own 1024 for its alarms; Prometheus
 * and Alertmanager descriptions (annotations) get TEXT_LIMITS.text.
 */
export function boundAlarm(a: Alarm, descriptionLimit: number = L.text): Alarm {
  return {
    ...a,
    id: clip(a.id, L.text),
    name: clip(a.name, L.alarmName),
    ...(a.description !== undefined ? { description: clip(a.description, descriptionLimit) } : {}),
    ...(a.reason !== undefined ? { reason: clip(a.reason, L.stateReason) } : {}),
    ...(a.metric ? { metric: boundMetric(a.metric) } : {}),
    ...(a.comparison !== undefined ? { comparison: clip(a.comparison, L.name) } : {}),
    ...(a.unit !== undefined ? { unit: clip(a.unit, L.name) } : {}),
    actions: a.actions.slice(0, MAX_LABELS).map((x) => clip(x, L.name)),
  };
}

export function boundAlarmHistoryItem(h: AlarmHistoryItem): AlarmHistoryItem {
  return { ...h, reason: clip(h.reason, L.stateReason) };
}

function boundDeployment(d: Deployment): Deployment {
  return {
    ...d,
    id: clip(d.id, L.name),
    taskDefinition: clip(d.taskDefinition, L.name),
    ...(d.rolloutReason !== undefined ? { rolloutReason: clip(d.rolloutReason, L.text) } : {}),
  };
}

function boundEvent(e: ServiceEvent): ServiceEvent {
  return { ...e, id: clip(e.id, L.name), message: clip(e.message, L.text) };
}

export function boundService(s: Service): Service {
  return {
    ...s,
    id: clip(s.id, L.name),
    name: clip(s.name, L.name),
    cluster: clip(s.cluster, L.name),
    status: clip(s.status, L.name),
    taskDefinition: clip(s.taskDefinition, L.name),
    deployments: s.deployments.slice(0, MAX_LABELS).map(boundDeployment),
    events: s.events.map(boundEvent),
  };
}

export function boundDatabase(d: Database): Database {
  return {
    ...d,
    id: clip(d.id, L.name),
    engine: clip(d.engine, L.name),
    instanceClass: clip(d.instanceClass, L.name),
    status: clip(d.status, L.name),
  };
}

export function boundPerson(p: Person): Person {
  return {
    ...p,
    id: clip(p.id, L.name),
    name: clip(p.name, L.name),
    ...(p.email !== undefined ? { email: clip(p.email, L.name) } : {}),
  };
}

export function boundIncident(i: Incident): Incident {
  return {
    ...i,
    id: clip(i.id, L.name),
    title: clip(i.title, L.text),
    service: { id: clip(i.service.id, L.name), name: clip(i.service.name, L.name) },
    assignees: i.assignees.slice(0, MAX_LABELS).map(boundPerson),
    ...(i.escalationPolicyId !== undefined ? { escalationPolicyId: clip(i.escalationPolicyId, L.name) } : {}),
    alarmNames: i.alarmNames.slice(0, MAX_LABELS).map((n) => clip(n, L.alarmName)),
    ...(i.url !== undefined ? { url: clip(i.url, L.text) } : {}),
  };
}

export function boundTimelineEntry(e: TimelineEntry): TimelineEntry {
  return {
    ...e,
    id: clip(e.id, L.name),
    summary: clip(e.summary, L.text),
    ...(e.who !== undefined ? { who: clip(e.who, L.name) } : {}),
    ...(e.incidentId !== undefined ? { incidentId: clip(e.incidentId, L.name) } : {}),
  };
}

export function boundOnCallEntry(o: OnCallEntry): OnCallEntry {
  return {
    ...o,
    person: boundPerson(o.person),
    ...(o.scheduleName !== undefined ? { scheduleName: clip(o.scheduleName, L.name) } : {}),
  };
}

export function boundShift(s: Shift): Shift {
  return { ...s, person: boundPerson(s.person) };
}

export function boundEscalationPolicy(p: EscalationPolicy): EscalationPolicy {
  return {
    ...p,
    id: clip(p.id, L.name),
    name: clip(p.name, L.name),
    rules: p.rules
      .slice(0, MAX_LABELS)
      .map((r) => ({ ...r, targets: r.targets.slice(0, MAX_LABELS).map(boundPerson) })),
  };
}

/** Any other free text from a source (a note, a silence's comment): TEXT_LIMITS.text. */
export function boundText(text: string): string {
  return clip(text, L.text);
}

export function boundOptionalText(text: string | undefined): string | undefined {
  return clipOptional(text, L.text);
}
