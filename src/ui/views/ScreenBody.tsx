import { Text } from 'ink';
import React from 'react';
import type { Alarm, Incident, Service, TimelineEntry } from '../../core/model.js';
import type { AlarmDetailData } from '../../core/live/detail.js';
import type { LiveSnapshot, TrendData } from '../../core/live/model.js';
import type { Snapshot } from '../../core/live/poller.js';
import type { RoomView as RoomViewData } from '../../core/live/room.js';
import type { Policy } from '../../core/policy/types.js';
import type { HandoffReport } from '../../core/reports/types.js';
import type { Binding } from '../keys.js';
import type { MutedAlarms } from '../render/alarms.js';
import type { UiState } from '../state.js';
import type { Theme } from '../theme.js';
import { AlarmDetailView } from './AlarmDetailView.js';
import { HandoffView } from './HandoffView.js';
import { HelpView } from './HelpView.js';
import { IncidentDetailView } from './IncidentDetailView.js';
import { ListScreen, type ListScreenProps } from './ListScreen.js';
import { OnCallView } from './OnCallView.js';
import { OverviewView } from './OverviewView.js';
import { RoomView } from './RoomView.js';
import { ServiceDetailView } from './ServiceDetailView.js';

export interface ScreenBodyProps {
  readonly state: UiState;
  readonly live: LiveSnapshot;
  readonly policy: Policy;
  readonly bindings: readonly Binding[];
  readonly readonly: boolean;
  /** Whether the journal-backed services (rooms, handoff) exist in this run. */
  readonly hasJournal: boolean;
  readonly lists: ListScreenProps['lists'];
  /** CloudWatch alarms muted through this program, and until when. */
  readonly muted?: MutedAlarms;
  readonly roomView?: RoomViewData;
  readonly detailAlarm?: Alarm;
  readonly detailService?: Service;
  readonly detailIncident?: Incident;
  readonly alarmDetail: Snapshot<AlarmDetailData>;
  /** The detail service's p95 and error rate over the last hour. */
  readonly serviceSignals: Snapshot<TrendData>;
  readonly timeline: Snapshot<readonly TimelineEntry[]>;
  readonly runbook?: string;
  readonly handoff: Snapshot<HandoffReport>;
  readonly wallNow: number;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
}

/** What fills the space between the banner and the footer: the room, a screen, or a detail view. */
export function ScreenBody(p: ScreenBodyProps): React.ReactElement {
  const { state, live, theme, width, height } = p;
  const gone = (text: string) => <Text color={theme.muted}>{text} Esc goes back.</Text>;
  if (state.room) return p.roomView ? <RoomView room={p.roomView} input={state.room.input} readonly={p.readonly} now={live.now} wallNow={p.wallNow} width={width} height={height} theme={theme} /> : gone('The incident room is not open in this run.');
  switch (state.screen) {
    case 'overview':
      return <OverviewView live={live} policy={p.policy} theme={theme} width={width} height={height} wallNow={p.wallNow} />;
    case 'help':
      return <HelpView bindings={p.bindings} readonly={p.readonly} theme={theme} width={width} height={height} />;
    case 'handoff':
      return p.hasJournal ? <HandoffView handoff={p.handoff} height={height} theme={theme} /> : <Text color={theme.muted}>The handoff needs the journal.</Text>;
    case 'oncall':
      return <OnCallView onCall={live.onCall} now={live.now} theme={theme} />;
  }
  const detail = state.detail;
  if (detail?.list === 'alarms')
    return p.detailAlarm ? <AlarmDetailView alarm={p.detailAlarm} detail={p.alarmDetail} runbook={p.runbook} muted={p.muted} now={live.now} width={width} height={height} theme={theme} /> : gone('This alarm is no longer reported by its source.');
  if (detail?.list === 'services') return p.detailService ? <ServiceDetailView service={p.detailService} signals={p.serviceSignals} policy={p.policy} now={live.now} width={width} height={height} theme={theme} /> : gone('This service is gone.');
  if (detail?.list === 'incidents')
    return p.detailIncident ? <IncidentDetailView incident={p.detailIncident} timeline={p.timeline} policy={p.policy} now={live.now} width={width} height={height} theme={theme} /> : gone('This incident is no longer listed.');
  return <ListScreen screen={state.screen} state={state} lists={p.lists} muted={p.muted} live={live} policy={p.policy} wallNow={p.wallNow} width={width} height={height} theme={theme} />;
}
