import { generator } from './noise.js';
import { DATABASE, DEPENDENCIES, SERVICES } from './topology.js';

/** What a scenario can do to the simulated world; implemented by World. */
export interface ScenarioWorld {
  readonly seed: number;
  setDemandFactor(factor: (minute: number) => number): void;
  deploy(service: string, revision: number, effect: { slowMs?: number; memoryLeakPerMinute?: number }, why: string): void;
  startConnectionLeak(perMinute: number): void;
  startAttack(address: string, attemptsPerMinute: number): void;
  setDependencyDown(name: string, down: boolean): void;
}

/** The remediation that ends a scenario, in terms of the capability ports. */
export type Remedy =
  | { readonly kind: 'scaling-limits'; readonly service: string; readonly min: number; readonly max: number }
  | { readonly kind: 'desired-count'; readonly service: string; readonly desired: number }
  | { readonly kind: 'reboot-database'; readonly database: string; readonly failover: boolean }
  | { readonly kind: 'rollback'; readonly service: string }
  | { readonly kind: 'force-deployment'; readonly service: string }
  | { readonly kind: 'block-address'; readonly address: string };

export interface ScenarioEvent {
  readonly minute: number;
  apply(world: ScenarioWorld): void;
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  /** The alarms the scenario drives to ALARM, and the minute by which all of them are there. */
  readonly fires: readonly string[];
  readonly firesBy: number;
  /** The policy rules whose runbooks this scenario exercises in a drill. */
  readonly exercises: readonly string[];
  /** What brings it back: the remedy, the alarms it clears, and how long after it is applied they are OK at most. */
  readonly remedy?: Remedy;
  readonly recovers?: readonly string[];
  readonly recoversWithin?: number;
  /** The minute from which the remedy helps (a backlog can only drain once its cause has gone). */
  readonly remedyFrom?: number;
  readonly events: readonly ScenarioEvent[];
}

const API = SERVICES[0]!.name;
const WORKER = SERVICES[1]!.name;
const WEARABLES = DEPENDENCIES[0].name;

/** A ramp from 1 to peak between `from` and `to`, held until `until`, back to 1 by `end`. */
function surge(peak: number, from: number, to: number, until: number, end: number): (minute: number) => number {
  return (m) => {
    if (m < from || m >= end) return 1;
    if (m < to) return 1 + ((peak - 1) * (m - from)) / (to - from);
    if (m < until) return peak;
    return peak - ((peak - 1) * (m - until)) / (end - until);
  };
}

/** The attacking address, chosen by the seed from the documentation range 203.0.113.0/24. */
export function attackerAddress(seed: number): string {
  return `203.0.113.${10 + Math.floor(generator(seed)() * 240)}`;
}

