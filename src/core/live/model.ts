import type { Alarm, Database, EscalationPolicy, Incident, OnCallEntry, Point, Service, Shift } from '../model.js';
import type { MetricQuery, Sources } from '../../sources/ports.js';
import { Poller, REAL_TIMERS, type Snapshot, type Timers } from './poller.js';

/** The on-call picture: who is on call now, the rotation for this week and next, the escalation policy. */
export interface OnCallData {
  readonly now: readonly OnCallEntry[];
  readonly rotation: readonly Shift[];
  readonly policies: readonly EscalationPolicy[];
}

/** The overview's sparklines: API p95 and error rate over the last hour, one point a minute. */
export interface TrendData {
  readonly p95: readonly Point[];
  readonly errorRate: readonly Point[];
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

/** The overview's two trends: API p95 in milliseconds and the error rate in percent. */
export interface TrendQueries {
  readonly p95: MetricQuery;
  readonly errorRate: MetricQuery;
  /** Multiplies the p95 series into milliseconds (1000 when the source speaks seconds). */
  readonly p95Scale: number;
}

/** From CloudWatch, as the strategy publishes them (Vitascope/API). */
export const CLOUDWATCH_TRENDS: TrendQueries = {
  p95: { id: 'p95', metric: { namespace: 'Vitascope/API', name: 'p95ResponseTime', dimensions: {} }, statistic: 'Average' },
  errorRate: { id: 'errorRate', metric: { namespace: 'Vitascope/API', name: 'Http5xxCount', dimensions: {} }, denominator: 'RequestCount' },
  p95Scale: 1,
};

/** From Prometheus's named queries, when CloudWatch is not configured. */
export const PROMETHEUS_TRENDS: TrendQueries = {
  p95: { id: 'p95', metric: { namespace: 'prometheus', name: 'p95_latency_seconds', dimensions: {} } },
  errorRate: { id: 'errorRate', metric: { namespace: 'prometheus', name: 'error_rate_percent', dimensions: {} } },
  p95Scale: 1000,
};

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
  /** The fetch functions of sources the configuration lacks, and their pollers (asked once, never started). */
  private readonly unconfigured = new Set<unknown>();
  private readonly idle: Poller<unknown>[] = [];

  constructor(
    private readonly sources: Sources,
    intervals: RefreshIntervals,
    timers: Timers = REAL_TIMERS,
    trends: TrendQueries = CLOUDWATCH_TRENDS,
  ) {
    const s = sources;
    const make = <T>(name: string, seconds: number, fetch: (signal: AbortSignal) => Promise<T>): Poller<T> => {
      const p = new Poller<T>({ name, fetch, intervalMs: seconds * 1000, timers });
      p.subscribe(() => this.changed());
      (this.unconfigured.has(fetch) ? this.idle : this.pollers).push(p as Poller<unknown>);
      return p;
    };
    // A source the configuration does not have is asked once (so that it reads "no … source configured")
    // and never polled: a PagerDuty-only setup has no ECS to back off from all shift.
    const missing = (what: string) => {
      const fetch = () => Promise.reject(new Error(`no ${what} source configured`));
      this.unconfigured.add(fetch);
      return fetch;
    };
    this.alarms = make<readonly Alarm[]>('alarms', intervals.alarms, s.alarms ? (signal) => s.alarms!.listAlarms(signal) : missing('alarm'));
    if (s.alerts) this.alerts = make<readonly Alarm[]>('alerts', intervals.alerts ?? intervals.alarms, (signal) => s.alerts!.listAlarms(signal));
    this.services = make<readonly Service[]>('services', intervals.services, s.services ? (signal) => s.services!.listServices(signal) : missing('service'));
    this.incidents = make<readonly Incident[]>(
      'incidents',
      intervals.incidents,
      s.incidents ? (signal) => s.incidents!.listIncidents({ since: s.now() - 24 * HOUR }, signal) : missing('incident'),
    );
    this.onCall = make('on-call', intervals.onCall, s.onCall ? () => fetchOnCall(s) : missing('on-call'));
    this.trends = make('metrics', intervals.metrics, s.metrics ? () => fetchTrends(s, trends) : missing('metric'));
    this.databases = make<readonly Database[]>('databases', intervals.services, s.databases ? (signal) => s.databases!.listDatabases(signal) : missing('database'));
  }

  start(): void {
    for (const p of this.pollers) p.start();
    for (const p of this.idle) void p.refresh();
  }

  stop(): void {
    for (const p of this.pollers) p.stop();
  }

  /** Refreshes every source now (a refresh already running is joined, not doubled). */
  async refreshAll(): Promise<void> {
    await Promise.all([...this.pollers, ...this.idle].map((p) => p.refresh()));
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
 * One alarm list from CloudWatch and the alert source. Each keeps its data when the other fails; the
 * merged health is the worse of the two, naming the failing source.
 */
function mergeAlarms(cw: Snapshot<readonly Alarm[]>, alerts: Snapshot<readonly Alarm[]> | undefined): Snapshot<readonly Alarm[]> {
  if (!alerts) return cw;
  const rank = { ok: 0, loading: 1, error: 2, stale: 3 } as const;
  const worse = rank[alerts.health.state] > rank[cw.health.state] ? alerts : cw;
  const data = cw.data || alerts.data ? [...(cw.data ?? []), ...(alerts.data ?? [])] : undefined;
  const health = worse === cw ? cw.health : { ...alerts.health, error: alerts.health.error ? `alerts: ${alerts.health.error}` : undefined };
  return { name: 'alarms', data, health };
}

async function fetchOnCall(s: Sources): Promise<OnCallData> {
  const now = s.now();
  const week = 7 * 24 * HOUR;
  const [current, rotation, policies] = await Promise.all([s.onCall!.onCallNow(), s.onCall!.rotation(now - week, now + 2 * week), s.onCall!.escalationPolicies()]);
  return { now: current, rotation, policies };
}

async function fetchTrends(s: Sources, q: TrendQueries): Promise<TrendData> {
  const end = s.now();
  const series = await s.metrics!.getSeries([q.p95, q.errorRate], { start: end - HOUR, end, stepSeconds: 60 });
  return {
    p95: (series.find((x) => x.id === 'p95')?.points ?? []).map((p) => ({ t: p.t, v: p.v * q.p95Scale })),
    errorRate: series.find((x) => x.id === 'errorRate')?.points ?? [],
  };
}
