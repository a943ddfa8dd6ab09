import type { Journal, Who } from '../journal/index.js';
import type { Policy } from '../policy/types.js';
import type { HandoffReport } from '../reports/types.js';
import type { RunbookSet } from '../runbooks/load.js';
import type { Sources } from '../../sources/ports.js';

export interface HandoffDeskOptions {
  readonly sources: Sources;
  readonly policy: Policy;
  readonly who: Who;
  readonly journal: () => Promise<Journal>;
  readonly runbooks: () => Promise<RunbookSet>;
  /** The sandbox run ("api-cpu-spike · seed 1 · run k7q2x1"), shown in the handoff; undefined for real sources. */
  readonly sandboxTag?: string;
}

/** The handoff screen's jobs: the week's report, the outgoing responder's note, the incoming one's acknowledgement. */
export class HandoffDesk {
  constructor(private readonly o: HandoffDeskOptions) {}

  /**
   * The handoff report for the week up to now (redacted, as it would be shared), built from the journal
   * and the sources exactly as `vitascope-oncall handoff` builds it.
   */
  async report(days = 7): Promise<HandoffReport> {
    const [{ produceHandoff }, journal, set] = await Promise.all([
      import('../reports/produce.js'),
      this.o.journal(),
      this.o.runbooks().catch(() => undefined),
    ]);
    const sources = this.o.sources;
    const now = Math.floor(sources.now());
    const env = sources.environment;
    const { report } = await produceHandoff(
      {
        journal,
        sources,
        policy: this.o.policy,
        now,
        environment:
          env.kind === 'sandbox'
            ? `SANDBOX${this.o.sandboxTag ? ` (${this.o.sandboxTag})` : ''}`
            : `${env.label}${env.account ? ` ${env.account}` : ''}`,
        logOrigin: env.kind === 'sandbox' ? 'sandbox' : 'pagerduty',
        // This cockpit's recorder keeps the journal up to date; a sandbox's world is this run's.
        replay: sources.simulation !== undefined,
        run: sources.simulation?.run ?? '',
        ...(set ? { runbooks: set.runbooks } : {}),
      },
      // Inclusive of this moment: a note written just now belongs to this handoff.
      { from: now - days * 24 * 3_600_000, to: now + 1 },
      { lang: 'en', format: 'md', redact: true },
    );
    return report;
  }

  /** The outgoing responder's handoff note, journaled. */
  async addNote(text: string): Promise<void> {
    const journal = await this.o.journal();
    journal.addHandoff({ text, who: this.o.who, at: Math.floor(this.o.sources.now()) });
  }

  /** The incoming responder acknowledges every handoff note not yet acknowledged; journaled. Returns how many. */
  async acknowledgeAll(): Promise<number> {
    const journal = await this.o.journal();
    const open = journal.handoffs({ unacknowledged: true });
    for (const h of open) journal.acknowledgeHandoff(h.id, { who: this.o.who, at: Math.floor(this.o.sources.now()) });
    return open.length;
  }
}
