import type { MinuteValues } from './catalogue.js';
import { demandShape, noisy, keyOf, PEAK_REQUESTS_PER_MINUTE } from './load.js';
import { uniform } from './noise.js';
import { DATABASE } from './topology.js';

/**
 * How the simulated production behaves in one minute, given its state: demand, capacity and faults
 * in, every metric out. The same function produces the calm past (before the sandbox starts) and the
 * simulated present, so baselines a day or a week back are consistent with what is measured now.
 */
export interface MinuteState {
  readonly seed: number;
  readonly minute: number;
  /** Epoch ms of the start of the minute. */
  readonly start: number;
  /** Multiplier on ordinary demand (a traffic surge is > 1). */
  readonly demandFactor: number;
  readonly apiRunning: number;
  /** Share of running API tasks on a revision that adds latency, and how much it adds. */
  readonly apiSlowShare: number;
  readonly apiSlowMs: number;
  readonly workerRunning: number;
  /** Mean memory utilisation of the worker's tasks, before noise. */
  readonly workerMemory: number;
  readonly dbAvailable: boolean;
  readonly dbLeaked: number;
  readonly queueDepth: number;
  /** Login attempts per minute from one attacking address that still reach the API. */
  readonly attackPerMinute: number;
  readonly wearablesDown: boolean;
  readonly pushDown: boolean;
}

export interface MinuteResult {
  readonly values: MinuteValues;
  readonly queueDepthAfter: number;
  /** Share of requests failing, for the Prometheus exposition. */
  readonly errorShare: number;
}

/** Requests one API task serves per second at 100 % CPU. */
const RPS_PER_TASK_AT_FULL = 160;
const BASE_CPU = 6;
const MESSAGES_PER_WORKER_MINUTE = 400;
/** Share of syncs that go through the wearables gateway. */
const WEARABLES_SHARE = 0.34;

export function calmState(seed: number, minute: number, start: number): MinuteState {
  return {
    seed,
    minute,
    start,
    demandFactor: 1,
    apiRunning: 2,
    apiSlowShare: 0,
    apiSlowMs: 0,
    workerRunning: 2,
    workerMemory: 52,
    dbAvailable: true,
    dbLeaked: 0,
    queueDepth: 0,
    attackPerMinute: 0,
    wearablesDown: false,
    pushDown: false,
  };
}

/**
 * p95 latency from the API's load (CPU before noise, uncapped): flat until ~70 %, rising as queues
 * form, and past 90 % every extra point of demand waits in line.
 */
function congestionMs(load: number): number {
  const x = Math.min(load / 100, 0.95);
  return 190 + (35 * x ** 3) / (1 - x) + Math.min(2500, 40 * Math.max(0, load - 90));
}

