import type { AlarmStateRecord, EventInput, IncidentRecord, IncidentSource, Journal, Who } from '../journal/index.js';
import type { Alarm, AlarmHistoryItem, Incident, TimelineEntry } from '../model.js';
import type { Policy } from '../policy/types.js';
import type { Sources } from '../../sources/ports.js';
import { alarmChanged, alarmEvents, needsHistory } from './alarms.js';
import { captureEvent, EVIDENCE_AFTER_MS, EVIDENCE_BEFORE_MS } from './evidence.js';
import { differs, incidentEvents } from './incidents.js';
import { PAGER, SANDBOX_PAGER, type Identity } from './who.js';
import { journalAlarmId } from './keys.js';
import { RunLease, runHeld } from './runLease.js';

/**
 * The one timeline: everything that changes an incident or an alarm is journaled once, with the real
 * previous state, when the live data shows it, whoever caused it (this responder, a teammate, PagerDuty,
 * the alarm itself). Driven by what the sources say (a live-model subscription in the cockpit, one look in
 * `status`, every minute of a drill), never by a view; compared with what the journal last recorded, not
 * with memory, so a restart records nothing twice, and what changed while the program was closed is
 * recorded from the sources' history (CloudWatch alarm history, PagerDuty log entries) when it is next seen.
 *
 * It also keeps each incident's metric evidence (evidence.ts) and, for the sandbox, marks where a run
 * (one simulated world) began and ended. Recording never breaks the caller: a failure is reported to
 * onError and the next look tries again.
 */

export interface RecorderOptions {
  readonly journal: Journal;
  readonly sources: Sources;
  readonly policy: Policy;
  readonly me: Identity;
  /**
   * What the incidents' source is recorded as (by default: the sandbox's pager for the sandbox, PagerDuty
   * otherwise). A drill that mirrors its timeline to the sandbox's pager records it as PagerDuty, which the
   * pager plays, so that the journal's outbox mirrors to it exactly as it would to PagerDuty.
   */
  readonly incidentSource?: IncidentSource;
  /** The longest any one source read may take before the recorder does without it (ms). */
  readonly readTimeoutMs?: number;
  /** A read or write that failed, and the source it was for when there is one ('incidents', 'alarms', 'metrics'). */
  readonly onError?: (error: unknown, source?: string) => void;
}

/** What one look saw; a missing list is a source that did not answer (nothing about it is concluded). */
export interface Observation {
  readonly alarms?: readonly Alarm[];
  /** Alerts (Prometheus, Alertmanager) list only what fires: one that vanishes went back to OK. */
  readonly alerts?: readonly Alarm[];
  readonly incidents?: readonly Incident[];
}

const SYSTEM: Who = { kind: 'system', id: 'vitascope-oncall', name: 'vitascope-oncall' };
/** How long after a failed history read the recorder does without history (moto has none; one slow call is enough). */
const HISTORY_RETRY_MS = 10 * 60_000;
/** Incidents open in the journal but absent from the source's list are asked about this often. */
const CATCH_UP_MS = 15 * 60_000;

/** A read the recorder gave up waiting for. */
class NoAnswer extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new NoAnswer(`no answer within ${ms} ms`)), ms);
    (timer as { unref?: () => void }).unref?.();
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}

/** Alerts (Prometheus, Alertmanager) have no history; they are listed while they fire. */
function isAlert(id: string): boolean {
  return id.startsWith('prometheus-alert:') || id.startsWith('alertmanager:');
}

export class TimelineRecorder {
  /** The sandbox run ('' for real sources). */
  readonly run: string;
  private readonly source: IncidentSource;
  private readonly pager: Who;
  private known?: Map<string, Pick<AlarmStateRecord, 'state' | 'since'>>;
  private lastAlarms = new Map<string, Alarm>();
  private lastCloudwatchIds = new Set<string>();
  private firstLook = true;
  private historyOffUntil = 0;
  private lastCatchUp = -Infinity;
  private queue: Promise<void> = Promise.resolve();
  private pending?: Observation;
  private closed = false;
  private readonly timeoutMs: number;
  /** This program's hold on its sandbox run (runLease.ts), from start() to close(). */
  private lease?: RunLease;

