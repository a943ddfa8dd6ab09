import { generator } from './noise.js';
import type { Scenario } from './scenarios.js';
import { DATABASE, DEPENDENCIES, SERVICES } from './topology.js';

/** Scenarios about capacity and traffic: load, connections, storage, abusive clients, a partner outage. */

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

/** The scraping address, chosen by the seed from the documentation range 198.51.100.0/24. */
export function scraperAddress(seed: number): string {
  const next = generator(seed ^ 0x5c2a9e);
  return `198.51.100.${10 + Math.floor(next() * 240)}`;
}

/** The scraper's requests a minute: its crawler adds workers for `rampMinutes`, then holds. */
function crawl(from: number, rampMinutes: number, perMinute: number): (minute: number) => number {
  return (m) => (m < from ? 0 : perMinute * Math.min(1, (m - from + 1) / rampMinutes));
}

export function infraScenarios(seed: number): Scenario[] {
  const attacker = attackerAddress(seed);
  const scraper = scraperAddress(seed);
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
        "From minute 3 a mobile release with a retry bug quadruples API calls. Autoscaling stops at its maximum of 3 tasks and CPU saturates; latency and errors follow. Raising the autoscaling limits to min 4 / max 8 (the strategy's response, P2) brings CPU down.",
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
        "From minute 3 a runaway reporting job leaks 12 connections a minute. Connections pass 80 % of max_connections about 20 minutes later, then requests start failing. Rebooting the RDS instance (the strategy's response, P1) kills the job and resets the connections after a short outage.",
      fires: ['vitascope-db-connections-warning'],
      firesBy: 30,
      remedy: { kind: 'reboot-database', database: DATABASE.id, failover: false },
      recovers: ['vitascope-db-connections-warning'],
      recoversWithin: 10,
      events: [{ minute: 3, apply: (w) => w.startConnectionLeak(12) }],
    },
    {
      name: 'auth-bruteforce',
      exercises: ['auth-failures'],
      title: 'Authentication brute force',
      summary: `From minute 4 the address ${attacker} tries passwords at 40 attempts a minute. Blocking the address at the edge (the WAF IP set) stops it.`,
      fires: ['vitascope-api-auth-failures-warning'],
      firesBy: 6,
      remedy: { kind: 'block-address', address: attacker },
      remedyAction: {
        id: 'waf.block-address',
        params: { address: attacker, reason: 'Password brute force against POST /api/v1/auth/login' },
      },
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
      fires: [
        `vitascope-${WEARABLES}-dependency-down-critical`,
        'vitascope-sync-queue-depth-warning',
        'vitascope-sync-failures-warning',
      ],
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
    {
      name: 'disk-fill',
      exercises: ['disk-utilization'],
      title: 'Database storage filling up',
      summary: `From minute 3 a migration backfills the new audit_log table (a row for every past change to health data, kept for compliance, so it cannot be deleted): it writes 1.2 GiB a minute, about 62 GiB in all, into ${DATABASE.id}'s 200 GiB, which was 63 % used. Storage passes 80 % around minute 31 and 90 % around minute 48 (the 5-minute alarms: warning at minute 35, critical at minute 50) and ends near 94 %: about a week of ordinary growth from full, when every write would fail. Growing the allocated storage to 400 GiB (ModifyDBInstance, applied immediately) halves the utilisation once the instance has finished modifying, six minutes later.`,
      fires: ['vitascope-db-disk-usage-critical', 'vitascope-db-disk-usage-warning'],
      firesBy: 50,
      remedyAction: { id: 'rds.grow-storage', params: { database: DATABASE.id, allocatedGiB: 400 } },
      recovers: ['vitascope-db-disk-usage-critical', 'vitascope-db-disk-usage-warning'],
      recoversWithin: 16,
      events: [{ minute: 3, apply: (w) => w.startBackfill(1.2, 62) }],
    },
    {
      name: 'api-scraper',
      exercises: ['api-call-rate', 'network-traffic'],
      title: 'A scraper on the insights API',
      summary: `From minute 3 one free-tier account at ${scraper} crawls GET /api/v1/insights, adding crawler workers over 20 minutes until it makes 7,800 calls a minute: API calls more than double and, the insights documents being large, the API's network traffic more than triples against the same hour a week earlier. Autoscaling absorbs the CPU; the call-rate alarm fires around minute 25 and the network alarm around minute 30. Blocking the address at the edge (the WAF IP set) ends it.`,
      fires: ['vitascope-api-call-rate-warning', 'vitascope-api-network-traffic-warning'],
      firesBy: 30,
      remedy: { kind: 'block-address', address: scraper },
      remedyAction: { id: 'waf.block-address', params: { address: scraper, reason: 'Scraping GET /api/v1/insights' } },
      recovers: ['vitascope-api-call-rate-warning', 'vitascope-api-network-traffic-warning'],
      recoversWithin: 10,
      events: [{ minute: 3, apply: (w) => w.startScraper(scraper, crawl(3, 20, 7800)) }],
    },
  ];
}
