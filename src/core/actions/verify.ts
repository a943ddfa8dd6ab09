import type { Alarm, MetricRef } from '../model.js';
import type { Sources } from '../../sources/ports.js';
import { formatDuration } from '../time.js';
import type { Clock } from './clock.js';
import { messageOf } from './errors.js';
import type { ComparisonOp, Reading, VerifySpec } from './types.js';

/**
 * Reading alarms and metrics, and waiting for them: the evidence that a remediation worked. Waits go
 * through the Clock, so a drill on the frozen sandbox fast-forwards while real sources are polled.
 */

export function compare(a: number, op: ComparisonOp, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** An alarm by name, from CloudWatch (or the sandbox) and the alert source. */
export async function findAlarm(sources: Sources, name: string): Promise<Alarm | undefined> {
  for (const source of [sources.alarms, sources.alerts]) {
    if (!source) continue;
    const found = (await source.listAlarms()).find((a) => a.name === name);
    if (found) return found;
  }
  return undefined;
}

export async function readAlarm(sources: Sources, name: string, at: number): Promise<Reading> {
  try {
    const alarm = await findAlarm(sources, name);
    if (!alarm) return { at, missing: `no alarm named ${name}` };
    return {
      at,
      state: alarm.state,
      ...(alarm.value !== undefined ? { value: alarm.value } : {}),
      ...(alarm.unit ? { unit: alarm.unit } : {}),
    };
  } catch (error) {
    return { at, missing: `alarms could not be read: ${messageOf(error)}` };
  }
}

/** The newest datapoint of a metric within the last `windowMs`. */
export async function readMetric(
  sources: Sources,
  metric: MetricRef,
  at: number,
  windowMs = 15 * 60_000,
): Promise<Reading> {
  if (!sources.metrics) return { at, missing: 'no metric source' };
  try {
    const [series] = await sources.metrics.getSeries(
      [{ id: 'v', metric, ...(metric.statistic ? { statistic: metric.statistic } : {}) }],
      {
        start: at - windowMs,
        end: at,
        stepSeconds: 60,
      },
    );
    const last = series?.points[series.points.length - 1];
    return last
      ? { at: last.t, value: last.v }
      : { at, missing: `no datapoints of ${metric.namespace} ${metric.name} in the last ${formatDuration(windowMs)}` };
  } catch (error) {
    return { at, missing: `the metric could not be read: ${messageOf(error)}` };
  }
}

/** What a verification looks at, in words. */
export function describeSubject(spec: VerifySpec): string | undefined {
  if (spec.alarm) return `alarm ${spec.alarm} ${spec.state ?? 'OK'}`;
  if (spec.metric)
    return `${spec.metric.metric.namespace} ${spec.metric.metric.name} ${spec.metric.op} ${spec.metric.value}`;
  return undefined;
}

export async function readSubject(sources: Sources, spec: VerifySpec, at: number): Promise<Reading | undefined> {
  if (spec.alarm) return readAlarm(sources, spec.alarm, at);
  if (spec.metric) return readMetric(sources, spec.metric.metric, at);
  return undefined;
}

export function satisfied(spec: VerifySpec, r: Reading | undefined): boolean {
  if (!r || r.missing) return false;
  if (spec.alarm) return r.state === (spec.state ?? 'OK');
  if (spec.metric) return r.value !== undefined && compare(r.value, spec.metric.op, spec.metric.value);
  return true;
}

export function formatReading(r: Reading | undefined): string {
  if (!r) return '–';
  if (r.missing) return r.missing;
  const value =
    r.value !== undefined
      ? `${Number.isInteger(r.value) ? r.value : r.value.toFixed(1)}${r.unit ? ` ${r.unit}` : ''}`
      : undefined;
  return r.state ? `${r.state}${value ? ` (${value})` : ''}` : (value ?? '–');
}

/**
 * Waits until the spec holds or its timeout passes, looking every clock.pollMs. Resolves with the last
 * reading and how long it waited; never throws for a source that fails (that is a reading with `missing`).
 */
export async function waitUntil(
  sources: Sources,
  clock: Clock,
  spec: VerifySpec,
  signal?: AbortSignal,
): Promise<{ readonly ok: boolean; readonly after: Reading | undefined; readonly waitedMs: number }> {
  const start = clock.now();
  for (;;) {
    const now = clock.now();
    const after = await readSubject(sources, spec, now);
    if (satisfied(spec, after)) return { ok: true, after, waitedMs: now - start };
    const left = start + spec.timeoutMs - now;
    if (left <= 0) return { ok: false, after, waitedMs: now - start };
    try {
      await clock.wait(Math.min(clock.pollMs, left), signal);
    } catch (error) {
      // Stopped by the responder ("stop waiting"): the last reading stands.
      if (signal?.aborted) return { ok: false, after, waitedMs: clock.now() - start };
      throw error;
    }
  }
}