  constructor(private readonly o: RecorderOptions) {
    const sim = o.sources.simulation;
    this.run = sim?.run ?? '';
    this.source = o.incidentSource ?? (sim ? 'sandbox' : o.sources.incidents ? 'pagerduty' : 'local');
    this.pager = sim ? SANDBOX_PAGER : PAGER;
    this.timeoutMs = o.readTimeoutMs ?? 5_000;
  }

  private now(): number {
    return Math.floor(this.o.sources.now());
  }

  /**
   * Records that a sandbox run began (and ends any earlier run left unfinished by a killed program; a run
   * another live program still holds, a cockpit open beside this drill, is not ended). Nothing for real sources.
   */
  start(mode: 'cockpit' | 'drill'): void {
    const sim = this.o.sources.simulation;
    if (!sim || !this.run) return;
    const j = this.o.journal;
    try {
      const lease = new RunLease(j, this.run);
      if (lease.take()) this.lease = lease;
    } catch (error) {
      this.o.onError?.(error);
    }
    const started = j.query({ kinds: ['run.started'] });
    const ended = new Set(j.query({ kinds: ['run.ended'] }).map((e) => (e.kind === 'run.ended' ? e.payload.run : '')));
    for (const e of started) {
      if (e.kind !== 'run.started' || ended.has(e.payload.run) || e.payload.run === this.run) continue;
      if (runHeld(j, e.payload.run)) continue;
      // Runs replay the same simulated times: the run's end is the last change of its incidents.
      const last = Math.max(e.at, ...j.incidents({ run: e.payload.run }).map((i) => i.updatedAt));
      this.append([
        {
          kind: 'run.ended',
          who: SYSTEM,
          at: last,
          key: `run:${e.payload.run}:ended`,
          payload: {
            run: e.payload.run,
            reason: 'the program stopped without closing the run (found at the next start)',
          },
        },
      ]);
    }
    this.append([
      {
        kind: 'run.started',
        who: this.o.me.who,
        at: this.now(),
        key: `run:${this.run}:started`,
        payload: { run: this.run, scenario: sim.scenario, seed: sim.seed, mode },
      },
    ]);
  }

  /** Records one look; looks are taken one at a time, and a look queued behind another replaces any older one queued. */
  observe(observation: Observation): Promise<void> {
    if (this.closed) return Promise.resolve();
    const queued = this.pending !== undefined;
    this.pending = { ...this.pending, ...observation };
    if (queued) return this.queue;
    this.queue = this.queue.then(async () => {
      const next = this.pending!;
      this.pending = undefined;
      try {
        await this.look(next);
      } catch (error) {
        this.o.onError?.(error);
      }
    });
    return this.queue;
  }

  /** Waits for every look queued so far. */
  settled(): Promise<void> {
    return this.queue;
  }

  private append(events: readonly EventInput[]): void {
    if (events.length) this.o.journal.appendMany(events);
  }

  private async look(seen: Observation): Promise<void> {
    const now = this.now();
    try {
      this.lease?.renew();
    } catch (error) {
      this.o.onError?.(error);
    }
    if (seen.alarms || seen.alerts) await this.lookAtAlarms(seen, now);
    if (seen.incidents) await this.lookAtIncidents(seen.incidents, now);
    await this.captureDue(now);
    this.firstLook = false;
  }

  private defined?: Set<string>;

  /** Alarms whose definition (what they watch) the journal holds, so a report can chart them. */
  private definedAlarms(): Set<string> {
    this.defined ??= new Set(
      this.o.journal
        .query({ kinds: ['alarm.observed', 'alarm.transition'] })
        .flatMap((e) =>
          (e.kind === 'alarm.observed' || e.kind === 'alarm.transition') &&
          (e.payload.run ?? '') === this.run &&
          e.payload.metric
            ? [e.payload.alarmId]
            : [],
        ),
    );
    return this.defined;
  }

  private knownStates(): Map<string, Pick<AlarmStateRecord, 'state' | 'since'>> {
    this.known ??= new Map(
      this.o.journal.alarmStates(this.run).map((r) => [r.alarmId, { state: r.state, since: r.since }]),
    );
    return this.known;
  }

