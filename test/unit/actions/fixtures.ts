import type { Database, Deployment, Incident, Service, TimelineEntry } from '../../../src/core/model.js';

/** Small fake states for the pure plan functions (cli-kit style: build state, assert the exact plan). */

export const T = Date.UTC(2026, 0, 5, 1, 30, 0);
const td = (family: string, rev: number) => `arn:aws:ecs:ap-northeast-1:000000000000:task-definition/${family}:${rev}`;

export function deployment(rev: number, over: Partial<Deployment> = {}): Deployment {
  return {
    id: `ecs-svc/${rev}000`,
    status: 'PRIMARY',
    taskDefinition: td('vitascope-api', rev),
    desired: 2,
    running: 2,
    pending: 0,
    rolloutState: 'COMPLETED',
    createdAt: T - 3 * 86_400_000,
    updatedAt: T - 3 * 86_400_000,
    ...over,
  };
}

export function service(over: Partial<Service> = {}): Service {
  return {
    id: 'arn:aws:ecs:ap-northeast-1:000000000000:service/vitascope-cluster/vitascope-api',
    name: 'vitascope-api',
    cluster: 'vitascope-cluster',
    status: 'ACTIVE',
    desired: 2,
    running: 2,
    pending: 0,
    taskDefinition: td('vitascope-api', 41),
    deployments: [deployment(41)],
    events: [],
    ...over,
  };
}

export const taskDefinition = td;

export function database(over: Partial<Database> = {}): Database {
  return {
    id: 'vitascope-db',
    engine: 'postgres',
    instanceClass: 'db.r6g.large',
    status: 'available',
    connections: 346,
    maxConnections: 400,
    multiAz: true,
    ...over,
  };
}

export function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'PSB1001',
    number: 1042,
    title: 'ALARM: vitascope-db-connections-warning',
    status: 'triggered',
    urgency: 'high',
    priority: 'P1',
    service: { id: 'PSVCDB', name: 'Vitascope Database' },
    createdAt: T,
    assignees: [{ id: 'PUAIKO', name: 'Aiko Tanaka' }],
    escalationLevel: 1,
    escalatedAt: T,
    alarmNames: ['vitascope-db-connections-warning'],
    ...over,
  };
}

export function entry(id: string, who: string, summary: string, kind: TimelineEntry['kind'] = 'note'): TimelineEntry {
  return { id, at: T, kind, summary, who, incidentId: 'PSB1001' };
}
