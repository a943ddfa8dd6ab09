/**
 * The lists as the responder sees them: the live model's alarms, services and incidents under each
 * list's filter and order (lists.ts), the overview's rows, and the item a detail shows. A list that
 * changed keeps its cursor on the item it was on, by id (`follow`). Every result stays the same object
 * until what it is made of changes, so a view memoised on it re-renders only what changed.
 */
import type { Alarm, Incident } from '../model.js';
import type { LiveModel } from '../live/model.js';
import type { ListItem } from './context.js';
import { DerivedList } from './lists.js';
import type { JumpTargets } from './palette.js';
import type { ListId } from './screens.js';
import type { SessionLists, SessionSnapshot } from './snapshot.js';
import { reduce, type CockpitState, type OverviewRow } from './state.js';
import type { SessionOptions } from './sessionOptions.js';

/** The session's state as the lists read it, and the one change they make to it (the cursor following its item). */
export interface ListsHost {
  state(): CockpitState;
  /** Sets the state without telling the listeners (the snapshot being built is the one they will read). */
  follow(state: CockpitState): void;
}

export class LiveLists {
  private readonly derived;
  private lastLists?: SessionLists;
  private readonly listStates: Partial<Record<ListId, CockpitState['lists'][ListId]>> = {};
  private lastOverview?: {
    alarms: readonly Alarm[] | undefined;
    incidents: readonly Incident[] | undefined;
    rows: readonly OverviewRow[];
  };

  constructor(
    private readonly live: LiveModel,
    private readonly specs: SessionOptions['lists'],
    private readonly host: ListsHost,
  ) {
    this.derived = {
      alarms: new DerivedList(specs.alarms),
      services: new DerivedList(specs.services),
      incidents: new DerivedList(specs.incidents),
    };
  }

  sortCount(list: ListId): number {
    return this.derived[list].sortCount;
  }

  jumpTargets(): JumpTargets {
    const live = this.live.snapshot();
    return { incidents: live.incidents.data ?? [], alarms: live.alarms.data ?? [] };
  }

  /** The overview's rows: the alarms in ALARM in the alarm list's first order, then the open incidents (as the overview shows them). */
  overviewRows(): readonly OverviewRow[] {
    const live = this.live.snapshot();
    const l = this.lastOverview;
    if (l && l.alarms === live.alarms.data && l.incidents === live.incidents.data) return l.rows;
    const compare = this.specs.alarms.sorts[0]!.compare;
    const firing = (live.alarms.data ?? []).filter((a) => a.state === 'ALARM').sort(compare);
    const open = (live.incidents.data ?? []).filter((i) => i.status !== 'resolved');
    const rows: OverviewRow[] = [
      ...firing.map((a) => ({ list: 'alarms' as const, id: a.id })),
      ...open.map((i) => ({ list: 'incidents' as const, id: i.id })),
    ];
    this.lastOverview = { alarms: live.alarms.data, incidents: live.incidents.data, rows };
    return rows;
  }

  overviewItem(row: OverviewRow): ListItem | undefined {
    const live = this.live.snapshot();
    if (row.list === 'alarms') {
      const item = live.alarms.data?.find((a) => a.id === row.id);
      return item ? { list: 'alarms', item } : undefined;
    }
    const item = live.incidents.data?.find((i) => i.id === row.id);
    return item ? { list: 'incidents', item } : undefined;
  }

  lists(): SessionLists {
    const live = this.live.snapshot();
    const s = this.host.state().lists;
    const alarms = this.derived.alarms.of(live.alarms.data, s.alarms);
    const services = this.derived.services.of(live.services.data, s.services);
    const incidents = this.derived.incidents.of(live.incidents.data, s.incidents);
    const l = this.lastLists;
    if (l && l.alarms === alarms && l.services === services && l.incidents === incidents) return l;
    const next = { alarms, services, incidents };
    this.lastLists = next;
    this.follow(next, l);
    return next;
  }

  /**
   * A list that changed (new data, a re-sort after `a`) keeps the cursor on the item it was on, by id:
   * once per change of a list, never per key.
   */
  private follow(lists: SessionLists, before: SessionLists | undefined): void {
    const current = this.host.state();
    let state = current;
    for (const list of ['alarms', 'services', 'incidents'] as const) {
      const { selected, filter, sortIndex, reverse } = state.lists[list];
      const items: readonly { id: string }[] = lists[list].items;
      // A cursor never moved is on the item it showed before the data changed (the same filter and order).
      const was = this.listStates[list];
      const sameView =
        was !== undefined && was.filter === filter && was.sortIndex === sortIndex && was.reverse === reverse;
      this.listStates[list] = state.lists[list];
      const selectedId =
        state.lists[list].selectedId ??
        (sameView ? (before?.[list].items[selected] as { id: string } | undefined)?.id : undefined);
      if (selectedId === undefined || items[selected]?.id === selectedId) continue;
      const at = items.findIndex((it) => it.id === selectedId);
      // The item is gone (filtered out, resolved away): the cursor stays at its row, on what is there now.
      const to = at >= 0 ? at : Math.min(selected, Math.max(0, items.length - 1));
      state = reduce(state, { type: 'follow', list, selected: to, id: at >= 0 ? selectedId : items[to]?.id });
    }
    if (state !== current) this.host.follow(state);
  }

  detailItems(): SessionSnapshot['detail'] {
    const d = this.host.state().detail;
    if (!d) return {};
    const live = this.live.snapshot();
    if (d.list === 'alarms') return { alarm: live.alarms.data?.find((a) => a.id === d.id) };
    if (d.list === 'services') return { service: live.services.data?.find((s) => s.id === d.id) };
    return { incident: live.incidents.data?.find((i) => i.id === d.id) };
  }
}
