import type { MinuteValues } from './catalogue.js';
import type { EndpointDetail } from './physics.js';
import { ENDPOINTS, MINUTE } from './topology.js';

/** prometheus_client's default histogram buckets, in seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const SIGMA = 0.5;
const Z95 = 1.6449;
const WEIGHTED_BASE = ENDPOINTS.reduce((s, e) => s + e.share * e.baseLatencyMs, 0);

interface Series {
  readonly name: string;
  readonly labels: string;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * The app's own metrics as the FastAPI service of the strategy exposes them:
 * app_request_count{method,endpoint,status_code} and the app_request_latency_seconds histogram.
 * Counters accumulate minute by minute; a scrape between minutes sees them interpolated across the
 * last completed minute, so they rise smoothly and never go backwards.
 */
export class Exposition {
  private readonly series: Series[] = [];
  private readonly index = new Map<string, number>();
  private previous: number[] = [];
  private current: number[] = [];
  private completedAt = 0;

  constructor() {
    // Every series exists from the start at zero, as in a freshly started app, so the first scrape
    // already shows the full label set.
    for (const e of ENDPOINTS) {
      const base = `method="${e.method}",endpoint="${e.path}"`;
      for (const code of ['200', '500', '503']) this.slot('app_request_count', `${base},status_code="${code}"`);
      if (e.path === '/api/v1/auth/login') this.slot('app_request_count', `${base},status_code="401"`);
      for (const le of LATENCY_BUCKETS) this.slot('app_request_latency_seconds_bucket', `${base},le="${le}"`);
      this.slot('app_request_latency_seconds_bucket', `${base},le="+Inf"`);
      this.slot('app_request_latency_seconds_count', base);
      this.slot('app_request_latency_seconds_sum', base);
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
    const { errorShare } = detail;
    const attack = Math.max(0, v.authStreak >= 5 ? v.authStreak : 0);
    const failing = detail.failing;
    const ordinary = Math.max(0, v.requests - attack - detail.scraped);
    for (const e of ENDPOINTS) {
      const login = e.path === '/api/v1/auth/login';
      const scraped = e.path === '/api/v1/insights' && e.method === 'GET' ? detail.scraped : 0;
      const requests = ordinary * e.share + (login ? attack : 0) + scraped;
      const failed = (ordinary * e.share + scraped) * errorShare;
      // A bad revision's exception on one endpoint: all 500s.
      const raised = failing && failing.path === e.path && failing.method === e.method ? failing.count : 0;
      const unauthorised = login ? attack + ordinary * e.share * 0.02 + detail.signInRejected : 0;
      const ok = Math.max(0, requests - failed - raised - unauthorised);
      const base = `method="${e.method}",endpoint="${e.path}"`;
      this.inc('app_request_count', `${base},status_code="200"`, ok);
      if (unauthorised > 0) this.inc('app_request_count', `${base},status_code="401"`, unauthorised);
      this.inc('app_request_count', `${base},status_code="500"`, failed * 0.7 + raised);
      this.inc('app_request_count', `${base},status_code="503"`, failed * 0.3);
      const p95 = (v.p95 * e.baseLatencyMs) / WEIGHTED_BASE / 1000;
      const median = p95 / Math.exp(Z95 * SIGMA);
      for (const le of LATENCY_BUCKETS) {
        this.inc('app_request_latency_seconds_bucket', `${base},le="${le}"`, requests * phi((Math.log(le) - Math.log(median)) / SIGMA));
      }
      this.inc('app_request_latency_seconds_bucket', `${base},le="+Inf"`, requests);
      this.inc('app_request_latency_seconds_count', base, requests);
      this.inc('app_request_latency_seconds_sum', base, requests * median * Math.exp((SIGMA * SIGMA) / 2));
    }
  }

  /** The text exposition format at simulated time `at`. */
  render(at: number): string {
    const f = Math.min(1, Math.max(0, (at - this.completedAt) / MINUTE));
    const lines: string[] = [
      '# HELP app_request_count アプリケーションリクエスト数',
      '# TYPE app_request_count counter',
    ];
    const value = (i: number) => {
      const v = this.previous[i]! + f * (this.current[i]! - this.previous[i]!);
      return Number.isInteger(v) ? String(v) : v.toFixed(3);
    };
    this.series.forEach((s, i) => {
      if (s.name === 'app_request_count') lines.push(`${s.name}{${s.labels}} ${value(i)}`);
    });
    lines.push('# HELP app_request_latency_seconds アプリケーションリクエスト処理時間', '# TYPE app_request_latency_seconds histogram');
    this.series.forEach((s, i) => {
      if (s.name.startsWith('app_request_latency_seconds')) lines.push(`${s.name}{${s.labels}} ${value(i)}`);
    });
    return `${lines.join('\n')}\n`;
  }
}
