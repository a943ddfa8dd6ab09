/**
 * The sandbox's EndpointBreakdownSource: the whole minutes of a window, each split over the endpoints by
 * the rule its Prometheus exposition follows (endpointSplit.ts), grouped by path as
 * `sum by (endpoint)` groups them. The parts add up to the totals its CloudWatch metrics report
 * (Vitascope/API RequestCount and Http5xxCount, by construction: a minute's 5xx count is divided in the
 * proportions of where its failures fell), and the p95s are the minutes' averages, as the
 * p95ResponseTime Average over the window is.
 */
import type { EndpointBreakdown, EndpointBreakdownSource, EndpointPart } from '../ports.js';
import { endpointMinute } from './endpointSplit.js';
import { MINUTE } from './topology.js';
import type { World } from './world.js';

export function sandboxEndpoints(world: World, sync: () => number): EndpointBreakdownSource {
  return {
    async endpointBreakdown(window): Promise<EndpointBreakdown> {
      sync();
      if (!(window.seconds > 0)) throw new Error(`a breakdown window must be positive, not ${window.seconds} s`);
      const first = Math.ceil((window.end - window.seconds * 1000 - world.origin) / MINUTE);
      const last = Math.min(Math.floor((window.end - world.origin) / MINUTE), world.minute);
      const parts = new Map<string, { requests: number; errors: number; p95Sum: number; served: number }>();
      let requests = 0;
      let errors = 0;
      let p95Sum = 0;
      let minutes = 0;
      for (let m = first; m < last; m++) {
        const a = world.activity.at(m);
        if (!a) continue;
        minutes += 1;
        const split = endpointMinute(a.values, a.detail);
        const failedAll = split.reduce((s, e) => s + e.failed + e.raised, 0);
        const requestsAll = split.reduce((s, e) => s + e.requests, 0);
        requests += a.values.requests;
        errors += a.values.errors5xx;
        p95Sum += a.values.p95 / 1000;
        // One path's methods together; every endpoint counts each minute for its p95 average.
        const seen = new Map<string, { requests: number; errors: number; p95: number; weight: number }>();
        for (const e of split) {
          // The minute's 5xx count where its failures fell (by requests when none were modelled apart).
          const share =
            failedAll > 0 ? (e.failed + e.raised) / failedAll : requestsAll > 0 ? e.requests / requestsAll : 0;
          const p = seen.get(e.path) ?? { requests: 0, errors: 0, p95: 0, weight: 0 };
          p.requests += e.requests;
          p.errors += a.values.errors5xx * share;
          // Two methods of one path: their p95 weighted by their requests (the combined histogram's, roughly).
          p.p95 += e.p95Seconds * e.requests;
          p.weight += e.requests;
          seen.set(e.path, p);
        }
        for (const [path, p] of seen) {
          const acc = parts.get(path) ?? { requests: 0, errors: 0, p95Sum: 0, served: 0 };
          acc.requests += p.requests;
          acc.errors += p.errors;
          if (p.weight > 0) {
            acc.p95Sum += p.p95 / p.weight;
            acc.served += 1;
          }
          parts.set(path, acc);
        }
      }
      const seconds = minutes * 60;
      const rate = (n: number) => (seconds > 0 ? n / seconds : 0);
      const endpoints: EndpointPart[] = [...parts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([endpoint, p]) => ({
          endpoint,
          requestsPerSecond: rate(p.requests),
          errorsPerSecond: rate(p.errors),
          ...(p.served > 0 ? { p95Seconds: p.p95Sum / p.served } : {}),
        }));
      return {
        at: window.end,
        windowSeconds: window.seconds,
        label: 'endpoint',
        total: {
          requestsPerSecond: rate(requests),
          errorsPerSecond: rate(errors),
          ...(requests > 0 ? { p95Seconds: p95Sum / minutes } : {}),
        },
        endpoints,
      };
    },
  };
}
