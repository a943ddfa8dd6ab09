import os from 'node:os';
import type { Journal } from '../journal/index.js';
import { redactSecrets } from '../journal/secrets.js';
import type { ActionClaims, ClaimOutcome } from '../actions/claims.js';
import type { TeamLog, TeamServerStatus } from './port.js';
import { outgoing } from './wire.js';

/**
 * The team timeline's replicator: pushes this journal's new events to the team server and pulls the
 * teammates', local-first (journal/replica.ts keeps the cursors in the journal file, so a restart or a
 * SIGKILL loses nothing: what was not confirmed is sent again and the server keeps one copy).
 *
 * Rounds run one at a time: on start, when this process records something, when a teammate's push is
 * announced (LISTEN/NOTIFY), and every `pollMs` as a backstop. A failed round marks the team offline
 * (since when, how many events wait) and retries with backoff (1 s doubling to 30 s, jittered); the
 * journal goes on recording meanwhile.
 */

export interface TeamState {
  readonly state: 'connecting' | 'online' | 'offline';
  /** When the team server was first found unreachable in this outage (epoch ms, wall clock). */
  readonly offlineSince?: number;
  readonly lastError?: string;
  /** Local events not yet on the server. */
  readonly waiting: number;
  readonly lastSyncAt?: number;
  /** Events pushed and pulled by this process. */
  readonly pushed: number;
  readonly pulled: number;
}

export interface RoundResult {
  readonly pushed: number;
  readonly pulled: number;
  readonly duplicates: number;
  readonly refused: number;
}

export interface ReplicatorOptions {
  readonly journal: Journal;
  readonly log: TeamLog;
  /** The server as messages name it (no credentials). */
  readonly label?: string;
  /** Who claims show (the responder's name). */
  readonly name: string;
  readonly retainDays?: number;
  readonly pollMs?: number;
  readonly batch?: number;
  readonly now?: () => number;
  /** How long a claim lasts unless renewed (renewed every third of it while the action runs). */
  readonly claimTtlMs?: number;
}

const PUSH_BATCH = 500;
const PULL_BATCH = 1_000;

function message(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error))
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

export class Replicator {
  private readonly listeners = new Set<() => void>();
  private current: TeamState;
  private running?: Promise<RoundResult>;
  private again = false;
  private timer?: ReturnType<typeof setTimeout>;
  private failures = 0;
  private expiredAt = -Infinity;
  private started = false;
  private stopped = false;
  private unsubscribe?: () => void;
  private readonly now: () => number;
  /** Claim releases in flight: stop() waits for them, so a headless command lets go before it exits. */
  private readonly releasing = new Set<Promise<unknown>>();

  constructor(private readonly o: ReplicatorOptions) {
    this.now = o.now ?? Date.now;
    this.current = { state: 'connecting', waiting: o.journal.replica.waiting(), pushed: 0, pulled: 0 };
  }

  state(): TeamState {
    return this.current;
  }

  get label(): string {
    return this.o.label ?? 'the team server';
  }

