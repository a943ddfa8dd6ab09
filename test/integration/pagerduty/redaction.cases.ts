/**
 * What PagerDuty receives as notes, read from the requests Prism validated: the journal's mirror and
 * the pagerduty.add-note action send the redaction corpus redacted (the program's own configured token
 * included, whatever its shape), as plain text (no escape sequences), with near misses intact.
 */
import { expect, it } from 'vitest';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import { forgetSecrets, rememberSecrets } from '../../../src/core/journal/secrets.js';
import type { Sources } from '../../../src/sources/ports.js';
import { invalidRequests, TEST_TOKEN, type PagerDutyTestEnv } from '../../harness/pagerdutyPrism.js';
import type { FrontRecord } from '../../harness/pagerdutyFront.js';
import { CONFIGURED_SECRET, NEAR_MISSES, PERSONAL, SECRETS } from '../../harness/redactionCorpus.js';
import { tempJournal } from '../../unit/journal/helpers.js';

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function noteBodies(records: readonly FrontRecord[]): string[] {
  return records
    .filter((r) => r.method === 'POST' && r.path.endsWith('/notes'))
    .map((r) => (JSON.parse(r.body) as { note: { content: string } }).note.content);
}

export function redactionCases(env: () => PagerDutyTestEnv): void {
  it('notes mirrored from the journal reach PagerDuty redacted and as plain text', async () => {
    // As readConfig does: the configured PagerDuty token (and any other configured secret) by value.
    rememberSecrets([TEST_TOKEN, CONFIGURED_SECRET]);
    try {
      const pd = env().sources();
      const j = tempJournal({ mirror: true });
      const who = { kind: 'local' as const, id: 'aiko', name: 'Aiko Tanaka' };
      const at = Date.UTC(2026, 0, 5, 10);
      j.upsertIncident({
        id: 'PT4KHLK',
        title: 'The server is on fire.',
        status: 'triggered',
        source: 'pagerduty',
        createdAt: at,
      });
      const texts = [
        ...SECRETS.map((s) => s.text),
        ...PERSONAL.map((s) => s.text),
        `I pasted our own PagerDuty token ${TEST_TOKEN} here`,
        'red \u001b[31malert\u001b[0m \u0007 \u009b2J \u202egnp.exe',
        ...NEAR_MISSES,
      ];
      texts.forEach((text, i) => j.append({ kind: 'note', who, incidentId: 'PT4KHLK', at: at + i, payload: { text } }));
      const mark = env().front.records.length;
      // No redact option: the outbox applies redactOutgoing by default, as every caller gets it.
      const result = await j.mirrorPending((id, text) => pd.incidentActions.addNote(id, text), { batchSize: 100 });
      expect(result.failed).toBe(0);
      const calls = env().since(mark);
      expect(invalidRequests(calls)).toEqual([]);
      const sent = noteBodies(calls).join('\n');
      expect(sent).toContain('Aiko Tanaka: note:');
      for (const s of [...SECRETS, ...PERSONAL]) expect(sent, s.why).not.toContain(s.value);
      expect(sent).not.toContain(TEST_TOKEN);
      expect(sent).not.toMatch(RAW_CONTROL);
      expect(sent).toContain('red ␛[31malert␛[0m ␇');
      for (const n of NEAR_MISSES) expect(sent, n).toContain(n);
    } finally {
      forgetSecrets();
    }
  });

  it('a note the pagerduty.add-note action adds is redacted the same way', async () => {
    rememberSecrets([TEST_TOKEN]);
    try {
      const pd = env().sources();
      const sources: Sources = {
        environment: { kind: 'aws', label: 'Prism', production: false },
        now: () => Date.now(),
        incidents: pd.incidents,
        incidentActions: pd.incidentActions,
        close: async () => undefined,
      };
      const clock = { now: () => Date.now(), pollMs: 1000, wait: async () => undefined };
      const engine = createActionEngine({
        sources,
        actor: { id: 'local', name: 'Aiko Tanaka' },
        who: { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' },
        clock,
        journal: tempJournal(),
      });
      const mark = env().front.records.length;
      await engine.run(
        {
          action: 'pagerduty.add-note',
          params: {
            incident: 'PT4KHLK',
            text: `rolled back; token ${TEST_TOKEN}, call 09012345678, key y_NbAkKc66ryYTWUXYEu \u001b[2J`,
          },
        },
        async () => ({ answer: 'confirm' }),
      );
      const calls = env().since(mark);
      expect(invalidRequests(calls)).toEqual([]);
      expect(noteBodies(calls)).toEqual(['rolled back; token [REDACTED], call [REDACTED:phone], key [REDACTED] ␛[2J']);
    } finally {
      forgetSecrets();
    }
  });
}
