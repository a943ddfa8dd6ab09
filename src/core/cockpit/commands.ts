/**
 * Keybindings are data, and so are their handlers: one table of commands with dotted ids, default keys,
 * a description, the scope the key lives in, and what the command does (`run`). The help screen and the
 * footer's hints are generated from it; users override keys in their config (`keys: { "incident.ack":
 * ["a", "A"] }`); the command union (CommandId) is derived from it. Actions that change the world are
 * marked, so that read-only mode can drop them everywhere at once. Adding a command is one entry here
 * (plus its view, if it shows something new); the session's keystroke tests fail until it has a test.
 */
import type { Alarm, Incident, Service } from '../model.js';
import type { CommandContext } from './context.js';
import { TAB_SCREENS, listOf, type ListId, type Scope } from './screens.js';
import { overviewAt } from './state.js';

export interface CommandSpec {
  readonly id: string;
  readonly keys: readonly string[];
  readonly description: string;
  readonly scope: Scope;
  /** Shown in the footer. */
  readonly hint?: string;
  /** Changes the world: absent in read-only mode. */
  readonly action?: boolean;
  readonly run: (c: CommandContext) => void;
}

/** Runs `then` with the list in view (commands of a list scope do nothing elsewhere). */
const onList = (then: (c: CommandContext, list: ListId) => void) => (c: CommandContext) => {
  const list = listOf(c.state.screen);
  if (list) then(c, list);
};
const move = (to: (at: number, c: CommandContext, list: ListId) => number) =>
  onList((c, list) =>
    c.update({ type: 'move', list, to: to(c.state.lists[list].selected, c, list), count: c.count(list) }),
  );
/** An action on the item in view (the detail's, else the selected row's), on the list it belongs to. */
const onItem = (list: ListId) => (c: CommandContext, id: string) => {
  if (listOf(c.state.screen) !== list) return;
  const target = c.target(list);
  if (target) c.itemAction(id, target);
};
const item = (list: ListId, id: string) => (c: CommandContext) => onItem(list)(c, id);
const room = (id: string) => (c: CommandContext) => c.roomCommand(id);
/** The overview's cursor row (overviewAt): an incident row pages while its incident is triggered. */
const overviewCursor = (c: CommandContext) =>
  overviewAt(c.state.overview, c.overviewRows(), (row) => {
    const it = c.overviewItem(row);
    return it?.list === 'incidents' && it.item.status === 'triggered';
  });
const overviewMove = (to: (at: number, c: CommandContext) => number) => (c: CommandContext) =>
  c.update({ type: 'overview', to: to(overviewCursor(c), c), count: c.overviewRows().length });
const overviewRow = (c: CommandContext) => {
  const row = c.overviewRows()[overviewCursor(c)];
  return row ? c.overviewItem(row) : undefined;
};
/** Opens a screen about the service in view (the detail's, else the selected row's). */
const serviceScreen = (screen: 'logs' | 'traces') =>
  onList((c, list) => {
    const service = list === 'services' ? (c.target(list)?.item as Service | undefined) : undefined;
    if (service) c.update({ type: 'subject', screen, service: service.name });
  });
const scroll = (to: (at: number, c: CommandContext) => number) => (c: CommandContext) =>
  c.update({ type: 'scroll', to: to(c.state.scroll, c), max: c.scrollMax() });

const SCREEN_COMMANDS = TAB_SCREENS.map((s) => ({
  id: `screen.${s.id}` as const,
  keys: [s.key],
  description: s.title,
  scope: 'global' as const,
  run: (c: CommandContext) => c.update({ type: 'goto', screen: s.id }),
}));

