/**
 * The log lines of one simulated minute, written from that minute's activity (activity.ts): the API's access
 * and application lines, the worker's and the Lambda's. Deterministic from the seed: the same minute always
 * gives the same lines, so a window is written when it is read and never stored.
 *
 * Volumes: successful requests are written one in ACCESS_SAMPLE (an access log sampled as many services do);
 * every failed or refused request, every failed sync and invocation is written, up to PER_KIND_CAP lines of
 * one kind a minute (more would say nothing new and cost memory on read).
 */

import type { LogEvent } from '../logPorts.js';
import type { MinuteActivity, ServingTask } from './activity.js';
import { hashString, uniform } from './noise.js';
import { ENDPOINTS, LAMBDA, MINUTE, SERVICES } from './topology.js';

export const SANDBOX_LOG_GROUPS = {
  api: `/ecs/${SERVICES[0]!.name}`,
  worker: `/ecs/${SERVICES[1]!.name}`,
  lambda: `/aws/lambda/${LAMBDA.name}`,
} as const;

export const ACCESS_SAMPLE = 25;
export const PER_KIND_CAP = 300;
/** Milliseconds one query of an N+1 loop takes (the extra latency of a slow revision is made of them). */
export const N_PLUS_ONE_QUERY_MS = 20;
/** The partner call's client timeout. */
export const PARTNER_TIMEOUT_MS = 5000;

const WEIGHTED_BASE = ENDPOINTS.reduce((s, e) => s + e.share * e.baseLatencyMs, 0);
const LOGIN = ENDPOINTS.find((e) => e.path === '/api/v1/auth/login')!;

/** Deterministic draws for one (minute, kind): r(i, k) is uniform in [0, 1). */
function draws(seed: number, minute: number, kind: string): (i: number, k?: number) => number {
  const key = hashString(`${kind}:${minute}`);
  return (i, k = 0) => uniform(seed, key, i * 8 + k);
}

function hex(r: number, digits: number): string {
  let out = '';
  let x = Math.floor(r * 2 ** 32) >>> 0;
  for (let i = 0; i < digits; i++) {
    out += (x & 0xf).toString(16);
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
  }
  return out;
}

