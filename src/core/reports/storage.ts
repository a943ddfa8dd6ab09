import type { Database } from '../model.js';
import type { Policy } from '../policy/types.js';
import type { MetricQuery, Sources } from '../../sources/ports.js';
import type { CapacitySeries } from './summary.js';
import type { Period } from './types.js';

/**
 * DB storage for the summary's capacity trend: the share of each database's allocated storage in use,
 * hourly. From the policy's disk-utilization metric where the source has it (the sandbox, a team that
 * publishes it); else from CloudWatch's FreeStorageSpace (bytes free) against the allocated storage
 * (DescribeDBInstances, through the StorageResizable port). The allocated size is today's: a series that
 * spans a storage increase is read against the new size (its older points look fuller than they were).
 */

const GIB = 1024 ** 3;

/** Reads one source, recording a failure as a gap instead of throwing (gather.ts passes its Gaps.try). */
export type TryRead = <T>(source: string, read: () => Promise<T>) => Promise<T | undefined>;

export async function storageCapacity(
  sources: Sources,
  policy: Policy,
  databases: readonly Database[],
  period: Period,
  stepSeconds: number,
  tryRead: TryRead,
): Promise<CapacitySeries[]> {
  const rule = policy.rules.find((r) => r.id === 'disk-utilization');
  const metrics = sources.metrics;
  if (!rule || !metrics || !databases.length) return [];
  const range = { start: period.from, end: period.to, stepSeconds };
  const meta = (d: Database) => ({
    label: `${d.id} ${rule.title.en}`,
    unit: 'percent',
    ...(rule.thresholds.warning !== undefined ? { warning: rule.thresholds.warning } : {}),
  });
  const used: MetricQuery[] = databases.map((d) => ({
    id: `storage|${d.id}`,
    metric: { namespace: rule.metric.namespace, name: rule.metric.name, dimensions: { DBInstanceIdentifier: d.id } },
    statistic: rule.metric.statistic ?? 'Maximum',
  }));
  // A rule computed by metric math (the default: 100 × (1 − FreeStorageSpace / allocated)) is not a share
  // to read as it is: its inputs are read below instead.
  const direct = rule.metric.expression
    ? new Map<string, import('../model.js').Point[]>()
    : new Map(((await tryRead('metrics', () => metrics.getSeries(used, range))) ?? []).map((s) => [s.id, s.points]));
  const out: CapacitySeries[] = [];
  const missing: Database[] = [];
  for (const d of databases) {
    const points = direct.get(`storage|${d.id}`);
    if (points?.length) out.push({ ...meta(d), points });
    else missing.push(d);
  }
  if (!missing.length || !sources.storageResizable) return out;
  const resizable = sources.storageResizable;
  const free: MetricQuery[] = missing.map((d) => ({
    id: `free|${d.id}`,
    metric: { namespace: 'AWS/RDS', name: 'FreeStorageSpace', dimensions: { DBInstanceIdentifier: d.id } },
    statistic: 'Minimum',
  }));
  const [series, sizes] = await Promise.all([
    tryRead('metrics', () => metrics.getSeries(free, range)),
    Promise.all(missing.map((d) => tryRead('databases', () => resizable.getStorage(d.id)))),
  ]);
  const byId = new Map((series ?? []).map((s) => [s.id, s.points]));
  missing.forEach((d, i) => {
    const allocatedGiB = sizes[i]?.allocatedGiB;
    const points = byId.get(`free|${d.id}`);
    if (!allocatedGiB || !points?.length) return;
    out.push({
      ...meta(d),
      points: points
        .filter((p) => Number.isFinite(p.v))
        .map((p) => ({ t: p.t, v: Math.min(100, Math.max(0, 100 * (1 - p.v / (allocatedGiB * GIB)))) })),
    });
  });
  return out;
}
