/**
 * The cockpit session: the cockpit's state machine, in core. Keys come in (`dispatch`), go through the
 * router's layers (router.ts) to the commands' handlers (commands.ts), which change the state (state.ts)
 * or hand side effects to core services (the action engine, the journal, incident rooms). The view
 * subscribes and renders `snapshot()`, which stays the same object until something changes and is
 * made of slices that stay the same objects until they change (a cursor move leaves every list, the
 * counts and the hints as they were), so a view memoised on a slice re-renders only what changed.
 */
import { copyTextFor, osc52 } from '../links.js';
import { screenLine } from '../sanitize.js';
import { inLanguage, uiLang, type UiLang } from '../lang.js';
import { translator, type Translate } from '../i18n/index.js';
import type { Alarm, Health, Incident, Service, TimelineEntry } from '../model.js';
import { alarmDetailFetcher, incidentTimelineFetcher, type AlarmDetailData } from '../live/detail.js';
import type { LiveModel, TrendData } from '../live/model.js';
import type { Room } from '../live/room.js';
import type { CockpitServices } from '../live/services.js';
import type { Policy } from '../policy/types.js';
import type { HandoffReport } from '../reports/types.js';
import type { Sources } from '../../sources/ports.js';
import { itemAction } from './actions/index.js';
import type { Binding, CommandId } from './bindings.js';
import { COMMANDS } from './commands.js';
import type { CommandContext, ListItem } from './context.js';
import type { Dialog, DialogKey } from './dialog.js';
import { Feed, KeyedValue } from './feeds.js';
import { ServiceFeeds } from './serviceFeeds.js';
import { DerivedList, type ListSpec } from './lists.js';
import { SnapshotMemo, type SessionLists, type SessionSnapshot } from './snapshot.js';
import { EMPTY_INPUT } from './roomKeys.js';
import { applyRoomKey, route, type RouterHost } from './router.js';
import { screenSpec, type ListId } from './screens.js';
import type { JumpTargets } from './palette.js';
import { INITIAL_STATE, reduce, scopesFor, type CockpitAction, type CockpitState, type OverviewRow } from './state.js';

export type { MutedAlarms, SessionLists, SessionSnapshot } from './snapshot.js';

export interface SessionOptions {
  readonly live: LiveModel;
  readonly sources: Sources;
  readonly policy: Policy;
  readonly bindings: readonly Binding[];
  readonly readonly: boolean;
  /** The journal, runbooks, the action engine and incident rooms; absent, those features say so. */
  readonly services?: CockpitServices;
  /** How each list is searched and sorted (the row renderers' own rules). */
  readonly lists: {
    readonly alarms: ListSpec<Alarm>;
    readonly services: ListSpec<Service>;
    readonly incidents: ListSpec<Incident>;
  };
  /** Called once when the responder quits (q, Ctrl-C, `:q`). */
  readonly onQuit?: () => void;
  /**
   * Writes a terminal sequence (OSC 52) for `y`; absent under --no-links or where the terminal is not
   * known to take it (core/links.ts terminalLinks). `links`: whether real sources' items have links
   * (the sandbox's are simulated: its ids are copied, never a console URL for a world that does not exist).
   */
  readonly clipboard?: { readonly write: (sequence: string) => void; readonly links: boolean };
  /** A service's log groups (the configuration's); absent, the services' own rule, else the strategy's defaults. */
  readonly logGroups?: (service: string) => readonly string[] | undefined;
  /** How often a followed log tail is polled (logTail.ts TAIL_POLL_MS unless said). */
  readonly logTailPollMs?: number;
  /** The language of the cockpit's own words, chosen once at start; @default the process's (--lang, config, locale). */
  readonly lang?: UiLang;
}

const HANDLERS = new Map<string, (c: CommandContext) => void>(COMMANDS.map((c) => [c.id, c.run]));