  /** The alarm source's history of one of its alarms (alerts have none: Prometheus and Alertmanager keep no history). */
  private async history(alarm: Alarm, since: number, now: number): Promise<AlarmHistoryItem[] | undefined> {
    const source = this.o.sources.alarms;
    if (
      !source ||
      now < this.historyOffUntil ||
      isAlert(alarm.id) ||
      !this.lastCloudwatchIds.has(journalAlarmId(alarm.id))
    )
      return undefined;
    try {
      return await withTimeout(
        source.alarmHistory(alarm.name, { from: Math.max(0, since - 60_000), to: now + 1 }),
        this.timeoutMs,
      );
    } catch (error) {
      // A source that does not answer (moto has no history; a slow CloudWatch) is not asked again for a
      // while; one alarm it does not know is just that alarm without history.
      if (error instanceof NoAnswer) this.historyOffUntil = now + HISTORY_RETRY_MS;
      return undefined;
    }
  }

  private openIncidents(): IncidentRecord[] {
    return this.o.journal.incidents({ status: ['triggered', 'acknowledged'], run: this.run });
  }

  private async lookAtAlarms(seen: Observation, now: number): Promise<void> {
    const known = this.knownStates();
    const open = this.openIncidents();
    const ctx = { run: this.run, now, open, firstLook: this.firstLook };
    if (seen.alarms) this.lastCloudwatchIds = new Set(seen.alarms.map((a) => journalAlarmId(a.id)));
    const current = [...(seen.alarms ?? []), ...(seen.alerts ?? [])];
    // An alert that fired and is no longer listed (while its source answers) went back to OK.
    if (seen.alerts) {
      const listed = new Set(current.map((a) => journalAlarmId(a.id)));
      for (const r of this.o.journal.alarmStates(this.run)) {
        const id = r.alarmId;
        if (r.state === 'OK' || listed.has(id) || this.lastCloudwatchIds.has(id) || !isAlert(id)) continue;
        current.push({
          id,
          name: r.alarmName,
          kind: 'metric',
          state: 'OK',
          level: this.lastAlarms.get(id)?.level ?? 'warning',
          stateSince: now,
          actions: [],
          reason: 'no longer firing',
        });
      }
    }
    const events: EventInput[] = [];
    const defined = this.definedAlarms();
    for (const alarm of current) {
      this.lastAlarms.set(alarm.id, alarm);
      const jid = journalAlarmId(alarm.id);
      const k = known.get(jid);
      if (!alarmChanged(k, alarm)) {
        // Known, unchanged, but never recorded with what it watches (an older journal): recorded once.
        if (alarm.metric && !defined.has(jid))
          events.push(
            ...alarmEvents(undefined, { ...alarm, state: 'OK' }, undefined, { ...ctx, observeOnly: k?.state }),
          );
        if (alarm.metric) defined.add(jid);
        continue;
      }
      if (alarm.metric) defined.add(jid);
      const record = k && { ...k, run: this.run, alarmId: jid, alarmName: alarm.name, seq: 0 };
      const history = needsHistory(record, alarm)
        ? await this.history(alarm, k?.since ?? alarm.stateSince, now)
        : undefined;
      events.push(...alarmEvents(record, alarm, history, ctx));
      // Remembered even when nothing was recorded (a later stateSince with nothing in the history), so the
      // history is not read again on every look.
      known.set(jid, { state: alarm.state, since: Math.max(k?.since ?? 0, alarm.stateSince) });
    }
    this.append(events);
  }

  private async timeline(id: string): Promise<TimelineEntry[] | undefined> {
    const src = this.o.sources.incidents;
    if (!src) return undefined;
    try {
      return await withTimeout(src.timeline(id), this.timeoutMs);
    } catch {
      return undefined;
    }
  }

