import type { MinuteValues } from './catalogue.js';
import { demandShape, noisy, keyOf, PEAK_REQUESTS_PER_MINUTE } from './load.js';
import { uniform } from './noise.js';
import { baseUsedGiB, STORAGE } from './database.js';
import { DATABASE, ENDPOINTS } from './topology.js';

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
  /** The DB instance's storage: allocated and used GiB (writes fail when it is full). */
  readonly dbAllocatedGiB: number;
  readonly dbUsedGiB: number;
  readonly queueDepth: number;
  /** Login attempts per minute from one attacking address that still reach the API. */
  readonly attackPerMinute: number;
  /** GET /api/v1/insights per minute from one scraping address that still reach the API. */
  readonly scrapePerMinute: number;
  readonly wearablesDown: boolean;
  readonly pushDown: boolean;
  /** Share of users who cannot sign in now, and the shares of sessions and of daily actives lost so far. */
  readonly signInFailing: number;
  readonly sessionLoss: number;
  readonly dauLoss: number;
  /** One endpoint answering a share of its requests with 500 (a bad revision). */
  readonly failingEndpoint?: { readonly path: string; readonly method: string; readonly share: number };
  /** Share of Lambda invocations failing on messages it cannot process. */
  readonly lambdaPoison: number;
}

/** Where the minute's requests went and which failed, for the Prometheus exposition. */
export interface EndpointDetail {
  /** Share of ordinary requests failing everywhere. */
  readonly errorShare: number;
  /** Requests from the scraping address (all GET /api/v1/insights). */
  readonly scraped: number;
  /** Extra 500s on one endpoint. */
  readonly failing?: { readonly method: string; readonly path: string; readonly count: number };
  /** Sign-ins rejected (401) because the app could not complete them. */
  readonly signInRejected: number;
}

export interface MinuteResult {
  readonly values: MinuteValues;
  readonly queueDepthAfter: number;
  /** Share of requests failing, for the Prometheus exposition. */
  readonly errorShare: number;
  readonly detail: EndpointDetail;
}

