/**
 * Prometheus's HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/), the parts the
 * cockpit needs: instant and range queries, alerting rules, active alerts and scrape targets.
 *
 * Queries go out as POST forms, which Prometheus accepts on the same endpoints, so that a long
 * PromQL expression never runs into a proxy's URL length limit. Every answer is checked against the
 * {status, data} envelope; an {status:"error"} answer becomes an HttpApiError that names the query and
 * keeps errorType and the HTTP status (400 bad_data, 422 execution, 503 timeout/unavailable), so the
 * poller's backoff treats a 429 or 5xx as such.
 */
import { boundLabels } from '../../core/bounds.js';
import { clip, TEXT_LIMITS } from '../../core/sanitize.js';
import type { Point } from '../../core/model.js';
import { HttpApiError, JsonHttp, type HttpOptions } from './http.js';
import {
  alertingRuleSchema,
  alertsSchema,
  checkedAnswer,
  envelopeSchema,
  matrixSchema,
  rulesSchema,
  scalarSchema,
  targetsSchema,
  vectorSchema,
} from './schemas.js';

export { HttpApiError } from './http.js';

export type Labels = Readonly<Record<string, string>>;

/** One element of an instant vector. */
export interface InstantSample {
  readonly labels: Labels;
  /** Epoch ms of the evaluation. */
  readonly t: number;
  readonly v: number;
}

/** One series of a range query (a matrix). */
export interface RangeSeries {
  readonly labels: Labels;
  readonly points: Point[];
}

export type InstantResult =
  | { readonly resultType: 'vector'; readonly samples: InstantSample[]; readonly warnings: string[] }
  | { readonly resultType: 'scalar'; readonly samples: InstantSample[]; readonly warnings: string[] }
  | { readonly resultType: 'matrix'; readonly series: RangeSeries[]; readonly warnings: string[] };

export interface RangeResult {
  readonly series: RangeSeries[];
  readonly warnings: string[];
}

export interface PromAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: 'firing' | 'pending' | 'inactive';
  /** Epoch ms since when the condition holds (pending began); undefined when inactive. */
  readonly activeAt?: number;
  readonly value?: number;
}

export interface PromAlertingRule {
  readonly name: string;
  readonly group: string;
  readonly file: string;
  readonly query: string;
  /** The rule's `for`, in seconds. */
  readonly durationSeconds: number;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: 'firing' | 'pending' | 'inactive';
  readonly health: 'ok' | 'err' | 'unknown';
  readonly lastError?: string;
  readonly lastEvaluation?: number;
  readonly alerts: PromAlert[];
}

export interface PromTarget {
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly labels: Labels;
  readonly lastError: string;
  readonly lastScrape?: number;
}

/** Prometheus's text for a sample value: a decimal, or NaN, +Inf, -Inf (which Number() does not read). */
export function parseSampleValue(text: unknown): number {
  if (typeof text === 'number') return text;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (typeof text !== 'string') return Number.NaN;
  return Number(text);
}

function parsePair(pair: unknown, what: string): Point {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number') {
    throw new HttpApiError(`Prometheus answered a malformed sample ${JSON.stringify(pair)?.slice(0, 80)} (${what})`, {
      what,
    });
  }
  return { t: Math.round(pair[0] * 1000), v: parseSampleValue(pair[1]) };
}

/** Labels or annotations, bounded in size (core/bounds.ts): the only free text Prometheus sends. */
function labelsOf(raw: unknown): Labels {
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return boundLabels(out);
}

function parseTime(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.startsWith('0001-01-01')) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** Seconds as Prometheus wants them in time=, start=, end=: decimal epoch seconds. */
export function promTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export type PrometheusClientOptions = HttpOptions;

export class PrometheusClient {
  private readonly http: JsonHttp;

  constructor(options: PrometheusClientOptions) {
    this.http = new JsonHttp('Prometheus', options);
  }

  get url(): string {
    return this.http.baseUrl;
  }

  close(): void {
    this.http.close();
  }

  /** GET/POST an /api/v1 endpoint and unwrap the {status, data, warnings} envelope. */
  private async api(spec: {
    method: 'GET' | 'POST';
    path: string;
    form?: URLSearchParams;
    query?: Record<string, string | undefined> | URLSearchParams;
    what: string;
    signal?: AbortSignal;
  }): Promise<{ data: unknown; warnings: string[] }> {
    const { body } = await this.http.request(
      {
        method: spec.method,
        path: spec.path,
        query: spec.query,
        body: spec.form,
        what: spec.what,
        signal: spec.signal,
      },
      (status, errBody) => {
        const e = errBody as { status?: unknown; errorType?: unknown; error?: unknown } | undefined;
        if (!e || e.status !== 'error') return undefined;
        const errorType = typeof e.errorType === 'string' ? e.errorType : undefined;
        return new HttpApiError(
          `Prometheus rejected ${spec.what}: ${errorType ? `${errorType}: ` : ''}${String(e.error ?? 'no reason given')} (HTTP ${status})`,
          {
            what: spec.what,
            status,
            errorType,
          },
        );
      },
    );
    if (body === undefined)
      throw new HttpApiError(`Prometheus answered an empty body (${spec.what})`, {
        what: spec.what,
        errorType: 'malformed',
      });
    const env = checkedAnswer('Prometheus', spec.what, envelopeSchema, body);
    if (env.status === 'error') {
      const errorType = typeof env.errorType === 'string' ? env.errorType : undefined;
      throw new HttpApiError(
        `Prometheus rejected ${spec.what}: ${errorType ? `${errorType}: ` : ''}${String(env.error ?? 'no reason given')}`,
        { what: spec.what, errorType },
      );
    }
    if (env.status !== 'success')
      throw new HttpApiError(`Prometheus answered without status "success" (${spec.what})`, {
        what: spec.what,
        errorType: 'malformed',
      });
    const warnings = Array.isArray(env.warnings) ? env.warnings.filter((w): w is string => typeof w === 'string') : [];
    return { data: env.data, warnings };
  }

