/**
 * Tolerance and errors: answers that do not match the schemas (the front rewrites Prism's answer) never
 * crash a read; HTTP errors become PagerDutyError with the status and without the token.
 */
import { expect, it } from 'vitest';
import { TEST_TOKEN, type PagerDutyTestEnv } from '../../harness/pagerdutyPrism.js';

const T = (iso: string) => Date.parse(iso);

export function toleranceCases(env: () => PagerDutyTestEnv): void {
  it('parses what comes back tolerantly: missing, null and mistyped optional fields never crash a read', async () => {
    const pd = env().sources({ now: () => T('2024-05-01T12:00:00Z') });
    const odd: Record<string, unknown> = {
      '/incidents': {
        incidents: [
          { id: 'BARE', status: 'triggered', created_at: '2024-05-01T09:00:00Z' },
          {
            id: 'ODD',
            status: 'triggered',
            urgency: 7,
            created_at: '2024-05-01T10:00:00Z',
            updated_at: 'yesterday',
            service: null,
            assignments: 'nobody',
            acknowledgements: [null, { at: 'never' }],
            priority: { summary: 'P5' },
            escalation_level: 3,
            incident_key: '',
            unknown_field: { nested: true },
          },
        ],
        more: 'maybe',
      },
      '/incidents/ODD/log_entries': {
        log_entries: [
          { id: 'L1', type: 'mystery_log_entry', created_at: '2024-05-01T10:00:00Z' },
          { id: 'L3', type: 'escalate_log_entry', created_at: '2024-05-01T10:05:00Z', agent: null },
        ],
      },
      '/incidents/ODD/notes': { notes: [{ id: 'N1', created_at: '2024-05-01T10:01:00Z', content: '', user: 'me' }] },
      '/oncalls': {
        oncalls: [{ user: { id: 'U1' }, escalation_level: 1, start: null, end: null, schedule: 'none' }],
        more: false,
      },
      '/escalation_policies/PT20YPA': {
        escalation_policy: {
          id: 'PT20YPA',
          escalation_rules: [
            {
              escalation_delay_in_minutes: 0,
              targets: [
                { type: 'schedule_reference', id: 'S-UNKNOWN' },
                { type: 'user', id: 'U2', name: 'Full User', email: 'u2@example.com' },
              ],
            },
            { escalation_delay_in_minutes: 0, targets: [] },
          ],
        },
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
        createdAt: T('2024-05-01T09:00:00Z'),
        assignees: [],
        escalationLevel: 1,
        escalatedAt: T('2024-05-01T09:00:00Z'),
        alarmNames: [],
      });
      expect(incidents[1]).toMatchObject({
        status: 'triggered',
        urgency: 'high',
        createdAt: T('2024-05-01T10:00:00Z'),
        escalationLevel: 3,
        alarmNames: [],
      });
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

  it('refuses what lacks a field the product relies on: a failed read naming the field, never an empty list', async () => {
    const pd = env().sources();
    const cases: { path: string; body: unknown; call: () => Promise<unknown>; reason: string }[] = [
      {
        path: '/incidents',
        body: { incidents: 'junk' },
        call: () => pd.incidents.listIncidents(),
        reason: 'PagerDuty GET /incidents: malformed answer: incidents: Invalid input: expected array, received string',
      },
      {
        path: '/incidents',
        body: { more: false },
        call: () => pd.incidents.listIncidents(),
        reason:
          'PagerDuty GET /incidents: malformed answer: incidents: Invalid input: expected array, received undefined',
      },
      {
        path: '/incidents',
        body: { incidents: [null] },
        call: () => pd.incidents.listIncidents(),
        reason:
          'PagerDuty GET /incidents: malformed answer: incidents[0]: Invalid input: expected object, received null',
      },
      {
        path: '/incidents',
        body: { incidents: [{ title: 'no id', status: 'triggered', created_at: '2024-05-01T10:00:00Z' }] },
        call: () => pd.incidents.listIncidents(),
        reason: 'incidents[0].id: Invalid input: expected string, received undefined',
      },
      {
        path: '/incidents',
        body: { incidents: [{ id: 'X', status: 'snoozed', created_at: '2024-05-01T10:00:00Z' }] },
        call: () => pd.incidents.listIncidents(),
        reason: 'incidents[0].status: Invalid option',
      },
      {
        path: '/incidents',
        body: { incidents: [{ id: 'X', status: 'triggered', created_at: 'yesterday' }] },
        call: () => pd.incidents.listIncidents(),
        reason: 'incidents[0].created_at: expected an ISO-8601 time',
      },
      {
        path: '/incidents/ODD/log_entries',
        body: { log_entries: [{ id: 'L2' }] },
        call: () => pd.incidents.timeline('ODD'),
        reason: 'PagerDuty GET /incidents/ODD/log_entries: malformed answer: log_entries[0].type',
      },
      {
        path: '/oncalls',
        body: { oncalls: [{ user: null, escalation_level: 1 }] },
        call: () => pd.onCall.onCallNow(),
        reason: 'oncalls[0].user',
      },
      {
        path: '/oncalls',
        body: { oncalls: [{ user: { id: 'U1' }, escalation_level: 'two' }] },
        call: () => pd.onCall.onCallNow(),
        reason: 'oncalls[0].escalation_level',
      },
      {
        path: '/incidents',
        body: '{"incidents": [{"id": "PT4KHLK", "sta',
        call: () => pd.incidents.listIncidents(),
        reason: 'PagerDuty GET /incidents: malformed answer: HTTP 200 with a body that is not JSON',
      },
      { path: '/incidents', body: 'null', call: () => pd.incidents.listIncidents(), reason: 'malformed answer' },
    ];
    try {
      for (const c of cases) {
        env().front.script((rec) =>
          rec.path === c.path
            ? { status: 200, headers: { 'content-type': 'application/json' }, body: c.body }
            : undefined,
        );
        const error = await c.call().then(
          (value) => new Error(`expected a failure, got ${JSON.stringify(value)}`),
          (e: unknown) => e as Error & { malformed?: boolean },
        );
        expect(error.message, JSON.stringify(c.body)).toContain(c.reason);
        expect(error, c.reason).toMatchObject({ name: 'PagerDutyError', malformed: true });
      }
    } finally {
      env().front.script(undefined);
    }
  });

  it('maps 404 on one incident to undefined, and keeps the token out of errors', async () => {
    const pd = env().sources();
    env().front.script((rec) =>
      rec.path === '/incidents/NOPE'
        ? { status: 404, body: { error: { message: 'Not Found', code: 2100 } } }
        : undefined,
    );
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
      env().front.script(() => ({
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: '<html>Bad Gateway</html>',
      }));
      await expect(pd.priorities()).rejects.toMatchObject({
        status: 502,
        message: 'PagerDuty GET /priorities: HTTP 502 Bad Gateway',
      });
    } finally {
      env().front.script(undefined);
    }
  });
}
