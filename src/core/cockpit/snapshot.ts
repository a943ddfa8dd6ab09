import type { TeamState } from '../team/replicator.js';
import type { Alarm, Incident, Service, TimelineEntry } from '../model.js';
import type { AlarmDetailData } from '../live/detail.js';
import type { DisabledActions } from '../live/alarmActionsTimer.js';
import { alarmCountsKnown, type LiveSnapshot, type TrendData } from '../live/model.js';
import type { Snapshot } from '../live/poller.js';
import type { RoomView } from '../live/room.js';
import type { HandoffReport } from '../reports/types.js';
import { alarmCounts } from '../status.js';
import { hints, type Binding, type Scope } from './bindings.js';
import type { Listed } from './lists.js';
import type { ServiceFeedsSnapshot } from './serviceFeeds.js';
import type { CockpitState, OverviewRow } from './state.js';
import { EN, type Translate } from '../i18n/index.js';

export type MutedAlarms = ReadonlyMap<string, DisabledActions>;
export interface SessionLists {
  readonly alarms: Listed<Alarm>;
  readonly services: Listed<Service>;
  readonly incidents: Listed<Incident>;
}

/** Everything a frame shows, as stable slices. */
export interface SessionSnapshot {
  readonly state: CockpitState;
  readonly live: LiveSnapshot;
  readonly lists: SessionLists;
  /** The overview's rows under its cursor (state.overview indexes them). */
  readonly overview: readonly OverviewRow[];
  readonly scopes: readonly Scope[];
  readonly hints: readonly { readonly key: string; readonly label: string }[];
  readonly counts: ReturnType<typeof alarmCounts>;
  /** Whether the counts are current: a failed alarm source makes them stale (last good data) or unknown. */
  readonly countsKnown: 'yes' | 'stale' | 'unknown';
  readonly detail: { readonly alarm?: Alarm; readonly service?: Service; readonly incident?: Incident };
  readonly alarmDetail: Snapshot<AlarmDetailData>;
  /** The detail service's p95 and error rate over the last hour. */
  readonly serviceSignals: Snapshot<TrendData>;
  readonly timeline: Snapshot<readonly TimelineEntry[]>;
  /** "id — title" of the runbook matching the alarm in view, once the runbooks are loaded. */
  readonly runbook?: string;
  readonly handoff: Snapshot<HandoffReport>;
  /** The logs and traces screens' data (serviceFeeds.ts). */
  readonly service: ServiceFeedsSnapshot;
  readonly roomView?: RoomView;
  readonly muted: MutedAlarms;
  readonly hasJournal: boolean;
  readonly quit: boolean;
  /** The team timeline's state for the header, when a team server is configured. */
  readonly team?: TeamState;
  /** The cockpit's own words in the language chosen at start (the same function for the whole session). */
  readonly t: Translate;
}

const NO_MUTED: MutedAlarms = new Map();

/**
 * The snapshot's derived slices, each the same object until what it is made of changes: the banner's
 * counts (per alarm list), the footer's hints (per set of scopes), the muted alarms (per timer snapshot).
 */
export class SnapshotMemo {
  private lastCounts?: {
    of: readonly Alarm[] | undefined;
    health: string;
    counts: SessionSnapshot['counts'];
    known: SessionSnapshot['countsKnown'];
  };
  private lastHints?: { key: string; scopes: readonly Scope[]; hints: SessionSnapshot['hints'] };
  private lastMuted?: { of: readonly DisabledActions[]; map: MutedAlarms };

  hints(
    bindings: readonly Binding[],
    scopes: readonly Scope[],
    t: Translate = EN,
    hide: readonly string[] = [],
  ): { scopes: readonly Scope[]; hints: SessionSnapshot['hints'] } {
    const key = `${scopes.join(' ')}|${hide.join(' ')}`;
    if (this.lastHints?.key !== key) {
      const shown = hide.length ? bindings.filter((b) => !hide.includes(b.id)) : bindings;
      this.lastHints = { key, scopes, hints: hints(shown, scopes, t) };
    }
    return this.lastHints;
  }

  counts(live: LiveSnapshot): { counts: SessionSnapshot['counts']; countsKnown: SessionSnapshot['countsKnown'] } {
    const data = live.alarms.data;
    const health = live.alarms.health.state;
    const l = this.lastCounts;
    if (l && l.of === data && l.health === health) return { counts: l.counts, countsKnown: l.known };
    const counts = alarmCounts(data ?? []);
    const known = alarmCountsKnown(live.alarms);
    this.lastCounts = { of: data, health, counts, known };
    return { counts, countsKnown: known };
  }

  muted(list: readonly DisabledActions[] | undefined): MutedAlarms {
    if (!list) return NO_MUTED;
    if (this.lastMuted?.of !== list) this.lastMuted = { of: list, map: new Map(list.map((d) => [d.alarm, d])) };
    return this.lastMuted.map;
  }
}
