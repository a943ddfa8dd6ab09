import type { Alarm, Incident, Person } from '../model.js';
import type { Policy } from '../policy/types.js';
import type { Sources } from '../../sources/ports.js';
import type { Journal, Who } from '../journal/index.js';
import type { RunbookSet } from '../runbooks/load.js';
import type { LoadedRunbook } from '../runbooks/types.js';
import type { ActionEngine } from '../actions/engine.js';
import type { Clock } from '../actions/clock.js';
import type { ActionLimits } from '../actions/limits.js';
import { Room } from './room.js';
import { AlarmActionsTimer } from './alarmActionsTimer.js';
import type { HandoffReport } from '../reports/types.js';
import type { LiveModel } from './model.js';
import type { TimelineRecorder } from '../record/recorder.js';
import type { Identity } from '../record/who.js';

/** What the cockpit needs beyond the live snapshots: the journal, the runbooks, actions and incident rooms. */
export interface CockpitServicesOptions {
  readonly sources: Sources;
  readonly policy: Policy;
  readonly user: Person;
  readonly readonly: boolean;
  /** The journal file (the sandbox has its own). */
  readonly journalFile: string;
  /** The team's runbook folders as configured (~ and relative paths are resolved when they are read). */
  readonly runbookDirs: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Sandbox time runs this many times faster (1 for real sources). */
  readonly speed: number;
  /** The sandbox run ("api-cpu-spike · seed 1 · run k7q2x1"), shown in the handoff; undefined for real sources. */
  readonly sandboxTag?: string;
  /** Other names the sources may know this responder by (their PagerDuty user's name and email). */
  readonly aliases?: readonly string[];
  /** Time for waits; by default the wall clock, scaled by `speed` (tests pass a simulated one). */
  readonly clock?: Clock;
  /** The actions' limits (the configuration's `limits`); the defaults otherwise. */
  readonly limits?: ActionLimits;
}

/**
 * The cockpit's heavier services, each loaded the first time it is needed (SQLite, the runbook
 * parser, the remediation engine stay out of the first frame): the journal, the runbooks and their
 * matching, the action engine the incident screen acts through, and the incident rooms.
 */
export class CockpitServices {
  private journalP?: Promise<Journal>;
  private runbooksP?: Promise<RunbookSet>;
  private readonly rooms = new Map<string, Room>();
  private recorderP?: Promise<TimelineRecorder>;
  private unfollow?: () => void;
  private timer?: AlarmActionsTimer;
  readonly who: Who;

  constructor(readonly o: CockpitServicesOptions) {
    this.who = { kind: 'local', id: o.user.email ?? o.user.name, name: o.user.name };
  }

  /** The timeline recorder (recorder.ts), on this cockpit's journal; a sandbox run is marked as begun. */
  recorder(): Promise<TimelineRecorder> {
    this.recorderP ??= Promise.all([import('../record/recorder.js'), import('../record/who.js'), this.journal()]).then(([{ TimelineRecorder }, { identity }, journal]) => {
      const me: Identity = identity(this.who, this.o.user.email, ...(this.o.aliases ?? []));
      const r = new TimelineRecorder({ journal, sources: this.o.sources, policy: this.o.policy, me });
      r.start('cockpit');
      return r;
    });
    return this.recorderP;
  }

  /**
   * Records what the live model sees, for as long as the cockpit runs (the journal is opened after the
   * first frame, like everything here). Recording never takes the screen down: failures are dropped.
   */
  record(live: LiveModel): void {
    void Promise.all([this.recorder(), import('../record/follow.js')])
      .then(([r, { follow }]) => {
        this.unfollow = follow(live, r);
      })
      .catch(() => undefined);
  }

  journal(): Promise<Journal> {
    this.journalP ??= import('../journal/index.js').then((m) => m.openJournal(this.o.journalFile));
    return this.journalP;
  }

  runbooks(): Promise<RunbookSet> {
    this.runbooksP ??= import('../runbooks/load.js').then((m) => m.loadRunbooks({ dirs: this.o.runbookDirs.map((d) => m.resolveRunbookDir(d, this.o.env)) }));
    return this.runbooksP;
  }