  /** An instant query evaluated at `time` (epoch ms; the server's now when omitted). */
  async query(
    expr: string,
    options: { time?: number; timeoutSeconds?: number; signal?: AbortSignal } = {},
  ): Promise<InstantResult> {
    const form = new URLSearchParams({ query: expr });
    if (options.time !== undefined) form.set('time', promTime(options.time));
    if (options.timeoutSeconds !== undefined) form.set('timeout', `${options.timeoutSeconds}s`);
    const what = `query "${expr}"`;
    const { data, warnings } = await this.api({
      method: 'POST',
      path: '/api/v1/query',
      form,
      what,
      signal: options.signal,
    });
    const d = data as { resultType?: unknown; result?: unknown };
    switch (d?.resultType) {
      case 'vector': {
        const result = checkedAnswer('Prometheus', what, vectorSchema, d, 'data').result;
        return {
          resultType: 'vector',
          warnings,
          samples: result.map((r) => {
            const p = parsePair(r.value, what);
            return { labels: labelsOf(r.metric), t: p.t, v: p.v };
          }),
        };
      }
      case 'scalar': {
        const p = parsePair(checkedAnswer('Prometheus', what, scalarSchema, d, 'data').result, what);
        return { resultType: 'scalar', warnings, samples: [{ labels: {}, t: p.t, v: p.v }] };
      }
      case 'matrix':
        return {
          resultType: 'matrix',
          warnings,
          series: parseMatrix(checkedAnswer('Prometheus', what, matrixSchema, d, 'data').result, what),
        };
      default:
        // A "string" result has no use in the cockpit; anything else is not Prometheus.
        throw new HttpApiError(
          `Prometheus answered result type ${JSON.stringify(d?.resultType)}, not a vector, scalar or matrix (${what})`,
          { what },
        );
    }
  }

  /** A range query: one value per step from start to end, both inclusive (epoch ms). */
  async queryRange(
    expr: string,
    range: { start: number; end: number; stepSeconds: number; timeoutSeconds?: number; signal?: AbortSignal },
  ): Promise<RangeResult> {
    if (!(range.stepSeconds > 0))
      throw new Error(`range query step must be positive, not ${range.stepSeconds} (query "${expr}")`);
    if (range.end < range.start) throw new Error(`range query ends before it starts (query "${expr}")`);
    const form = new URLSearchParams({
      query: expr,
      start: promTime(range.start),
      end: promTime(range.end),
      step: `${range.stepSeconds}`,
    });
    if (range.timeoutSeconds !== undefined) form.set('timeout', `${range.timeoutSeconds}s`);
    const what = `range query "${expr}"`;
    const { data, warnings } = await this.api({
      method: 'POST',
      path: '/api/v1/query_range',
      form,
      what,
      signal: range.signal,
    });
    const d = data as { resultType?: unknown; result?: unknown };
    if (d?.resultType !== 'matrix')
      throw new HttpApiError(
        `Prometheus answered result type ${JSON.stringify(d?.resultType)} to a range query (${what})`,
        { what, errorType: 'malformed' },
      );
    return { series: parseMatrix(checkedAnswer('Prometheus', what, matrixSchema, d, 'data').result, what), warnings };
  }

  /**
   * The values a label takes (/api/v1/label/NAME/values), over the series matching any of `match`
   * (all series when none) with samples between start and end (epoch ms; the server's whole range
   * when omitted). `__name__` gives metric names. Sorted, as Prometheus answers.
   */
  async labelValues(
    label: string,
    options: { match?: readonly string[]; start?: number; end?: number; signal?: AbortSignal } = {},
  ): Promise<string[]> {
    return this.stringList(`/api/v1/label/${encodeURIComponent(label)}/values`, options);
  }

  /** The label names of the series matching any of `match` (/api/v1/labels), like labelValues. */
  async labelNames(
    options: { match?: readonly string[]; start?: number; end?: number; signal?: AbortSignal } = {},
  ): Promise<string[]> {
    return this.stringList('/api/v1/labels', options);
  }

