import type { MinuteValues } from './catalogue.js';
import type { EndpointDetail } from './physics.js';
import { ENDPOINTS, MINUTE } from './topology.js';
import { endpointMinute } from './endpointSplit.js';

/** prometheus_client's default histogram buckets, in seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const SIGMA = 0.5;
const Z95 = 1.6449;

interface Series {
  readonly name: string;
  readonly labels: string;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** prometheus_client's floatToGoString: 3.0, 0.005, +Inf, and Go's exponent form from 10^7 (1.7040672e+09). */
export function goFloat(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  const s = Number.isInteger(v) ? `${v}.0` : String(v);
  const dot = s.indexOf('.');
  if (v > 0 && dot > 6) return `${`${s[0]}.${s.slice(1, dot)}${s.slice(dot + 1)}`.replace(/[0.]+$/, '')}e+0${dot - 1}`;
  return s;
}

const COUNTER = 'app_request_count';
const HISTOGRAM = 'app_request_latency_seconds';
const COUNTER_HELP = 'アプリケーションリクエスト数';
const HISTOGRAM_HELP = 'アプリケーションリクエスト処理時間';

/**
 * The app's own metrics exactly as the strategy's FastAPI code exposes them through prometheus_client
 * (generate_latest, text format 0.0.4): Counter('app_request_count', …, ['method', 'endpoint',
 * 'status_code']) as app_request_count_total plus its app_request_count_created gauge, and
 * Histogram('app_request_latency_seconds', …, ['method', 'endpoint']) as _bucket{le}, _count, _sum
 * plus app_request_latency_seconds_created; labels in the declared order, values and le bounds as
 * Python writes floats (3.0, le="1.0"). A real Prometheus scraping it with the strategy's job name
 * (vitascope-api) works with the default prometheus.metrics settings.
 *
 * One simplification: every label set exists from the start at zero (a real app creates one on its
 * first use), so that the first scrape already shows them all; rate() treats both alike.
 * Counters accumulate minute by minute; a scrape between minutes sees them interpolated across the
 * last completed minute, so they rise smoothly and never go backwards.
 */
export class Exposition {
  private readonly series: Series[] = [];
  private readonly index = new Map<string, number>();
  private previous: number[] = [];
  private current: number[] = [];
  private completedAt = 0;

  /** @param createdAt when the app started (epoch ms): the value of the _created series. */
  constructor(private readonly createdAt = 0) {
    for (const e of ENDPOINTS) {
      const base = `method="${e.method}",endpoint="${e.path}"`;
      for (const code of ['200', '500', '503']) this.slot(`${COUNTER}_total`, `${base},status_code="${code}"`);
      if (e.path === '/api/v1/auth/login') this.slot(`${COUNTER}_total`, `${base},status_code="401"`);
      for (const le of LATENCY_BUCKETS) this.slot(`${HISTOGRAM}_bucket`, `${base},le="${goFloat(le)}"`);
      this.slot(`${HISTOGRAM}_bucket`, `${base},le="+Inf"`);
      this.slot(`${HISTOGRAM}_count`, base);
      this.slot(`${HISTOGRAM}_sum`, base);
    }
  }

  private slot(name: string, labels: string): number {
    const key = `${name}{${labels}}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.series.length;
      this.series.push({ name, labels });
      this.index.set(key, i);
      this.current.push(0);
      this.previous.push(0);
    }
    return i;
  }

  private inc(name: string, labels: string, by: number): void {
    const i = this.slot(name, labels);
    this.current[i] = this.current[i]! + by;
  }

  /** Adds one simulated minute that ended at `completedAt`. */
  add(v: MinuteValues, detail: EndpointDetail, completedAt: number): void {
    this.previous = [...this.current];
    this.completedAt = completedAt;
    for (const { method, path, requests, failed, raised, unauthorised, p95Seconds: p95 } of endpointMinute(v, detail)) {
      const ok = Math.max(0, requests - failed - raised - unauthorised);
      const base = `method="${method}",endpoint="${path}"`;
      this.inc(`${COUNTER}_total`, `${base},status_code="200"`, ok);
      if (unauthorised > 0) this.inc(`${COUNTER}_total`, `${base},status_code="401"`, unauthorised);
      this.inc(`${COUNTER}_total`, `${base},status_code="500"`, failed * 0.7 + raised);
      this.inc(`${COUNTER}_total`, `${base},status_code="503"`, failed * 0.3);
      const median = p95 / Math.exp(Z95 * SIGMA);
      for (const le of LATENCY_BUCKETS) {
        this.inc(
          `${HISTOGRAM}_bucket`,
          `${base},le="${goFloat(le)}"`,
          requests * phi((Math.log(le) - Math.log(median)) / SIGMA),
        );
      }
      this.inc(`${HISTOGRAM}_bucket`, `${base},le="+Inf"`, requests);
      this.inc(`${HISTOGRAM}_count`, base, requests);
      this.inc(`${HISTOGRAM}_sum`, base, requests * median * Math.exp((SIGMA * SIGMA) / 2));
    }
  }

  /** The text exposition format at simulated time `at`, family by family as prometheus_client writes it. */
  render(at: number): string {
    const f = Math.min(1, Math.max(0, (at - this.completedAt) / MINUTE));
    const value = (i: number) =>
      goFloat(Number((this.previous[i]! + f * (this.current[i]! - this.previous[i]!)).toFixed(3)));
    const created = goFloat(this.createdAt / 1000);
    const lines: string[] = [`# HELP ${COUNTER}_total ${COUNTER_HELP}`, `# TYPE ${COUNTER}_total counter`];
    this.series.forEach((s, i) => {
      if (s.name === `${COUNTER}_total`) lines.push(`${s.name}{${s.labels}} ${value(i)}`);
    });
    lines.push(`# HELP ${COUNTER}_created ${COUNTER_HELP}`, `# TYPE ${COUNTER}_created gauge`);
    this.series.forEach((s) => {
      if (s.name === `${COUNTER}_total`) lines.push(`${COUNTER}_created{${s.labels}} ${created}`);
    });
    lines.push(`# HELP ${HISTOGRAM} ${HISTOGRAM_HELP}`, `# TYPE ${HISTOGRAM} histogram`);
    // Per label set: its buckets, then _count, then _sum (the order the series were made in).
    this.series.forEach((s, i) => {
      if (s.name.startsWith(`${HISTOGRAM}_`)) lines.push(`${s.name}{${s.labels}} ${value(i)}`);
    });
    lines.push(`# HELP ${HISTOGRAM}_created ${HISTOGRAM_HELP}`, `# TYPE ${HISTOGRAM}_created gauge`);
    this.series.forEach((s) => {
      if (s.name === `${HISTOGRAM}_count`) lines.push(`${HISTOGRAM}_created{${s.labels}} ${created}`);
    });
    return `${lines.join('\n')}\n`;
  }
}