  /** `complete`: read every incident's log (its notes too), not only of those that changed (a report's sync). */
  private async lookAtIncidents(incidents: readonly Incident[], now: number, complete = false): Promise<void> {
    const j = this.o.journal;
    const list = [...incidents];
    // Incidents the journal has open that the source no longer lists (older than its window): asked once
    // at the first look and every CATCH_UP_MS, so that one resolved while nobody watched is recorded.
    if (this.o.sources.incidents && now - this.lastCatchUp >= CATCH_UP_MS) {
      this.lastCatchUp = now;
      const listed = new Set(list.map((i) => i.id));
      for (const r of this.openIncidents().slice(0, 50)) {
        if (listed.has(r.id) || r.source === 'local') continue;
        try {
          const i = await withTimeout(this.o.sources.incidents.getIncident(r.id), this.timeoutMs);
          if (i) list.push(i);
        } catch {
          // Asked again at the next catch-up.
        }
      }
    }
    for (const incident of list) {
      const record = j.incident(incident.id);
      if (record && record.run !== this.run) continue;
      if (!complete && !differs(record, incident)) continue;
      const log = await this.timeline(incident.id);
      try {
        this.append(
          incidentEvents(record, incident, log, {
            journalId: incident.id,
            run: this.run,
            source: this.source,
            me: this.o.me,
            pager: this.pager,
            now,
          }),
        );
      } catch (error) {
        // One incident the journal refuses (what the source sent does not fit) does not stop the others.
        this.o.onError?.(error, 'journal');
      }
    }
  }

  /** When the incident's trouble began: its first alarm's firing (within 6 hours before it opened), or its opening. */
  private startOf(r: IncidentRecord): number {
    const firings = this.o.journal
      .query({ kinds: ['alarm.transition'], since: r.createdAt - 6 * 60 * 60_000, until: r.createdAt + 1 })
      .filter(
        (e) =>
          e.kind === 'alarm.transition' &&
          e.payload.to === 'ALARM' &&
          (e.payload.run ?? '') === this.run &&
          r.alarmNames.includes(e.payload.alarmName),
      );
    return Math.min(r.createdAt, ...firings.map((e) => e.at));
  }

  private async capture(r: IncidentRecord, to: number, key: string, now: number): Promise<void> {
    const metrics = this.o.sources.metrics;
    if (!metrics) return;
    const alarms = r.alarmNames
      .map((n) => [...this.lastAlarms.values()].find((a) => a.name === n))
      .filter((a): a is Alarm => a !== undefined);
    const from = this.startOf(r) - EVIDENCE_BEFORE_MS;
    try {
      const event = await withTimeout(
        captureEvent({ metrics, policy: this.o.policy, incidentId: r.id, alarms, from, to, at: now, key, who: SYSTEM }),
        this.timeoutMs * 2,
      );
      if (event) this.append([event]);
    } catch (error) {
      this.o.onError?.(error, 'metrics');
    }
  }

  private captured(id: string): Set<string> {
    return new Set(this.o.journal.query({ incidentId: id, kinds: ['metrics.captured'] }).map((e) => e.key ?? ''));
  }

  /** Evidence of resolved incidents: once at the resolution, and once more when the time after it has passed. */
  private async captureDue(now: number): Promise<void> {
    const recent = this.o.journal.incidents({ status: 'resolved', run: this.run, since: now - 3 * 24 * 60 * 60_000 });
    for (const r of recent) {
      if (r.resolvedAt === undefined || r.resolvedAt < now - 6 * 60 * 60_000) continue;
      const keys = this.captured(r.id);
      const finalKey = `${r.id}:evidence:final`;
      if (keys.has(finalKey)) continue;
      if (now >= r.resolvedAt + EVIDENCE_AFTER_MS)
        await this.capture(r, r.resolvedAt + EVIDENCE_AFTER_MS, finalKey, now);
      else if (!keys.has(`${r.id}:evidence:resolved`)) await this.capture(r, now, `${r.id}:evidence:resolved`, now);
    }
  }