export const COMMANDS = [
  {
    id: 'app.quit',
    keys: ['q', 'ctrl+c'],
    description: 'quit (the terminal is restored)',
    scope: 'global',
    hint: 'quit',
    run: (c) => c.quit(),
  },
  {
    id: 'app.help',
    keys: ['?'],
    description: 'this help',
    scope: 'global',
    hint: 'help',
    run: (c) => c.update({ type: 'goto', screen: 'help' }),
  },
  {
    id: 'app.command',
    keys: [':'],
    description: 'go to a screen (:inc, Tab completes) or jump to an incident (:1042, :PSB…) or an alarm by name',
    scope: 'global',
    run: (c) => c.update({ type: 'edit', editing: { kind: 'command', value: '' } }),
  },
  {
    // A screen reached by a number key or `:` is a place too: Esc walks back, as it does from a detail.
    id: 'app.back',
    keys: ['escape'],
    description: 'back where you came from (a screen reached by :name or a number key)',
    scope: 'global',
    run: (c) => c.update({ type: 'back' }),
  },
  {
    id: 'app.refresh',
    keys: ['ctrl+r'],
    description: 'refresh every source now',
    scope: 'global',
    run: (c) => {
      c.flash(c.t('session.refreshing'), 'info');
      c.refreshAll();
    },
  },
  ...SCREEN_COMMANDS,
  {
    id: 'handoff.note',
    keys: ['n'],
    description: 'add a handoff note (outgoing responder)',
    scope: 'handoff',
    hint: 'note',
    run: (c) => c.handoffNote(),
  },
  {
    id: 'handoff.ack',
    keys: ['a'],
    description: 'acknowledge the handoff (incoming responder)',
    scope: 'handoff',
    hint: 'acknowledge',
    run: (c) => c.handoffAck(),
  },
  {
    id: 'overview.up',
    keys: ['up', 'k'],
    description: 'previous row (alarms in ALARM, then open incidents)',
    scope: 'overview',
    run: overviewMove((at) => at - 1),
  },
  {
    id: 'overview.down',
    keys: ['down', 'j'],
    description: 'next row',
    scope: 'overview',
    run: overviewMove((at) => at + 1),
  },
  {
    id: 'overview.top',
    keys: ['g', 'home'],
    description: 'first row',
    scope: 'overview',
    run: overviewMove(() => 0),
  },
  {
    id: 'overview.bottom',
    keys: ['G', 'end'],
    description: 'last row',
    scope: 'overview',
    run: overviewMove((_, c) => c.overviewRows().length - 1),
  },
  {
    id: 'overview.open',
    keys: ['return', 'l'],
    description: "open the row's detail (Esc comes back here)",
    scope: 'overview',
    hint: 'open',
    run: (c) => {
      const it = overviewRow(c);
      if (it) c.update({ type: 'open', list: it.list, id: it.item.id });
    },
  },
  {
    id: 'overview.room',
    keys: ['r'],
    description:
      "open the incident room for the row's alarm (its incident's room, on the alarm's own runbook) or incident",
    scope: 'overview',
    hint: 'room',
    run: (c) => {
      const it = overviewRow(c);
      // An alarm's row: its incident's room, working that alarm's own runbook (the room switches to it when
      // it followed another alarm of the incident; the journal keeps both).
      if (it?.list === 'alarms') c.openRoom({ alarm: it.item }, { ownRunbook: true });
      else if (it?.list === 'incidents') c.openRoom({ incident: it.item });
    },
  },
  { id: 'view.up', keys: ['up', 'k'], description: 'scroll up a line', scope: 'scroll', run: scroll((at) => at - 1) },
  {
    id: 'view.down',
    keys: ['down', 'j'],
    description: 'scroll down a line',
    scope: 'scroll',
    run: scroll((at) => at + 1),
  },
  {
    id: 'view.pageUp',
    keys: ['pageup', 'ctrl+b'],
    description: 'scroll up a page',
    scope: 'scroll',
    run: scroll((at, c) => at - c.pageRows()),
  },
  {
    id: 'view.pageDown',
    keys: ['pagedown', 'ctrl+f', 'space'],
    description: 'scroll down a page',
    scope: 'scroll',
    run: scroll((at, c) => at + c.pageRows()),
  },
  { id: 'view.top', keys: ['g', 'home'], description: 'to the top', scope: 'scroll', run: scroll(() => 0) },
  {
    id: 'view.bottom',
    keys: ['G', 'end'],
    description: 'to the end',
    scope: 'scroll',
    run: scroll((_, c) => c.scrollMax()),
  },
  {
    id: 'view.search',
    keys: ['/'],
    description: 'search the text in view (it scrolls to the first line that has it)',
    scope: 'scroll',
    hint: 'search',
    run: (c) => c.update({ type: 'edit', editing: { kind: 'search', value: c.state.search ?? '' } }),
  },
  { id: 'nav.up', keys: ['up', 'k'], description: 'previous row', scope: 'list', run: move((at) => at - 1) },
  { id: 'nav.down', keys: ['down', 'j'], description: 'next row', scope: 'list', run: move((at) => at + 1) },
  {
    id: 'nav.pageUp',
    keys: ['pageup', 'ctrl+b'],
    description: 'page up',
    scope: 'list',
    run: move((at, c) => at - c.pageRows()),
  },
  {
    id: 'nav.pageDown',
    keys: ['pagedown', 'ctrl+f', 'space'],
    description: 'page down',
    scope: 'list',
    run: move((at, c) => at + c.pageRows()),
  },
  { id: 'nav.top', keys: ['g', 'home'], description: 'first row', scope: 'list', run: move(() => 0) },
  {
    id: 'nav.bottom',
    keys: ['G', 'end'],
    description: 'last row',
    scope: 'list',
    run: move((_, c, list) => c.count(list) - 1),
  },
  {
    id: 'nav.open',
    keys: ['return', 'l'],
    description: 'open the detail',
    scope: 'list',
    hint: 'open',
    run: onList((c, list) => {
      const row = c.selected(list);
      if (row) c.update({ type: 'open', list, id: row.item.id });
    }),
  },
  {
    id: 'nav.back',
    keys: ['escape', 'h'],
    description: 'back',
    scope: 'detail',
    hint: 'back',
    run: (c) => c.update({ type: 'back' }),
  },
  {
    id: 'detail.copy',
    keys: ['y'],
    description: 'copy the link (AWS console, PagerDuty) or the id of the item in view to the clipboard',
    scope: 'detail',
    hint: 'copy',
    run: onList((c, list) => {
      const target = c.target(list);
      if (target) c.copyItem(target);
    }),
  },
  {
    id: 'list.filter',
    keys: ['/'],
    description: 'filter by regex (start with ! to invert)',
    scope: 'list',
    hint: 'filter',
    run: onList((c, list) =>
      c.update({ type: 'edit', editing: { kind: 'filter', value: c.state.lists[list].filter } }),
    ),
  },
  {
    id: 'list.sort',
    keys: ['s'],
    description: 'sort by the next column',
    scope: 'list',
    hint: 'sort',
    run: onList((c, list) => c.update({ type: 'sort', list, sorts: c.sortCount(list) })),
  },
  {
    id: 'list.reverse',
    keys: ['S'],
    description: 'reverse the sort',
    scope: 'list',
    run: onList((c, list) => c.update({ type: 'sort', list, sorts: 1, reverse: true })),
  },
  {
    id: 'alarm.room',
    keys: ['r'],
    description: 'open the incident room for this alarm (its runbook, step by step)',
    scope: 'alarms',
    hint: 'room',
    run: onList((c, list) => {
      const alarm = list === 'alarms' ? (c.target(list)?.item as Alarm | undefined) : undefined;
      if (alarm) c.openRoom({ alarm });
    }),
  },
  {
    id: 'alarm.ownRunbook',
    keys: ['O'],
    description:
      "work this alarm's own runbook in its incident's room (when the incident's room follows another alarm's; the journal keeps both)",
    scope: 'alarms',
    run: onList((c, list) => {
      const alarm = list === 'alarms' ? (c.target(list)?.item as Alarm | undefined) : undefined;
      if (alarm) c.openRoom({ alarm }, { ownRunbook: true });
    }),
  },
  {
    id: 'alarm.silence',
    keys: ['m'],
    description:
      'mute: stop this alarm paging for a while (CloudWatch: its actions off; Alertmanager: a silence), saying why',
    scope: 'alarms',
    hint: 'mute',
    action: true,
    run: item('alarms', 'alarm.silence'),
  },
  {
    id: 'incident.room',
    keys: ['r'],
    description: 'open the incident room (the runbook, step by step)',
    scope: 'incidents',
    hint: 'room',
    run: onList((c, list) => {
      const incident = list === 'incidents' ? (c.target(list)?.item as Incident | undefined) : undefined;
      if (incident) c.openRoom({ incident });
    }),
  },
  {
    id: 'room.apply',
    keys: ['y'],
    description: "apply the planned action (type the target's name when asked)",
    scope: 'room',
    hint: 'apply',
    action: true,
    run: room('room.apply'),
  },
  {
    id: 'room.dryRun',
    keys: ['t'],
    description: 'record the planned action as a dry run, change nothing',
    scope: 'room',
    hint: 'dry run',
    run: room('room.dryRun'),
  },
  {
    id: 'room.decline',
    keys: ['n'],
    description: 'decline the planned action',
    scope: 'room',
    hint: 'decline',
    run: room('room.decline'),
  },
  {
    id: 'room.skipWait',
    keys: ['s'],
    description: 'stop waiting (for a check or a verification) and go on',
    scope: 'room',
    hint: 'skip wait',
    run: room('room.skipWait'),
  },
  {
    id: 'room.stop',
    keys: ['x'],
    description: 'stop working the runbook (the journal keeps where it was)',
    scope: 'room',
    run: room('room.stop'),
  },
  { id: 'room.go', keys: ['g'], description: 'go on working the runbook', scope: 'room', run: room('room.go') },
  {
    id: 'room.retry',
    keys: ['r'],
    description: 'do the failed step again (an action that failed, was declined or only dry-run; a check with no data)',
    scope: 'room',
    hint: 'retry',
    action: true,
    run: room('room.retry'),
  },
  {
    id: 'room.note',
    keys: ['w'],
    description: 'write a note now (one skipped, or a required one still missing)',
    scope: 'room',
    hint: 'write note',
    run: room('room.note'),
  },
  {
    id: 'room.fold',
    keys: ['f'],
    description: 'unfold every phase (finished ones fold to one line) or fold them again',
    scope: 'room',
    run: room('room.fold'),
  },
  {
    id: 'room.outputUp',
    keys: ['['],
    description: "scroll a command's output back",
    scope: 'room',
    run: room('room.outputUp'),
  },
  {
    id: 'room.outputDown',
    keys: [']'],
    description: "scroll a command's output forward",
    scope: 'room',
    run: room('room.outputDown'),
  },
  {
    id: 'room.evidence',
    keys: ['e'],
    description: 'show or hide the log lines and traces behind the findings',
    scope: 'room',
    hint: 'evidence',
    run: room('room.evidence'),
  },
  {
    id: 'service.logs',
    keys: ['l'],
    description: "the service's logs: a live tail (f follows), / filters, p groups them into patterns",
    scope: 'services',
    hint: 'logs',
    run: serviceScreen('logs'),
  },
  {
    id: 'service.traces',
    keys: ['x'],
    description: "the service's traces: the slowest and failing of the last 30 min, their critical paths",
    scope: 'services',
    hint: 'traces',
    run: serviceScreen('traces'),
  },
  {
    id: 'logs.follow',
    keys: ['f'],
    description: 'follow the tail (new lines every few seconds, the view at the end) or stop following',
    scope: 'logs',
    hint: 'follow',
    // Following again goes to the end (the view clamps the scroll to what it holds).
    run: (c) =>
      c.update({
        type: 'logView',
        change: { follow: !c.state.logView.follow },
        ...(c.state.logView.follow ? {} : { scroll: Number.MAX_SAFE_INTEGER }),
      }),
  },
  {
    id: 'logs.filter',
    keys: ['/'],
    description: 'show only the lines holding a text (case-insensitive)',
    scope: 'logs',
    hint: 'filter',
    run: (c) => c.update({ type: 'edit', editing: { kind: 'filter', value: c.state.logView.filter } }),
  },
  {
    id: 'logs.patterns',
    keys: ['p'],
    description: 'group the last 30 min into patterns (counts, trend against the 30 min before) or show the lines',
    scope: 'logs',
    hint: 'patterns',
    run: (c) => c.update({ type: 'logView', change: { patterns: !c.state.logView.patterns }, scroll: 0 }),
  },
  {
    id: 'service.scale',
    keys: ['d'],
    description: 'set the desired count (scale the service)',
    scope: 'services',
    hint: 'scale',
    action: true,
    run: item('services', 'service.scale'),
  },
  {
    id: 'service.limits',
    keys: ['m'],
    description: 'set the autoscaling min and max',
    scope: 'services',
    hint: 'limits',
    action: true,
    run: item('services', 'service.limits'),
  },
  {
    id: 'service.redeploy',
    keys: ['D'],
    description: 'force a new deployment (replace every task)',
    scope: 'services',
    hint: 'redeploy',
    action: true,
    run: item('services', 'service.redeploy'),
  },
  {
    id: 'service.rollback',
    keys: ['b'],
    description: 'roll back to the previous task definition',
    scope: 'services',
    hint: 'roll back',
    action: true,
    run: item('services', 'service.rollback'),
  },
  {
    id: 'incident.ack',
    keys: ['a'],
    description: 'acknowledge the incident',
    scope: 'incidents',
    hint: 'ack',
    action: true,
    run: item('incidents', 'incident.ack'),
  },
  {
    id: 'incident.snooze',
    keys: ['z'],
    description: 'snooze the acknowledged incident (triggered again after the time chosen)',
    scope: 'incidents',
    hint: 'snooze',
    action: true,
    run: item('incidents', 'incident.snooze'),
  },
  {
    id: 'incident.resolve',
    keys: ['R'],
    description: 'resolve the incident',
    scope: 'incidents',
    hint: 'resolve',
    action: true,
    run: item('incidents', 'incident.resolve'),
  },
  {
    id: 'incident.escalate',
    keys: ['e'],
    description: 'escalate to a level',
    scope: 'incidents',
    hint: 'escalate',
    action: true,
    run: item('incidents', 'incident.escalate'),
  },
  {
    id: 'incident.reassign',
    keys: ['o'],
    description: 'reassign (change owner)',
    scope: 'incidents',
    hint: 'reassign',
    action: true,
    run: item('incidents', 'incident.reassign'),
  },
  {
    id: 'incident.note',
    keys: ['n'],
    description: 'add a note',
    scope: 'incidents',
    hint: 'note',
    action: true,
    run: item('incidents', 'incident.note'),
  },
] as const satisfies readonly CommandSpec[];

/** Every command the cockpit knows, as a type: a handler, a binding or a test for an unknown id does not compile. */
export type CommandId = (typeof COMMANDS)[number]['id'];