export class CockpitSession implements CommandContext, RouterHost {
  private current: CockpitState = INITIAL_STATE;
  private readonly listeners = new Set<() => void>();
  private cached?: SessionSnapshot;
  private batching = 0;
  private pending = false;
  private rows = 30;
  private quitting = false;
  private readonly derived;
  private lastLists?: SessionLists;
  private readonly memo = new SnapshotMemo();
  private readonly alarmFeed = new Feed<AlarmDetailData>(() => this.changed());
  private readonly signalsFeed = new Feed<TrendData>(() => this.changed());
  private readonly timelineFeed = new Feed<readonly TimelineEntry[]>(() => this.changed());
  private readonly handoffFeed = new Feed<HandoffReport>(() => this.changed());
  private readonly runbookLine = new KeyedValue<string>(() => this.changed());
  private roomSub?: { id: string; off: () => void };
  private scrollLimit = 0;
  private readonly listStates: Partial<Record<ListId, CockpitState['lists'][ListId]>> = {};
  private searched?: string;
  private lastOverview?: {
    alarms: readonly Alarm[] | undefined;
    incidents: readonly Incident[] | undefined;
    rows: readonly OverviewRow[];
  };
  private readonly offs: (() => void)[] = [];
  private readonly serviceFeeds: ServiceFeeds;
  /** The logs view's scroll limit last measured: a following tail goes to the end when it grows. */
  private logsMax = 0;
  /** The cockpit's own words in the language chosen at start. */
  readonly t: Translate;

  constructor(private readonly o: SessionOptions) {
    this.t = translator(o.lang ?? uiLang());
    const groups = o.logGroups ?? o.services?.o.logGroups;
    this.serviceFeeds = new ServiceFeeds(
      () => this.changed(),
      o.sources,
      (s) => groups?.(s),
      o.logTailPollMs,
    );
    this.derived = {
      alarms: new DerivedList(o.lists.alarms),
      services: new DerivedList(o.lists.services),
      incidents: new DerivedList(o.lists.incidents),
    };
    this.offs.push(o.live.subscribe(() => this.changed()));
    const timer = o.services?.alarmActionsTimer();
    if (timer) this.offs.push(timer.subscribe(() => this.changed()));
    // The team timeline: its state for the header; a teammate's events, as they are pulled, refresh the
    // handoff screen at once (rooms follow their own incident's events: live/room.ts).
    if (o.services) {
      this.offs.push(o.services.subscribeTeam(() => this.changed()));
      this.offs.push(o.services.onJournalChange((c) => void (c.origin === 'team' && this.handoffFeed.refresh())));
    }
  }

