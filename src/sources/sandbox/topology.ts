import type { Person } from '../../core/model.js';

/**
 * The simulated Vitascope production: what exists in it and what it is called. Names follow the
 * strategy's examples (vitascope-cluster, vitascope-api, vitascope-db).
 */

/** Simulated time starts here: Monday 2026-01-05 10:00 in Tokyo, the start of a rotation week. */
export const SANDBOX_ORIGIN = Date.UTC(2026, 0, 5, 1, 0, 0);
export const MINUTE = 60_000;

export const REGION = 'ap-northeast-1';
export const ACCOUNT = '000000000000';
export const CLUSTER = 'vitascope-cluster';

export interface ServiceSpec {
  /** Short token used in alarm names: vitascope-<token>-high-cpu-warning. */
  readonly token: string;
  readonly name: string;
  readonly family: string;
  /** Task definition revisions deployed before the sandbox starts, oldest first; the last is current. */
  readonly revisions: readonly number[];
  readonly desired: number;
  readonly scaling: { readonly min: number; readonly max: number };
  /** Target-tracking policy on CPU, as App Auto Scaling would run it; absent for fixed services. */
  readonly cpuTarget?: number;
  readonly pagerDutyService: string;
}

export const SERVICES: readonly ServiceSpec[] = [
  {
    token: 'api',
    name: 'vitascope-api',
    family: 'vitascope-api',
    revisions: [40, 41],
    desired: 2,
    scaling: { min: 2, max: 3 },
    cpuTarget: 60,
    pagerDutyService: 'PSVCAPI',
  },
  {
    token: 'worker',
    name: 'vitascope-worker',
    family: 'vitascope-worker',
    revisions: [16, 17],
    desired: 2,
    scaling: { min: 2, max: 6 },
    pagerDutyService: 'PSVCWRK',
  },
];

export const DATABASE = {
  token: 'db',
  id: 'vitascope-db',
  engine: 'postgres',
  instanceClass: 'db.r6g.large',
  maxConnections: 400,
  multiAz: true,
  pagerDutyService: 'PSVCDB',
} as const;

/** The load balancer in front of vitascope-api, as CloudWatch's AWS/ApplicationELB dimensions name it. */
export const LOAD_BALANCER = {
  loadBalancer: 'app/vitascope-alb/50dc6c495c0c9188',
  targetGroup: 'targetgroup/vitascope-api/73e2d6bc24d8a067',
} as const;

/** The database's allocated storage when the sandbox starts (database.ts grows it when asked). */
export const STORAGE_GIB = 200;

export const QUEUE = { token: 'sync', name: 'vitascope-sync-queue', pagerDutyService: 'PSVCWRK' } as const;
export const LAMBDA = {
  token: 'sync-processor',
  name: 'vitascope-sync-processor',
  pagerDutyService: 'PSVCWRK',
} as const;
export const DEPENDENCIES = [
  { token: 'wearables-gateway', name: 'wearables-gateway', pagerDutyService: 'PSVCAPI' },
  { token: 'push-notifications', name: 'push-notifications', pagerDutyService: 'PSVCAPI' },
] as const;

/** API endpoints the app metrics are labelled with, and each one's share of traffic. */
export const ENDPOINTS: readonly {
  readonly method: string;
  readonly path: string;
  readonly share: number;
  readonly baseLatencyMs: number;
}[] = [
  { method: 'POST', path: '/api/v1/health-data', share: 0.34, baseLatencyMs: 160 },
  { method: 'GET', path: '/api/v1/health-data', share: 0.22, baseLatencyMs: 120 },
  { method: 'POST', path: '/api/v1/sync', share: 0.18, baseLatencyMs: 210 },
  { method: 'GET', path: '/api/v1/users/me', share: 0.14, baseLatencyMs: 60 },
  { method: 'POST', path: '/api/v1/auth/login', share: 0.08, baseLatencyMs: 140 },
  { method: 'GET', path: '/api/v1/insights', share: 0.04, baseLatencyMs: 320 },
];

export const PAGERDUTY_SERVICES = [
  { id: 'PSVCAPI', name: 'Vitascope API' },
  { id: 'PSVCWRK', name: 'Vitascope Worker' },
  { id: 'PSVCDB', name: 'Vitascope Database' },
  { id: 'PSVCBIZ', name: 'Vitascope Business Metrics' },
] as const;

export const ESCALATION_POLICY = { id: 'PEPVITA', name: 'Vitascope Production Escalation' } as const;

/** The rotation, in order; one week each, handing over on Monday at 10:00 in Tokyo. */
export const ROTATION: readonly Person[] = [
  { id: 'PUAIKO', name: 'Aiko Tanaka', email: 'aiko.tanaka@vitascope.example' },
  { id: 'PUKENJ', name: 'Kenji Sato', email: 'kenji.sato@vitascope.example' },
  { id: 'PUMAYA', name: 'Maya Chen', email: 'maya.chen@vitascope.example' },
  { id: 'PURAVI', name: 'Ravi Patel', email: 'ravi.patel@vitascope.example' },
  { id: 'PUYUKI', name: 'Yuki Yamamoto', email: 'yuki.yamamoto@vitascope.example' },
];
export const MANAGER: Person = { id: 'PUHIRO', name: 'Hiroshi Nakamura', email: 'hiroshi.nakamura@vitascope.example' };
export const ROTATION_EPOCH = SANDBOX_ORIGIN;
export const WEEK = 7 * 24 * 60 * MINUTE;
