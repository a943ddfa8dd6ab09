import type { Alarm, Database, EscalationPolicy, Incident, OnCallEntry, Point, Service, Shift } from '../model.js';
import type { MetricQuery, Sources } from '../../sources/ports.js';
import { Poller, REAL_TIMERS, type Snapshot, type Timers } from './poller.js';
import { appMetrics, DEFAULT_APP_METRICS, type AppMetricsSettings } from '../appMetrics.js';

/** The on-call picture: who is on call now, the rotation for this week and next, the escalation policy. */
export interface OnCallData {
  readonly now: readonly OnCallEntry[];
  readonly rotation: readonly Shift[];
  readonly policies: readonly EscalationPolicy[];
}

/** Where an app signal came from. */
export type SignalSource = 'prometheus' | 'cloudwatch';

/** The overview's sparklines: API p95 and error rate over the last hour, one point a minute. */
export interface TrendData {
  readonly p95: readonly Point[];
  readonly errorRate: readonly Point[];
  /** Which source gave each figure; absent when none had data. */
  readonly from: { readonly p95?: SignalSource; readonly errorRate?: SignalSource };
  /** Why a figure has no data, or why its preferred source was passed over: "prometheus: no datapoints". */
  readonly notes: { readonly p95?: string; readonly errorRate?: string };
}

export interface LiveSnapshot {
  /** The sources' clock when the snapshot was taken (simulated in the sandbox). */
  readonly now: number;
  /** CloudWatch's alarms and, when configured, Prometheus/Alertmanager alerts, as one list. */
  readonly alarms: Snapshot<readonly Alarm[]>;
  /** The alert source alone, for its freshness (undefined when there is none). */
  readonly alerts?: Snapshot<readonly Alarm[]>;
  readonly services: Snapshot<readonly Service[]>;
  readonly incidents: Snapshot<readonly Incident[]>;
  readonly onCall: Snapshot<OnCallData>;
  readonly trends: Snapshot<TrendData>;
  readonly databases: Snapshot<readonly Database[]>;
}

export interface RefreshIntervals {
  readonly alarms: number;
  readonly services: number;
  readonly incidents: number;
  readonly onCall: number;
  readonly metrics: number;
  readonly alerts?: number;
}

/** Seconds between refreshes: real sources are polite to their APIs; the sandbox is local and cheap. */
export function defaultIntervals(kind: 'sandbox' | 'aws'): RefreshIntervals {
  return kind === 'sandbox'
    ? { alarms: 1, services: 1, incidents: 1, onCall: 5, metrics: 2 }
    : { alarms: 15, services: 20, incidents: 15, onCall: 300, metrics: 60 };
}

/** The overview's two trends from one source: API p95 in milliseconds and the error rate in percent. */
export interface TrendQueries {
  readonly source: SignalSource;
  readonly p95: MetricQuery;
  readonly errorRate: MetricQuery;
  /** Multiplies the p95 series into milliseconds (1000 when the source speaks seconds). */
  readonly p95Scale: number;
}

/** From CloudWatch, as the strategy publishes them (Vitascope/API): the API's, no dimension. */
export const CLOUDWATCH_TRENDS: TrendQueries = {
  source: 'cloudwatch',
  p95: {
    id: 'p95',
    metric: { namespace: 'Vitascope/API', name: 'p95ResponseTime', dimensions: {} },
    statistic: 'Average',
  },
  errorRate: {
    id: 'errorRate',
    metric: { namespace: 'Vitascope/API', name: 'Http5xxCount', dimensions: {} },
    denominator: 'RequestCount',
  },
  p95Scale: 1,
};

/** From Prometheus's named queries, on the configured service's series (prometheus.metrics.*). */
export const PROMETHEUS_TRENDS: TrendQueries = {
  source: 'prometheus',
  p95: { id: 'p95', metric: { namespace: 'prometheus', name: 'p95_latency_seconds', dimensions: {} } },
  errorRate: { id: 'errorRate', metric: { namespace: 'prometheus', name: 'error_rate_percent', dimensions: {} } },
  p95Scale: 1000,
};

/**
 * Where the app signals (p95, error rate) come from: the sources in order of preference (Prometheus
 * first when it is configured, CloudWatch as the fallback), and how a service's own are asked for.
 */
export interface AppSignalPlan {
  readonly sources: readonly TrendQueries[];
  /** The API's service name: CloudWatch's Vitascope/API metrics are its (prometheus.metrics.service). */
  readonly apiService: string;
  /** The Prometheus label that names a service's series (prometheus.metrics.labels.service, job). */
  readonly serviceLabel: string;
}

export const CLOUDWATCH_ONLY: AppSignalPlan = {
  sources: [CLOUDWATCH_TRENDS],
  apiService: DEFAULT_APP_METRICS.service,
  serviceLabel: DEFAULT_APP_METRICS.labels.service,
};

