/**
 * A deterministic two-hour history of Vitascope's app metrics for promtool to backfill: a healthy hour
 * (100 req/s, 0.2 % 5xx, p95 200 ms) and then a degraded hour (100 req/s, 6 % 5xx, p95 1.3 s), over
 * four endpoints, at 15 s steps, ending one step before "now". Shaped as prometheus_client exposes
 * the strategy's metrics and a scrape of the job vitascope-api stores them: app_request_count_total
 * (and its _created gauge), app_request_latency_seconds_bucket with le as Python writes floats ("1.0"),
 * _count, _sum and _created, every series with job and instance.
 *
 * Every step adds the same whole numbers of requests to every bucket and status code of its phase, so
 * counters grow in straight lines and rate() over any window inside a phase is exact (20 samples in
 * 5 minutes, extrapolated by one step to the window's start). The expected answers follow by hand:
 *
 * histogram_quantile(0.95, …) finds the bucket holding the 95th-percentile rank and interpolates
 * linearly in it: q = lower + (upper − lower) × (rank − below) / inBucket.
 * - healthy, all endpoints, per step: 1321 of 1500 requests ≤ 0.1 s, 156 in (0.1, 0.25], 23 above;
 *   rank 1425 → 0.1 + 0.15 × 104/156 = 0.200 s.
 * - degraded: 1410 ≤ 1 s, 75 in (1, 2.5], 15 above; rank 1425 → 1 + 1.5 × 15/75 = 1.300 s.
 * - errors per step: healthy 3 of 1500 (0.2 %), degraded 90 of 1500 (6 %); 4xx (5 per step) never count.
 * The by-endpoint values are computed the same way (expectedP95 below), and written out in the test.
 */

export const STEP_SECONDS = 15;
/** What the scrape adds to every series. */
export const SCRAPE = { job: 'vitascope-api', instance: '10.0.1.23:8000' } as const;

/** prometheus_client's floatToGoString for a bucket bound: 0.005, 1.0, 10.0. */
export function le(bound: number): string {
  return Number.isInteger(bound) ? `${bound}.0` : String(bound);
}
/** Upper bounds of the histogram's buckets, prometheus_client's defaults; +Inf follows. */
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] as const;

export interface EndpointSpec {
  readonly method: string;
  readonly endpoint: string;
  /** Requests per 15 s step (the same in both phases). */
  readonly perStep: number;
}

export const ENDPOINTS: readonly EndpointSpec[] = [
  { method: 'GET', endpoint: '/api/v1/health-data', perStep: 600 },
  { method: 'POST', endpoint: '/api/v1/health-data', perStep: 450 },
  { method: 'POST', endpoint: '/api/v1/sync', perStep: 300 },
  { method: 'GET', endpoint: '/api/v1/users/me', perStep: 150 },
];

export type PhaseName = 'healthy' | 'degraded';

export interface PhaseSpec {
  /** Per endpoint (index into ENDPOINTS): requests per step whose latency is ≤ each bound, as {bound: count}; bound 'inf' for > 10 s. */
  readonly latency: readonly Readonly<Record<string, number>>[];
  /** Per endpoint: requests per step with each non-200 status code; 200 takes the rest. */
  readonly statuses: readonly Readonly<Record<string, number>>[];
}

/** Non-cumulative counts per step: {upper bound: requests in (previous bound, bound]}. */
export const PHASES: Readonly<Record<PhaseName, PhaseSpec>> = {
  healthy: {
    latency: [
      // GET health-data: 540 ≤ 0.1 s, 59 in (0.1, 0.25], 1 above
      { 0.025: 90, 0.05: 250, 0.075: 130, 0.1: 70, 0.25: 59, 0.5: 1 },
      // POST health-data: 400 ≤ 0.1, 44, 6 above
      { 0.05: 160, 0.075: 140, 0.1: 100, 0.25: 44, 0.5: 5, 0.75: 1 },
      // POST sync: 240 ≤ 0.1, 44, 16 above
      { 0.05: 50, 0.075: 90, 0.1: 100, 0.25: 44, 0.5: 10, 0.75: 4, 1: 2 },
      // GET users/me: 141 ≤ 0.1, 9, none above
      { 0.01: 20, 0.025: 70, 0.05: 41, 0.075: 10, 0.25: 9 },
    ],
    statuses: [{ 500: 1 }, { 503: 1, 400: 2 }, { 500: 1 }, { 404: 3 }],
  },
  degraded: {
    latency: [
      // GET health-data: 565 ≤ 1 s, 29 in (1, 2.5], 6 above
      { 0.1: 150, 0.25: 200, 0.5: 120, 0.75: 60, 1: 35, 2.5: 29, 5: 4, 7.5: 2 },
      // POST health-data: 430 ≤ 1, 15, 5 above
      { 0.1: 100, 0.25: 170, 0.5: 100, 0.75: 40, 1: 20, 2.5: 15, 5: 5 },
      // POST sync: 275 ≤ 1, 22, 3 above
      { 0.1: 40, 0.25: 80, 0.5: 80, 0.75: 50, 1: 25, 2.5: 22, 5: 3 },
      // GET users/me: 140 ≤ 1, 9, 1 above
      { 0.05: 40, 0.1: 50, 0.25: 30, 0.5: 15, 0.75: 5, 2.5: 9, 5: 1 },
    ],
    statuses: [
      { 500: 20, 503: 10 },
      { 500: 27, 400: 2 },
      { 500: 18, 503: 9 },
      { 503: 6, 404: 3 },
    ],
  },
};

