import type { Alarm, AlarmHistoryItem, Point, TimelineEntry } from '../model.js';
import { bindingQuery, limitsNeeded } from '../policy/query.js';
import type { Policy, PolicyRule } from '../policy/types.js';
import type { MetricQuery, Sources } from '../../sources/ports.js';

/** What an alarm's detail shows beyond the alarm itself: its state history and its metric over 3 hours. */
export interface AlarmDetailData {
  readonly history: readonly AlarmHistoryItem[];
  readonly series: readonly Point[];
  /** The threshold in the series' own units; undefined when the alarm compares against a baseline. */
  readonly threshold?: number;
  readonly unit?: string;
  readonly note?: string;
}

const HOUR = 3_600_000;

/**
 * How to fetch an alarm's detail. Rate rules (5xx over all requests) are graphed as the rate, and
 * rules judged against a baseline get no threshold line: their threshold is relative, not a value.
 */
export function alarmDetailFetcher(sources: Sources, policy: Policy, alarm: Alarm): () => Promise<AlarmDetailData> {
  const rule = policy.rules.find((r) => r.id === alarm.ruleId);
  const relative = rule !== undefined && (rule.comparison.kind === 'ratio' || rule.comparison.kind === 'drop');
  return async () => {
    const now = sources.now();
    const query = alarm.metric ? await queryFor(sources, rule, alarm) : undefined;
    // An alert's history is its own source's (Prometheus and Alertmanager keep none), never CloudWatch's.
    const own = !alarm.origins || alarm.origins.includes('cloudwatch') ? sources.alarms : sources.alerts;
    const [history, series] = await Promise.all([
      own ? own.alarmHistory(alarm.name, { from: now - 7 * 24 * HOUR, to: now + 1 }) : Promise.resolve([]),
      query && sources.metrics
        ? sources.metrics.getSeries([query], {
            start: now - 3 * HOUR,
            end: now,
            stepSeconds: Math.max(60, alarm.periodSeconds ?? 60),
          })
        : Promise.resolve([]),
    ]);
    return {
      history: [...history].sort((a, b) => b.at - a.at),
      series: series[0]?.points ?? [],
      threshold: relative ? undefined : alarm.threshold,
      unit: rule ? rule.unit : alarm.unit,
      note:
        relative && rule
          ? `The threshold is relative (${rule.comparison.kind === 'drop' ? 'a drop against' : 'a multiple of'} an earlier window); the graph shows the raw metric.`
          : undefined,
    };
  };
}

/**
 * The alarm's value as it computes it: a rate, or the rule's metric math (a database's allocated storage
 * read for the storage rule); the raw metric when the rule's binding is not the alarm's.
 */
async function queryFor(sources: Sources, rule: PolicyRule | undefined, alarm: Alarm): Promise<MetricQuery> {
  const m = alarm.metric!;
  const binding = rule && [rule.alarmMetric, rule.metric].find((b) => b && b.namespace === m.namespace);
  if (binding?.expression) {
    const db = m.dimensions.DBInstanceIdentifier;
    const needed = limitsNeeded(binding);
    const storage =
      needed.includes('allocated_storage_gib') && db && sources.storageResizable
        ? await sources.storageResizable.getStorage(db).catch(() => undefined)
        : undefined;
    const q = bindingQuery('m', binding, m.dimensions, storage ? { allocated_storage_gib: storage.allocatedGiB } : {});
    if (q) return q;
  }
  return {
    id: 'm',
    metric: m,
    statistic: m.statistic,
    ...(binding?.denominator ? { denominator: binding.denominator } : {}),
  };
}

export function incidentTimelineFetcher(sources: Sources, incidentId: string): () => Promise<readonly TimelineEntry[]> {
  return async () =>
    sources.incidents ? [...(await sources.incidents.timeline(incidentId))].sort((a, b) => a.at - b.at) : [];
}
