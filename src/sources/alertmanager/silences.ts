/**
 * Silences as the Silenceable capability port. A silence stops pages, so it is refused before
 * anything is sent unless it says why (a comment), who (createdBy), what (at least one matcher that
 * does not match everything) and for how long (a positive duration that has not already ended):
 * an empty comment or a zero-length silence is a mistake, not a request.
 *
 * Expiring is Alertmanager's DELETE /api/v2/silence/{id}; it keeps the silence, now ended, in its list
 * as "expired" until its retention runs out.
 */
import type { Silence, Silenceable } from '../ports.js';
import { HttpApiError, type AlertmanagerClient, type AlertmanagerSilence, type SilenceMatcher } from './client.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why this silence must not be sent, or undefined when it may. */
export function silenceProblem(silence: Omit<Silence, 'id' | 'state'>, now: number): string | undefined {
  if (!silence.comment || silence.comment.trim() === '') return 'a silence needs a comment saying why';
  if (!silence.createdBy || silence.createdBy.trim() === '') return 'a silence needs createdBy (who is silencing)';
  if (!Number.isFinite(silence.startsAt) || !Number.isFinite(silence.endsAt))
    return 'a silence needs a start and an end time';
  if (silence.endsAt <= silence.startsAt)
    return `a silence needs a positive duration (it ends ${Math.round((silence.startsAt - silence.endsAt) / 1000)} s before it starts)`;
  if (silence.endsAt <= now) return 'this silence would already be over';
  if (silence.matchers.length === 0) return 'a silence needs at least one matcher, or it would silence everything';
  for (const m of silence.matchers) {
    if (!LABEL_NAME.test(m.name)) return `"${m.name}" is not a label name`;
    if (m.isRegex) {
      try {
        new RegExp(`^(?:${m.value})$`);
      } catch {
        return `the matcher ${m.name}=~"${m.value}" is not a regular expression`;
      }
    }
  }
  // Alertmanager's own rule: a negative matcher (isEqual false) matches "" when its positive form does not.
  const matchesEmpty = (m: Omit<SilenceMatcher, 'isEqual'> & { isEqual?: boolean }) => {
    let positive: boolean;
    if (!m.isRegex) positive = m.value === '';
    else {
      try {
        positive = new RegExp(`^(?:${m.value})$`).test('');
      } catch {
        positive = false;
      }
    }
    return m.isEqual === false ? !positive : positive;
  };
  if (silence.matchers.every(matchesEmpty))
    return 'every matcher matches the empty string, so this silence would match every alert';
  return undefined;
}

export class AlertmanagerSilences implements Silenceable {
  constructor(
    private readonly client: AlertmanagerClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every silence Alertmanager still holds, newest first. Negative matchers keep isEqual: false. */
  async listSilences(): Promise<AlertmanagerSilence[]> {
    const list = await this.client.listSilences();
    return list.sort((a, b) => b.startsAt - a.startsAt || a.id.localeCompare(b.id));
  }

  async createSilence(silence: Omit<Silence, 'id' | 'state'>): Promise<string> {
    const problem = silenceProblem(silence, this.now());
    if (problem) throw new Error(`silence refused: ${problem}`);
    return this.client.postSilence({
      matchers: silence.matchers.map((m) => ({
        name: m.name,
        value: m.value,
        isRegex: m.isRegex,
        isEqual: (m as SilenceMatcher).isEqual ?? true,
      })),
      startsAt: silence.startsAt,
      endsAt: silence.endsAt,
      createdBy: silence.createdBy.trim(),
      comment: silence.comment.trim(),
    });
  }

  /**
   * Expiring an already expired silence succeeds (Alertmanager answers 200), so a retry is harmless.
   * Alertmanager 0.25 answers an unknown id with HTTP 500 "silence not found"; that is a wrong id, not
   * a server in trouble, so it becomes an error with status 404 that no backoff will retry.
   */
  async expireSilence(id: string): Promise<void> {
    if (!id) throw new Error('expire which silence? (no id given)');
    try {
      await this.client.deleteSilence(id);
    } catch (error) {
      const e = error as HttpApiError;
      if (e instanceof HttpApiError && e.status === 500 && /silence not found/i.test(e.message)) {
        throw new HttpApiError(`Alertmanager has no silence ${id}`, { what: e.what, status: 404, cause: error });
      }
      throw error;
    }
  }
}