  /** The server's schema version, its event count and the privileges the role lacks (doctor, team status). */
  serverStatus(): Promise<TeamServerStatus> {
    return this.o.log.open().then(() => this.o.log.status());
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(next: Partial<TeamState>): void {
    this.current = { ...this.current, ...next };
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // A listener's failure is the UI's.
      }
    }
  }

  /** One push-and-pull round (joined if one is running; another follows when asked meanwhile). */
  round(): Promise<RoundResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.once().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.round().catch(() => undefined);
      }
    });
    return this.running;
  }

  private async once(): Promise<RoundResult> {
    const { journal, log } = this.o;
    const replica = journal.replica;
    const me = replica.installation();
    let pushed = 0;
    let pulled = 0;
    let duplicates = 0;
    let refused = 0;
    try {
      await log.open();
      for (;;) {
        const batch = replica.outgoing(this.o.batch ?? PUSH_BATCH);
        if (!batch.length) break;
        await log.push(batch.map((e) => outgoing(e)));
        replica.pushed(batch[batch.length - 1]!.seq);
        pushed += batch.length;
        if (this.stopped) break;
      }
      for (let page = 0; page < 1_000 && !this.stopped; page++) {
        const events = await log.pull(replica.cursors(), me, PULL_BATCH);
        if (!events.length) break;
        const r = replica.store(events);
        pulled += r.stored;
        duplicates += r.duplicates;
        refused += r.refused;
        // Only what waits for another origin's events was left: the next page brings those.
        if (r.stored + r.duplicates + r.refused === 0) break;
      }
      // Retention is a slow concern: at most once an hour per process, not every round.
      if (this.o.retainDays && this.now() - this.expiredAt >= 3_600_000) {
        await log.expire(this.o.retainDays * 86_400_000);
        this.expiredAt = this.now();
      }
      this.failures = 0;
      const at = this.now();
      replica.set('lastSyncAt', String(at));
      replica.set('offlineSince', undefined);
      this.set({
        state: 'online',
        offlineSince: undefined,
        lastError: undefined,
        lastSyncAt: at,
        waiting: replica.waiting(),
        pushed: this.current.pushed + pushed,
        pulled: this.current.pulled + pulled,
      });
      return { pushed, pulled, duplicates, refused };
    } catch (error) {
      this.failures++;
      const since = this.current.offlineSince ?? Number(replica.get('offlineSince') ?? this.now());
      replica.set('offlineSince', String(since));
      this.set({
        state: 'offline',
        offlineSince: since,
        lastError: message(error),
        waiting: replica.waiting(),
        pushed: this.current.pushed + pushed,
        pulled: this.current.pulled + pulled,
      });
      throw error;
    }
  }

  /** Replicates in the background until stop(): listens, follows local appends, polls, backs off. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.o.journal.onChange((c) => {
      if (c.origin === 'local') {
        this.set({ waiting: this.o.journal.replica.waiting() });
        this.kick();
      }
    });
    this.kick();
  }

  /** Runs a round now; schedules the next (the poll, or the backoff after a failure). */
  private kick(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.round()
      .then(() => this.listen())
      .catch(() => undefined)
      .finally(() => this.schedule());
  }

  private schedule(): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const backoff = this.failures
      ? Math.min(30_000, 1_000 * 2 ** (this.failures - 1)) * (0.75 + Math.random() * 0.5)
      : (this.o.pollMs ?? 5_000);
    this.timer = setTimeout(() => this.kick(), backoff);
    this.timer.unref?.();
  }

  private listening = false;
  private async listen(): Promise<void> {
    if (this.listening || this.stopped) return;
    this.listening = true;
    try {
      await this.o.log.listen(
        () => this.kick(),
        () => {
          this.listening = false;
          this.kick();
        },
      );
    } catch {
      this.listening = false;
    }
  }

  /** The engine's claims port (actions/claims.ts) through this team server. */
  claims(): ActionClaims {
    const ttl = this.o.claimTtlMs ?? 60_000;
    return {
      claim: async (key): Promise<ClaimOutcome> => {
        let answer;
        try {
          await this.o.log.open();
          answer = await this.o.log.claim(
            key,
            { name: this.o.name, origin: this.o.journal.replica.installation() },
            ttl,
          );
        } catch (error) {
          return { kind: 'offline', reason: `team server: ${message(error)}` };
        }
        if (answer.kind === 'held') return { kind: 'held', by: { name: answer.by.name, heldMs: answer.by.heldMs } };
        const token = answer.token;
        const renew = setInterval(
          () => void this.o.log.renew(key, token, ttl).catch(() => undefined),
          Math.floor(ttl / 3),
        );
        renew.unref?.();
        return {
          kind: 'granted',
          release: () => {
            clearInterval(renew);
            const p = this.o.log.release(key, token).catch(() => undefined);
            this.releasing.add(p);
            void p.finally(() => this.releasing.delete(p));
          },
        };
      },
    };
  }

  /**
   * Stops replicating and closes the connections. Quitting never waits long for a server that hangs: a
   * round still running gets `graceMs` (what it has not confirmed is pushed again next time).
   */
  async stop(graceMs = 2_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe?.();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([
      Promise.all([this.running?.catch(() => undefined), ...this.releasing]).then(() => this.o.log.close()),
      grace,
    ]);
    clearTimeout(timer);
  }
}

/** The name a claim shows: the configured responder's, else the OS user's. */
export function claimName(name: string | undefined): string {
  if (name) return name;
  try {
    return os.userInfo().username;
  } catch {
    return 'someone';
  }
}
