import { METRIC_NAMES, type MetricName, type MinuteValues } from './catalogue.js';
import { calmState, simulateMinute } from './physics.js';
import { MINUTE } from './topology.js';

export type Statistic = 'Average' | 'Maximum' | 'Minimum' | 'Sum';

/**
 * Every metric, one value per simulated minute. Minutes before the sandbox started are the calm
 * past, computed on demand (and cached briefly) rather than stored.
 */
export class MetricHistory {
  private readonly series = new Map<MetricName, number[]>(METRIC_NAMES.map((n) => [n, []]));
  private readonly calmCache = new Map<number, MinuteValues>();
  private recorded = 0;

  constructor(
    private readonly seed: number,
    private readonly origin: number,
  ) {}

  /** Minutes recorded since the origin. */
  get length(): number {
    return this.recorded;
  }

  record(values: MinuteValues): void {
    for (const name of METRIC_NAMES) this.series.get(name)!.push(values[name]);
    this.recorded += 1;
  }

  /** The value of a metric in a minute (negative minutes are before the origin). */
  value(name: MetricName, minute: number): number | undefined {
    if (minute >= 0) return this.series.get(name)![minute];
    return this.calm(minute)[name];
  }

  private calm(minute: number): MinuteValues {
    let v = this.calmCache.get(minute);
    if (!v) {
      if (this.calmCache.size > 20_000) this.calmCache.clear();
      v = simulateMinute(calmState(this.seed, minute, this.origin + minute * MINUTE)).values;
      this.calmCache.set(minute, v);
    }
    return v;
  }

  /** A statistic over `minutes` minutes from `start`; undefined when any minute is not recorded yet. */
  aggregate(name: MetricName, statistic: Statistic, start: number, minutes: number): number | undefined {
    let sum = 0;
    let max = -Infinity;
    let min = Infinity;
    for (let i = start; i < start + minutes; i++) {
      const v = this.value(name, i);
      if (v === undefined) return undefined;
      sum += v;
      if (v > max) max = v;
      if (v < min) min = v;
    }
    switch (statistic) {
      case 'Sum':
        return sum;
      case 'Maximum':
        return max;
      case 'Minimum':
        return min;
      case 'Average':
        return sum / minutes;
    }
  }
}
