/**
 * What happened in each simulated minute that logs and traces tell: which tasks served (and on which
 * revision, with what fault), who attacked or scraped and got through the WAF, whether the partner was down,
 * how many Lambda invocations failed on poison messages. One small record per minute, taken from the world's
 * state as it stepped; the sandbox's log and trace sources write lines and spans from these on read, so
 * nothing line by line is stored. Minutes before the sandbox started are the calm past, made on demand.
 */

import type { MinuteValues } from './catalogue.js';
import type { EndpointDetail } from './physics.js';
import { calmState, simulateMinute } from './physics.js';
import { MINUTE } from './topology.js';

/** One API task serving in the minute, and what its revision does wrong. */
export interface ServingTask {
  readonly id: string;
  readonly revision: number;
  /** Extra latency of its revision: its requests run one query per item (an N+1), this many ms of them. */
  readonly slowMs: number;
  /** One endpoint of its revision raises an exception on a share of its calls. */
  readonly failing?: { readonly method: string; readonly path: string };
  /** Its revision writes sync messages the Lambda cannot read. */
  readonly poison: boolean;
}

export interface MinuteActivity {
  readonly minute: number;
  readonly start: number;
  readonly values: MinuteValues;
  readonly detail: EndpointDetail;
  readonly api: readonly ServingTask[];
  readonly worker: readonly { readonly id: string; readonly revision: number; readonly memory: number }[];
  /** The attacking address, and its attempts that reached the API (0 once the WAF blocks it). */
  readonly attack?: { readonly address: string; readonly attempts: number; readonly blocked: boolean };
  readonly scrape?: { readonly address: string; readonly requests: number; readonly blocked: boolean };
  readonly wearablesDown: boolean;
  readonly pushDown: boolean;
  readonly dbAvailable: boolean;
  /** Share of Lambda invocations failing on poison messages, and the API revision that wrote them. */
  readonly lambdaPoison: number;
  readonly poisonRevision?: number;
}

export class ActivityLog {
  private readonly minutes: MinuteActivity[] = [];
  private readonly calmCache = new Map<number, MinuteActivity>();

  constructor(
    private readonly seed: number,
    private readonly origin: number,
    /** The tasks serving before the sandbox started (the calm past's streams). */
    private readonly calmApi: readonly ServingTask[],
    private readonly calmWorker: MinuteActivity['worker'],
  ) {}

  record(activity: MinuteActivity): void {
    this.minutes[activity.minute] = activity;
  }

  /** Minutes recorded since the origin. */
  get length(): number {
    return this.minutes.length;
  }

  /** The minute's record; undefined for a minute not simulated yet. */
  at(minute: number): MinuteActivity | undefined {
    if (minute >= 0) return this.minutes[minute];
    let calm = this.calmCache.get(minute);
    if (calm === undefined) {
      if (this.calmCache.size > 5_000) this.calmCache.clear();
      const start = this.origin + minute * MINUTE;
      const result = simulateMinute(calmState(this.seed, minute, start));
      calm = {
        minute,
        start,
        values: result.values,
        detail: result.detail,
        api: this.calmApi,
        worker: this.calmWorker,
        wearablesDown: false,
        pushDown: false,
        dbAvailable: true,
        lambdaPoison: 0,
      };
      this.calmCache.set(minute, calm);
    }
    return calm;
  }
}