  /** The runbook that matches an alarm or an incident, if the runbooks are loaded (never waits for them). */
  async runbookFor(subject: { alarm?: Alarm; incident?: Incident }): Promise<LoadedRunbook | undefined> {
    const [{ matchRunbook }, set] = await Promise.all([import('../runbooks/match.js'), this.runbooks()]);
    return matchRunbook(set.runbooks, subject, this.o.policy.rules)?.runbook;
  }

  /** Time for waits: the sandbox's runs `speed` times faster than the wall clock. */
  clock(): Clock {
    if (this.o.clock) return this.o.clock;
    const speed = Math.max(0.001, this.o.speed);
    const now = () => Math.floor(this.o.sources.now());
    return {
      now,
      pollMs: this.o.sources.simulation ? 60_000 : 15_000,
      wait: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
          if (signal?.aborted) return reject(new Error('the wait was stopped'));
          const timer = setTimeout(() => {
            signal?.removeEventListener('abort', stop);
            resolve();
          }, Math.max(0, ms / speed));
          const stop = () => {
            clearTimeout(timer);
            reject(new Error('the wait was stopped'));
          };
          signal?.addEventListener('abort', stop, { once: true });
        }),
    };
  }

  /**
   * What re-enables muted CloudWatch alarms when their time is up (the cockpit starts it); undefined when
   * the sources cannot switch alarm actions (no CloudWatch).
   */
  alarmActionsTimer(): AlarmActionsTimer | undefined {
    if (!this.o.sources.alarmActions) return undefined;
    this.timer ??= new AlarmActionsTimer({
      journal: () => this.journal(),
      engine: () => this.engine(),
      clock: this.clock(),
      readonly: this.o.readonly,
      freshOnly: this.o.sandboxTag !== undefined,
      firstLookAfterMs: 1_500,
    });
    return this.timer;
  }

  /** The action engine for one incident, journaling into it. */
  async engine(incident?: Incident): Promise<ActionEngine> {
    const [{ createActionEngine }, journal] = await Promise.all([import('../actions/engine.js'), this.journal()]);
    const journalIncidentId = incident ? await this.recordIncident(incident) : undefined;
    return createActionEngine({
      sources: this.o.sources,
      actor: this.o.user,
      who: this.who,
      clock: this.clock(),
      readonly: this.o.readonly,
      ...(this.o.limits ? { limits: this.o.limits } : {}),
      journal,
      ...(journalIncidentId ? { journalIncidentId, incidentId: incident!.id } : {}),
    });
  }

  /** The journal's id for a source incident: its own (sandbox ids carry their run's tag). */
  journalId(incident: Incident): string {
    return incident.id;
  }

  /**
   * Puts the incident in the journal if it is not there yet (through the recorder, as any change is), and
   * returns its journal id. An incident of this cockpit's own (an alarm that paged nobody) is recorded as
   * opened by the responder.
   */
  async recordIncident(incident: Incident): Promise<string> {
    const journal = await this.journal();
    const id = this.journalId(incident);
    if (journal.incident(id)) return id;
    if (incident.id.startsWith('local-')) {
      const run = this.o.sources.simulation?.run;
      journal.append({
        kind: 'incident.created',
        who: this.who,
        incidentId: id,
        at: incident.createdAt,
        key: `${id}:created`,
        payload: {
          title: incident.title,
          ...(incident.priority ? { priority: incident.priority } : {}),
          service: incident.service,
          source: 'local',
          alarmNames: [...incident.alarmNames],
          ...(run ? { run } : {}),
        },
      });
      return id;
    }
    const recorder = await this.recorder();
    await recorder.observe({ incidents: [incident] });
    return id;
  }

  /**
   * The incident room for an incident, or for an alarm (its open incident, or a local one when it
   * paged nobody). The same room comes back while the program runs; after a restart the journal
   * brings it back to where it was.
   */
  async openRoom(
    target: { incident?: Incident; alarm?: Alarm },
    seen: { readonly incidents: readonly Incident[]; readonly alarms: readonly Alarm[] },
    /** `ownRunbook`: the incident already has a room: work this alarm's own runbook in it (the room switches; the journal keeps both). */
    opts: { readonly ownRunbook?: boolean } = {},
  ): Promise<Room> {
    const incident = target.incident ?? seen.incidents.find((i) => i.status !== 'resolved' && target.alarm && i.alarmNames.includes(target.alarm.name)) ?? (target.alarm ? localIncident(target.alarm) : undefined);
    if (!incident) throw new Error('nothing to open a room for');
    // From an incident, the alarm that opened it: runbooks template its dimensions (the service, the DB).
    const alarm = target.alarm ?? incident.alarmNames.map((n) => seen.alarms.find((a) => a.name === n)).find((a) => a !== undefined);
    const key = this.journalId(incident);
    const existing = this.rooms.get(key);
    if (existing && opts.ownRunbook && target.alarm) {
      const own = await this.runbookFor({ alarm: target.alarm });
      if (own && own.runbook.id !== existing.runbook.runbook.id) existing.switchTo(own, `you asked for the runbook of ${target.alarm.name}`, target.alarm);
    }
    if (existing) return existing;
    const runbook = await this.runbookFor({ alarm, incident });
    if (!runbook) throw new Error('no runbook matches (not even the default one): see vitascope-oncall runbooks lint');
    const journal = await this.journal();
    const journalIncidentId = await this.recordIncident(incident);
    const room = await Room.open({
      services: this,
      sources: this.o.sources,
      journal,
      journalIncidentId,
      incident,
      alarm,
      runbook,
    });
    this.rooms.set(key, room);
    return room;
  }

  /**
   * The handoff report for the week up to now (redacted, as it would be shared), built from the journal
   * and the sources exactly as `vitascope-oncall handoff` builds it.
   */
  async handoff(days = 7): Promise<HandoffReport> {
    const [{ produceHandoff }, journal, set] = await Promise.all([import('../reports/produce.js'), this.journal(), this.runbooks().catch(() => undefined)]);
    const now = Math.floor(this.o.sources.now());
    const env = this.o.sources.environment;
    const { report } = await produceHandoff(
      {
        journal,
        sources: this.o.sources,
        policy: this.o.policy,
        now,
        environment: env.kind === 'sandbox' ? `SANDBOX${this.o.sandboxTag ? ` (${this.o.sandboxTag})` : ''}` : `${env.label}${env.account ? ` ${env.account}` : ''}`,
        logOrigin: env.kind === 'sandbox' ? 'sandbox' : 'pagerduty',
        // This cockpit's recorder keeps the journal up to date; a sandbox's world is this run's.
        replay: this.o.sources.simulation !== undefined,
        run: this.o.sources.simulation?.run ?? '',
        ...(set ? { runbooks: set.runbooks } : {}),
      },
      // Inclusive of this moment: a note written just now belongs to this handoff.
      { from: now - days * 24 * 3_600_000, to: now + 1 },
      { lang: 'en', format: 'md', redact: true },
    );
    return report;
  }

  /** The outgoing responder's handoff note, journaled. */
  async addHandoffNote(text: string): Promise<void> {
    const journal = await this.journal();
    journal.addHandoff({ text, who: this.who, at: Math.floor(this.o.sources.now()) });
  }

  /** The incoming responder acknowledges every handoff note not yet acknowledged; journaled. Returns how many. */
  async acknowledgeHandoffs(): Promise<number> {
    const journal = await this.journal();
    const open = journal.handoffs({ unacknowledged: true });
    for (const h of open) journal.acknowledgeHandoff(h.id, { who: this.who, at: Math.floor(this.o.sources.now()) });
    return open.length;
  }

  /** Rooms opened in this run, by journal id. */
  openRooms(): Room[] {
    return [...this.rooms.values()];
  }

  async close(): Promise<void> {
    this.timer?.stop();
    for (const room of this.rooms.values()) room.close();
    this.unfollow?.();
    // The evidence of this run's incidents, and the end of a sandbox run, before the journal closes.
    if (this.recorderP) await (await this.recorderP.catch(() => undefined))?.close().catch(() => undefined);
    if (this.journalP) (await this.journalP.catch(() => undefined))?.close();
  }
}

/** An alarm that paged nobody still gets a room: a local incident named after it. */
function localIncident(alarm: Alarm): Incident {
  return {
    id: `local-${alarm.name}-${alarm.stateSince}`,
    title: `ALARM: ${alarm.name}`,
    status: 'triggered',
    urgency: alarm.level === 'critical' ? 'high' : 'low',
    service: { id: 'local', name: alarm.metric?.dimensions.ServiceName ?? 'unassigned' },
    createdAt: alarm.stateSince,
    assignees: [],
    escalationLevel: 1,
    escalatedAt: alarm.stateSince,
    alarmNames: [alarm.name],
  };
}
