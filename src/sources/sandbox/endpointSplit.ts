/**
 * How one simulated minute's API requests divide over the endpoints: the one rule the sandbox's
 * Prometheus exposition (exposition.ts) and its by-endpoint breakdown (endpoints.ts) both follow.
 * Ordinary traffic goes by each endpoint's share; the attacker's sign-ins go to the login endpoint,
 * the scraper's requests to GET /api/v1/insights; ordinary failures fall everywhere alike, a bad
 * revision's exceptions on its one endpoint. Latency: the minute's p95 scaled by the endpoint's base
 * latency, so that the share-weighted p95 of ordinary traffic is the minute's p95.
 */
import type { MinuteValues } from './catalogue.js';
import type { EndpointDetail } from './physics.js';
import { ENDPOINTS } from './topology.js';

const WEIGHTED_BASE = ENDPOINTS.reduce((s, e) => s + e.share * e.baseLatencyMs, 0);

export interface EndpointMinute {
  readonly method: string;
  readonly path: string;
  readonly requests: number;
  /** Ordinary failures (5xx) of its requests. */
  readonly failed: number;
  /** A bad revision's exceptions (500) on this endpoint. */
  readonly raised: number;
  /** Sign-ins refused (401): the attacker's, ordinary mistakes, and those the app could not complete. */
  readonly unauthorised: number;
  readonly p95Seconds: number;
}

export function endpointMinute(v: MinuteValues, detail: EndpointDetail): EndpointMinute[] {
  const attack = Math.max(0, v.authStreak >= 5 ? v.authStreak : 0);
  const failing = detail.failing;
  const ordinary = Math.max(0, v.requests - attack - detail.scraped);
  return ENDPOINTS.map((e) => {
    const login = e.path === '/api/v1/auth/login';
    const scraped = e.path === '/api/v1/insights' && e.method === 'GET' ? detail.scraped : 0;
    return {
      method: e.method,
      path: e.path,
      requests: ordinary * e.share + (login ? attack : 0) + scraped,
      failed: (ordinary * e.share + scraped) * detail.errorShare,
      raised: failing && failing.path === e.path && failing.method === e.method ? failing.count : 0,
      unauthorised: login ? attack + ordinary * e.share * 0.02 + detail.signInRejected : 0,
      p95Seconds: (v.p95 * e.baseLatencyMs) / WEIGHTED_BASE / 1000,
    };
  });
}