/** Hand-computed answers (see the file's comment and expectedP95); units: seconds, percent, req/s. */
export const EXPECTED: Readonly<
  Record<
    PhaseName,
    {
      p95: number;
      errorPercent: number;
      requestsPerSecond: number;
      p95ByEndpoint: Record<string, number>;
      errorPercentByEndpoint: Record<string, number>;
      rpsByEndpoint: Record<string, number>;
    }
  >
> = {
  healthy: {
    p95: 0.2,
    errorPercent: 0.2,
    requestsPerSecond: 100,
    // GET+POST health-data merge: 940 ≤ 0.1, 103 in (0.1,0.25] of 1050; rank 997.5 → 0.1 + 0.15 × 57.5/103
    p95ByEndpoint: {
      '/api/v1/health-data': 0.1 + (0.15 * 57.5) / 103,
      '/api/v1/sync': 0.25 + (0.25 * 1) / 10,
      '/api/v1/users/me': 0.1 + (0.15 * 1.5) / 9,
    },
    errorPercentByEndpoint: {
      '/api/v1/health-data': (100 * 2) / 1050,
      '/api/v1/sync': (100 * 1) / 300,
      '/api/v1/users/me': 0,
    },
    rpsByEndpoint: { '/api/v1/health-data': 70, '/api/v1/sync': 20, '/api/v1/users/me': 10 },
  },
  degraded: {
    p95: 1.3,
    errorPercent: 6,
    requestsPerSecond: 100,
    // health-data: 995 ≤ 1, 44 in (1, 2.5] of 1050; rank 997.5 → 1 + 1.5 × 2.5/44
    p95ByEndpoint: {
      '/api/v1/health-data': 1 + (1.5 * 2.5) / 44,
      '/api/v1/sync': 1 + (1.5 * 10) / 22,
      '/api/v1/users/me': 1 + (1.5 * 2.5) / 9,
    },
    errorPercentByEndpoint: {
      '/api/v1/health-data': (100 * 57) / 1050,
      '/api/v1/sync': (100 * 27) / 300,
      '/api/v1/users/me': (100 * 6) / 150,
    },
    rpsByEndpoint: { '/api/v1/health-data': 70, '/api/v1/sync': 20, '/api/v1/users/me': 10 },
  },
};

/** Prometheus's histogram_quantile on non-cumulative per-bucket counts (an independent check of EXPECTED). */
export function expectedP95(counts: readonly Readonly<Record<string, number>>[]): number {
  const bounds = [...BUCKETS, Number.POSITIVE_INFINITY];
  const perBucket = bounds.map((b) =>
    counts.reduce((s, c) => s + (c[b === Number.POSITIVE_INFINITY ? 'inf' : String(b)] ?? 0), 0),
  );
  const total = perBucket.reduce((a, b) => a + b, 0);
  const rank = 0.95 * total;
  let below = 0;
  for (let i = 0; i < bounds.length; i++) {
    const inBucket = perBucket[i]!;
    if (below + inBucket >= rank) {
      if (bounds[i] === Number.POSITIVE_INFINITY) return bounds[i - 1]!;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      return lower + (bounds[i]! - lower) * ((rank - below) / inBucket);
    }
    below += inBucket;
  }
  return Number.NaN;
}

export interface Timeline {
  /** Epoch ms of the first and last samples. */
  readonly start: number;
  readonly end: number;
  /**
   * Epoch ms (a sample instant) after which traffic is degraded: the counters' increase up to this
   * sample is healthy traffic, every increase after it degraded. A rate window ending at or before it
   * is wholly healthy; one whose first sample is at or after it is wholly degraded.
   */
  readonly degradedFrom: number;
  /** Evaluation instants on the sample grid with a 5-minute window wholly inside each phase. */
  readonly healthyAt: number;
  readonly degradedAt: number;
}

const STEPS = 480; // two hours
const HEALTHY_STEPS = 240;