/** The plan for what is configured: Prometheus first, CloudWatch as the fallback; the service names from prometheus.metrics. */
export function appSignalPlan(
  have: { readonly prometheus: boolean; readonly cloudwatch: boolean },
  metrics: AppMetricsSettings | undefined,
): AppSignalPlan {
  const m = appMetrics(metrics);
  return {
    sources: [...(have.prometheus ? [PROMETHEUS_TRENDS] : []), ...(have.cloudwatch ? [CLOUDWATCH_TRENDS] : [])],
    apiService: m.service || DEFAULT_APP_METRICS.service,
    serviceLabel: m.labels.service,
  };
}

/** The plan for one service: Prometheus narrowed to its series; CloudWatch only for the API itself. */
export function servicePlan(plan: AppSignalPlan, service: string): readonly TrendQueries[] {
  return plan.sources.flatMap((q): TrendQueries[] => {
    if (q.source === 'cloudwatch') return service === plan.apiService ? [q] : [];
    const narrow = (m: MetricQuery): MetricQuery => ({
      ...m,
      metric: { ...m.metric, dimensions: { ...m.metric.dimensions, [plan.serviceLabel]: service } },
    });
    return [{ ...q, p95: narrow(q.p95), errorRate: narrow(q.errorRate) }];
  });
}

const HOUR = 3_600_000;

/**
 * The cockpit's live data: one poller per source, each on its own interval, combined into one
 * snapshot that views read. Listeners hear about every change; a failing source keeps its last data.
 */
export class LiveModel {
  private readonly pollers: Poller<unknown>[] = [];
  private readonly listeners = new Set<() => void>();
  readonly alarms: Poller<readonly Alarm[]>;
  readonly alerts?: Poller<readonly Alarm[]>;
  readonly services: Poller<readonly Service[]>;
  readonly incidents: Poller<readonly Incident[]>;
  readonly onCall: Poller<OnCallData>;
  readonly trends: Poller<TrendData>;
  readonly databases: Poller<readonly Database[]>;
  private cached?: LiveSnapshot;

  constructor(
    private readonly sources: Sources,
    intervals: RefreshIntervals,
    timers: Timers = REAL_TIMERS,
    private readonly plan: AppSignalPlan = CLOUDWATCH_ONLY,
  ) {
    const s = sources;
    // A source the configuration does not have is never asked: its health says `unconfigured` (a
    // PagerDuty-only setup has no ECS to back off from all shift, and no error to show for it).
    const missing = (what: string) => ({ unconfigured: what });
    const make = <T>(
      name: string,
      seconds: number,
      fetch: ((signal: AbortSignal) => Promise<T>) | { unconfigured: string },
    ): Poller<T> => {
      const p =
        typeof fetch === 'function'
          ? new Poller<T>({ name, fetch, intervalMs: seconds * 1000, timers })
          : new Poller<T>({
              name,
              fetch: () => Promise.reject(new Error(`no ${fetch.unconfigured} source configured`)),
              unconfigured: fetch.unconfigured,
              intervalMs: seconds * 1000,
              timers,
            });
      p.subscribe(() => this.changed());
      this.pollers.push(p as Poller<unknown>);
      return p;
    };
    this.alarms = make<readonly Alarm[]>(
      'alarms',
      intervals.alarms,
      s.alarms ? (signal) => s.alarms!.listAlarms(signal) : missing('alarm'),
    );
    if (s.alerts)
      this.alerts = make<readonly Alarm[]>('alerts', intervals.alerts ?? intervals.alarms, (signal) =>
        s.alerts!.listAlarms(signal),
      );
    this.services = make<readonly Service[]>(
      'services',
      intervals.services,
      s.services ? (signal) => s.services!.listServices(signal) : missing('service'),
    );
    this.incidents = make<readonly Incident[]>(
      'incidents',
      intervals.incidents,
      s.incidents
        ? (signal) => s.incidents!.listIncidents({ since: s.now() - 24 * HOUR }, signal)
        : missing('incident'),
    );
    this.onCall = make('on-call', intervals.onCall, s.onCall ? () => fetchOnCall(s) : missing('on-call'));
    this.trends = make(
      'metrics',
      intervals.metrics,
      s.metrics ? () => fetchTrends(s, plan.sources) : missing('metric'),
    );
    this.databases = make<readonly Database[]>(
      'databases',
      intervals.services,
      s.databases ? (signal) => s.databases!.listDatabases(signal) : missing('database'),
    );
  }

  start(): void {
    for (const p of this.pollers) p.start();
  }

  stop(): void {
    for (const p of this.pollers) p.stop();
  }