export function scenarios(seed: number): readonly Scenario[] {
  const attacker = attackerAddress(seed);
  return [
    {
      name: 'calm',
      exercises: [],
      title: 'A calm shift',
      summary: 'Ordinary traffic with its daily rhythm; nothing breaks.',
      fires: [],
      firesBy: 0,
      events: [],
    },
    {
      name: 'api-cpu-spike',
      exercises: ['cpu-utilization'],
      title: 'API CPU spike',
      summary:
        'From minute 3 a mobile release with a retry bug quadruples API calls. Autoscaling stops at its maximum of 3 tasks and CPU saturates; latency and errors follow. Raising the autoscaling limits to min 4 / max 8 (the strategy\'s response, P2) brings CPU down.',
      fires: ['vitascope-api-high-cpu-critical', 'vitascope-api-high-cpu-warning', 'vitascope-api-call-rate-warning'],
      firesBy: 12,
      remedy: { kind: 'scaling-limits', service: API, min: 4, max: 8 },
      recovers: ['vitascope-api-high-cpu-critical', 'vitascope-api-high-cpu-warning'],
      recoversWithin: 12,
      events: [{ minute: 3, apply: (w) => w.setDemandFactor(surge(4.2, 3, 7, 180, 200)) }],
    },
    {
      name: 'db-connections',
      exercises: ['rds-connections'],
      title: 'Database connection exhaustion',
      summary:
        'From minute 3 a runaway reporting job leaks 12 connections a minute. Connections pass 80 % of max_connections about 20 minutes later, then requests start failing. Rebooting the RDS instance (the strategy\'s response, P1) kills the job and resets the connections after a short outage.',
      fires: ['vitascope-db-connections-warning'],
      firesBy: 30,
      remedy: { kind: 'reboot-database', database: DATABASE.id, failover: false },
      recovers: ['vitascope-db-connections-warning'],
      recoversWithin: 10,
      events: [{ minute: 3, apply: (w) => w.startConnectionLeak(12) }],
    },
    {
      name: 'latency-regression',
      exercises: ['api-latency-p95'],
      title: 'Latency regression after a deploy',
      summary:
        'At minute 5 vitascope-api:42 is deployed with an N+1 query; once its tasks take traffic, p95 latency passes 1 s. A forced redeploy of the same revision does not help; rolling back to vitascope-api:41 does.',
      fires: ['vitascope-api-high-latency-critical', 'vitascope-api-high-latency-warning'],
      firesBy: 14,
      remedy: { kind: 'rollback', service: API },
      recovers: ['vitascope-api-high-latency-critical', 'vitascope-api-high-latency-warning'],
      recoversWithin: 10,
      events: [{ minute: 5, apply: (w) => w.deploy(API, 42, { slowMs: 950 }, 'deployment by GitHub Actions (release 2026.01.05-1)') }],
    },
    {
      name: 'sync-failures',
      exercises: ['memory-utilization', 'sync-failure-rate'],
      title: 'Health-data sync failure surge',
      summary:
        'At minute 2 vitascope-worker:18 is deployed with a memory leak. Memory climbs, the tasks start failing syncs above 85 % memory and are killed when they run out. A forced new deployment only buys time; rolling back to vitascope-worker:17 ends it.',
      fires: ['vitascope-worker-high-memory-warning', 'vitascope-sync-failures-warning'],
      firesBy: 36,
      remedy: { kind: 'rollback', service: WORKER },
      recovers: ['vitascope-worker-high-memory-warning', 'vitascope-sync-failures-warning'],
      recoversWithin: 12,
      events: [{ minute: 2, apply: (w) => w.deploy(WORKER, 18, { memoryLeakPerMinute: 1.6 }, 'deployment by GitHub Actions (release 2026.01.05-2)') }],
    },
    {
      name: 'auth-bruteforce',
      exercises: ['auth-failures'],
      title: 'Authentication brute force',
      summary: `From minute 4 the address ${attacker} tries passwords at 40 attempts a minute. Blocking the address at the edge (the WAF IP set) stops it.`,
      fires: ['vitascope-api-auth-failures-warning'],
      firesBy: 6,
      remedy: { kind: 'block-address', address: attacker },
      recovers: ['vitascope-api-auth-failures-warning'],
      recoversWithin: 3,
      events: [{ minute: 4, apply: (w) => w.startAttack(attacker, 40) }],
    },
    {
      name: 'dependency-outage',
      exercises: ['dependency-availability', 'sqs-queue-depth'],
      title: 'Wearables gateway outage',
      summary:
        'The wearables gateway (a partner API) is down from minute 5 to minute 65. Syncs that need it wait in the queue, which grows past 1000 messages; after the gateway returns, two worker tasks need some 20 minutes to drain it. Scaling the worker to 6 tasks drains it in minutes.',
      fires: [`vitascope-${WEARABLES}-dependency-down-critical`, 'vitascope-sync-queue-depth-warning', 'vitascope-sync-failures-warning'],
      firesBy: 20,
      remedy: { kind: 'desired-count', service: WORKER, desired: 6 },
      recovers: ['vitascope-sync-queue-depth-warning'],
      remedyFrom: 66,
      recoversWithin: 15,
      events: [
        { minute: 5, apply: (w) => w.setDependencyDown(WEARABLES, true) },
        { minute: 65, apply: (w) => w.setDependencyDown(WEARABLES, false) },
      ],
    },
  ];
}

export function scenarioNames(): string[] {
  return scenarios(0).map((s) => s.name);
}

export function findScenario(name: string, seed: number): Scenario | undefined {
  return scenarios(seed).find((s) => s.name === name);
}
