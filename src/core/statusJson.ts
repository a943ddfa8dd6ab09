import { exitCodeFor, alarmCounts, type StatusSnapshot } from './status.js';
import { iso } from './time.js';

/**
 * The documented JSON shape of `status --json` (README, "status --json"). Fields are only ever
 * added; a breaking change would bump the schema tag.
 */
export function statusToJson(s: StatusSnapshot): unknown {
  const seconds = (ms: number) => Math.round(ms / 1000);
  return {
    schema: 'vitascope-oncall/status@1',
    at: iso(s.at),
    environment: {
      kind: s.environment.kind,
      label: s.environment.label,
      account: s.environment.account ?? null,
      region: s.environment.region ?? null,
      production: s.environment.production,
    },
    health: s.health,
    exitCode: exitCodeFor(s),
    alarms: {
      counts: alarmCounts(s.alarms),
      items: s.alarms.map((a) => ({
        name: a.name,
        state: a.state,
        level: a.level,
        value: a.value ?? null,
        threshold: a.threshold ?? null,
        unit: a.unit ?? null,
        comparison: a.comparison ?? null,
        since: iso(a.stateSince),
        reason: a.reason ?? null,
        ruleId: a.ruleId ?? null,
        metric: a.metric
          ? { namespace: a.metric.namespace, name: a.metric.name, dimensions: a.metric.dimensions }
          : null,
        sources: a.origins ?? [],
        suppressed: a.suppressed ?? null,
        actionsEnabled: a.actionsEnabled ?? null,
      })),
    },
    services: s.services.map(({ service: v, condition, health }) => ({
      name: v.name,
      cluster: v.cluster,
      condition,
      health,
      running: v.running,
      desired: v.desired,
      pending: v.pending,
      taskDefinition: v.taskDefinition,
      scaling: v.scaling ?? null,
      deployments: v.deployments.map((d) => ({
        id: d.id,
        status: d.status,
        rolloutState: d.rolloutState,
        taskDefinition: d.taskDefinition,
        running: d.running,
        desired: d.desired,
        pending: d.pending,
        createdAt: iso(d.createdAt),
      })),
    })),
    databases: s.databases.map(({ database: d, share, health }) => ({
      id: d.id,
      engine: d.engine,
      instanceClass: d.instanceClass,
      status: d.status,
      multiAz: d.multiAz,
      connections: d.connections ?? null,
      maxConnections: d.maxConnections ?? null,
      usedPercent: share === undefined ? null : Math.round(share * 1000) / 10,
      allocatedGiB: d.allocatedGiB ?? null,
      storageUsedPercent: d.storageUsedPercent ?? null,
      health,
    })),
    incidents: s.incidents.map(({ incident: i, health, nextEscalation, responseDue }) => ({
      id: i.id,
      number: i.number ?? null,
      title: i.title,
      priority: i.priority ?? null,
      status: i.status,
      urgency: i.urgency,
      health,
      service: i.service.name,
      createdAt: iso(i.createdAt),
      ageSeconds: seconds(s.at - i.createdAt),
      assignees: i.assignees.map((p) => p.name),
      escalation: {
        level: i.escalationLevel,
        nextAt: nextEscalation ? iso(nextEscalation.at) : null,
        nextInSeconds: nextEscalation ? seconds(nextEscalation.at - s.at) : null,
        nextRole: nextEscalation?.toRole ?? null,
      },
      responseDue: iso(responseDue),
      alarms: i.alarmNames,
    })),
    onCall: s.onCall.map((o) => ({ level: o.level, role: o.role, name: o.person.name, until: iso(o.end) })),
    sources: s.sources.map((x) => ({
      name: x.name,
      ok: x.state === 'ok',
      error: x.state === 'failing' ? x.error : null,
    })),
  };
}
