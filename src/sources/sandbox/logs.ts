/**
 * The sandbox's LogSource: the lines of the asked window, written on read from the world's per-minute activity
 * (logLines.ts). Only simulated minutes have lines: nothing is written ahead of the simulated clock.
 */

import { clip } from '../../core/sanitize.js';
import type { LogEvent, LogQuery, LogResult, LogSource } from '../logPorts.js';
import type { MinuteActivity } from './activity.js';
import { apiLines, lambdaLines, SANDBOX_LOG_GROUPS, workerLines } from './logLines.js';
import { MINUTE } from './topology.js';
import type { World } from './world.js';

const WRITERS: Readonly<Record<string, (seed: number, a: MinuteActivity) => LogEvent[]>> = {
  [SANDBOX_LOG_GROUPS.api]: apiLines,
  [SANDBOX_LOG_GROUPS.worker]: workerLines,
  [SANDBOX_LOG_GROUPS.lambda]: lambdaLines,
};

/** Longest message the sandbox hands out when the query does not say. */
const DEFAULT_MAX_MESSAGE = 16_384;
/** Minutes one read goes back at most: a day (a tail from long ago, or a filter that matches nothing, stays bounded). */
const MAX_MINUTES = 1440;

export function sandboxLogs(world: World, sync: () => number): LogSource {
  const read = (
    q: Pick<LogQuery, 'groups' | 'contains' | 'limit' | 'maxMessageBytes'>,
    start: number,
    end: number,
  ): LogResult => {
    const now = sync();
    const until = Math.min(end, now);
    const limit = Math.max(0, Math.floor(q.limit));
    const max = q.maxMessageBytes ?? DEFAULT_MAX_MESSAGE;
    const unknown = q.groups.filter((g) => WRITERS[g] === undefined);
    // Newest first, minute by minute, until the limit: the oldest are the ones left out.
    const kept: LogEvent[] = [];
    let complete = true;
    const last = Math.floor((until - 1 - world.origin) / MINUTE);
    const asked = Math.floor((start - world.origin) / MINUTE);
    const first = Math.max(asked, last - MAX_MINUTES + 1);
    for (let m = last; m >= first && complete; m--) {
      const a = world.activity.at(m);
      if (a === undefined) continue;
      const minute: LogEvent[] = [];
      for (const g of q.groups) {
        const write = WRITERS[g];
        if (write === undefined) continue;
        for (const e of write(world.seed, a)) {
          if (e.timestamp < start || e.timestamp >= until) continue;
          if (q.contains !== undefined && !e.message.includes(q.contains)) continue;
          minute.push(e);
        }
      }
      minute.sort((x, y) => y.timestamp - x.timestamp);
      for (const e of minute) {
        if (kept.length >= limit) {
          complete = false;
          break;
        }
        const message = clip(e.message, max);
        kept.push(message === e.message ? e : { ...e, message, truncated: true });
      }
    }
    kept.reverse();
    const reason = !complete
      ? `more than ${limit} lines: the newest ${limit} kept`
      : first > asked
        ? `only the last ${MAX_MINUTES / 60} hours are read at once`
        : unknown.length > 0
          ? `no such log group in the sandbox: ${unknown.join(', ')}`
          : undefined;
    return { events: kept, complete: reason === undefined, via: 'sandbox', ...(reason ? { reason } : {}) };
  };
  return {
    async query(q) {
      return read(q, q.start, q.end);
    },
    async tail(q) {
      return read(q, q.since + 1, Number.MAX_SAFE_INTEGER);
    },
  };
}