export function simulateMinute(s: MinuteState): MinuteResult {
  const { seed, minute: m } = s;
  const shape = demandShape(s.start);
  // Ordinary demand drives sessions and syncs; a surge (demandFactor > 1) is extra API calls only.
  const ordinary = noisy(seed, 'demand', m, PEAK_REQUESTS_PER_MINUTE * shape, 0.03);
  const demand = ordinary * s.demandFactor;
  const requests = demand + s.attackPerMinute;

  const apiUp = s.apiRunning > 0;
  const rpsPerTask = apiUp ? requests / 60 / s.apiRunning : 0;
  const cpuRaw = apiUp ? BASE_CPU + (100 * rpsPerTask) / RPS_PER_TASK_AT_FULL : 0;
  const apiCpu = Math.min(100, noisy(seed, 'apiCpu', m, cpuRaw, 0.04));
  const u = apiCpu / 100;
  const load = Math.max(cpuRaw, 0);

  // Connections: each API task keeps a pool of ~18, each worker task ~8, plus admin and leaked ones.
  const wanted = 15 + 18 * s.apiRunning + 8 * s.workerRunning + s.dbLeaked;
  const dbConnections = s.dbAvailable ? Math.min(DATABASE.maxConnections, Math.round(noisy(seed, 'dbConn', m, wanted, 0.03))) : 0;
  const dbExhausted = s.dbAvailable && wanted >= DATABASE.maxConnections;

  let p95 = congestionMs(load) + s.apiSlowMs * Math.min(1, Math.max(0, (s.apiSlowShare - 0.05) / 0.45));
  if (dbExhausted) p95 += 650;
  if (!s.dbAvailable) p95 += 250;
  p95 = noisy(seed, 'p95', m, p95, 0.05);

  let errorPct = noisy(seed, 'err', m, 0.15, 0.3);
  errorPct += Math.min(20, Math.max(0, load - 97));
  if (dbExhausted) errorPct += 7;
  if (!s.dbAvailable) errorPct += 40;
  if (s.wearablesDown) errorPct += 1.6;
  if (!apiUp) errorPct = 100;
  errorPct = Math.min(100, errorPct);

  // Health-data syncs: each enqueues a message for the worker. While the wearables gateway is down,
  // the syncs that need it (about a third) cannot complete and wait in the queue for it to return.
  const syncAttempts = noisy(seed, 'sync', m, ordinary * 0.062, 0.04);
  let syncFailPct = noisy(seed, 'syncFail', m, 0.4, 0.3);
  if (s.wearablesDown) syncFailPct += WEARABLES_SHARE * 100;
  syncFailPct += Math.max(0, s.workerMemory - 85) * 1.2;
  if (!s.dbAvailable) syncFailPct += 30;
  syncFailPct = Math.min(100, syncFailPct);
  const memoryPressure = s.workerMemory > 90 ? 0.6 : 1;
  const capacity = MESSAGES_PER_WORKER_MINUTE * s.workerRunning * memoryPressure;
  const stuck = s.wearablesDown ? syncAttempts * WEARABLES_SHARE : 0;
  const processable = s.queueDepth + syncAttempts - stuck;
  const processed = Math.min(capacity, s.wearablesDown ? syncAttempts - stuck : processable);
  const queueDepthAfter = s.wearablesDown ? s.queueDepth + stuck + (syncAttempts - stuck - processed) : Math.max(0, processable - processed);
  const inFlight = uniform(seed, keyOf('inflight'), m) * 40;
  const workerBusy = s.workerRunning > 0 ? processed / (MESSAGES_PER_WORKER_MINUTE * s.workerRunning) : 0;

  const invocations = syncAttempts * 0.5;
  const lambdaErrorShare = (s.wearablesDown ? 0.22 : 0) + Math.max(0, noisy(seed, 'lambdaErr', m, 0.002, 0.5));

  const authStreak = s.attackPerMinute > 0 ? s.attackPerMinute : 1 + Math.floor(uniform(seed, keyOf('auth'), m) * 4);

  const values: MinuteValues = {
    apiCpu,
    workerCpu: noisy(seed, 'workerCpu', m, 8 + 58 * workerBusy, 0.05),
    apiMemory: noisy(seed, 'apiMem', m, 46 + 6 * u, 0.02),
    workerMemory: Math.min(100, noisy(seed, 'workerMem', m, s.workerMemory, 0.02)),
    apiNetwork: noisy(seed, 'apiNet', m, (requests / 60) * 14_000, 0.05),
    workerNetwork: noisy(seed, 'workerNet', m, (syncAttempts / 60) * 30_000, 0.05),
    apiUnhealthy: 0,
    workerUnhealthy: 0,
    dbConnections,
    dbDisk: 63 + m * 0.000_5 + 0.05 * uniform(seed, keyOf('disk'), m),
    queueDepth: Math.round(queueDepthAfter + inFlight),
    lambdaInvocations: Math.round(invocations),
    lambdaErrors: Math.round(invocations * lambdaErrorShare),
    p95,
    requests: Math.round(requests),
    errors5xx: Math.round((requests * errorPct) / 100),
    sessions: Math.round(noisy(seed, 'sessions', m, 5200 * shape * (apiUp && s.dbAvailable ? 1 : 0.6), 0.04)),
    authStreak,
    wearablesDown: s.wearablesDown ? 1 : 0,
    pushDown: s.pushDown ? 1 : 0,
    dau: Math.round(noisy(seed, 'dau', m, 48_000 * dayFactor(s.start), 0.015)),
    syncAttempts: Math.round(syncAttempts),
    syncFailures: Math.round((syncAttempts * syncFailPct) / 100),
    registrations: noisy(seed, 'reg', m, 2 * shape, 0.25),
    featureUsage: noisy(seed, 'feature', m, 150 * shape, 0.1),
  };
  return { values, queueDepthAfter, errorShare: errorPct / 100 };
}

/** Weekends have fewer daily actives. */
function dayFactor(t: number): number {
  const day = Math.floor((t / 60_000 + 9 * 60) / 1440);
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6 ? 0.9 : 1;
}