  // ---- what the view uses

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): SessionSnapshot => (this.cached ??= this.build());

  /** One key, by its name in the table's terms ("j", "return", "ctrl+r") and the text it types. */
  dispatch(key: DialogKey): void {
    this.batch(() => route(this, key));
  }

  /** Runs a command by id, as its key would (the `:` palette and tests use it). */
  command(id: CommandId): void {
    this.batch(() => this.run(id));
  }

  /**
   * What the long view in view measured after drawing: how far it can scroll (the scroll keys clamp to
   * it) and the lines holding the searched text (a new search jumps to the first).
   */
  readonly setScrollLayout = (layout: {
    readonly max: number;
    readonly hits: readonly number[];
    readonly search?: string;
  }): void => {
    this.scrollLimit = Math.max(0, layout.max);
    const jump =
      layout.search !== undefined &&
      layout.search !== this.searched &&
      layout.search === this.current.search?.toLowerCase();
    if (jump) this.searched = layout.search;
    if (layout.search === undefined) this.searched = undefined;
    // A following logs view goes to the end when lines come (k still scrolls back between them).
    const grew = this.current.screen === 'logs' && this.current.logView.follow && layout.max > this.logsMax;
    if (this.current.screen === 'logs') this.logsMax = layout.max;
    const to = grew ? layout.max : jump && layout.hits.length ? Math.max(0, layout.hits[0]! - 1) : this.current.scroll;
    if (to !== this.current.scroll || this.current.scroll > this.scrollLimit)
      this.batch(() => this.update({ type: 'scroll', to, max: this.scrollLimit }));
  };

  /** The terminal's height: page keys move by what fits. */
  setRows(rows: number): void {
    this.rows = rows;
  }

  close(): void {
    for (const off of this.offs.splice(0)) off();
    this.roomSub?.off();
    this.roomSub = undefined;
    for (const f of [this.alarmFeed, this.signalsFeed, this.timelineFeed, this.handoffFeed]) f.stop();
    this.serviceFeeds.stop();
  }

  // ---- RouterHost and CommandContext

  get state(): CockpitState {
    return this.current;
  }
  get bindings(): readonly Binding[] {
    return this.o.bindings;
  }
  get readonly(): boolean {
    return this.o.readonly;
  }

  update(action: CockpitAction): void {
    let next = reduce(this.current, action);
    // The cursor remembers the item it is on, so that it follows the item when the list re-sorts.
    if (action.type === 'move' && next !== this.current) {
      const selected = next.lists[action.list].selected;
      next = reduce(next, {
        type: 'follow',
        list: action.list,
        selected,
        id: this.lists()[action.list].items[selected]?.id,
      });
    }
    if (next === this.current) return;
    this.current = next;
    this.changed();
  }

  jumpTargets(): JumpTargets {
    const live = this.o.live.snapshot();
    return { incidents: live.incidents.data ?? [], alarms: live.alarms.data ?? [] };
  }

  /** The overview's rows: the alarms in ALARM in the alarm list's first order, then the open incidents (as the overview shows them). */
  overviewRows(): readonly OverviewRow[] {
    const live = this.o.live.snapshot();
    const l = this.lastOverview;
    if (l && l.alarms === live.alarms.data && l.incidents === live.incidents.data) return l.rows;
    const compare = this.o.lists.alarms.sorts[0]!.compare;
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
    const live = this.o.live.snapshot();
    if (row.list === 'alarms') {
      const item = live.alarms.data?.find((a) => a.id === row.id);
      return item ? { list: 'alarms', item } : undefined;
    }
    const item = live.incidents.data?.find((i) => i.id === row.id);
    return item ? { list: 'incidents', item } : undefined;
  }

  scrollMax(): number {
    return this.scrollLimit;
  }

  run(command: CommandId): void {
    HANDLERS.get(command)?.(this);
  }

  room(): Room | undefined {
    const id = this.current.room?.id;
    return id ? this.o.services?.openRooms().find((r) => r.id === id) : undefined;
  }

  count(list: ListId): number {
    return this.lists()[list].items.length;
  }
  sortCount(list: ListId): number {
    return this.derived[list].sortCount;
  }
  pageRows(): number {
    return Math.max(1, this.rows - 8);
  }
  selected(list: ListId): ListItem | undefined {
    const item = this.lists()[list].items[this.current.lists[list].selected];
    return item ? ({ list, item } as ListItem) : undefined;
  }
  target(list: ListId): ListItem | undefined {
    const d = this.current.detail;
    if (d?.list === list) {
      const item = this.detailItems()[list === 'alarms' ? 'alarm' : list === 'services' ? 'service' : 'incident'];
      if (item) return { list, item } as ListItem;
    }
    return this.selected(list);
  }

  copyItem(target: ListItem): void {
    const clip = this.o.clipboard;
    if (!clip) {
      this.flash(this.t('session.copyOff'), 'warning');
      return;
    }
    const { text, what } = copyTextFor(target, clip.links);
    clip.write(osc52(text));
    this.flash(this.t(what === 'link' ? 'session.copiedLink' : 'session.copiedId', { text: screenLine(text) }), 'info');
  }
  flash(text: string, level: Health): void {
    this.update({ type: 'flash', flash: { text, level } });
  }
  openDialog = (dialog: Dialog): void => {
    this.batch(() => this.update({ type: 'dialog', dialog }));
  };
  quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    this.changed();
    this.o.onQuit?.();
  }
  refreshAll(): void {
    void this.o.live.refreshAll();
  }

  runDialog(run: () => Promise<string>): void {
    this.update({ type: 'dialog', dialog: { kind: 'busy', title: this.t('session.working') } });
    run()
      .then((message) => {
        if (!message) return;
        this.batch(() => {
          this.update({ type: 'dialog', dialog: undefined });
          this.flash(message, 'ok');
        });
      })
      .catch((error: unknown) =>
        this.openDialog({
          kind: 'message',
          title: this.t('session.failed'),
          lines: [error instanceof Error ? error.message : String(error)],
          level: 'critical',
        }),
      );
  }

  openRoom(target: { alarm?: Alarm; incident?: Incident }, opts: { readonly ownRunbook?: boolean } = {}): void {
    const services = this.o.services;
    if (!services) return this.flash(this.t('session.roomsNeedJournal'), 'warning');
    this.flash(this.t('session.openingRoom'), 'info');
    const live = this.o.live.snapshot();
    services
      .openRoom(target, { incidents: live.incidents.data ?? [], alarms: live.alarms.data ?? [] }, opts)
      .then((r) =>
        this.batch(() => {
          this.update({ type: 'flash', flash: undefined });
          this.update({ type: 'room', room: { id: r.id, input: EMPTY_INPUT } });
        }),
      )
      .catch((e: unknown) =>
        this.openDialog({
          kind: 'message',
          title: this.t('session.cannotOpenRoom'),
          lines: [e instanceof Error ? e.message : String(e)],
          level: 'warning',
        }),
      );
  }

  roomCommand(command: string): void {
    const room = this.room();
    if (room) applyRoomKey(this, room, { name: '', input: '' }, command as CommandId);
  }

  itemAction(command: string, target: ListItem): void {
    const live = this.o.live;
    itemAction(
      {
        sources: this.o.sources,
        services: this.o.services,
        policy: this.o.policy,
        live: live.snapshot(),
        readonly: this.o.readonly,
        openDialog: this.openDialog,
        afterAlarmChange: async () => void (await live.refreshAll()),
        afterServiceChange: async () => void (await live.services.refresh()),
        afterIncidentChange: async () =>
          void (await Promise.all([live.incidents.refresh(), this.timelineFeed.refresh()])),
      },
      command,
      target,
    );
  }

  handoffNote(): void {
    const services = this.o.services;
    if (!services) return;
    this.openDialog({
      kind: 'input',
      title: this.t('session.handoffNote'),
      prompt: this.t('session.handoffPrompt'),
      value: '',
      submit: async (text) => {
        await services.addHandoffNote(text);
        await this.handoffFeed.refresh();
        return this.t('session.handoffRecorded');
      },
    });
  }

  handoffAck(): void {
    const services = this.o.services;
    if (!services) return;
    this.runDialog(async () => {
      const n = await services.acknowledgeHandoffs();
      await this.handoffFeed.refresh();
      return n ? `Acknowledged ${n} handoff note${n > 1 ? 's' : ''}` : 'Nothing to acknowledge';
    });
  }

  // ---- inside

  private batch(fn: () => void): void {
    this.batching += 1;
    try {
      fn();
    } finally {
      this.batching -= 1;
      if (this.batching === 0 && this.pending) {
        this.pending = false;
        this.emit();
      }
    }
  }

  private changed(): void {
    this.cached = undefined;
    if (this.batching) this.pending = true;
    else this.emit();
  }

  private emit(): void {
    this.syncFeeds();
    for (const l of [...this.listeners]) l();
  }

  private lists(): SessionLists {
    const live = this.o.live.snapshot();
    const s = this.current.lists;
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
    let state = this.current;
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
    if (state !== this.current) {
      this.current = state;
      this.cached = undefined;
    }
  }

  private detailItems(): SessionSnapshot['detail'] {
    const d = this.current.detail;
    if (!d) return {};
    const live = this.o.live.snapshot();
    if (d.list === 'alarms') return { alarm: live.alarms.data?.find((a) => a.id === d.id) };
    if (d.list === 'services') return { service: live.services.data?.find((s) => s.id === d.id) };
    return { incident: live.incidents.data?.find((i) => i.id === d.id) };
  }

  /** The pollers of what is in view follow the state: started when a detail opens, stopped when it closes. */
  private syncFeeds(): void {
    const { sources, policy, services, live } = this.o;
    const d = this.detailItems();
    const alarmsOk = live.snapshot().alarms.health.state === 'ok';
    const a = d.alarm;
    this.alarmFeed.sync(
      a ? `alarm:${a.id}:${alarmsOk}` : undefined,
      a ? () => alarmDetailFetcher(sources, policy, a) : undefined,
      alarmsOk ? 5_000 : 15_000,
    );
    this.timelineFeed.sync(
      d.incident ? `incident:${d.incident.id}` : undefined,
      d.incident ? () => incidentTimelineFetcher(sources, d.incident!.id) : undefined,
      5_000,
    );
    this.signalsFeed.sync(
      d.service ? `signals:${d.service.id}` : undefined,
      d.service ? () => live.serviceSignals(d.service!.name) : undefined,
      60_000,
    );
    const wantsHandoff =
      !this.current.room &&
      (screenSpec(this.current.screen).data as readonly string[] | undefined)?.includes('handoff') &&
      services;
    this.handoffFeed.sync(
      wantsHandoff ? 'handoff' : undefined,
      services ? () => () => services.handoff() : undefined,
      60_000,
    );
    this.runbookLine.sync(
      services && a ? a.id : undefined,
      services && a
        ? () =>
            services
              .runbookFor({ alarm: a })
              .then((r) =>
                r
                  ? `${r.runbook.id} — ${this.t.lang === 'ja' && r.runbook.titleJa ? r.runbook.titleJa : inLanguage(r.runbook.title)}`
                  : undefined,
              )
        : undefined,
    );
    this.serviceFeeds.sync(this.current);
    if (this.current.screen !== 'logs') this.logsMax = 0;
    const roomId = this.current.room?.id;
    if (this.roomSub?.id !== roomId) {
      this.roomSub?.off();
      this.roomSub = undefined;
      const room = this.room();
      if (roomId && room) this.roomSub = { id: roomId, off: room.subscribe(() => this.changed()) };
    }
  }

  private build(): SessionSnapshot {
    const live = this.o.live.snapshot();
    // The lists first: a list that re-sorted moves its cursor to follow its item (follow above).
    const lists = this.lists();
    const state = this.current;
    const scopes = this.memo.hints(this.o.bindings, scopesFor(state), this.t);
    return {
      state,
      live,
      lists,
      overview: this.overviewRows(),
      scopes: scopes.scopes,
      hints: scopes.hints,
      ...this.memo.counts(live),
      detail: this.detailItems(),
      alarmDetail: this.alarmFeed.snapshot(),
      serviceSignals: this.signalsFeed.snapshot(),
      timeline: this.timelineFeed.snapshot(),
      runbook: this.runbookLine.get(),
      handoff: this.handoffFeed.snapshot(),
      service: this.serviceFeeds.snapshot(state.logView.filter),
      roomView: this.room()?.view(),
      muted: this.memo.muted(this.o.services?.alarmActionsTimer()?.snapshot()),
      hasJournal: this.o.services !== undefined,
      quit: this.quitting,
      ...(this.o.services?.team() ? { team: this.o.services.team()! } : {}),
      t: this.t,
    };
  }
}