/** The timeline for data ending one step before `now` (rounded down to the step grid). */
export function timelineFor(now: number): Timeline {
  const stepMs = STEP_SECONDS * 1000;
  const end = Math.floor(now / stepMs) * stepMs - stepMs;
  const start = end - (STEPS - 1) * stepMs;
  return {
    start,
    end,
    degradedFrom: start + (HEALTHY_STEPS - 1) * stepMs,
    healthyAt: start + 160 * stepMs,
    degradedAt: start + 400 * stepMs,
  };
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
}

/** A representative latency per bucket for _sum: its midpoint, and 10 s beyond the last bound. */
function representative(bound: string): number {
  if (bound === 'inf') return 10;
  const i = BUCKETS.indexOf(Number(bound) as (typeof BUCKETS)[number]);
  const lower = i <= 0 ? 0 : BUCKETS[i - 1]!;
  return (lower + Number(bound)) / 2;
}

/** The OpenMetrics text: one counter family and one histogram family, series by series, oldest first. */
export function openMetrics(timeline: Timeline): string {
  const stepMs = STEP_SECONDS * 1000;
  const phaseOf = (k: number): PhaseSpec => (k <= HEALTHY_STEPS - 1 ? PHASES.healthy : PHASES.degraded);
  // Increment j (1-based) happens between samples j−1 and j; sample 0 is the counters' zero.
  const increments = (perStep: (p: PhaseSpec) => number): number[] => {
    const values = [0];
    for (let k = 1; k < STEPS; k++) values.push(values[k - 1]! + perStep(phaseOf(k)));
    return values;
  };
  const lines: string[] = [];
  const emit = (name: string, labels: Readonly<Record<string, string>>, values: readonly number[], always: boolean) => {
    for (let k = 0; k < STEPS; k++) {
      // Like a client library, a status-code series exists only once it has been counted.
      if (!always && values[k] === 0) continue;
      const v = Number.isInteger(values[k]) ? `${values[k]}.0` : values[k]!.toFixed(6);
      lines.push(`${name}{${labelText(labels)}} ${v} ${((timeline.start + k * stepMs) / 1000).toFixed(3)}`);
    }
  };

  const createdAt = ((timeline.start - 3_600_000) / 1000).toFixed(3);
  const created = (name: string, labels: Readonly<Record<string, string>>) =>
    emit(
      name,
      labels,
      Array.from({ length: STEPS }, () => Number(createdAt)),
      true,
    );
  lines.push('# HELP app_request_count Application requests.', '# TYPE app_request_count counter');
  ENDPOINTS.forEach((e, i) => {
    const codes = new Set<string>(['200']);
    for (const p of Object.values(PHASES)) for (const c of Object.keys(p.statuses[i]!)) codes.add(c);
    for (const code of [...codes].sort()) {
      const perStep = (p: PhaseSpec) => {
        const s = p.statuses[i]!;
        if (code !== '200') return s[code] ?? 0;
        return e.perStep - Object.values(s).reduce((a, b) => a + b, 0);
      };
      const labels = { ...SCRAPE, method: e.method, endpoint: e.endpoint, status_code: code };
      emit('app_request_count_total', labels, increments(perStep), false);
      created('app_request_count_created', labels);
    }
  });

  lines.push(
    '# HELP app_request_latency_seconds Application request latency.',
    '# TYPE app_request_latency_seconds histogram',
  );
  ENDPOINTS.forEach((e, i) => {
    const base = { ...SCRAPE, method: e.method, endpoint: e.endpoint };
    for (const [idx, bound] of [...BUCKETS.map(le), '+Inf'].entries()) {
      const cumulative = (p: PhaseSpec) => {
        const c = p.latency[i]!;
        if (bound === '+Inf') return Object.values(c).reduce((a, b) => a + b, 0);
        return BUCKETS.slice(0, idx + 1).reduce((s, b) => s + (c[String(b)] ?? 0), 0);
      };
      emit('app_request_latency_seconds_bucket', { ...base, le: bound }, increments(cumulative), true);
    }
    const count = (p: PhaseSpec) => Object.values(p.latency[i]!).reduce((a, b) => a + b, 0);
    const sum = (p: PhaseSpec) => Object.entries(p.latency[i]!).reduce((s, [b, n]) => s + n * representative(b), 0);
    emit('app_request_latency_seconds_count', base, increments(count), true);
    emit('app_request_latency_seconds_sum', base, increments(sum), true);
    created('app_request_latency_seconds_created', base);
  });
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/** Sanity of the tables themselves: every endpoint's latency counts add up to its requests. */
export function checkTables(): void {
  for (const [name, p] of Object.entries(PHASES)) {
    ENDPOINTS.forEach((e, i) => {
      const n = Object.values(p.latency[i]!).reduce((a, b) => a + b, 0);
      if (n !== e.perStep)
        throw new Error(`${name} ${e.method} ${e.endpoint}: latency counts add to ${n}, not ${e.perStep}`);
    });
  }
}
