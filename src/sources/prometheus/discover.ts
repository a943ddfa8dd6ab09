/**
 * What a Prometheus server really has near a selector that matched nothing, so that "no data" comes
 * with its reason: the same metric under other values of the service label (job="api" where
 * job="vitascope-api" was asked), the metric without that label at all (its labels listed), or no such
 * metric but similar names (app_request_count where app_request_count_total was asked). Used by
 * `deploy-check` when a signal has no data and by `doctor`. Harmless reads only: the label APIs over a
 * recent window.
 */
import { selector } from '../../core/appMetrics.js';
import type { PrometheusClient } from './client.js';

export interface SelectorReport {
  /** The selector asked about, as PromQL: app_request_count_total{job="vitascope-api"}. */
  readonly selector: string;
  readonly metric: string;
  /** Whether any series matched it within the window. */
  readonly matched: boolean;
  /** Whether the metric exists at all (with any labels). */
  readonly metricExists: boolean;
  /** The label that tells services apart and the values the metric has for it. */
  readonly serviceLabel?: string;
  readonly serviceValues: readonly string[];
  /** The metric's label names (when it exists), to show a service label it does not carry. */
  readonly labelNames: readonly string[];
  /** Metric names on the server that look like the one asked for, closest first. */
  readonly similarNames: readonly string[];
}

const GENERIC = new Set(['total', 'bucket', 'sum', 'count', 'created', 'seconds', 'bytes', 'info', 'app']);

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * Names that look like `wanted`: a few edits away, or sharing a distinctive word (request, latency),
 * closest first; `wanted` itself is left out.
 */
export function similarNames(names: readonly string[], wanted: string, limit = 5): string[] {
  const words = wanted.split('_').filter((w) => w.length >= 4 && !GENERIC.has(w));
  const near = Math.max(4, Math.floor(wanted.length * 0.3));
  // "request" and "requests" are one word here.
  const alike = (a: string, b: string) => a.length >= 4 && b.length >= 4 && (a.startsWith(b) || b.startsWith(a));
  return names
    .filter((n) => n !== wanted)
    .map((n) => ({
      n,
      d: distance(n, wanted),
      shared: words.filter((w) => n.split('_').some((x) => alike(x, w))).length,
    }))
    .filter((x) => x.d <= near || x.shared > 0)
    .sort((a, b) => b.shared - a.shared || a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, limit)
    .map((x) => x.n);
}

export interface InspectOptions {
  readonly metric: string;
  /** Equality matchers of the selection, the service's among them. */
  readonly matchers: readonly (readonly [string, string])[];
  readonly serviceLabel?: string;
  /** The window to look in: [now − lookbackMs, now]. */
  readonly lookbackMs: number;
  readonly now?: number;
  readonly signal?: AbortSignal;
}

/** What the server has at and near a selector. */
export async function inspectSelector(client: PrometheusClient, o: InspectOptions): Promise<SelectorReport> {
  const end = o.now ?? Date.now();
  const window = { start: end - o.lookbackMs, end, signal: o.signal };
  const asked = selector(o.metric, o.matchers);
  const [matched, exists] = await Promise.all([
    client.labelValues('__name__', { ...window, match: [asked] }),
    client.labelValues('__name__', { ...window, match: [o.metric] }),
  ]);
  const base = {
    selector: asked,
    metric: o.metric,
    matched: matched.length > 0,
    metricExists: exists.length > 0,
    ...(o.serviceLabel ? { serviceLabel: o.serviceLabel } : {}),
  };
  if (base.matched) return { ...base, serviceValues: [], labelNames: [], similarNames: [] };
  if (base.metricExists) {
    const [serviceValues, labelNames] = await Promise.all([
      o.serviceLabel ? client.labelValues(o.serviceLabel, { ...window, match: [o.metric] }) : Promise.resolve([]),
      client.labelNames({ ...window, match: [o.metric] }),
    ]);
    return { ...base, serviceValues, labelNames: labelNames.filter((l) => l !== '__name__'), similarNames: [] };
  }
  const names = await client.labelValues('__name__', window);
  return { ...base, serviceValues: [], labelNames: [], similarNames: similarNames(names, o.metric) };
}

/** One line for people: what exists near a selector that matched nothing ('' when it matched). */
export function nearbyText(r: SelectorReport): string {
  if (r.matched) return '';
  if (r.metricExists) {
    if (r.serviceLabel && r.serviceValues.length)
      return `${r.metric} exists with ${r.serviceLabel}=${r.serviceValues.slice(0, 8).join(', ')}${r.serviceValues.length > 8 ? ', …' : ''}`;
    return `${r.metric} exists, with labels ${r.labelNames.join(', ') || '(none)'}${r.serviceLabel && !r.labelNames.includes(r.serviceLabel) ? ` (no ${r.serviceLabel})` : ''}`;
  }
  return r.similarNames.length
    ? `no ${r.metric} on the server; similar names: ${r.similarNames.join(', ')}`
    : `no ${r.metric} on the server, nor any similar name`;
}