  /**
   * Brings the journal up to date from the sources' own history, for a report (real sources only: a
   * sandbox's history is a replay). Incidents of the period (or the one incident) with their log, and the
   * alarm transitions CloudWatch's history holds for the period; what the journal already has is not
   * recorded again (keys, and a transition already recorded within 90 s is the same one).
   */
  async backfill(scope: { readonly from: number; readonly to: number; readonly incidentId?: string }): Promise<void> {
    if (this.o.sources.simulation) return;
    const src = this.o.sources.incidents;
    const now = this.now();
    let alarmNames: readonly string[] | undefined;
    if (src) {
      let incidents: Incident[] = [];
      try {
        if (scope.incidentId) {
          const one = await withTimeout(src.getIncident(scope.incidentId), this.timeoutMs * 2);
          incidents = one ? [one] : [];
          alarmNames = one?.alarmNames;
        } else {
          const [inRange, open] = await Promise.all([
            withTimeout(src.listIncidents({ since: scope.from, until: scope.to }), this.timeoutMs * 4),
            withTimeout(src.listIncidents({ statuses: ['triggered', 'acknowledged'] }), this.timeoutMs * 4),
          ]);
          const seen = new Set<string>();
          incidents = [...inRange, ...open].filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true)));
        }
      } catch (error) {
        this.o.onError?.(error, 'incidents');
      }
      this.lastCatchUp = now;
      await this.queue;
      await this.lookAtIncidents(incidents.slice(0, 200), now, true);
    }
    const source = this.o.sources.alarms;
    if (!source) return;
    let alarms: Alarm[];
    let listed: Alarm[];
    try {
      alarms = listed = await withTimeout(source.listAlarms(), this.timeoutMs * 4);
    } catch (error) {
      this.o.onError?.(error, 'alarms');
      return;
    }
    let { from, to } = scope;
    if (scope.incidentId) {
      const record = this.o.journal.incident(scope.incidentId);
      const names = new Set([...(alarmNames ?? []), ...(record?.alarmNames ?? [])]);
      alarms = alarms.filter((a) => names.has(a.name));
      if (record) {
        from = record.createdAt - 6 * 60 * 60_000;
        to = Math.min(now, (record.resolvedAt ?? now) + 6 * 60 * 60_000);
      }
    }
    const recorded = this.o.journal.query({
      kinds: ['alarm.transition'],
      since: from - 24 * 60 * 60_000,
      until: to + 1,
    });
    const events: EventInput[] = [];
    for (const alarm of alarms.slice(0, 200)) {
      if (isAlert(alarm.id) || now < this.historyOffUntil) continue;
      const history = await this.history(alarm, from - 24 * 60 * 60_000, Math.min(now, to));
      if (!history) continue;
      const mine = recorded.filter(
        (e) => e.kind === 'alarm.transition' && e.payload.alarmId === alarm.id && (e.payload.run ?? '') === this.run,
      );
      for (const h of history) {
        if (mine.some((e) => e.kind === 'alarm.transition' && e.payload.to === h.to && Math.abs(e.at - h.at) <= 90_000))
          continue;
        events.push(
          ...alarmEvents(
            { run: this.run, alarmId: alarm.id, alarmName: alarm.name, state: h.from, since: h.at - 1, seq: 0 },
            { ...alarm, state: h.to, stateSince: h.at, reason: h.reason, value: undefined },
            [h],
            { run: this.run, now, open: [], firstLook: true },
          ),
        );
      }
    }
    this.append(events);
    this.known = undefined;
    // And where each alarm is now.
    await this.lookAtAlarms({ alarms: listed }, now);
  }

  /**
   * The end of a session: evidence of this run's incidents still open (or resolved without their final
   * capture) up to now, and for the sandbox the end of the run (its world goes with the program).
   */
  async close(reason = 'the program closed'): Promise<void> {
    await this.queue;
    this.closed = true;
    const now = this.now();
    const j = this.o.journal;
    const candidates = [
      ...this.openIncidents(),
      ...j.incidents({ status: 'resolved', run: this.run, since: now - 24 * 60 * 60_000 }),
    ];
    for (const r of candidates) {
      if (this.captured(r.id).has(`${r.id}:evidence:final`)) continue;
      await this.capture(r, now, `${r.id}:evidence:${now}`, now);
    }
    if (this.run && this.o.sources.simulation)
      this.append([
        { kind: 'run.ended', who: SYSTEM, at: now, key: `run:${this.run}:ended`, payload: { run: this.run, reason } },
      ]);
    this.lease?.release();
    this.lease = undefined;
  }
}
