import type { MetricRef, Point } from './model.js';

/**
 * How a raw CloudWatch metric is written for people. AWS publishes storage and memory of RDS in bytes;
 * "36832120162" tells a responder nothing at 3 a.m., "34.3 GiB" does. Only metrics whose unit AWS
 * documents are listed: anything else is shown as it comes, with no unit invented for it.
 */
export interface MetricDisplay {
  /** The unit written after a value, e.g. "GiB"; empty when the metric's unit is not known. */
  readonly unit: string;
  /** What a raw value is multiplied by to be in `unit`. */
  readonly scale: number;
}

const GIB = 1024 ** 3;

/** AWS/RDS metrics documented in bytes (CloudWatch "Bytes"). */
const RDS_BYTES = new Set([
  'FreeStorageSpace',
  'FreeableMemory',
  'TransactionLogsDiskUsage',
  'ReplicationSlotDiskUsage',
  'OldestReplicationSlotLag',
  'SwapUsage',
  'BinLogDiskUsage',
]);

const AS_IS: MetricDisplay = { unit: '', scale: 1 };

export function metricDisplay(metric: Pick<MetricRef, 'namespace' | 'name'>): MetricDisplay {
  if (metric.namespace === 'AWS/RDS' && RDS_BYTES.has(metric.name)) return { unit: 'GiB', scale: 1 / GIB };
  return AS_IS;
}

/** The points in the display unit (the graph's shape is the same; its numbers read as people say them). */
export function inDisplayUnit(points: readonly Point[], display: MetricDisplay): Point[] {
  return display.scale === 1 ? [...points] : points.map((p) => ({ t: p.t, v: p.v * display.scale }));
}

/** One raw value in the display unit: "34.3 GiB", or the number as it came when the unit is unknown. */
export function formatMetricValue(value: number, display: MetricDisplay): string {
  const v = value * display.scale;
  const text = Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
  return display.unit ? `${text} ${display.unit}` : text;
}
