/**
 * The cockpit session: the cockpit's state machine, in core. Keys come in (`dispatch`), go through the
 * router's layers (router.ts) to the commands' handlers (commands.ts), which change the state (state.ts)
 * or hand side effects to core services (sessionEffects.ts: the action engine, the journal, incident
 * rooms). The view subscribes and renders `snapshot()`, which stays the same object until something
 * changes and is made of slices that stay the same objects until they change (a cursor move leaves every
 * list, the counts and the hints as they were: liveLists.ts, snapshot.ts), so a view memoised on a slice
 * re-renders only what changed. What is in view is polled while it is (detailFeeds.ts, serviceFeeds.ts).
 */
import { uiLang } from '../lang.js';
import { translator, type Translate } from '../i18n/index.js';
import type { Alarm, Health, Incident } from '../model.js';
import type { Room } from '../live/room.js';
import type { Binding, CommandId } from './bindings.js';
import { COMMANDS } from './commands.js';
import type { CommandContext, ListItem } from './context.js';
import { DetailFeeds } from './detailFeeds.js';
import type { Dialog, DialogKey } from './dialog.js';
import { LiveLists } from './liveLists.js';
import { ServiceFeeds } from './serviceFeeds.js';
import { SessionEffects } from './sessionEffects.js';
import type { SessionOptions } from './sessionOptions.js';
import { SnapshotMemo, type SessionSnapshot } from './snapshot.js';
import { applyRoomKey, route, type RouterHost } from './router.js';
import type { ListId } from './screens.js';
import type { JumpTargets } from './palette.js';
import { roomTyping } from './roomKeys.js';
import { INITIAL_STATE, reduce, scopesFor, type CockpitAction, type CockpitState, type OverviewRow } from './state.js';

/** The room's keys that mean nothing for what it asks now: y/t/n belong to a plan, s to a wait. */
function roomHidden(view: ReturnType<Room['view']> | undefined): readonly CommandId[] {
  if (!view) return [];
  const plan = view.pending?.kind === 'confirm';
  return [
    ...(plan ? [] : (['room.apply', 'room.dryRun', 'room.decline'] as const)),
    ...(view.runner.waiting ? [] : (['room.skipWait'] as const)),
  ];
}

export type { MutedAlarms, SessionLists, SessionSnapshot } from './snapshot.js';
export type { SessionOptions } from './sessionOptions.js';

const HANDLERS = new Map<string, (c: CommandContext) => void>(COMMANDS.map((c) => [c.id, c.run]));

export class CockpitSession implements CommandContext, RouterHost {
  private current: CockpitState = INITIAL_STATE;
  private readonly listeners = new Set<() => void>();
  private cached?: SessionSnapshot;
  private batching = 0;
  private pending = false;
  private rows = 30;
  private quitting = false;
  private readonly memo = new SnapshotMemo();
  private readonly lists: LiveLists;
  private readonly feeds: DetailFeeds;
  private readonly effects: SessionEffects;
  private roomSub?: { id: string; off: () => void };
  private scrollLimit = 0;
  private searched?: string;
  private readonly offs: (() => void)[] = [];
  private readonly serviceFeeds: ServiceFeeds;
  /** The logs view's scroll limit last measured: a following tail goes to the end when it grows. */
  private logsMax = 0;
  /** The cockpit's own words in the language chosen at start. */
  readonly t: Translate;

