/**
 * The by-endpoint breakdown a runbook's `…-by-endpoint` query shows: the endpoints that carry the
 * question (the slowest, the most failing, the busiest), each with its value now, its share, and its
 * value at the start of the query's range ("vs before"), read from two windows of the same length.
 * Pure: the two breakdowns come from the EndpointBreakdownSource port.
 */
import type { EndpointBreakdown, EndpointPart } from '../../sources/ports.js';
import { formatValue } from '../policy/units.js';
import { formatDuration } from '../time.js';

export type BreakdownKind = 'latency' | 'errors' | 'requests';

export interface EndpointRow {
  readonly endpoint: string;
  /** p95 in ms, 5xx as a percent of the endpoint's requests, or requests per second. */
  readonly value?: number;
  /** Of all requests (latency, requests) or of all 5xx answers (errors), 0–1; undefined when the whole is 0. */
  readonly share?: number;
  /** The value in the earlier window; undefined when that window had no such endpoint or no data. */
  readonly before?: number;
}

export interface EndpointTable {
  readonly kind: BreakdownKind;
  /** The label the endpoints are told apart by. */
  readonly label: string;
  readonly windowSeconds: number;
  /** How long before the latest window the earlier one ends (the query's range). */
  readonly beforeMs: number;
  /** The top rows, at most `top`; `more` says how many were left out. */
  readonly rows: readonly EndpointRow[];
  readonly more: number;
  /**
   * The API had traffic but no series carried the endpoint label: the label is named otherwise by this
   * exporter (prometheus.metrics.labels.endpoint), never "no requests".
   */
  readonly unlabelled: boolean;
  readonly total: Omit<EndpointRow, 'endpoint' | 'share'>;
}

function valueOf(kind: BreakdownKind, p: Omit<EndpointPart, 'endpoint'>): number | undefined {
  if (kind === 'latency') return p.p95Seconds === undefined ? undefined : p.p95Seconds * 1000;
  if (kind === 'errors') return p.requestsPerSecond > 0 ? (100 * p.errorsPerSecond) / p.requestsPerSecond : undefined;
  return p.requestsPerSecond;
}

function shareOf(kind: BreakdownKind, p: EndpointPart, total: Omit<EndpointPart, 'endpoint'>): number | undefined {
  const [part, whole] =
    kind === 'errors' ? [p.errorsPerSecond, total.errorsPerSecond] : [p.requestsPerSecond, total.requestsPerSecond];
  return whole > 0 ? part / whole : undefined;
}

/** What orders the rows: the slowest first, the most 5xx answers first, the busiest first. */
function weight(kind: BreakdownKind, p: EndpointPart): number {
  if (kind === 'latency') return p.p95Seconds ?? -1;
  if (kind === 'errors') return p.errorsPerSecond;
  return p.requestsPerSecond;
}

export function endpointTable(
  kind: BreakdownKind,
  now: EndpointBreakdown,
  before: EndpointBreakdown | undefined,
  beforeMs: number,
  top = 6,
): EndpointTable {
  const earlier = new Map((before?.endpoints ?? []).map((p) => [p.endpoint, p]));
  const sorted = [...now.endpoints]
    .filter((p) => p.requestsPerSecond > 0)
    .sort((a, b) => weight(kind, b) - weight(kind, a) || a.endpoint.localeCompare(b.endpoint));
  const row = (p: EndpointPart): EndpointRow => {
    const value = valueOf(kind, p);
    const share = shareOf(kind, p, now.total);
    const then = earlier.get(p.endpoint);
    const was = then ? valueOf(kind, then) : undefined;
    return {
      endpoint: p.endpoint,
      ...(value !== undefined ? { value } : {}),
      ...(share !== undefined ? { share } : {}),
      ...(was !== undefined ? { before: was } : {}),
    };
  };
  const total = valueOf(kind, now.total);
  const totalBefore = before ? valueOf(kind, before.total) : undefined;
  return {
    kind,
    label: now.label,
    windowSeconds: now.windowSeconds,
    beforeMs,
    rows: sorted.slice(0, top).map(row),
    more: Math.max(0, sorted.length - top),
    unlabelled: sorted.length === 0 && now.total.requestsPerSecond > 0,
    total: { ...(total !== undefined ? { value: total } : {}), ...(totalBefore !== undefined ? { before: totalBefore } : {}) },
  };
}

/** A value of the table's kind, for people: "1.24 s", "3.1 %", "12.4 req/s". */
export function formatEndpointValue(kind: BreakdownKind, value: number | undefined): string {
  if (value === undefined) return '–';
  if (kind === 'latency') return formatValue(value, 'milliseconds');
  if (kind === 'errors') return value > 0 && value < 0.1 ? '<0.1 %' : formatValue(value, 'percent');
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} req/s`;
}

const WHAT: Record<BreakdownKind, string> = { latency: 'p95', errors: '5xx rate', requests: 'request rate' };

/** One line for the journal and the headless output: the top endpoints, their values and how they moved. */
export function endpointSummary(t: EndpointTable): string {
  const window = formatDuration(t.windowSeconds * 1000);
  if (t.unlabelled)
    return `${WHAT[t.kind]} by ${t.label}: the API had requests but no series carries the label "${t.label}" (prometheus.metrics.labels.endpoint names it)`;
  if (t.rows.length === 0) return `${WHAT[t.kind]} by ${t.label}: no requests in the last ${window}`;
  const ago = formatDuration(t.beforeMs);
  const parts = t.rows.slice(0, 3).map((r) => {
    const was = r.before !== undefined ? `, ${formatEndpointValue(t.kind, r.before)} ${ago} ago` : '';
    return `${r.endpoint} ${formatEndpointValue(t.kind, r.value)}${was}`;
  });
  return `${WHAT[t.kind]} by ${t.label} over the last ${window}: ${parts.join('; ')}${t.rows.length + t.more > 3 ? ` (+${t.rows.length + t.more - 3} more)` : ''}`;
}