/** Requests one API task serves per second at 100 % CPU. */
const RPS_PER_TASK_AT_FULL = 160;
const BASE_CPU = 6;
const MESSAGES_PER_WORKER_MINUTE = 400;
const GIB = 1024 ** 3;
/** Share of syncs that go through the wearables gateway. */
const WEARABLES_SHARE = 0.34;
/** Mean bytes on the wire per API request, and per GET /api/v1/insights (a large JSON document). */
const BYTES_PER_REQUEST = 14_000;
const BYTES_PER_INSIGHTS = 30_000;
/** Share of API calls a signed-out user still makes (opening the app, trying to sign in). */
const SIGNED_OUT_CALLS = 0.1;
/** Shares of traffic: the writes (which fail on a full volume) and sign-ins. */
const WRITE_SHARE = ENDPOINTS.filter((e) => e.method === 'POST').reduce((t, e) => t + e.share, 0);
const LOGIN_SHARE = ENDPOINTS.find((e) => e.path === '/api/v1/auth/login')?.share ?? 0;

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
    dbAllocatedGiB: STORAGE.allocatedGiB,
    dbUsedGiB: baseUsedGiB(minute),
    queueDepth: 0,
    attackPerMinute: 0,
    scrapePerMinute: 0,
    wearablesDown: false,
    pushDown: false,
    signInFailing: 0,
    sessionLoss: 0,
    dauLoss: 0,
    lambdaPoison: 0,
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
  // Signed-out users (sign-in broken) make only a few calls, and sync nothing.
  const ordinary = noisy(seed, 'demand', m, PEAK_REQUESTS_PER_MINUTE * shape, 0.03);
  const signedIn = 1 - s.sessionLoss;
  const demand = ordinary * s.demandFactor * (signedIn + SIGNED_OUT_CALLS * s.sessionLoss);
  const requests = demand + s.attackPerMinute + s.scrapePerMinute;
  const full = s.dbAvailable && s.dbUsedGiB >= s.dbAllocatedGiB;

  const apiUp = s.apiRunning > 0;
  const rpsPerTask = apiUp ? requests / 60 / s.apiRunning : 0;
  const cpuRaw = apiUp ? BASE_CPU + (100 * rpsPerTask) / RPS_PER_TASK_AT_FULL : 0;
  const apiCpu = Math.min(100, noisy(seed, 'apiCpu', m, cpuRaw, 0.04));
  const u = apiCpu / 100;
  const load = Math.max(cpuRaw, 0);

  // Connections: each API task keeps a pool of ~18, each worker task ~8, plus admin and leaked ones.
  const wanted = 15 + 18 * s.apiRunning + 8 * s.workerRunning + s.dbLeaked;
  const dbConnections = s.dbAvailable
    ? Math.min(DATABASE.maxConnections, Math.round(noisy(seed, 'dbConn', m, wanted, 0.03)))
    : 0;
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
  // On a full volume every write fails: the POST endpoints.
  if (full) errorPct += 100 * WRITE_SHARE;
  if (!apiUp) errorPct = 100;
  errorPct = Math.min(100, errorPct);
  const failingShare = s.failingEndpoint
    ? (ENDPOINTS.find((e) => e.path === s.failingEndpoint!.path && e.method === s.failingEndpoint!.method)?.share ?? 0)
    : 0;
  const endpointFailures =
    apiUp && s.failingEndpoint ? demand * failingShare * s.failingEndpoint.share * (1 - errorPct / 100) : 0;

  // Health-data syncs: each enqueues a message for the worker. While the wearables gateway is down,
  // the syncs that need it (about a third) cannot complete and wait in the queue for it to return.
  const syncAttempts = noisy(seed, 'sync', m, ordinary * 0.062 * signedIn, 0.04);
  let syncFailPct = noisy(seed, 'syncFail', m, 0.4, 0.3);
  if (s.wearablesDown) syncFailPct += WEARABLES_SHARE * 100;
  syncFailPct += Math.max(0, s.workerMemory - 85) * 1.2;
  if (!s.dbAvailable) syncFailPct += 30;
  if (full) syncFailPct = 100;
  syncFailPct = Math.min(100, syncFailPct);
  const memoryPressure = s.workerMemory > 90 ? 0.6 : 1;
  const capacity = MESSAGES_PER_WORKER_MINUTE * s.workerRunning * memoryPressure;
  const stuck = s.wearablesDown ? syncAttempts * WEARABLES_SHARE : 0;
  const processable = s.queueDepth + syncAttempts - stuck;
  const processed = Math.min(capacity, s.wearablesDown ? syncAttempts - stuck : processable);
  const queueDepthAfter = s.wearablesDown
    ? s.queueDepth + stuck + (syncAttempts - stuck - processed)
    : Math.max(0, processable - processed);
  const inFlight = uniform(seed, keyOf('inflight'), m) * 40;
  const workerBusy = s.workerRunning > 0 ? processed / (MESSAGES_PER_WORKER_MINUTE * s.workerRunning) : 0;

  const invocations = syncAttempts * 0.5;
  const lambdaErrorShare = Math.min(
    1,
    (s.wearablesDown ? 0.22 : 0) +
      (full ? 1 : 0) +
      s.lambdaPoison +
      Math.max(0, noisy(seed, 'lambdaErr', m, 0.002, 0.5)),
  );

  const authStreak = s.attackPerMinute > 0 ? s.attackPerMinute : 1 + Math.floor(uniform(seed, keyOf('auth'), m) * 4);

  const values: MinuteValues = {
    apiCpu,
    workerCpu: noisy(seed, 'workerCpu', m, 8 + 58 * workerBusy, 0.05),
    apiMemory: noisy(seed, 'apiMem', m, 46 + 6 * u, 0.02),
    workerMemory: Math.min(100, noisy(seed, 'workerMem', m, s.workerMemory, 0.02)),
    apiNetwork: noisy(
      seed,
      'apiNet',
      m,
      ((requests - s.scrapePerMinute) * BYTES_PER_REQUEST + s.scrapePerMinute * BYTES_PER_INSIGHTS) / 60,
      0.05,
    ),
    workerNetwork: noisy(seed, 'workerNet', m, (syncAttempts / 60) * 30_000, 0.05),
    // A steady service; the world puts in the counts of a service it is changing.
    apiDesired: s.apiRunning,
    apiRunningTasks: s.apiRunning,
    apiDeployments: 1,
    workerDesired: s.workerRunning,
    workerRunningTasks: s.workerRunning,
    workerDeployments: 1,
    dbConnections,
    dbFreeStorage: Math.max(0, s.dbAllocatedGiB - s.dbUsedGiB - 0.1 * uniform(seed, keyOf('disk'), m)) * GIB,
    queueDepth: Math.round(queueDepthAfter + inFlight),
    lambdaInvocations: Math.round(invocations),
    lambdaErrors: Math.round(invocations * lambdaErrorShare),
    p95,
    requests: Math.round(requests),
    errors5xx: Math.round((requests * errorPct) / 100 + endpointFailures),
    sessions: Math.round(
      noisy(seed, 'sessions', m, 5200 * shape * (apiUp && s.dbAvailable ? 1 : 0.6) * signedIn, 0.04),
    ),
    authStreak,
    wearablesDown: s.wearablesDown ? 1 : 0,
    pushDown: s.pushDown ? 1 : 0,
    dau: Math.round(noisy(seed, 'dau', m, 48_000 * dayFactor(s.start) * (1 - s.dauLoss), 0.015)),
    syncAttempts: Math.round(syncAttempts),
    syncFailures: Math.round((syncAttempts * syncFailPct) / 100),
    // Sign-ups go through the same sign-in; the main features are used by signed-in users.
    registrations: noisy(seed, 'reg', m, 2 * shape * (1 - s.signInFailing), 0.25),
    featureUsage: noisy(seed, 'feature', m, 150 * shape * signedIn, 0.1),
  };
  const detail: EndpointDetail = {
    errorShare: errorPct / 100,
    scraped: s.scrapePerMinute,
    failing:
      s.failingEndpoint && endpointFailures > 0
        ? { method: s.failingEndpoint.method, path: s.failingEndpoint.path, count: endpointFailures }
        : undefined,
    signInRejected: ordinary * LOGIN_SHARE * s.signInFailing,
  };
  return { values, queueDepthAfter, errorShare: errorPct / 100, detail };
}

/** Weekends have fewer daily actives. */
function dayFactor(t: number): number {
  const day = Math.floor((t / 60_000 + 9 * 60) / 1440);
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6 ? 0.9 : 1;
}
