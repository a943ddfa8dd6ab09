import { Box, Text, useApp, useInput } from 'ink';
import React, { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Alarm, Incident, Service } from '../core/model.js';
import { alarmDetailFetcher, incidentTimelineFetcher } from '../core/live/detail.js';
import type { LiveModel } from '../core/live/model.js';
import type { Policy } from '../core/policy/types.js';
import { alarmCounts } from '../core/status.js';
import type { Sources } from '../sources/ports.js';
import type { CockpitServices } from '../core/live/services.js';
import { EMPTY_INPUT, roomKey, roomTyping } from './room.js';
import { Banner, Footer } from './components/Chrome.js';
import { DialogBox, dialogKey, edit, type Dialog } from './components/Dialog.js';
import { useDetail, useLiveSnapshot, useTerminalSize, useTick } from './hooks/useLive.js';
import { useItemActions, type ListItem } from './hooks/useItemActions.js';
import { chunkKeys, commandFor, hints, keyName, type Binding, type KeyEvent } from './keys.js';
import { ALARM_SORTS, alarmHaystack } from './render/alarms.js';
import { INCIDENT_SORTS, incidentHaystack } from './render/incidents.js';
import { SERVICE_SORTS, serviceHaystack } from './render/services.js';
import { commandLine, INITIAL_STATE, listOf, reduce, SCREENS, scopesFor, type ScreenId, type UiAction, type UiState } from './state.js';
import { ScreenBody } from './views/ScreenBody.js';
import type { Theme } from './theme.js';
import { useList, useRoomView, useRunbookLine } from './hooks/useCockpitData.js';

const NO_TEAM = () => () => undefined;
import { useMutedAlarms } from './hooks/useMutedAlarms.js';

export interface AppProps {
  readonly live: LiveModel;
  readonly sources: Sources;
  readonly policy: Policy;
  readonly bindings: readonly Binding[];
  readonly readonly: boolean;
  readonly theme: Theme;
  /** A line about where the data comes from, e.g. the sandbox's scenario and speed. */
  readonly context?: string;
  /** The journal, runbooks, the action engine and incident rooms (loaded when first needed). */
  readonly services?: CockpitServices;
  /** Real time (tests pass their own). */
  readonly wallClock?: () => number;
}

