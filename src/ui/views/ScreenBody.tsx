import { Text } from '../components/SafeText.js';
import { safe } from '../../core/sanitize.js';
import React from 'react';
import type { SessionSnapshot } from '../../core/cockpit/session.js';
import type { ScreenId } from '../../core/cockpit/screens.js';
import type { Policy } from '../../core/policy/types.js';
import type { Binding } from '../keys.js';
import type { Theme } from '../theme.js';
import { ScrollBox, type ScrollLayout } from '../components/ScrollBox.js';
import { AlarmDetailView } from './AlarmDetailView.js';
import { HelpView } from './HelpView.js';
import { IncidentDetailView } from './IncidentDetailView.js';
import { ListScreen } from './ListScreen.js';
import { OnCallView } from './OnCallView.js';
import { OverviewView } from './OverviewView.js';
import type { Incident } from '../../core/model.js';

const ALL_PHASES = ['detect', 'triage', 'investigate', 'resolve', 'postmortem'] as const;
const NO_PHASES: readonly string[] = [];
const NO_INCIDENTS: readonly Incident[] = [];
import { ServiceDetailView } from './ServiceDetailView.js';
import { useLaterViews, type LaterViews } from './laterViews.js';
import { screenSpec } from '../../core/cockpit/screens.js';
import { overviewAt, pagesNow } from '../../core/cockpit/state.js';

export interface ScreenBodyProps {
  /** The session's snapshot: the state, the live data, the lists and what the screen in view polls. */
  readonly snap: SessionSnapshot;
  readonly policy: Policy;
  readonly bindings: readonly Binding[];
  readonly readonly: boolean;
  readonly wallNow: number;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  /** A long view reports how far it scrolls and where the searched text is (the session's setScrollLayout). */
  readonly onScrollLayout?: (layout: ScrollLayout) => void;
  /** Whether items are drawn as clickable links (OSC 8): the terminal shows them, links are on, real sources. */
  readonly links?: boolean;
}

type Props = ScreenBodyProps & {
  readonly gone: (text: string) => React.ReactElement;
  /** The views loaded after the first frame (laterViews.ts); undefined until they are. */
  readonly later: LaterViews | undefined;
};

/** A screen whose view is still loading (only in the first moments after the start). */
const loadingView = (p: Props) => <Text color={p.theme.muted}>{safe`Loading…`}</Text>;

/** Each screen's view, by id: a screen added to the registry (core/cockpit/screens.ts) without a view does not compile. */
const VIEWS: Record<ScreenId, (p: Props) => React.ReactElement> = {
  overview: (p) => (
    <OverviewView
      live={p.snap.live}
      policy={p.policy}
      theme={p.theme}
      width={p.width}
      height={p.height}
      wallNow={p.wallNow}
      selected={
        p.snap.overview[overviewAt(p.snap.state.overview, p.snap.overview, pagesNow(p.snap.live.incidents.data))]
      }
    />
  ),
  help: (p) => (
    <HelpView bindings={p.bindings} readonly={p.readonly} theme={p.theme} width={p.width} height={p.height} />
  ),
  handoff: (p) =>
    !p.later ? (
      loadingView(p)
    ) : p.snap.hasJournal ? (
      <p.later.HandoffView handoff={p.snap.handoff} height={p.height} theme={p.theme} />
    ) : (
      <Text color={p.theme.muted}>{safe`The handoff needs the journal.`}</Text>
    ),
  oncall: (p) => <OnCallView onCall={p.snap.live.onCall} now={p.snap.live.now} theme={p.theme} />,
  alarms: (p) => listOrDetail(p),
  services: (p) => listOrDetail(p),
  incidents: (p) => listOrDetail(p),
  logs: (p) =>
    !p.later ? (
      loadingView(p)
    ) : (
      <p.later.LogsView
        service={p.snap.state.subject ?? ''}
        {...(p.snap.service.logs ? { tail: p.snap.service.logs } : {})}
        lines={p.snap.service.logLines}
        patterns={p.snap.service.patterns}
        options={p.snap.state.logView}
        scroll={p.snap.state.scroll}
        width={p.width}
        height={p.height}
        theme={p.theme}
        {...(p.onScrollLayout ? { onScrollLayout: p.onScrollLayout } : {})}
      />
    ),
  traces: (p) =>
    !p.later ? (
      loadingView(p)
    ) : (
      <p.later.TracesView
        service={p.snap.state.subject ?? ''}
        traces={p.snap.service.traces}
        available={p.snap.service.tracesAvailable}
        theme={p.theme}
      />
    ),
};

function listOrDetail(p: Props): React.ReactElement {
  const { snap, theme, width, height } = p;
  const { state, live, detail } = snap;
  const now = live.now;
  if (state.detail?.list === 'alarms')
    return detail.alarm ? (
      <AlarmDetailView
        alarm={detail.alarm}
        detail={snap.alarmDetail}
        runbook={snap.runbook}
        muted={snap.muted}
        now={now}
        width={width}
        height={height}
        theme={theme}
        links={p.links === true}
      />
    ) : (
      p.gone('This alarm is no longer reported by its source.')
    );
  if (state.detail?.list === 'services')
    return detail.service ? (
      <ServiceDetailView
        service={detail.service}
        signals={snap.serviceSignals}
        policy={p.policy}
        now={now}
        width={width}
        height={height}
        theme={theme}
        links={p.links === true}
      />
    ) : (
      p.gone('This service is gone.')
    );
  if (state.detail?.list === 'incidents')
    return detail.incident ? (
      <IncidentDetailView
        incident={detail.incident}
        timeline={snap.timeline}
        policy={p.policy}
        now={now}
        width={width}
        height={height}
        theme={theme}
        links={p.links === true}
      />
    ) : (
      p.gone('This incident is no longer listed.')
    );
  return (
    <ListScreen
      screen={state.screen}
      state={state}
      lists={snap.lists}
      muted={snap.muted}
      live={live}
      policy={p.policy}
      wallNow={p.wallNow}
      width={width}
      height={height}
      theme={theme}
    />
  );
}

/** What fills the space between the banner and the footer: the room, a screen, or a detail view. */
export function ScreenBody(p: ScreenBodyProps): React.ReactElement {
  const { snap, theme } = p;
  const gone = (text: string) => <Text color={theme.muted}>{safe`${text} Esc goes back.`}</Text>;
  const later = useLaterViews();
  const room = snap.state.room;
  if (room)
    return !later ? (
      <Text color={theme.muted}>{safe`Loading…`}</Text>
    ) : snap.roomView ? (
      <later.RoomView
        room={snap.roomView}
        input={room.input}
        readonly={p.readonly}
        now={snap.live.now}
        wallNow={p.wallNow}
        width={p.width}
        height={p.height}
        theme={theme}
        expanded={room.input.expanded ? ALL_PHASES : NO_PHASES}
        outputScroll={room.input.outputScroll ?? 0}
        incidents={snap.live.incidents.data ?? NO_INCIDENTS}
        links={p.links === true}
      />
    ) : (
      gone('The incident room is not open in this run.')
    );
  const view = VIEWS[snap.state.screen]({ ...p, gone, later });
  // Help, the handoff and details are pages: drawn whole, scrolled (j/k, PgUp/PgDn) and searched (/).
  if (!snap.scopes.includes('scroll') || (screenSpec(snap.state.screen) as { virtual?: boolean }).virtual) return view;
  return (
    <ScrollBox
      offset={snap.state.scroll}
      height={p.height}
      search={snap.state.search}
      onLayout={p.onScrollLayout}
      theme={theme}
    >
      {view}
    </ScrollBox>
  );
}
