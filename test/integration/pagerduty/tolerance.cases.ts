/**
 * Tolerance and errors: answers that do not match the schemas (the front rewrites Prism's answer) never
 * crash a read; HTTP errors become PagerDutyError with the status and without the token.
 */
import { expect, it } from 'vitest';
import { TEST_TOKEN, type PagerDutyTestEnv } from '../../harness/pagerdutyPrism.js';

const T = (iso: string) => Date.parse(iso);

export function toleranceCases(env: () => PagerDutyTestEnv): void {
  it('parses what comes back tolerantly: missing, null and mistyped fields never crash a read', async () => {
    const pd = env().sources({ now: () => T('2024-05-01T12:00:00Z') });
    const odd: Record<string, unknown> = {
      '/incidents': {
        incidents: [
          { id: 'BARE' },
          {
            id: 'ODD',
            status: 'snoozed',
            urgency: 7,
            created_at: 'yesterday',
            updated_at: '2024-05-01T10:00:00Z',
            service: null,
            assignments: 'nobody',
            acknowledgements: [null, { at: 'never' }],
            priority: { summary: 'P5' },
            escalation_level: 3,
            incident_key: '',
          },
          null,
          'junk',
          { title: 'no id' },
        ],
        more: 'maybe',
      },
      '/incidents/ODD/log_entries': {
        log_entries: [{ id: 'L1', type: 'mystery_log_entry', created_at: '2024-05-01T10:00:00Z' }, { id: 'L2' }, { id: 'L3', type: 'escalate_log_entry', created_at: '2024-05-01T10:05:00Z', agent: null }],
      },
      '/incidents/ODD/notes': { notes: [{ id: 'N1', created_at: '2024-05-01T10:01:00Z', content: null, user: 'me' }, {}] },
      '/oncalls': { oncalls: [{ user: { id: 'U1' }, escalation_level: 'two', start: null, end: null }, { user: null }, {}], more: false },
      '/escalation_policies/PT20YPA': {
        escalation_policy: { id: 'PT20YPA', escalation_rules: [{ targets: [{ type: 'schedule_reference', id: 'S-UNKNOWN' }, { type: 'user', id: 'U2', name: 'Full User', email: 'u2@example.com' }, null] }, null] },
      },
    };
    env().front.script((rec) => (odd[rec.path] ? { status: 200, body: odd[rec.path] } : undefined));
    try {
      const incidents = await pd.incidents.listIncidents();
      expect(incidents.map((i) => i.id)).toEqual(['BARE', 'ODD']);
      expect(incidents[0]).toEqual({
        id: 'BARE',
        title: 'BARE',
        status: 'triggered',
        urgency: 'high',
        service: { id: '', name: 'unknown service' },
        createdAt: 0,
        assignees: [],
        escalationLevel: 1,
        escalatedAt: 0,
        alarmNames: [],
      });
      expect(incidents[1]).toMatchObject({ status: 'triggered', urgency: 'high', createdAt: T('2024-05-01T10:00:00Z'), escalationLevel: 3, alarmNames: [] });
      expect(incidents[1]!.priority).toBeUndefined();
      const timeline = await pd.incidents.timeline('ODD');
      expect(timeline.map((e) => [e.kind, e.summary, e.who])).toEqual([
        ['action', 'mystery_log_entry', undefined],
        ['note', '', undefined],
        ['incident.escalated', 'escalate_log_entry', undefined],
      ]);
      expect(await pd.onCall.onCallNow()).toEqual([{ level: 1, role: 'primary', person: { id: 'U1', name: 'U1' } }]);
      expect(await pd.onCall.escalationPolicies()).toEqual([
        {
          id: 'PT20YPA',
          name: 'PT20YPA',
          rules: [
            { level: 1, delayMinutes: 0, targets: [{ id: 'U2', name: 'Full User', email: 'u2@example.com' }] },
            { level: 2, delayMinutes: 0, targets: [] },
          ],
        },
      ]);
    } finally {
      env().front.script(undefined);
    }
  });

  it('maps 404 on one incident to undefined, and keeps the token out of errors', async () => {
    const pd = env().sources();
    env().front.script((rec) => (rec.path === '/incidents/NOPE' ? { status: 404, body: { error: { message: 'Not Found', code: 2100 } } } : undefined));
    try {
      expect(await pd.incidents.getIncident('NOPE')).toBeUndefined();
      env().front.script(() => ({ status: 401, body: { error: { message: 'Unauthorized', code: 2006 } } }));
      const error = await pd.incidents.listIncidents().then(
        () => new Error('expected a failure'),
        (e: unknown) => e as Error & { status?: number },
      );
      expect(error).toMatchObject({ name: 'PagerDutyError', status: 401 });
      expect(error.message).toBe('PagerDuty GET /incidents: HTTP 401 (Unauthorized)');
      expect(JSON.stringify(error)).not.toContain(TEST_TOKEN);
      expect(String(error.stack)).not.toContain(TEST_TOKEN);
      // A proxy's page that is not JSON (pdjs rejects with the bare Response) is still an HTTP error.
      env().front.script(() => ({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad Gateway</html>' }));
      await expect(pd.priorities()).rejects.toMatchObject({ status: 502, message: 'PagerDuty GET /priorities: HTTP 502 Bad Gateway' });
    } finally {
      env().front.script(undefined);
    }
  });
}
