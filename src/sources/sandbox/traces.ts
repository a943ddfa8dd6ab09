/**
 * The sandbox's TraceSource: sampled requests of each simulated minute as X-Ray would hold them, made on read
 * from the minute's activity (activity.ts). A trace id says its minute and its index, so BatchGetTraces'
 * counterpart rebuilds the very trace a summary named. What a trace holds follows the world's state: a task of
 * a slow revision runs one query per item (many `SELECT health_readings` spans), a failing revision's endpoint
 * raises, the partner times out while it is down, the Lambda fails on poison messages.
 */

import type { Span, Trace, TraceQuery, TraceSource, TraceSummary } from '../logPorts.js';
import type { MinuteActivity } from './activity.js';
import { N_PLUS_ONE_QUERY_MS, nPlusOneQueries, PARTNER_TIMEOUT_MS, requestMs } from './logLines.js';
import { hashString, uniform } from './noise.js';
import { DEPENDENCIES, ENDPOINTS, LAMBDA, MINUTE, SERVICES } from './topology.js';
import type { World } from './world.js';

/** Sampled API requests per minute (X-Ray's reservoir of one a second, then a share: about this many). */
export const API_TRACES_PER_MINUTE = 24;
export const LAMBDA_TRACES_PER_MINUTE = 6;
const API = SERVICES[0]!.name;
const DB = 'vitascope-db';
const PARTNER = DEPENDENCIES[0].name;
/** Minutes one read looks back at most. */
const MAX_MINUTES = 1440;

/** The queries an endpoint runs when nothing is wrong. */
const QUERIES: Readonly<Record<string, readonly string[]>> = {
  '/api/v1/health-data': ['SELECT users', 'SELECT health_readings'],
  '/api/v1/sync': ['SELECT devices', 'INSERT health_readings'],
  '/api/v1/users/me': ['SELECT users', 'SELECT user_settings'],
  '/api/v1/auth/login': ['SELECT users', 'INSERT sessions'],
  '/api/v1/insights': ['SELECT health_readings', 'SELECT insights'],
};

function traceId(a: MinuteActivity, seed: number, index: number, lambda: boolean): string {
  const sec = Math.floor(a.start / 1000)
    .toString(16)
    .padStart(8, '0');
  const salt = Math.floor(uniform(seed, hashString(`trace:${a.minute}`), index) * 2 ** 32)
    .toString(16)
    .padStart(8, '0');
  return `1-${sec}-${salt}${lambda ? 'l' : 'a'}${a.minute < 0 ? 'n' : 'p'}${Math.abs(a.minute).toString(16).padStart(7, '0')}${index.toString(16).padStart(6, '0')}`;
}

/** The minute, kind and index a sandbox trace id stands for; undefined for any other id. */
function parseId(id: string): { minute: number; lambda: boolean; index: number } | undefined {
  const m = /^1-[0-9a-f]{8}-[0-9a-f]{8}([al])([np])([0-9a-f]{7})([0-9a-f]{6})$/.exec(id);
  if (!m) return undefined;
  return { lambda: m[1] === 'l', minute: (m[2] === 'n' ? -1 : 1) * parseInt(m[3]!, 16), index: parseInt(m[4]!, 16) };
}

function endpointAt(r: number): (typeof ENDPOINTS)[number] {
  let acc = 0;
  for (const e of ENDPOINTS) {
    acc += e.share;
    if (r < acc) return e;
  }
  return ENDPOINTS[ENDPOINTS.length - 1]!;
}

/** One sampled API request of the minute. */
function apiTrace(seed: number, a: MinuteActivity, index: number): Trace | undefined {
  if (a.api.length === 0) return undefined;
  const key = hashString(`api-trace:${a.minute}`);
  const r = (k: number) => uniform(seed, key, index * 16 + k);
  const e = endpointAt(r(0));
  const task = a.api[Math.min(a.api.length - 1, Math.floor(r(1) * a.api.length))]!;
  const id = traceId(a, seed, index, false);
  const start = a.start + Math.floor(r(2) * (MINUTE - 10_000));
  const spans: Span[] = [];
  const rootId = `${id.slice(-12)}00`;
  let t = start + 1;
  const child = (service: string, operation: string, ms: number, extra: Partial<Span> = {}): void => {
    spans.push({
      id: `${id.slice(-12)}${(spans.length + 1).toString(16).padStart(2, '0')}`,
      parentId: rootId,
      service,
      operation,
      start: t,
      end: t + ms,
      ...extra,
    });
    t += ms;
  };
  child(API, 'auth.verify_token', 1 + Math.round(2 * r(3)));
  const appMs = requestMs(a, e, r(4));
  const queries = QUERIES[e.path] ?? ['SELECT users'];
  let fault = false;
  let status = 200;
  if (!a.dbAvailable) {
    child(DB, 'connect', 250, { fault: true });
    fault = true;
    status = 503;
  } else {
    for (const q of queries) child(DB, q, Math.max(1, Math.round(appMs * 0.25)));
    // The N+1 of a slow revision: one more query per item, each small, many of them.
    for (let i = 0; i < nPlusOneQueries(task); i++) child(DB, 'SELECT health_readings', N_PLUS_ONE_QUERY_MS);
    if (task.failing && task.failing.path === e.path && task.failing.method === e.method && r(5) < 0.5) {
      fault = true;
      status = 500;
    }
  }
  if (!fault && e.path === '/api/v1/sync') {
    if (a.wearablesDown) {
      child(PARTNER, 'POST /v2/sync', PARTNER_TIMEOUT_MS, { fault: true });
      fault = true;
      status = 502;
    } else child(PARTNER, 'POST /v2/sync', 40 + Math.round(60 * r(6)));
  }
  if (!fault && r(7) < a.detail.errorShare) {
    fault = true;
    status = 503;
  }
  t += Math.max(1, Math.round(appMs * 0.3));
  spans.unshift({
    id: rootId,
    service: API,
    operation: `${e.method} ${e.path}`,
    start,
    end: t,
    status,
    ...(fault ? { fault: true } : {}),
  });
  return { id, spans };
}

