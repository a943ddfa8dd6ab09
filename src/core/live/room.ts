import type { Alarm, Incident } from '../model.js';
import type { Journal, Lease } from '../journal/index.js';
import type { LoadedRunbook } from '../runbooks/types.js';
import type { Pending, PromptResponder } from '../runbooks/responder.js';
import type { Runner } from '../runbooks/runner.js';
import type { RunnerSnapshot } from '../runbooks/progress.js';
import type { TemplateValue } from '../runbooks/template.js';
import type { ConfirmAnswer } from '../actions/types.js';
import type { Sources } from '../../sources/ports.js';
import type { CockpitServices } from './services.js';
import { teammateActivity, TEAMMATE_KINDS, type TeammateActivity } from '../team/activity.js';

export interface RoomView {
  readonly id: string;
  readonly incident: Incident;
  readonly alarm?: Alarm;
  /** `titleJa`: the runbook's Japanese title, when it has one (the Japanese screen shows it). */
  readonly runbook: {
    readonly id: string;
    readonly title: string;
    readonly titleJa?: string;
    readonly priority: string;
  };
  /** The runbooks worked in this room before this one (handovers), oldest first, and why each was left. */
  readonly before?: readonly { readonly id: string; readonly title: string; readonly why: string }[];
  readonly runner: RunnerSnapshot;
  /** When this room opened in this run (the sources' clock): news are what happened after. */
  readonly openedAt?: number;
  /** The question waiting for the responder (confirm, decide, note, parameter). */
  readonly pending?: Pending;
  /** Why the last answer to a parameter was not taken (not a number, not an address…). */
  readonly paramError?: string;
  /** Set when the runner stopped on an error. */
  readonly error?: string;
  /** Another live process runs this room's automatic steps (its lease in the journal); this one follows. */
  readonly heldBy?: Lease;
  readonly running: boolean;
  /** Teammates' steps, decisions and notes in this incident (the team timeline), newest last. */
  readonly teammates?: readonly TeammateActivity[];
}

/** How often a room run elsewhere asks again for the lease (and re-reads where the room is). */
export const HELD_RETRY_MS = 5_000;

/** The runner's class, loaded with the runner (lazily: the cockpit's first frame does without it). */
let RoomHeldError: typeof import('../runbooks/runner.js').RoomHeldError | undefined;

/** The parameters' rules (paramPrompt.ts), loaded with the runner. */
let paramRules: Pick<typeof import('../runbooks/paramPrompt.js'), 'answerParam' | 'validateParam'> | undefined;

/**
 * An incident room: the matched runbook worked through with the responder, step by step, by the
 * runbook runner. It runs on while the responder looks elsewhere (a question waits for them); the
 * journal keeps every step, so leaving and coming back — or restarting the program — resumes it.
 */
export class Room {
  private readonly listeners = new Set<() => void>();
  private error?: string;
  private paramError?: string;
  private heldBy?: Lease;
  private retry?: ReturnType<typeof setTimeout>;
  private stopped = false;
  private running = false;
  private cached?: RoomView;
  private teammates: readonly TeammateActivity[] = [];
  private unfollowTeam?: () => void;

  private runner!: Runner;
  private responder!: PromptResponder;
  private offRunner?: () => void;
  private offResponder?: () => void;
  /** The runbooks this room worked before the one it works now (handovers), oldest first. */
  private readonly before: { readonly id: string; readonly title: string; readonly why: string }[] = [];

  private constructor(
    readonly id: string,
    readonly incident: Incident,
    public alarm: Alarm | undefined,
    public runbook: LoadedRunbook,
    private readonly make: (
      runbook: LoadedRunbook,
      alarm: Alarm | undefined,
    ) => { runner: Runner; responder: PromptResponder },
    /** Finds another runbook by id, for a handover; undefined when it is not loaded. */
    private readonly find: (id: string) => Promise<LoadedRunbook | undefined>,
    readonly openedAt: number,
    /** The alarm a runbook handed over to is about (one it matches, firing first); undefined when none is. */
    private readonly alarmFor: (runbook: LoadedRunbook) => Promise<Alarm | undefined> = async () => undefined,
  ) {
    this.attach(runbook);
  }