export function App(props: AppProps): React.ReactElement {
  const { live: model, sources, policy, bindings, theme } = props;
  const { exit } = useApp();
  const live = useLiveSnapshot(model);
  const { columns: width, rows: height } = useTerminalSize();
  // The state also lives in a ref updated synchronously, so keys typed faster than React renders
  // (a pasted filter, a held-down j) each see the state the previous one left.
  const [state, setState] = useState<UiState>(INITIAL_STATE);
  const ref = useRef<UiState>(state);
  const dispatch = useCallback((action: UiAction) => {
    ref.current = reduce(ref.current, action);
    setState(ref.current);
  }, []);
  const openIncidents = (live.incidents.data ?? []).some((i) => i.status !== 'resolved');
  useTick(openIncidents ? 1000 : 15_000);
  const wallNow = (props.wallClock ?? Date.now)();

  const alarms = useList(live.alarms.data, alarmHaystack, state.lists.alarms.filter, ALARM_SORTS, state.lists.alarms.sortIndex, state.lists.alarms.reverse);
  const services = useList(live.services.data, serviceHaystack, state.lists.services.filter, SERVICE_SORTS, state.lists.services.sortIndex, state.lists.services.reverse);
  const incidents = useList(live.incidents.data, incidentHaystack, state.lists.incidents.filter, INCIDENT_SORTS, state.lists.incidents.sortIndex, state.lists.incidents.reverse);
  const lists = { alarms, services, incidents } as const;
  const cockpit = props.services;

  const detail = state.detail;
  const detailAlarm = detail?.list === 'alarms' ? live.alarms.data?.find((a) => a.id === detail.id) : undefined;
  const detailService = detail?.list === 'services' ? live.services.data?.find((s) => s.id === detail.id) : undefined;
  const detailIncident = detail?.list === 'incidents' ? live.incidents.data?.find((i) => i.id === detail.id) : undefined;
  const alarmDetail = useDetail(detailAlarm ? `alarm:${detailAlarm.id}` : undefined, detailAlarm ? alarmDetailFetcher(sources, policy, detailAlarm) : undefined, live.alarms.health.state === 'ok' ? 5_000 : 15_000);
  const timeline = useDetail(detailIncident ? `incident:${detailIncident.id}` : undefined, detailIncident ? incidentTimelineFetcher(sources, detailIncident.id) : undefined, 5_000);
  const signals = useDetail(detailService ? `signals:${detailService.id}` : undefined, detailService ? model.serviceSignals(detailService.name) : undefined, 60_000);

  const openDialog = useCallback((d: Dialog) => dispatch({ type: 'dialog', dialog: d }), [dispatch]);
  const afterChange = useCallback(async () => {
    await Promise.all([model.incidents.refresh(), timeline.poller?.refresh()]);
  }, [model, timeline.poller]);
  const itemAction = useItemActions({ sources, services: cockpit, model, policy, live, readonly: props.readonly, openDialog, afterIncidentChange: afterChange });
  const runbookLine = useRunbookLine(cockpit, detailAlarm);
  const handoff = useDetail(state.screen === 'handoff' && cockpit ? 'handoff' : undefined, cockpit ? () => cockpit.handoff() : undefined, 60_000);
  // The team timeline: its state for the header; a teammate's events refresh the handoff screen as they are pulled.
  const team = useSyncExternalStore(cockpit ? (cb) => cockpit.subscribeTeam(cb) : NO_TEAM, () => cockpit?.team());
  const handoffPoller = handoff.poller;
  useEffect(() => cockpit?.onJournalChange((c) => void (c.origin === 'team' && handoffPoller?.refresh())), [cockpit, handoffPoller]);
  const room = state.room ? cockpit?.openRooms().find((r) => r.id === state.room!.id) : undefined;
  const roomView = useRoomView(room);
  const muted = useMutedAlarms(cockpit);

  const openRoom = useCallback(
    (target: { alarm?: Alarm; incident?: Incident }) => {
      if (!cockpit) return dispatch({ type: 'flash', flash: { text: 'incident rooms need the journal, which this view has not got', level: 'warning' } });
      dispatch({ type: 'flash', flash: { text: 'opening the incident room…', level: 'info' } });
      cockpit
        .openRoom(target, { incidents: live.incidents.data ?? [], alarms: live.alarms.data ?? [] })
        .then((r) => {
          dispatch({ type: 'flash', flash: undefined });
          dispatch({ type: 'room', room: { id: r.id, input: EMPTY_INPUT } });
        })
        .catch((e: unknown) => dispatch({ type: 'dialog', dialog: { kind: 'message', title: 'Cannot open the incident room', lines: [e instanceof Error ? e.message : String(e)], level: 'warning' } }));
    },
    [cockpit, live.incidents.data, live.alarms.data, dispatch],
  );

  const runDialog = useCallback(async (run: () => Promise<string>) => {
    dispatch({ type: 'dialog', dialog: { kind: 'busy', title: 'Working' } });
    try {
      const message = await run();
      if (message) {
        dispatch({ type: 'dialog', dialog: undefined });
        dispatch({ type: 'flash', flash: { text: message, level: 'ok' } });
      }
    } catch (error) {
      dispatch({ type: 'dialog', dialog: { kind: 'message', title: 'That did not work', lines: [error instanceof Error ? error.message : String(error)], level: 'critical' } });
    }
  }, [dispatch]);

  const selectedItem = (): Alarm | Service | Incident | undefined => {
    const cur = listOf(ref.current.screen);
    return cur ? lists[cur].items[ref.current.lists[cur].selected] : undefined;
  };

  const command = (cmd: string | undefined): void => {
    if (!cmd) return;
    if (cmd.startsWith('screen.')) return dispatch({ type: 'goto', screen: cmd.slice(7) as ScreenId });
    const now = ref.current;
    const list = listOf(now.screen);
    const count = list ? lists[list].items.length : 0;
    const page = Math.max(1, height - 8);
    const at = list ? now.lists[list].selected : 0;
    switch (cmd) {
      case 'app.quit':
        return exit();
      case 'app.help':
        return dispatch({ type: 'goto', screen: 'help' });
      case 'app.command':
        return dispatch({ type: 'edit', editing: { kind: 'command', value: '' } });
      case 'app.refresh':
        dispatch({ type: 'flash', flash: { text: 'refreshing every source', level: 'info' } });
        return void model.refreshAll();
      case 'nav.back':
        return dispatch({ type: 'back' });
    }
    if (cmd === 'handoff.note' && cockpit) {
      return openDialog({
        kind: 'input',
        title: 'Handoff note',
        prompt: 'What should the next responder know? (goes to the journal)',
        value: '',
        submit: async (text) => {
          await cockpit.addHandoffNote(text);
          await handoff.poller?.refresh();
          return 'Handoff note recorded';
        },
      });
    }
    if (cmd === 'handoff.ack' && cockpit) {
      void runDialog(async () => {
        const n = await cockpit.acknowledgeHandoffs();
        await handoff.poller?.refresh();
        return n ? `Acknowledged ${n} handoff note${n > 1 ? 's' : ''}` : 'Nothing to acknowledge';
      });
      return;
    }
    if (!list) return;
    switch (cmd) {
      case 'nav.up':
        return dispatch({ type: 'move', list, to: at - 1, count });
      case 'nav.down':
        return dispatch({ type: 'move', list, to: at + 1, count });
      case 'nav.pageUp':
        return dispatch({ type: 'move', list, to: at - page, count });
      case 'nav.pageDown':
        return dispatch({ type: 'move', list, to: at + page, count });
      case 'nav.top':
        return dispatch({ type: 'move', list, to: 0, count });
      case 'nav.bottom':
        return dispatch({ type: 'move', list, to: count - 1, count });
      case 'nav.open': {
        const item = selectedItem();
        return item ? dispatch({ type: 'open', list, id: item.id }) : undefined;
      }
      case 'list.filter':
        return dispatch({ type: 'edit', editing: { kind: 'filter', value: now.lists[list].filter } });
      case 'list.sort':
        return dispatch({ type: 'sort', list, sorts: { alarms: ALARM_SORTS, services: SERVICE_SORTS, incidents: INCIDENT_SORTS }[list].length });
      case 'list.reverse':
        return dispatch({ type: 'sort', list, sorts: 1, reverse: true });
    }
    if (cmd === 'alarm.room' && list === 'alarms') {
      const alarm = detailAlarm ?? (selectedItem() as Alarm | undefined);
      if (alarm) openRoom({ alarm });
      return;
    }
    if (cmd === 'incident.room' && list === 'incidents') {
      const incident = detailIncident ?? (selectedItem() as Incident | undefined);
      if (incident) openRoom({ incident });
      return;
    }
    const item = { alarms: detailAlarm, services: detailService, incidents: detailIncident }[list] ?? selectedItem();
    if (item) itemAction(cmd, { list, item } as ListItem);
  };

  useInput((chunk, chunkKey) => {
    for (const { input, key } of chunkKeys(chunk, chunkKey as KeyEvent)) onKey(input, key);
  });

  function onKey(input: string, key: KeyEvent): void {
    const name = keyName(input, key);
    if (name === 'ctrl+c') return exit();
    const state = ref.current;
    const currentList = listOf(state.screen);
    if (state.dialog) {
      const outcome = dialogKey(state.dialog, { name, input });
      if (outcome.close) return dispatch({ type: 'dialog', dialog: undefined });
      if (outcome.run) return void runDialog(outcome.run);
      if (outcome.next) return dispatch({ type: 'dialog', dialog: outcome.next });
      return;
    }
    // The room as of this key (the render that made this handler may predate it).
    const current = state.room ? cockpit?.openRooms().find((r) => r.id === state.room!.id) : undefined;
    if (state.room && current) {
      const room = current;
      const view = room.view();
      const typing = roomTyping(view, props.readonly);
      const cmd = typing ? undefined : commandFor(bindings, name, ['room', 'list']);
      const result = roomKey(view, state.room.input, { name, input }, cmd, props.readonly);
      if (result.kind === 'answer') {
        room.answer(result.value);
        return dispatch({ type: 'room', room: { id: state.room.id, input: EMPTY_INPUT } });
      }
      if (result.kind === 'input') return dispatch({ type: 'room', room: { id: state.room.id, input: result.input } });
      if (result.kind === 'command') {
        if (result.command === 'back') return dispatch({ type: 'room', room: undefined });
        if (result.command === 'skip-wait') return room.skipWait();
        if (result.command === 'stop') return room.stop();
        return room.start();
      }
      if (typing) return;
      // Anything else is a global key (screens, help, quit).
      return command(commandFor(bindings, name, ['global']));
    }
    if (state.editing) {
      const editing = state.editing;
      if (name === 'escape') return dispatch({ type: 'edit', editing: undefined });
      if (name === 'return') {
        dispatch({ type: 'edit', editing: undefined });
        if (editing.kind === 'command') {
          const action = commandLine(editing.value);
          return action === 'quit' ? exit() : dispatch(action);
        }
        return;
      }
      const value = edit(editing.value, { name, input });
      dispatch({ type: 'edit', editing: { ...editing, value } });
      if (editing.kind === 'filter' && currentList) dispatch({ type: 'filter', list: currentList, filter: value });
      return;
    }
    if (state.flash) dispatch({ type: 'flash', flash: undefined });
    command(commandFor(bindings, name, scopesFor(ref.current)));
  }

  const counts = alarmCounts(live.alarms.data ?? []);
  const alarmHealth = live.alarms.health.state;
  const countsKnown = alarmHealth === 'error' || alarmHealth === 'stale' ? (live.alarms.data?.length ? 'stale' : 'unknown') : 'yes';
  const bodyHeight = Math.max(5, height - 3);
  const body = (
    <ScreenBody
      state={state}
      live={live}
      policy={policy}
      bindings={bindings}
      readonly={props.readonly}
      hasJournal={cockpit !== undefined}
      lists={lists}
      muted={muted}
      roomView={roomView}
      detailAlarm={detailAlarm}
      detailService={detailService}
      detailIncident={detailIncident}
      alarmDetail={alarmDetail.snapshot}
      serviceSignals={signals.snapshot}
      timeline={timeline.snapshot}
      runbook={runbookLine}
      handoff={handoff.snapshot}
      wallNow={wallNow}
      width={width}
      height={bodyHeight}
      theme={theme}
    />
  );

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box flexShrink={0}>
        <Banner environment={sources.environment} now={live.now} theme={theme} context={props.context} counts={counts} countsKnown={countsKnown} readonly={props.readonly} {...(team ? { team } : {})} />
      </Box>
      <Box flexShrink={0}>
        <Text color={theme.muted} wrap="truncate-end">
          {SCREENS.filter((s) => s !== 'help').map((s, i) => (s === state.screen ? `[${i + 1} ${s}]` : ` ${i + 1} ${s} `)).join(' ')}
        </Text>
      </Box>
      <Box flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden">
        {state.dialog ? <DialogBox dialog={state.dialog} theme={theme} width={width} /> : body}
      </Box>
      <Box flexShrink={0}>
        <Footer hints={hints(bindings, scopesFor(state))} editing={state.editing} flash={state.flash} theme={theme} />
      </Box>
    </Box>
  );
}