  constructor(private readonly o: SessionOptions) {
    this.t = translator(o.lang ?? uiLang());
    const groups = o.logGroups ?? o.services?.o.logGroups;
    this.feeds = new DetailFeeds(o, () => this.changed());
    this.serviceFeeds = new ServiceFeeds(
      () => this.changed(),
      o.sources,
      (s) => groups?.(s),
      o.logTailPollMs,
    );
    this.lists = new LiveLists(o.live, o.lists, {
      state: () => this.current,
      follow: (state) => {
        this.current = state;
        this.cached = undefined;
      },
    });
    this.effects = new SessionEffects(o, this.feeds, {
      update: (a) => this.update(a),
      flash: (text, level) => this.flash(text, level),
      openDialog: this.openDialog,
      t: this.t,
      batch: (fn) => this.batch(fn),
    });
    this.offs.push(o.live.subscribe(() => this.changed()));
    const timer = o.services?.alarmActionsTimer();
    if (timer) this.offs.push(timer.subscribe(() => this.changed()));
    // The team timeline: its state for the header; a teammate's events, as they are pulled, refresh the
    // handoff screen at once (rooms follow their own incident's events: live/room.ts).
    if (o.services) {
      this.offs.push(o.services.subscribeTeam(() => this.changed()));
      this.offs.push(o.services.onJournalChange((c) => void (c.origin === 'team' && this.feeds.handoff.refresh())));
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
    this.feeds.stop();
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
        id: this.lists.lists()[action.list].items[selected]?.id,
      });
    }
    if (next === this.current) return;
    this.current = next;
    this.changed();
  }

  jumpTargets(): JumpTargets {
    return this.lists.jumpTargets();
  }
  overviewRows(): readonly OverviewRow[] {
    return this.lists.overviewRows();
  }
  overviewItem(row: OverviewRow): ListItem | undefined {
    return this.lists.overviewItem(row);
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
    return this.lists.lists()[list].items.length;
  }
  sortCount(list: ListId): number {
    return this.lists.sortCount(list);
  }
  pageRows(): number {
    return Math.max(1, this.rows - 8);
  }
  selected(list: ListId): ListItem | undefined {
    const item = this.lists.lists()[list].items[this.current.lists[list].selected];
    return item ? ({ list, item } as ListItem) : undefined;
  }
  target(list: ListId): ListItem | undefined {
    const d = this.current.detail;
    if (d?.list === list) {
      const item = this.lists.detailItems()[list === 'alarms' ? 'alarm' : list === 'services' ? 'service' : 'incident'];
      if (item) return { list, item } as ListItem;
    }
    return this.selected(list);
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
  roomCommand(command: string): void {
    const room = this.room();
    if (room) applyRoomKey(this, room, { name: '', input: '' }, command as CommandId);
  }

  copyItem(target: ListItem): void {
    this.effects.copyItem(target);
  }
  runDialog(run: () => Promise<string>): void {
    this.effects.runDialog(run);
  }
  openRoom(target: { alarm?: Alarm; incident?: Incident }, opts: { readonly ownRunbook?: boolean } = {}): void {
    this.effects.openRoom(target, opts);
  }
  itemAction(command: string, target: ListItem): void {
    this.effects.itemAction(command, target);
  }
  handoffNote(): void {
    this.effects.handoffNote();
  }
  handoffAck(): void {
    this.effects.handoffAck();
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

  /** The pollers of what is in view follow the state: started when it comes into view, stopped when it goes. */
  private syncFeeds(): void {
    this.feeds.sync(this.current, this.lists.detailItems());
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
    // The lists first: a list that re-sorted moves its cursor to follow its item (liveLists.ts follow).
    const lists = this.lists.lists();
    const state = this.current;
    const roomView = this.room()?.view();
    // While the room takes typed text every key is a letter: the footer offers no command (the question
    // itself says ⏎ and Esc), never `y apply` beside a value being typed.
    const typing = state.room !== undefined && roomView !== undefined && roomTyping(roomView, this.o.readonly);
    const scopes = this.memo.hints(this.o.bindings, typing ? [] : scopesFor(state), this.t, roomHidden(roomView));
    return {
      state,
      live,
      lists,
      overview: this.lists.overviewRows(),
      scopes: scopes.scopes,
      hints: scopes.hints,
      ...this.memo.counts(live),
      detail: this.lists.detailItems(),
      alarmDetail: this.feeds.alarm.snapshot(),
      serviceSignals: this.feeds.signals.snapshot(),
      timeline: this.feeds.timeline.snapshot(),
      runbook: this.feeds.runbookLine.get(),
      handoff: this.feeds.handoff.snapshot(),
      service: this.serviceFeeds.snapshot(state.logView.filter),
      roomView,
      muted: this.memo.muted(this.o.services?.alarmActionsTimer()?.snapshot()),
      hasJournal: this.o.services !== undefined,
      quit: this.quitting,
      ...(this.o.services?.team() ? { team: this.o.services.team()! } : {}),
      t: this.t,
    };
  }
}