  private attach(runbook: LoadedRunbook): void {
    this.offRunner?.();
    this.offResponder?.();
    const { runner, responder } = this.make(runbook, this.alarm);
    this.runbook = runbook;
    this.runner = runner;
    this.responder = responder;
    this.offRunner = runner.subscribe(() => this.changed());
    this.offResponder = responder.subscribe(() => this.changed());
  }

  /**
   * Works another runbook in this room from now on (a decision's handover, or the responder asking for
   * an alarm's own runbook): the journal keeps the steps of both, each under its runbook's id, so going
   * back later resumes each where it was. A room that runs is stopped first and started on the new one.
   */
  switchTo(runbook: LoadedRunbook, why: string, alarm?: Alarm): void {
    if (runbook.runbook.id === this.runbook.runbook.id) return;
    const wasRunning = this.running;
    this.before.push({ id: this.runbook.runbook.id, title: this.runbook.runbook.title, why });
    this.runner.abandon();
    // The alarm's own runbook is templated with that alarm (its service, its database).
    if (alarm) this.alarm = alarm;
    this.attach(runbook);
    this.changed();
    if (wasRunning) this.pendingStart = true;
    else this.start();
  }

  /** Set when a switch happened while the old runner was still winding down: start once it has. */
  private pendingStart = false;

  static async open(o: {
    services: CockpitServices;
    sources: Sources;
    journal: Journal;
    journalIncidentId: string;
    incident: Incident;
    alarm?: Alarm;
    runbook: LoadedRunbook;
  }): Promise<Room> {
    const [{ createRunner, RoomHeldError: held }, { createPromptResponder }, prompts] = await Promise.all([
      import('../runbooks/runner.js'),
      import('../runbooks/responder.js'),
      import('../runbooks/paramPrompt.js'),
    ]);
    RoomHeldError ??= held;
    paramRules ??= prompts;
    const make = (runbook: LoadedRunbook, alarm: Alarm | undefined) => {
      const responder = createPromptResponder();
      const runner = createRunner({
        runbook,
        incident: o.incident,
        ...(alarm ? { alarm } : {}),
        sources: o.sources,
        journal: o.journal,
        journalIncidentId: o.journalIncidentId,
        actor: o.services.o.user,
        who: o.services.who,
        clock: o.services.clock(),
        responder,
        readonly: o.services.o.readonly,
        ...(o.services.o.limits ? { limits: o.services.o.limits } : {}),
        ...(o.services.o.logGroups ? { logGroups: o.services.o.logGroups } : {}),
        ...(o.services.claims() ? { claims: o.services.claims() } : {}),
        // A command step in the sandbox would reach real systems (aws, kubectl…): plans only.
        commandsDryRun: o.sources.simulation !== undefined,
      });
      return { runner, responder };
    };
    const find = async (id: string) => (await o.services.runbooks()).runbooks.find((r) => r.runbook.id === id);
    const alarmFor = async (runbook: LoadedRunbook): Promise<Alarm | undefined> => {
      const { rankRunbooks } = await import('../runbooks/match.js');
      const alarms = (await o.sources.alarms?.listAlarms().catch(() => undefined)) ?? [];
      const about = alarms.filter((a) =>
        ['alarm', 'alarm-pattern', 'rule', 'metric'].includes(
          rankRunbooks([runbook], { alarm: a }, o.services.o.policy.rules)[0]?.tier ?? '',
        ),
      );
      return about.find((a) => a.state === 'ALARM') ?? about[0];
    };
    const room = new Room(o.journalIncidentId, o.incident, o.alarm, o.runbook, make, find, o.sources.now(), alarmFor);
    room.followTeam(o.services, o.journal);
    room.start();
    return room;
  }

  /** Shows what teammates record in this incident as it is pulled from the team server. */
  private followTeam(services: CockpitServices, journal: Journal): void {
    const read = () => {
      const events = journal.query({ incidentId: this.id, kinds: [...TEAMMATE_KINDS] });
      const next = teammateActivity(events, services.who);
      if (next.length !== this.teammates.length || next.some((t, i) => t.seq !== this.teammates[i]!.seq)) {
        this.teammates = next;
        this.changed();
      }
    };
    read();
    this.unfollowTeam = services.onJournalChange((c) => {
      if (c.origin === 'team' && c.incidentIds.includes(this.id)) read();
    });
  }

