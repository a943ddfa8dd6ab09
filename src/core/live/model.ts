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
  readonly alarms: Snapshot<readonly Alarm[]>;
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
}

/** Seconds between refreshes: real sources are polite to their APIs; the sandbox is local and cheap. */
export function defaultIntervals(kind: 'sandbox' | 'aws'): RefreshIntervals {
  return kind === 'sandbox'
    ? { alarms: 1, services: 1, incidents: 1, onCall: 5, metrics: 2 }
    : { alarms: 15, services: 20, incidents: 15, onCall: 300, metrics: 60 };
}

const TREND_QUERIES: readonly MetricQuery[] = [
  { id: 'p95', metric: { namespace: 'Vitascope/API', name: 'p95ResponseTime', dimensions: {} }, statistic: 'Average' },
  { id: 'errorRate', metric: { namespace: 'Vitascope/API', name: 'Http5xxCount', dimensions: {} }, denominator: 'RequestCount' },
];

const HOUR = 3_600_000;

/**
 * The cockpit's live data: one poller per source, each on its own interval, combined into one
 * snapshot that views read. Listeners hear about every change; a failing source keeps its last data.
 */
export class LiveModel {
  private readonly pollers: Poller<unknown>[] = [];
  private readonly listeners = new Set<() => void>();
  readonly alarms: Poller<readonly Alarm[]>;
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
  ) {
    const s = sources;
    const make = <T>(name: string, seconds: number, fetch: (signal: AbortSignal) => Promise<T>): Poller<T> => {
      const p = new Poller<T>({ name, fetch, intervalMs: seconds * 1000, timers });
      p.subscribe(() => this.changed());
      this.pollers.push(p as Poller<unknown>);
      return p;
    };
    const missing = (what: string) => () => Promise.reject(new Error(`no ${what} source configured`));
    this.alarms = make<readonly Alarm[]>('alarms', intervals.alarms, s.alarms ? (signal) => s.alarms!.listAlarms(signal) : missing('alarm'));
    this.services = make<readonly Service[]>('services', intervals.services, s.services ? (signal) => s.services!.listServices(signal) : missing('service'));
    this.incidents = make<readonly Incident[]>(
      'incidents',
      intervals.incidents,
      s.incidents ? (signal) => s.incidents!.listIncidents({ since: s.now() - 24 * HOUR }, signal) : missing('incident'),
    );
    this.onCall = make('on-call', intervals.onCall, s.onCall ? () => fetchOnCall(s) : missing('on-call'));
    this.trends = make('metrics', intervals.metrics, s.metrics ? () => fetchTrends(s) : missing('metric'));
    this.databases = make<readonly Database[]>('databases', intervals.services, s.databases ? (signal) => s.databases!.listDatabases(signal) : missing('database'));
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

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The same object until something changes, so views can compare by identity. */
  snapshot(): LiveSnapshot {
    this.cached ??= {
      now: this.sources.now(),
      alarms: this.alarms.snapshot(),
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

async function fetchOnCall(s: Sources): Promise<OnCallData> {
  const now = s.now();
  const week = 7 * 24 * HOUR;
  const [current, rotation, policies] = await Promise.all([s.onCall!.onCallNow(), s.onCall!.rotation(now - week, now + 2 * week), s.onCall!.escalationPolicies()]);
  return { now: current, rotation, policies };
}

async function fetchTrends(s: Sources): Promise<TrendData> {
  const end = s.now();
  const series = await s.metrics!.getSeries(TREND_QUERIES, { start: end - HOUR, end, stepSeconds: 60 });
  return {
    p95: series.find((x) => x.id === 'p95')?.points ?? [],
    errorRate: series.find((x) => x.id === 'errorRate')?.points ?? [],
  };
}
