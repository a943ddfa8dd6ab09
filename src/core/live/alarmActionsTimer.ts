import type { ActionEngine } from '../actions/engine.js';
import type { Clock } from '../actions/clock.js';
import type { Journal, JournalEvent } from '../journal/index.js';
import { formatClock } from '../time.js';
import { parseDuration } from '../time.js';

/**
 * Re-enabling muted CloudWatch alarms when their time is up. CloudWatch has no timer of its own for
 * DisableAlarmActions, so the journal is the schedule: the last cloudwatch.disable-alarm-actions applied
 * to an alarm (not a dry run), with no enable after it, says the actions are off until its time plus its
 * duration. The running cockpit re-enables each one when that time comes, and on start re-enables those
 * already overdue, through the action engine (planned, journaled, read back). With no cockpit running,
 * nothing does: the README says so, and the alarm shows "actions off" in every cockpit and in `status`.
 */

export const DISABLE_ACTION = 'cloudwatch.disable-alarm-actions';
export const ENABLE_ACTION = 'cloudwatch.enable-alarm-actions';

/** An alarm whose actions the journal says are disabled, and until when. */
export interface DisabledActions {
  readonly alarm: string;
  readonly until: number;
  /** When and by whom they were disabled, and why. */
  readonly at: number;
  readonly by: string;
  readonly reason: string;
  readonly duration: string;
  /** Why the last attempt to re-enable them failed, if one did. */
  readonly error?: string;
}

/** Pure: the alarms the journal's action events leave disabled (events in journal order). */
export function disabledFromJournal(events: readonly JournalEvent[]): DisabledActions[] {
  const last = new Map<string, DisabledActions | undefined>();
  for (const e of events) {
    if (e.kind !== 'action.applied') continue;
    const p = e.payload as { actionId?: string; dryRun?: boolean; params?: Record<string, unknown> };
    if (p.dryRun || typeof p.params?.alarm !== 'string') continue;
    const alarm = p.params.alarm;
    if (p.actionId === ENABLE_ACTION) last.set(alarm, undefined);
    else if (p.actionId === DISABLE_ACTION) {
      const ms = parseDuration(String(p.params.duration ?? ''));
      if (ms === undefined) continue;
      last.set(alarm, {
        alarm,
        until: e.at + ms,
        at: e.at,
        by: e.who.name ?? e.who.id,
        reason: String(p.params.reason ?? ''),
        duration: String(p.params.duration),
      });
    }
  }
  return [...last.values()]
    .filter((d): d is DisabledActions => d !== undefined)
    .sort((a, b) => a.until - b.until || a.alarm.localeCompare(b.alarm));
}

export interface AlarmActionsTimerOptions {
  readonly journal: () => Promise<Journal>;
  /** An engine to re-enable through (journaled like any action, by the local user). */
  readonly engine: () => Promise<ActionEngine>;
  readonly clock: Clock;
  /** Read-only: nothing is re-enabled; overdue alarms are shown as such. */
  readonly readonly: boolean;
  /** Longest wait between looks at the journal (another process may have muted something). */
  readonly lookEveryMs?: number;
  /**
   * Only what is journaled from now on counts: the sandbox starts a fresh world every run, while its
   * journal file keeps earlier runs' mutes (of alarms that world no longer has muted).
   */
  readonly freshOnly?: boolean;
  /** Real milliseconds before the first look, so that opening the journal stays out of the first frame. */
  readonly firstLookAfterMs?: number;
}

const LOOK_EVERY_MS = 60_000;

export class AlarmActionsTimer {
  private list: readonly DisabledActions[] = [];
  private readonly errors = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private controller?: AbortController;
  private wake?: () => void;
  /** With freshOnly: the journal's events up to this seq were there before the start (or the first tick). */
  private afterSeq?: Promise<number>;

  constructor(private readonly o: AlarmActionsTimerOptions) {}

  /** The alarms disabled now, by the journal, with any re-enable error; the same array until it changes. */
  snapshot(): readonly DisabledActions[] {
    return this.list;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the loop: overdue alarms are re-enabled at once, the others when their time comes. */
  start(): void {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    if (this.o.freshOnly) this.baseline();
    const first = setTimeout(() => void this.loop(controller.signal), this.o.firstLookAfterMs ?? 0);
    (first as { unref?: () => void }).unref?.();
    controller.signal.addEventListener('abort', () => clearTimeout(first), { once: true });
  }

  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
  }

  /** Look at the journal again now (after a mute or an unmute in this cockpit). */
  poke(): void {
    this.wake?.();
  }

  /** One pass: re-read the journal, re-enable what is due. Returns when the next alarm is due (or undefined). */
  async tick(): Promise<number | undefined> {
    const journal = await this.o.journal();
    const afterSeq = this.o.freshOnly ? await this.baseline() : undefined;
    const read = () =>
      disabledFromJournal(
        journal.query({
          kinds: ['action.applied'],
          actionIds: [DISABLE_ACTION, ENABLE_ACTION],
          ...(afterSeq !== undefined ? { afterSeq } : {}),
        }),
      );
    this.update(read());
    const now = this.o.clock.now();
    if (!this.o.readonly) {
      for (const d of this.list.filter((x) => x.until <= now)) {
        try {
          const engine = await this.o.engine();
          const outcome = await engine.run(
            {
              action: ENABLE_ACTION,
              params: { alarm: d.alarm, reason: `the ${d.duration} ${d.by} set at ${formatClock(d.at)} is up` },
            },
            async () => ({ answer: 'confirm' }),
          );
          if (outcome.status === 'failed') this.errors.set(d.alarm, outcome.error);
          else this.errors.delete(d.alarm);
        } catch (error) {
          this.errors.set(d.alarm, error instanceof Error ? error.message : String(error));
        }
      }
      this.update(read());
    }
    const future = this.list.filter((x) => x.until > now).map((x) => x.until);
    return future.length ? Math.min(...future) : undefined;
  }

  /** The last relevant seq when this run began: what came before is an earlier run's world. */
  private baseline(): Promise<number> {
    this.afterSeq ??= this.o
      .journal()
      .then((j) =>
        j
          .query({ kinds: ['action.applied'], actionIds: [DISABLE_ACTION, ENABLE_ACTION] })
          .reduce((m, e) => Math.max(m, e.seq), 0),
      );
    return this.afterSeq;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const every = this.o.lookEveryMs ?? LOOK_EVERY_MS;
    while (!signal.aborted) {
      let next: number | undefined;
      try {
        next = await this.tick();
      } catch {
        // The journal unreadable for a moment: look again later.
      }
      if (signal.aborted) return;
      // Failed re-enables are retried at the next look, not in a tight loop.
      const wait = Math.max(1_000, Math.min(every, next === undefined ? every : next - this.o.clock.now()));
      const woken = new AbortController();
      const stop = () => woken.abort();
      signal.addEventListener('abort', stop, { once: true });
      this.wake = stop;
      await this.o.clock.wait(wait, woken.signal).catch(() => undefined);
      signal.removeEventListener('abort', stop);
      this.wake = undefined;
    }
  }

  private update(next: readonly DisabledActions[]): void {
    const withErrors = next.map((d) => (this.errors.has(d.alarm) ? { ...d, error: this.errors.get(d.alarm)! } : d));
    if (JSON.stringify(withErrors) === JSON.stringify(this.list)) return;
    this.list = withErrors;
    for (const l of this.listeners) l();
  }
}
