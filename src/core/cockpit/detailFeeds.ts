/**
 * The pollers of the detail in view (an alarm's history and runbook line, a service's signals, an
 * incident's timeline) and of the handoff screen: started when what they show comes into view, stopped
 * when it leaves. The session syncs them on every change (session.ts `syncFeeds`); each does nothing
 * unless its key changed.
 */
import { inLanguage } from '../lang.js';
import type { TimelineEntry } from '../model.js';
import { alarmDetailFetcher, incidentTimelineFetcher, type AlarmDetailData } from '../live/detail.js';
import type { LiveModel, TrendData } from '../live/model.js';
import type { CockpitServices } from '../live/services.js';
import type { Policy } from '../policy/types.js';
import type { HandoffReport } from '../reports/types.js';
import type { Sources } from '../../sources/ports.js';
import { Feed, KeyedValue } from './feeds.js';
import { screenSpec } from './screens.js';
import type { SessionSnapshot } from './snapshot.js';
import type { CockpitState } from './state.js';

export interface DetailFeedsDeps {
  readonly live: LiveModel;
  readonly sources: Sources;
  readonly policy: Policy;
  readonly services?: CockpitServices;
}

export class DetailFeeds {
  readonly alarm: Feed<AlarmDetailData>;
  readonly signals: Feed<TrendData>;
  readonly timeline: Feed<readonly TimelineEntry[]>;
  readonly handoff: Feed<HandoffReport>;
  readonly runbookLine: KeyedValue<string>;

  constructor(
    private readonly o: DetailFeedsDeps,
    onChange: () => void,
  ) {
    this.alarm = new Feed<AlarmDetailData>(onChange);
    this.signals = new Feed<TrendData>(onChange);
    this.timeline = new Feed<readonly TimelineEntry[]>(onChange);
    this.handoff = new Feed<HandoffReport>(onChange);
    this.runbookLine = new KeyedValue<string>(onChange);
  }

  /** The pollers follow the state: started when a detail opens, stopped when it closes. */
  sync(state: CockpitState, d: SessionSnapshot['detail']): void {
    const { sources, policy, services, live } = this.o;
    const alarmsOk = live.snapshot().alarms.health.state === 'ok';
    const a = d.alarm;
    this.alarm.sync(
      a ? `alarm:${a.id}:${alarmsOk}` : undefined,
      a ? () => alarmDetailFetcher(sources, policy, a) : undefined,
      alarmsOk ? 5_000 : 15_000,
    );
    this.timeline.sync(
      d.incident ? `incident:${d.incident.id}` : undefined,
      d.incident ? () => incidentTimelineFetcher(sources, d.incident!.id) : undefined,
      5_000,
    );
    this.signals.sync(
      d.service ? `signals:${d.service.id}` : undefined,
      d.service ? () => live.serviceSignals(d.service!.name) : undefined,
      60_000,
    );
    const wantsHandoff =
      !state.room && (screenSpec(state.screen).data as readonly string[] | undefined)?.includes('handoff') && services;
    this.handoff.sync(
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
              .then((r) => (r ? `${r.runbook.id} — ${inLanguage(r.runbook.title)}` : undefined))
        : undefined,
    );
  }

  stop(): void {
    for (const f of [this.alarm, this.signals, this.timeline, this.handoff]) f.stop();
  }
}
