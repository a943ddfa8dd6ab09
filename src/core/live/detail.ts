import type { Alarm, AlarmHistoryItem, Point, TimelineEntry } from '../model.js';
import type { Policy } from '../policy/types.js';
import type { Sources } from '../../sources/ports.js';

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
    const [history, series] = await Promise.all([
      sources.alarms ? sources.alarms.alarmHistory(alarm.name, { from: now - 7 * 24 * HOUR, to: now + 1 }) : Promise.resolve([]),
      alarm.metric && sources.metrics
        ? sources.metrics.getSeries(
            [{ id: 'm', metric: alarm.metric, statistic: alarm.metric.statistic, denominator: rule?.metric.denominator }],
            { start: now - 3 * HOUR, end: now, stepSeconds: Math.max(60, alarm.periodSeconds ?? 60) },
          )
        : Promise.resolve([]),
    ]);
    return {
      history: [...history].sort((a, b) => b.at - a.at),
      series: series[0]?.points ?? [],
      threshold: relative ? undefined : alarm.threshold,
      unit: rule ? rule.unit : alarm.unit,
      note: relative && rule ? `The threshold is relative (${rule.comparison.kind === 'drop' ? 'a drop against' : 'a multiple of'} an earlier window); the graph shows the raw metric.` : undefined,
    };
  };
}

export function incidentTimelineFetcher(sources: Sources, incidentId: string): () => Promise<readonly TimelineEntry[]> {
  return async () => (sources.incidents ? [...(await sources.incidents.timeline(incidentId))].sort((a, b) => a.at - b.at) : []);
}