/** One sampled invocation of the sync processor. */
function lambdaTrace(seed: number, a: MinuteActivity, index: number): Trace | undefined {
  if (a.values.lambdaInvocations <= 0) return undefined;
  const key = hashString(`lambda-trace:${a.minute}`);
  const r = (k: number) => uniform(seed, key, index * 8 + k);
  const id = traceId(a, seed, index, true);
  const start = a.start + Math.floor(r(0) * (MINUTE - 10_000));
  const rootId = `${id.slice(-12)}00`;
  const errorShare = a.values.lambdaErrors / a.values.lambdaInvocations;
  const failed = r(1) < errorShare;
  const poisoned = failed && a.poisonRevision !== undefined && r(2) < a.lambdaPoison / Math.max(errorShare, 1e-9);
  const spans: Span[] = [];
  let t = start + 2;
  const child = (service: string, operation: string, ms: number, extra: Partial<Span> = {}): void => {
    spans.push({
      id: `${id.slice(-12)}${(spans.length + 1).toString(16).padStart(2, '0')}`,
      parentId: rootId,
      service,
      operation,
      start: t,
      end: t + ms,
      ...extra,
    });
    t += ms;
  };
  if (poisoned) child(LAMBDA.name, 'parse sync message', 2, { error: true });
  else {
    child(LAMBDA.name, 'parse sync message', 2);
    if (a.wearablesDown && failed) child(PARTNER, 'GET /v2/devices', PARTNER_TIMEOUT_MS, { fault: true });
    else child(DB, 'INSERT health_readings', 10 + Math.round(30 * r(3)), failed ? { fault: true } : {});
  }
  spans.unshift({
    id: rootId,
    service: LAMBDA.name,
    operation: 'Invoke',
    start,
    end: t + 1,
    ...(failed ? { fault: !poisoned, error: poisoned } : {}),
  });
  return { id, spans };
}

function summaryOf(trace: Trace): TraceSummary {
  const root = trace.spans[0]!;
  return {
    id: trace.id,
    start: root.start,
    durationMs: root.end - root.start,
    service: root.service,
    operation: root.operation,
    error: trace.spans.some((s) => s.error === true),
    fault: trace.spans.some((s) => s.fault === true),
    ...(root.status !== undefined ? { status: root.status } : {}),
  };
}

function tracesOf(seed: number, a: MinuteActivity): Trace[] {
  const out: Trace[] = [];
  for (let i = 0; i < API_TRACES_PER_MINUTE; i++) {
    const t = apiTrace(seed, a, i);
    if (t) out.push(t);
  }
  for (let i = 0; i < LAMBDA_TRACES_PER_MINUTE; i++) {
    const t = lambdaTrace(seed, a, i);
    if (t) out.push(t);
  }
  return out;
}

export function sandboxTraces(world: World, sync: () => number): TraceSource {
  return {
    async summaries(q: TraceQuery) {
      const now = sync();
      const until = Math.min(q.end, now);
      const last = Math.floor((until - 1 - world.origin) / MINUTE);
      const asked = Math.floor((q.start - world.origin) / MINUTE);
      const first = Math.max(asked, last - MAX_MINUTES + 1);
      const out: TraceSummary[] = [];
      let complete = first === asked;
      for (let m = last; m >= first; m--) {
        const a = world.activity.at(m);
        if (a === undefined) continue;
        const minute = tracesOf(world.seed, a)
          .filter((t) => q.service === undefined || t.spans.some((s) => s.service === q.service))
          .map(summaryOf)
          .filter((s) => s.start >= q.start && s.start < until && (!q.errorsOnly || s.error || s.fault))
          .sort((x, y) => y.start - x.start);
        for (const s of minute) {
          if (out.length >= q.limit) {
            complete = false;
            break;
          }
          out.push(s);
        }
        if (!complete && out.length >= q.limit) break;
      }
      return { summaries: out.reverse(), complete };
    },
    async traces(ids) {
      const now = sync();
      const out: Trace[] = [];
      for (const id of ids) {
        const p = parseId(id);
        if (p === undefined) continue;
        const a = world.activity.at(p.minute);
        if (a === undefined || a.start >= now) continue;
        const t = p.lambda ? lambdaTrace(world.seed, a, p.index) : apiTrace(world.seed, a, p.index);
        if (t !== undefined && t.id === id) out.push(t);
      }
      return out;
    },
  };
}
