/**
 * OpenMetrics history for the deployment gate (deploy-check): the strategy's app metrics as
 * prometheus_client exposes them and a scrape stores them — the counter as
 * app_request_count_total{method,endpoint,status_code} with its app_request_count_created gauge, the
 * histogram as app_request_latency_seconds_bucket{le}/_count/_sum with _created, le written as Python
 * writes floats ("1.0"), plus the scrape's job and instance labels — per scrape job, at 1-second steps,
 * with phases that switch at given instants. A job may be shaped otherwise on purpose: its counter
 * under the plain name an older client library uses, or no histogram at all. Counters grow by the
 * same amount every step of a phase, so a rate over any window inside one phase is exact and the
 * expected values follow by hand:
 *
 * - healthy: 1000 requests per step, 2 answered 500 (0.2 %), 3 answered 404 (not errors);
 *   latency 900 ≤ 0.1 s, 80 in (0.1, 0.25], 20 in (0.25, 0.5]: rank 950 → 0.1 + 0.15 × 50/80 = 0.19375 s.
 * - degraded: 1000 requests, 80 answered 500 (8 %); latency 500 ≤ 0.1, 300 in (0.1, 0.25],
 *   100 in (0.25, 0.5], 40 in (0.5, 1], 60 in (1, 2.5]: rank 950 → 1 + 1.5 × 10/60 = 1.25 s.
 * - errors: 1000 requests, 90 answered 500 (9 %), latency as healthy (p95 0.19375 s): the error rate
 *   alone must fail the gate.
 * - failing: every request answered 500 (100 %), latency as healthy: one such step in any window
 *   pushes the error rate far above 5 %, so the first sample whose window holds it fails.
 *
 * A phase change at instant D means the increment up to the sample at D is the new phase's: a rate
 * window that ends before D is wholly the old phase.
 */

export const STEP_MS = 1000;
/** The histogram's upper bounds as prometheus_client writes them in le (floatToGoString). */
export const BOUNDS = ['0.1', '0.25', '0.5', '1.0', '2.5', '+Inf'] as const;

export interface Phase {
  readonly requests: number;
  /** Per step, by status code other than 200 (200 takes the rest). */
  readonly statuses: Readonly<Record<string, number>>;
  /** Per step, requests in each bucket (non-cumulative), by upper bound. */
  readonly latency: Readonly<Record<(typeof BOUNDS)[number], number>>;
}

export const PHASES = {
  healthy: {
    requests: 1000,
    statuses: { 500: 2, 404: 3 },
    latency: { '0.1': 900, '0.25': 80, '0.5': 20, '1.0': 0, '2.5': 0, '+Inf': 0 },
  },
  degraded: {
    requests: 1000,
    statuses: { 500: 80, 404: 3 },
    latency: { '0.1': 500, '0.25': 300, '0.5': 100, '1.0': 40, '2.5': 60, '+Inf': 0 },
  },
  errors: {
    requests: 1000,
    statuses: { 500: 90, 404: 3 },
    latency: { '0.1': 900, '0.25': 80, '0.5': 20, '1.0': 0, '2.5': 0, '+Inf': 0 },
  },
  failing: {
    requests: 1000,
    statuses: { 500: 1000 },
    latency: { '0.1': 900, '0.25': 80, '0.5': 20, '1.0': 0, '2.5': 0, '+Inf': 0 },
  },
} as const satisfies Record<string, Phase>;

export const EXPECTED = {
  healthy: { errorPercent: 0.2, p95: 0.19375, rps: 1000 },
  degraded: { errorPercent: 8, p95: 1.25, rps: 1000 },
  errors: { errorPercent: 9, p95: 0.19375, rps: 1000 },
} as const;

export interface JobTimeline {
  readonly job: string;
  /** The counter's series name: prometheus_client's (with _total, the default) or an older library's plain one. */
  readonly counter?: 'total' | 'plain';
  /** false: the app exposes no latency histogram. */
  readonly histogram?: boolean;
  /** The phase from the start, then phase changes at instants (epoch ms on the step grid). */
  readonly phases: readonly { readonly from: number; readonly phase: Phase }[];
}

/** Rounds down to the step grid. */
export function onGrid(t: number): number {
  return Math.floor(t / STEP_MS) * STEP_MS;
}

/** OpenMetrics text for the jobs from `start` to `end` inclusive (epoch ms on the step grid). */
export function deployOpenMetrics(start: number, end: number, jobs: readonly JobTimeline[]): string {
  const steps = Math.floor((end - start) / STEP_MS) + 1;
  const times = Array.from({ length: steps }, (_, k) => start + k * STEP_MS);
  const phaseAt = (job: JobTimeline, t: number): Phase => {
    let current = job.phases[0]!.phase;
    for (const p of job.phases) if (t >= p.from) current = p.phase;
    return current;
  };
  /** Cumulative values: sample 0 is 0; the increment up to sample k is the phase at its instant. */
  const series = (job: JobTimeline, perStep: (p: Phase) => number): number[] => {
    const out = [0];
    for (let k = 1; k < steps; k++) out.push(out[k - 1]! + perStep(phaseAt(job, times[k]!)));
    return out;
  };
  const lines: string[] = [];
  const created = (start / 1000 - 3600).toFixed(3);
  const emit = (name: string, labels: Record<string, string>, values: readonly number[]) => {
    const l = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    values.forEach((v, k) =>
      lines.push(`${name}{${l}} ${Number.isInteger(v) ? `${v}.0` : v} ${(times[k]! / 1000).toFixed(3)}`),
    );
  };
  const constant = (name: string, labels: Record<string, string>) =>
    emit(
      name,
      labels,
      times.map(() => Number(created)),
    );
  // What a scrape adds: the job, and the target as instance.
  const scrape = (job: JobTimeline) => ({ job: job.job, instance: `10.0.1.${10 + jobs.indexOf(job)}:8000` });
  const base = { method: 'GET', endpoint: '/api/v1/health-data' };
  const codes = ['200', '404', '500'];
  lines.push('# HELP app_request_count Application requests.', '# TYPE app_request_count counter');
  for (const job of jobs) {
    for (const code of codes) {
      const labels = { ...scrape(job), ...base, status_code: code };
      const name = job.counter === 'plain' ? 'app_request_count' : 'app_request_count_total';
      emit(
        name,
        labels,
        series(job, (p) => {
          const others = Object.entries(p.statuses).reduce((s, [, n]) => s + n, 0);
          return code === '200' ? p.requests - others : ((p.statuses as Record<string, number>)[code] ?? 0);
        }),
      );
      if (job.counter !== 'plain') constant('app_request_count_created', labels);
    }
  }
  lines.push(
    '# HELP app_request_latency_seconds Application request latency.',
    '# TYPE app_request_latency_seconds histogram',
  );
  for (const job of jobs) {
    if (job.histogram === false) continue;
    const labels = { ...scrape(job), ...base };
    BOUNDS.forEach((bound, i) => {
      emit(
        'app_request_latency_seconds_bucket',
        { ...labels, le: bound },
        series(job, (p) => BOUNDS.slice(0, i + 1).reduce((s, b) => s + p.latency[b], 0)),
      );
    });
    emit(
      'app_request_latency_seconds_count',
      labels,
      series(job, (p) => p.requests),
    );
    emit(
      'app_request_latency_seconds_sum',
      labels,
      series(job, (p) => p.requests * 0.1),
    );
    constant('app_request_latency_seconds_created', labels);
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
