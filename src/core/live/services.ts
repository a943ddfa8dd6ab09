import type { Alarm, Incident, Person } from '../model.js';
import type { Policy } from '../policy/types.js';
import type { Sources } from '../../sources/ports.js';
import type { Journal, Who } from '../journal/index.js';
import type { RunbookSet } from '../runbooks/load.js';
import type { LoadedRunbook } from '../runbooks/types.js';
import type { ActionEngine } from '../actions/engine.js';
import type { Clock } from '../actions/clock.js';
import type { ActionLimits } from '../actions/limits.js';
import type { Room } from './room.js';
import { HandoffDesk } from './handoffDesk.js';
import { isLocalIncident, RoomRegistry } from './roomRegistry.js';
import { scaledClock } from './scaledClock.js';
import { AlarmActionsTimer } from './alarmActionsTimer.js';
import type { HandoffReport } from '../reports/types.js';
import type { LiveModel } from './model.js';
import type { TimelineRecorder } from '../record/recorder.js';
import type { Identity } from '../record/who.js';
import type { Replicator, TeamState } from '../team/replicator.js';
import type { ActionClaims } from '../actions/claims.js';
import type { JournalChange } from '../journal/index.js';

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
  /** The configuration's log groups of a service (logs.groups), for the rooms' logs steps; the strategy's otherwise. */
  readonly logGroups?: (service: string) => readonly string[] | undefined;
  /** The team timeline (core/team) for this journal, when `team.url` is configured: started with the journal. */
  readonly team?: (journal: Journal) => Replicator | undefined;
}

/**
 * The cockpit's heavier services, each loaded the first time it is needed (SQLite, the runbook
 * parser, the remediation engine stay out of the first frame): the journal, the runbooks and their
 * matching, the timeline recorder, and the action engine. The incident rooms (roomRegistry.ts), the
 * handoff (handoffDesk.ts) and the waits' clock (scaledClock.ts) are jobs of their own, composed here.
 */
export class CockpitServices {
  private journalP?: Promise<Journal>;
  private runbooksP?: Promise<RunbookSet>;
  private readonly rooms: RoomRegistry;
  private readonly handoffs: HandoffDesk;
  private recorderP?: Promise<TimelineRecorder>;
  private unfollow?: () => void;
  private timer?: AlarmActionsTimer;
  readonly who: Who;

  constructor(readonly o: CockpitServicesOptions) {
    this.who = { kind: 'local', id: o.user.email ?? o.user.name, name: o.user.name };
    const journal = () => this.journal();
    this.rooms = new RoomRegistry({
      services: this,
      sources: o.sources,
      journal,
      runbookFor: (s) => this.runbookFor(s),
      recordIncident: (i) => this.recordIncident(i),
    });
    this.handoffs = new HandoffDesk({
      sources: o.sources,
      policy: o.policy,
      who: this.who,
      journal,
      runbooks: () => this.runbooks(),
      sandboxTag: o.sandboxTag,
    });
  }

  /** The timeline recorder (recorder.ts), on this cockpit's journal; a sandbox run is marked as begun. */
  recorder(): Promise<TimelineRecorder> {
    this.recorderP ??= Promise.all([import('../record/recorder.js'), import('../record/who.js'), this.journal()]).then(
      ([{ TimelineRecorder }, { identity }, journal]) => {
        const me: Identity = identity(this.who, this.o.user.email, ...(this.o.aliases ?? []));
        const r = new TimelineRecorder({ journal, sources: this.o.sources, policy: this.o.policy, me });
        r.start('cockpit');
        return r;
      },
    );
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
    this.journalP ??= import('../journal/index.js').then((m) => {
      const journal = m.openJournal(this.o.journalFile);
      journal.onChange((change) => {
        for (const l of this.journalListeners) l(change);
      });
      this.replicator = this.o.team?.(journal);
      if (this.replicator) {
        this.replicator.subscribe(() => {
          for (const l of this.teamListeners) l();
        });
        this.replicator.start();
      }
      return journal;
    });
    return this.journalP;
  }

  private replicator?: Replicator;
  private readonly teamListeners = new Set<() => void>();
  private readonly journalListeners = new Set<(change: JournalChange) => void>();

  /** The team timeline's state (online, offline since, events waiting); undefined without a team server. */
  team(): TeamState | undefined {
    return this.replicator?.state();
  }

  /** Told when the team state changes (for the header). */
  subscribeTeam(listener: () => void): () => void {
    this.teamListeners.add(listener);
    return () => this.teamListeners.delete(listener);
  }

  /**
   * Told when events are recorded here or pulled from the team (Journal.onChange): the handoff screen and
   * rooms refresh on it, so a teammate's note shows as soon as it is pulled.
   */
  onJournalChange(listener: (change: JournalChange) => void): () => void {
    this.journalListeners.add(listener);
    return () => this.journalListeners.delete(listener);
  }

  /** The engine's claims port through the team server, when there is one. */
  claims(): ActionClaims | undefined {
    return this.replicator?.claims();
  }

  runbooks(): Promise<RunbookSet> {
    this.runbooksP ??= import('../runbooks/load.js').then((m) =>
      m.loadRunbooks({ dirs: this.o.runbookDirs.map((d) => m.resolveRunbookDir(d, this.o.env)) }),
    );
    return this.runbooksP;
  }

  /** The runbook that matches an alarm or an incident, if the runbooks are loaded (never waits for them). */
  async runbookFor(subject: { alarm?: Alarm; incident?: Incident }): Promise<LoadedRunbook | undefined> {
    const [{ matchRunbook }, set] = await Promise.all([import('../runbooks/match.js'), this.runbooks()]);
    return matchRunbook(set.runbooks, subject, this.o.policy.rules)?.runbook;
  }

  /** Time for waits: the sandbox's runs `speed` times faster than the wall clock. */
  clock(): Clock {
    return this.o.clock ?? scaledClock(this.o.sources, this.o.speed);
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
      ...(this.replicator ? { claims: this.replicator.claims() } : {}),
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
    if (isLocalIncident(incident)) {
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
   * The incident room for an incident or an alarm (roomRegistry.ts). `ownRunbook`: the incident already has a
   * room: work this alarm's own runbook in it (the room switches; the journal keeps both).
   */
  openRoom(
    target: { incident?: Incident; alarm?: Alarm },
    seen: { readonly incidents: readonly Incident[]; readonly alarms: readonly Alarm[] },
    opts: { readonly ownRunbook?: boolean } = {},
  ): Promise<Room> {
    return this.rooms.open(target, seen, opts);
  }

  /** The handoff report for the week up to now (handoffDesk.ts). */
  handoff(days = 7): Promise<HandoffReport> {
    return this.handoffs.report(days);
  }

  /** The outgoing responder's handoff note, journaled. */
  addHandoffNote(text: string): Promise<void> {
    return this.handoffs.addNote(text);
  }

  /** The incoming responder acknowledges every handoff note not yet acknowledged; journaled. Returns how many. */
  acknowledgeHandoffs(): Promise<number> {
    return this.handoffs.acknowledgeAll();
  }

  /** Rooms opened in this run, by journal id. */
  openRooms(): Room[] {
    return this.rooms.list();
  }

  async close(): Promise<void> {
    this.timer?.stop();
    this.rooms.close();
    this.unfollow?.();
    // The evidence of this run's incidents, and the end of a sandbox run, before the journal closes.
    if (this.recorderP) await (await this.recorderP.catch(() => undefined))?.close().catch(() => undefined);
    await this.replicator?.stop().catch(() => undefined);
    if (this.journalP) (await this.journalP.catch(() => undefined))?.close();
  }
}