  /** Refreshes every source now (a refresh already running is joined, not doubled). */
  async refreshAll(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.refresh()));
  }

  /** A fetcher of one service's app signals over the last hour, for its detail view. */
  serviceSignals(service: string): () => Promise<TrendData> {
    const s = this.sources;
    const plan = servicePlan(this.plan, service);
    return () => (s.metrics ? fetchTrends(s, plan) : Promise.reject(new Error('no metric source configured')));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The same object until something changes, so views can compare by identity. */
  snapshot(): LiveSnapshot {
    this.cached ??= {
      now: this.sources.now(),
      alarms: mergeAlarms(this.alarms.snapshot(), this.alerts?.snapshot()),
      alerts: this.alerts?.snapshot(),
      services: this.services.snapshot(),
      incidents: this.incidents.snapshot(),
      onCall: this.onCall.snapshot(),
      trends: this.trends.snapshot(),
      databases: this.databases.snapshot(),
    };
    return this.cached;
  }

  private changed(): void {
    this.cached = undefined;
    for (const l of this.listeners) l();
  }
}

/**
 * Whether the alarm counts can be told: `unknown` when no alarm could be read (the source fails, or none is
 * configured): never "0 in ALARM" for alarms nobody read; `stale` when the last good read is all there is.
 */
export function alarmCountsKnown(alarms: Snapshot<readonly Alarm[]>): 'yes' | 'stale' | 'unknown' {
  const state = alarms.health.state;
  if (state === 'unconfigured') return alarms.data ? 'yes' : 'unknown';
  return state === 'error' || state === 'stale' ? (alarms.data?.length ? 'stale' : 'unknown') : 'yes';
}

/**
 * One alarm list from CloudWatch and the alert source. Each keeps its data when the other fails; the
 * merged health is the worse of the two, naming the failing source.
 */
function mergeAlarms(
  cw: Snapshot<readonly Alarm[]>,
  alerts: Snapshot<readonly Alarm[]> | undefined,
): Snapshot<readonly Alarm[]> {
  if (!alerts) return cw;
  // An unconfigured half ranks below ok: a Prometheus-only setup's alarms are its alerts' health.
  const rank = { unconfigured: -1, ok: 0, loading: 1, error: 2, stale: 3 } as const;
  const worse = rank[alerts.health.state] > rank[cw.health.state] ? alerts : cw;
  const data = cw.data || alerts.data ? [...(cw.data ?? []), ...(alerts.data ?? [])] : undefined;
  const h = alerts.health;
  const health =
    worse === cw ? cw.health : h.state === 'error' || h.state === 'stale' ? { ...h, error: `alerts: ${h.error}` } : h;
  return { name: 'alarms', data, health };
}

async function fetchOnCall(s: Sources): Promise<OnCallData> {
  const now = s.now();
  const week = 7 * 24 * HOUR;
  const [current, rotation, policies] = await Promise.all([
    s.onCall!.onCallNow(),
    s.onCall!.rotation(now - week, now + 2 * week),
    s.onCall!.escalationPolicies(),
  ]);
  return { now: current, rotation, policies };
}

type Figure = 'p95' | 'errorRate';

/**
 * The two figures over the last hour, each from the first source in order that has data for it:
 * Prometheus first when configured, CloudWatch when Prometheus has nothing or fails. A figure no
 * source has data for is empty, with each source's reason; only when every source fails is the
 * fetch a failure (the poller keeps the last data and shows the error).
 */
export async function fetchTrends(s: Sources, order: readonly TrendQueries[]): Promise<TrendData> {
  const end = s.now();
  const points: Record<Figure, readonly Point[]> = { p95: [], errorRate: [] };
  const from: { p95?: SignalSource; errorRate?: SignalSource } = {};
  const why: Record<Figure, string[]> = { p95: [], errorRate: [] };
  const errors: string[] = [];
  for (const q of order) {
    const wanted = (['p95', 'errorRate'] as const).filter((f) => from[f] === undefined);
    if (wanted.length === 0) break;
    let series;
    try {
      series = await s.metrics!.getSeries(
        wanted.map((f) => q[f]),
        { start: end - HOUR, end, stepSeconds: 60 },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      errors.push(`${q.source}: ${message}`);
      for (const f of wanted) why[f].push(`${q.source} failed`);
      continue;
    }
    for (const f of wanted) {
      const got = series.find((x) => x.id === q[f].id)?.points ?? [];
      if (got.length === 0) {
        why[f].push(`${q.source}: no data`);
        continue;
      }
      points[f] = f === 'p95' ? got.map((p) => ({ t: p.t, v: p.v * q.p95Scale })) : got;
      from[f] = q.source;
    }
  }
  if (order.length > 0 && errors.length === order.length) throw new Error(errors.join('; '));
  const note = (f: Figure) => (why[f].length ? why[f].join(', ') : undefined);
  const notes = {
    ...(note('p95') ? { p95: note('p95') } : {}),
    ...(note('errorRate') ? { errorRate: note('errorRate') } : {}),
  };
  return { p95: points.p95, errorRate: points.errorRate, from, notes };
}