function uuid(r: number): string {
  const h = hex(r, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A client address of ordinary users (mobile carriers, from the 10/8 range the sandbox pretends is the internet). */
function clientAddress(r: number): string {
  const x = Math.floor(r * 2 ** 24);
  return `10.${(x >> 16) & 255}.${(x >> 8) & 255}.${(x & 255) | 1}`;
}

function pick<T>(items: readonly T[], r: number): T {
  return items[Math.min(items.length - 1, Math.floor(r * items.length))]!;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** The endpoint a draw falls on, by share of traffic. */
function endpointAt(r: number): (typeof ENDPOINTS)[number] {
  let acc = 0;
  for (const e of ENDPOINTS) {
    acc += e.share;
    if (r < acc) return e;
  }
  return ENDPOINTS[ENDPOINTS.length - 1]!;
}

/** The endpoint's latency for a request in the minute, before a slow revision adds to it. */
export function requestMs(a: MinuteActivity, endpoint: (typeof ENDPOINTS)[number], r: number): number {
  const slowShare = a.api.length ? a.api.filter((t) => t.slowMs > 0).length / a.api.length : 0;
  const slowMs = Math.max(0, ...a.api.map((t) => t.slowMs));
  const p95 = Math.max(50, a.values.p95 - slowMs * Math.min(1, Math.max(0, (slowShare - 0.05) / 0.45)));
  return Math.max(2, ((p95 * endpoint.baseLatencyMs) / WEIGHTED_BASE) * (0.3 + 0.7 * r));
}

/** Queries an N+1 loop adds to a request on a slow revision's task. */
export function nPlusOneQueries(task: ServingTask): number {
  return task.slowMs > 0 ? Math.round(task.slowMs / N_PLUS_ONE_QUERY_MS) : 0;
}

type Line = LogEvent;

/** Lines of the API's group for the minute, oldest first. */
export function apiLines(seed: number, a: MinuteActivity): Line[] {
  const group = SANDBOX_LOG_GROUPS.api;
  const out: Line[] = [];
  if (a.api.length === 0) return out;
  const at = (r: number) => a.start + Math.floor(r * MINUTE);
  const stream = (task: ServingTask) => `ecs/${SERVICES[0]!.name}/${task.id}`;
  const scraped = a.scrape?.requests ?? 0;
  const attack = a.attack?.attempts ?? 0;
  const ordinary = Math.max(0, a.values.requests - scraped - attack);

  // Successful requests, sampled; the scraper's among them (all GET /api/v1/insights from one address).
  const r = draws(seed, a.minute, 'api-ok');
  const ok = Math.round((ordinary * (1 - a.detail.errorShare)) / ACCESS_SAMPLE);
  const scrapedLines = Math.min(PER_KIND_CAP, Math.round(scraped / ACCESS_SAMPLE));
  for (let i = 0; i < ok + scrapedLines; i++) {
    const scraper = i >= ok;
    const e = scraper ? ENDPOINTS.find((x) => x.path === '/api/v1/insights')! : endpointAt(r(i, 0));
    if (!scraper && e === LOGIN && r(i, 5) < 0.02) continue; // a refused sign-in: written below
    const task = pick(a.api, r(i, 1));
    const extra = nPlusOneQueries(task);
    const ms = Math.round(requestMs(a, e, r(i, 2)) + extra * N_PLUS_ONE_QUERY_MS);
    const client = scraper ? a.scrape!.address : clientAddress(r(i, 3));
    const t = at(r(i, 4));
    out.push({
      timestamp: t,
      group,
      stream: stream(task),
      message: `INFO request method=${e.method} path=${e.path} status=200 duration=${ms}ms client=${client} request_id=${uuid(r(i, 6))}`,
    });
    if (extra > 0) {
      out.push({
        timestamp: t,
        group,
        stream: stream(task),
        message: `WARNING slow request method=${e.method} path=${e.path} duration=${ms}ms queries=${extra + 2} revision=${SERVICES[0]!.family}:${task.revision}`,
      });
    }
  }

  // Refused sign-ins: the ordinary few (forgotten passwords, from anywhere) and the attacker's, every one.
  const rl = draws(seed, a.minute, 'api-login');
  const ordinaryRefused = Math.round(ordinary * LOGIN.share * 0.02);
  for (let i = 0; i < Math.min(PER_KIND_CAP, ordinaryRefused + attack); i++) {
    const attacker = i >= ordinaryRefused;
    const client = attacker ? a.attack!.address : clientAddress(rl(i, 0));
    const user = Math.floor(rl(i, 1) * 90_000) + 10_000; // an attacker tries many accounts
    const task = pick(a.api, rl(i, 2));
    out.push({
      timestamp: at(rl(i, 3)),
      group,
      stream: stream(task),
      message: `WARNING login failed reason=bad_password user=${user} client=${client}`,
    });
  }

  // Failed requests the state explains (overload, the database away, the partner down): every one, capped.
  const rf = draws(seed, a.minute, 'api-5xx');
  const failed = Math.min(PER_KIND_CAP, Math.round(ordinary * a.detail.errorShare));
  for (let i = 0; i < failed; i++) {
    const e = endpointAt(rf(i, 0));
    const task = pick(a.api, rf(i, 1));
    const cause = !a.dbAvailable
      ? 'database unavailable (connection refused)'
      : a.wearablesDown && rf(i, 2) < 0.5
        ? 'wearables-gateway timed out'
        : 'upstream timeout';
    out.push({
      timestamp: at(rf(i, 3)),
      group,
      stream: stream(task),
      message: `ERROR request method=${e.method} path=${e.path} status=503 client=${clientAddress(rf(i, 4))} error=${cause}`,
    });
  }

  // A bad revision's exception on one endpoint: the stack trace, once per failed call, from its tasks only.
  const failing = a.detail.failing;
  const raisers = a.api.filter((t) => t.failing !== undefined);
  if (failing && raisers.length > 0) {
    const rx = draws(seed, a.minute, 'api-raise');
    for (let i = 0; i < Math.min(PER_KIND_CAP, Math.round(failing.count)); i++) {
      const task = pick(raisers, rx(i, 0));
      out.push({
        timestamp: at(rx(i, 1)),
        group,
        stream: stream(task),
        message:
          `ERROR Exception on ${failing.method} ${failing.path} request_id=${uuid(rx(i, 2))}\n` +
          'Traceback (most recent call last):\n' +
          '  File "/app/vitascope/api/users.py", line 88, in get_me\n' +
          '    tz = ZoneInfo(user.settings["timezone"])\n' +
          "KeyError: 'timezone'",
      });
    }
  }

  // One health line per task a minute: the quiet background every service has.
  for (const task of a.api)
    out.push({
      timestamp: a.start + 30_000,
      group,
      stream: stream(task),
      message: `INFO health check passed task=${task.id} revision=${SERVICES[0]!.family}:${task.revision}`,
    });
  return out.sort(byTime);
}

/** Lines of the worker's group for the minute. */
export function workerLines(seed: number, a: MinuteActivity): Line[] {
  const group = SANDBOX_LOG_GROUPS.worker;
  const out: Line[] = [];
  if (a.worker.length === 0) return out;
  const at = (r: number) => a.start + Math.floor(r * MINUTE);
  const stream = (id: string) => `ecs/${SERVICES[1]!.name}/${id}`;
  const r = draws(seed, a.minute, 'worker');
  const done = Math.round((a.values.syncAttempts - a.values.syncFailures) / 10);
  for (let i = 0; i < done; i++) {
    const task = pick(a.worker, r(i, 0));
    out.push({
      timestamp: at(r(i, 1)),
      group,
      stream: stream(task.id),
      message: `INFO processed sync message id=${hex(r(i, 2), 16)} user=${Math.floor(r(i, 3) * 900_000) + 100_000} in ${Math.round(40 + 160 * r(i, 4))}ms`,
    });
  }
  const rf = draws(seed, a.minute, 'worker-fail');
  for (let i = 0; i < Math.min(PER_KIND_CAP, a.values.syncFailures); i++) {
    const task = pick(a.worker, rf(i, 0));
    const message = a.wearablesDown
      ? `ERROR sync failed message=${hex(rf(i, 2), 16)}: wearables-gateway POST /v2/sync timed out after ${PARTNER_TIMEOUT_MS}ms (attempt ${1 + Math.floor(rf(i, 3) * 3)}/3)`
      : task.memory > 85
        ? `ERROR sync failed message=${hex(rf(i, 2), 16)}: MemoryError while decoding the batch (task memory ${Math.round(task.memory)}%)`
        : !a.dbAvailable
          ? `ERROR sync failed message=${hex(rf(i, 2), 16)}: database unavailable (connection refused)`
          : `ERROR sync failed message=${hex(rf(i, 2), 16)}: device payload rejected (checksum mismatch)`;
    out.push({ timestamp: at(rf(i, 1)), group, stream: stream(task.id), message });
  }
  for (const task of a.worker) {
    out.push({
      timestamp: a.start + 15_000,
      group,
      stream: stream(task.id),
      message: `INFO heartbeat task=${task.id} queue_depth=${Math.round(a.values.queueDepth)} memory=${Math.round(task.memory)}%`,
    });
  }
  return out.sort(byTime);
}

/** Lines of the Lambda's group for the minute: START/END/REPORT per invocation (sampled) and every failure. */
export function lambdaLines(seed: number, a: MinuteActivity): Line[] {
  const group = SANDBOX_LOG_GROUPS.lambda;
  const out: Line[] = [];
  const stream = `${iso(a.start).slice(0, 10).replace(/-/g, '/')}/[$LATEST]${hex(uniform(seed, hashString('lambda-stream'), Math.floor(a.minute / 15)), 32)}`;
  const at = (r: number) => a.start + Math.floor(r * MINUTE);
  const r = draws(seed, a.minute, 'lambda');
  const ok = Math.round((a.values.lambdaInvocations - a.values.lambdaErrors) / 5);
  for (let i = 0; i < ok; i++) {
    const id = uuid(r(i, 0));
    const t = at(r(i, 1));
    const ms = (20 + 60 * r(i, 2)).toFixed(2);
    out.push({ timestamp: t, group, stream, message: `START RequestId: ${id} Version: $LATEST` });
    out.push({ timestamp: t + 1, group, stream, message: `END RequestId: ${id}` });
    out.push({
      timestamp: t + 1,
      group,
      stream,
      message: `REPORT RequestId: ${id}\tDuration: ${ms} ms\tBilled Duration: ${Math.ceil(Number(ms))} ms\tMemory Size: 256 MB\tMax Memory Used: ${70 + Math.floor(20 * r(i, 3))} MB`,
    });
  }
  const rf = draws(seed, a.minute, 'lambda-fail');
  const errors = Math.min(PER_KIND_CAP, a.values.lambdaErrors);
  const invocations = Math.max(1, a.values.lambdaInvocations);
  const poisonShare = Math.min(1, (a.lambdaPoison * invocations) / Math.max(1, a.values.lambdaErrors));
  for (let i = 0; i < errors; i++) {
    const id = uuid(rf(i, 0));
    const t = at(rf(i, 1));
    const poisoned = rf(i, 2) < poisonShare && a.poisonRevision !== undefined;
    const message = poisoned
      ? `[ERROR]\t${iso(t)}\t${id}\tKeyError: 'samples' in message ${hex(rf(i, 3), 16)} from revision=${SERVICES[0]!.family}:${a.poisonRevision} (the batch is under 'readings')`
      : a.wearablesDown
        ? `[ERROR]\t${iso(t)}\t${id}\tConnectTimeout: wearables-gateway did not answer within ${PARTNER_TIMEOUT_MS}ms`
        : `[ERROR]\t${iso(t)}\t${id}\tRuntimeError: batch could not be stored (retrying)`;
    out.push({ timestamp: t, group, stream, message });
  }
  return out.sort(byTime);
}

function byTime(a: Line, b: Line): number {
  return a.timestamp - b.timestamp;
}