  /** Runs (or resumes) the runbook in the background; a stopped or failed room can be started again. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    this.error = undefined;
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    this.changed();
    this.runner
      .run()
      .then(async (result) => {
        this.heldBy = undefined;
        if (result.handover && !this.stopped) {
          const next = await this.find(result.handover.runbookId);
          if (!next)
            throw new Error(
              `“${result.handover.label}” hands over to runbook ${result.handover.runbookId}, which is not loaded (vitascope-oncall runbooks lint)`,
            );
          // The runbook handed over to is templated with its own alarm (the dependency's, not the API
          // errors'): its checks then wait on the right alarm and its steps see the right dimensions.
          const alarm = await this.alarmFor(next);
          this.switchTo(next, `you chose “${result.handover.label}” at “${result.handover.stepTitle}”`, alarm);
        }
      })
      .catch((e: unknown) => {
        if (RoomHeldError && e instanceof RoomHeldError) {
          // Run elsewhere: follow it, and take over when that process lets go (or its lease expires).
          this.heldBy = e.heldBy;
          this.retry = setTimeout(() => {
            this.retry = undefined;
            if (!this.stopped) this.start();
          }, HELD_RETRY_MS);
          this.retry.unref?.();
          return;
        }
        this.heldBy = undefined;
        this.error = e instanceof Error ? e.message : String(e);
      })
      .finally(() => {
        this.running = false;
        this.changed();
        if (this.pendingStart) {
          this.pendingStart = false;
          this.start();
        }
      });
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    this.runner.stop();
  }

  /** The program is closing: stop now and let go of the room, so that another cockpit can run it at once. */
  close(): void {
    this.unfollowTeam?.();
    this.stop();
    this.runner.abandon();
  }

  skipWait(): void {
    this.runner.skipWait();
  }

  /**
   * Answers the open question. A parameter is checked first (paramPrompt.ts): an empty answer takes the
   * suggestion, and a value the catalogue refuses (a `y` for a disk size) is not taken: the question
   * stays open with the reason in `paramError`, so that a key meant for something else never becomes a value.
   */
  answer(value: ConfirmAnswer | string | TemplateValue | undefined): void {
    const p = this.responder.current;
    if (p?.kind === 'param' && paramRules && (value === undefined || typeof value !== 'object')) {
      const r = paramRules.answerParam(p, value === undefined ? '' : String(value));
      if (r.error) {
        this.paramError = r.error;
        this.changed();
        return;
      }
      this.paramError = undefined;
      this.responder.answer(r.value);
      return;
    }
    this.paramError = undefined;
    this.responder.answer(value);
  }

  /** What is wrong with a parameter as typed so far (undefined when it would be taken), for the prompt to show as the responder types. */
  checkParam(text: string): string | undefined {
    const p = this.responder.current;
    return p?.kind === 'param' && paramRules ? paramRules.validateParam(p, text) : undefined;
  }

  /** Does a failed, declined or dry-run step again (runner.retry); a room that finished goes on from it. Why not, when it cannot. */
  retryStep(stepId: string): string | undefined {
    const why = this.runner.retry(stepId);
    if (why === undefined && !this.running) this.start();
    return why;
  }

  /** Writes a note step's text now (one skipped, a required one still missing). Why not, when it cannot. */
  writeNote(stepId: string, text: string): string | undefined {
    return this.runner.writeNote(stepId, text);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The same object until something changes. */
  view(): RoomView {
    const rb = this.runbook.runbook;
    this.cached ??= {
      id: this.id,
      incident: this.incident,
      alarm: this.alarm,
      runbook: { id: rb.id, title: rb.title, ...(rb.titleJa ? { titleJa: rb.titleJa } : {}), priority: rb.priority },
      ...(this.before.length ? { before: [...this.before] } : {}),
      runner: this.runner.snapshot(),
      openedAt: this.openedAt,
      pending: this.responder.current,
      ...(this.paramError ? { paramError: this.paramError } : {}),
      error: this.error,
      ...(this.heldBy ? { heldBy: this.heldBy } : {}),
      running: this.running,
      teammates: this.teammates,
    };
    return this.cached;
  }

  private changed(): void {
    this.cached = undefined;
    for (const l of this.listeners) l();
  }
}