  private async stringList(
    path: string,
    options: { match?: readonly string[]; start?: number; end?: number; signal?: AbortSignal },
  ): Promise<string[]> {
    // GET, with the parameters in the query string: Prometheus takes POST on these endpoints only since 2.24.
    const query = new URLSearchParams();
    for (const m of options.match ?? []) query.append('match[]', m);
    if (options.start !== undefined) query.set('start', promTime(options.start));
    if (options.end !== undefined) query.set('end', promTime(options.end));
    const what = `GET ${path}${options.match?.length ? ` for ${options.match.join(' or ')}` : ''}`;
    const { data } = await this.api({ method: 'GET', path, query, what, signal: options.signal });
    if (!Array.isArray(data))
      throw new HttpApiError(`Prometheus answered ${typeof data}, not a list (${what})`, { what });
    return data.filter((v): v is string => typeof v === 'string');
  }

  /** The alerting rules with their current alerts (/api/v1/rules?type=alert). */
  async alertingRules(signal?: AbortSignal): Promise<PromAlertingRule[]> {
    const { data } = await this.api({
      method: 'GET',
      path: '/api/v1/rules',
      query: { type: 'alert' },
      what: 'GET /api/v1/rules',
      signal,
    });
    const what = 'GET /api/v1/rules';
    const { groups } = checkedAnswer('Prometheus', what, rulesSchema, data, 'data');
    const out: PromAlertingRule[] = [];
    for (const [gi, group] of groups.entries()) {
      for (const [ri, r] of group.rules.entries()) {
        if (r.type !== 'alerting') continue;
        const rule = checkedAnswer(
          'Prometheus',
          what,
          alertingRuleSchema,
          r,
          `data.groups[${gi}].rules[${ri}]`,
        ) as Record<string, unknown> & { name: string; alerts: unknown[] };
        const alerts = rule.alerts.map(parseAlert);
        out.push({
          name: rule.name,
          group: clip(String(group.name ?? ''), TEXT_LIMITS.name),
          file: clip(String(group.file ?? ''), TEXT_LIMITS.name),
          query: clip(String(rule.query ?? ''), TEXT_LIMITS.text),
          durationSeconds: typeof rule.duration === 'number' ? rule.duration : 0,
          labels: labelsOf(rule.labels),
          annotations: labelsOf(rule.annotations),
          // Prometheus reports the rule's state since 2.23; derive it from the alerts when absent.
          state: ruleState(rule.state, alerts),
          health: rule.health === 'ok' || rule.health === 'err' ? rule.health : 'unknown',
          lastError:
            typeof rule.lastError === 'string' && rule.lastError !== ''
              ? clip(rule.lastError, TEXT_LIMITS.text)
              : undefined,
          lastEvaluation: parseTime(rule.lastEvaluation),
          alerts,
        });
      }
    }
    return out;
  }

  /** The active (pending and firing) alerts of every rule (/api/v1/alerts). */
  async alerts(signal?: AbortSignal): Promise<PromAlert[]> {
    const { data } = await this.api({ method: 'GET', path: '/api/v1/alerts', what: 'GET /api/v1/alerts', signal });
    return checkedAnswer('Prometheus', 'GET /api/v1/alerts', alertsSchema, data, 'data').alerts.map(parseAlert);
  }

  /** The active scrape targets (/api/v1/targets?state=active). */
  async targets(signal?: AbortSignal): Promise<PromTarget[]> {
    const { data } = await this.api({
      method: 'GET',
      path: '/api/v1/targets',
      query: { state: 'active' },
      what: 'GET /api/v1/targets',
      signal,
    });
    const active = checkedAnswer('Prometheus', 'GET /api/v1/targets', targetsSchema, data, 'data').activeTargets;
    return active.map((t: Record<string, unknown>) => ({
      scrapePool: String(t.scrapePool ?? ''),
      scrapeUrl: String(t.scrapeUrl ?? ''),
      health: t.health === 'up' || t.health === 'down' ? t.health : 'unknown',
      labels: labelsOf(t.labels),
      lastError: String(t.lastError ?? ''),
      lastScrape: parseTime(t.lastScrape),
    }));
  }
}

function parseMatrix(result: readonly { metric: unknown; values: readonly unknown[] }[], what: string): RangeSeries[] {
  return result.map((r) => ({
    labels: labelsOf(r.metric),
    points: r.values.map((p) => parsePair(p, what)),
  }));
}

function parseAlert(raw: unknown): PromAlert {
  const a = (raw ?? {}) as Record<string, unknown>;
  const state = a.state === 'firing' || a.state === 'pending' ? a.state : 'inactive';
  const value = a.value === undefined ? undefined : parseSampleValue(a.value);
  return {
    labels: labelsOf(a.labels),
    annotations: labelsOf(a.annotations),
    state,
    activeAt: parseTime(a.activeAt),
    value: value === undefined || Number.isNaN(value) ? undefined : value,
  };
}

function ruleState(raw: unknown, alerts: readonly PromAlert[]): PromAlertingRule['state'] {
  if (raw === 'firing' || raw === 'pending' || raw === 'inactive') return raw;
  if (alerts.some((a) => a.state === 'firing')) return 'firing';
  if (alerts.some((a) => a.state === 'pending')) return 'pending';
  return 'inactive';
}
