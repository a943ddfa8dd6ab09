import type { Alarm, Health, Incident, Service } from '../model.js';
import type { Dialog } from './dialog.js';
import type { ListId } from './screens.js';
import type { CockpitAction, CockpitState, OverviewRow } from './state.js';
import type { Translate } from '../i18n/index.js';

/** The item a command acts on, tagged with its list. */
export type ListItem =
  | { readonly list: 'alarms'; readonly item: Alarm }
  | { readonly list: 'services'; readonly item: Service }
  | { readonly list: 'incidents'; readonly item: Incident };

/**
 * What a command handler sees: the session's state as of this key and the few things a handler may do.
 * Handlers are data (commands.ts); the session implements this, tests drive it through keys.
 */
export interface CommandContext {
  readonly state: CockpitState;
  readonly readonly: boolean;
  update(action: CockpitAction): void;
  /** How many rows the list shows (after its filter). */
  count(list: ListId): number;
  /** How many orders the list can be sorted in. */
  sortCount(list: ListId): number;
  /** Rows a page key moves. */
  pageRows(): number;
  /** The open detail's item, else the selected row's. */
  target(list: ListId): ListItem | undefined;
  /** The selected row's item (never the detail's). */
  selected(list: ListId): ListItem | undefined;
  /** The overview's rows under its cursor, and the item of one (undefined when it is gone). */
  overviewRows(): readonly OverviewRow[];
  overviewItem(row: OverviewRow): ListItem | undefined;
  /** How far the long view in view can scroll (what its view measured). */
  scrollMax(): number;
  /** The cockpit's own words in the session's language, for what a handler says. */
  readonly t: Translate;
  flash(text: string, level: Health): void;
  openDialog(dialog: Dialog): void;
  quit(): void;
  refreshAll(): void;
  /** Opens (or returns to) the incident room for an alarm or an incident. */
  openRoom(target: { alarm?: Alarm; incident?: Incident }, opts?: { readonly ownRunbook?: boolean }): void;
  /** A room command (room.apply, room.go…) on the room in view, through its key rules (roomKeys.ts). */
  roomCommand(command: string): void;
  /** The world-changing actions on an item (mute, scale, acknowledge…), each through the action engine. */
  itemAction(command: string, target: ListItem): void;
  /** The handoff screen's actions, through the journal. */
  handoffNote(): void;
  handoffAck(): void;
  /** Copies the item's link (else its id) to the clipboard through the terminal (OSC 52), when links are on. */
  copyItem(target: ListItem): void;
}
