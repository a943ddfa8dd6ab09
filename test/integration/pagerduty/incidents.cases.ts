/**
 * Incidents: what the adapter sends and how it reads PagerDuty's answers, against the spec's own examples
 * as Prism serves them; every case checks that Prism accepted each request it made. Also the requests
 * the adapter must never send: refused by the adapter, and shown rejected by Prism.
 */
import { expect, it } from 'vitest';
import { resolveServer } from '../../../src/sources/pagerduty/index.js';
import { probe, VENDOR_ACCEPT } from '../../harness/pagerdutyFront.js';
import { expectValid, TEST_FROM, TEST_TOKEN, type PagerDutyTestEnv } from '../../harness/pagerdutyPrism.js';

const T = (iso: string) => Date.parse(iso);

export function incidentCases(env: () => PagerDutyTestEnv): void {
  const valid = <R>(fn: () => Promise<R>) => expectValid(env(), fn);

  it('chooses the service region or the apiUrl override, and never plain http', () => {
    expect(resolveServer({})).toBe('api.pagerduty.com');
    expect(resolveServer({ serviceRegion: 'eu' })).toBe('api.eu.pagerduty.com');
    expect(resolveServer({ serviceRegion: 'eu', apiUrl: 'https://127.0.0.1:8443/' })).toBe('127.0.0.1:8443');
    expect(resolveServer({ apiUrl: 'pd.internal:9443' })).toBe('pd.internal:9443');
    expect(() => resolveServer({ apiUrl: 'http://127.0.0.1:8080' })).toThrow(/https/);
  });

  it('lists incidents with every filter, follows pages, and maps the spec example', async () => {
    const pd = env().sources({ serviceIds: ['PIJ90N7'] });
    const since = T('2024-01-01T00:00:00Z');
    const until = T('2024-01-31T00:00:00Z');
    const { result, calls } = await valid(() =>
      pd.incidents.listIncidents({
        statuses: ['triggered', 'acknowledged', 'resolved'],
        urgencies: ['high'],
        assigneeIds: ['PXPGF42'],
        since,
        until,
      }),
    );
    // Prism's example always says more: true at offset 0; the walk stops when a page brings nothing new.
    expect(calls.map((c) => c.query.get('offset'))).toEqual(['0', '1']);
    const q = calls[0]!.query;
    expect(q.getAll('statuses[]')).toEqual(['triggered', 'acknowledged', 'resolved']);
    expect(q.getAll('urgencies[]')).toEqual(['high']);
    expect(q.getAll('service_ids[]')).toEqual(['PIJ90N7']);
    expect(q.getAll('user_ids[]')).toEqual(['PXPGF42']);
    expect(q.get('since')).toBe('2024-01-01T00:00:00.000Z');
    expect(q.get('until')).toBe('2024-01-31T00:00:00.000Z');
    expect(q.get('limit')).toBe('100');
    expect(result).toEqual([
      {
        id: 'PT4KHLK',
        number: 1234,
        title: 'The server is on fire.',
        status: 'resolved',
        urgency: 'high',
        priority: 'P2',
        service: { id: 'PIJ90N7', name: 'My Mail Service' },
        createdAt: T('2015-10-06T21:30:42Z'),
        resolvedAt: T('2015-10-06T21:38:23Z'),
        assignees: [],
        escalationLevel: 1,
        escalatedAt: T('2015-10-06T21:38:23Z'),
        escalationPolicyId: 'PT20YPA',
        alarmNames: ['baf7cf21b1da41b4b0221008339ff357'],
        url: 'https://subdomain.pagerduty.com/incidents/PT4KHLK',
      },
    ]);
  });

  it('asks for open incidents over all time, and filters priorities itself (the API has no such filter)', async () => {
    const pd = env().sources();
    const { result, calls } = await valid(() =>
      pd.incidents.listIncidents({ statuses: ['triggered', 'acknowledged'], priorities: ['P1'] }),
    );
    expect(calls[0]!.query.get('date_range')).toBe('all');
    expect(calls[0]!.query.has('priority')).toBe(false);
    expect(result).toEqual([]);
    const p2 = await valid(() => pd.incidents.listIncidents({ priorities: ['P2', 'P3'] }));
    expect(p2.result.map((i) => i.id)).toEqual(['PT4KHLK']);
    expect(p2.calls[0]!.query.has('date_range')).toBe(false);
  });

  it('gets one incident: acknowledgement, assignees and escalation time', async () => {
    const pd = env().sources();
    const { result } = await valid(() => pd.incidents.getIncident('PT4KHLK'));
    expect(result).toMatchObject({
      id: 'PT4KHLK',
      status: 'acknowledged',
      acknowledgedAt: T('2015-11-10T00:32:52Z'),
      assignees: [{ id: 'PXPGF42', name: 'Earline Greenholt' }],
      escalationLevel: 1,
      escalatedAt: T('2015-11-10T00:31:52Z'),
    });
    expect(result?.resolvedAt).toBeUndefined();
  });

  it('acknowledges, resolves, reassigns, escalates, notes and snoozes with the From header', async () => {
    const pd = env().sources();
    const a = pd.incidentActions;
    const { calls } = await valid(async () => {
      await a.acknowledge('PT4KHLK');
      await a.resolve('PT4KHLK');
      await a.reassign('PT4KHLK', [
        { id: 'PXPGF42', name: 'Earline Greenholt' },
        { id: 'PAM4FGS', name: 'Kyler Kuhn' },
      ]);
      await a.escalate('PT4KHLK', 2);
      await a.addNote('PT4KHLK', 'Scaled the api service out to 6 tasks.');
      await a.snooze('PT4KHLK', 7200);
    });
    expect(calls.map((c) => `${c.method} ${c.path} ${c.prismStatus}`)).toEqual([
      'PUT /incidents/PT4KHLK 200',
      'PUT /incidents/PT4KHLK 200',
      'PUT /incidents/PT4KHLK 200',
      'PUT /incidents/PT4KHLK 200',
      'POST /incidents/PT4KHLK/notes 200',
      'POST /incidents/PT4KHLK/snooze 201',
    ]);
    expect(calls.every((c) => c.from === TEST_FROM)).toBe(true);
    expect(calls.map((c) => JSON.parse(c.body))).toEqual([
      { incident: { type: 'incident_reference', status: 'acknowledged' } },
      { incident: { type: 'incident_reference', status: 'resolved' } },
      {
        incident: {
          type: 'incident_reference',
          assignments: [
            { assignee: { id: 'PXPGF42', type: 'user_reference' } },
            { assignee: { id: 'PAM4FGS', type: 'user_reference' } },
          ],
        },
      },
      { incident: { type: 'incident_reference', escalation_level: 2 } },
      { note: { content: 'Scaled the api service out to 6 tasks.' } },
      { duration: 7200 },
    ]);
  });

  it('refuses, without sending anything, what PagerDuty must never receive', async () => {
    const pd = env().sources();
    const mark = env().front.records.length;
    await expect(pd.incidentActions.addNote('PT4KHLK', '')).rejects.toThrow(/empty note/);
    await expect(pd.incidentActions.addNote('PT4KHLK', ' \n\t ')).rejects.toThrow(/empty note/);
    await expect(pd.incidentActions.reassign('PT4KHLK', [])).rejects.toThrow(/no one/);
    await expect(pd.incidentActions.escalate('PT4KHLK', 0)).rejects.toThrow(/level 0/);
    await expect(pd.incidentActions.snooze('PT4KHLK', 0)).rejects.toThrow(/1 second to 7 days/);
    await expect(pd.incidentActions.snooze('PT4KHLK', 604_801)).rejects.toThrow(/1 second to 7 days/);
    const anonymous = env().sources({ from: undefined });
    await expect(anonymous.incidentActions.addNote('PT4KHLK', 'hello')).rejects.toThrow(/pagerduty\.from/);
    await expect(anonymous.incidentActions.acknowledge('PT4KHLK')).rejects.toThrow(/pagerduty\.from/);
    expect(env().since(mark)).toEqual([]);
  });

  it('Prism rejects a note without From and an empty note body; it lets an empty content through', async () => {
    const headers = {
      accept: VENDOR_ACCEPT,
      'content-type': 'application/json',
      authorization: `Token token=${TEST_TOKEN}`,
    };
    const path = '/incidents/PT4KHLK/notes';
    const noFrom = await probe(env().front, {
      method: 'POST',
      path,
      headers,
      body: JSON.stringify({ note: { content: 'hello' } }),
    });
    expect(noFrom.status).toBe(400);
    expect(noFrom.record?.requestViolations.map((v) => v.message)).toEqual([
      "Request header must have required property 'from'",
    ]);
    const emptyBody = await probe(env().front, {
      method: 'POST',
      path,
      headers: { ...headers, from: TEST_FROM },
      body: '{}',
    });
    expect(emptyBody.status).toBe(400);
    expect(emptyBody.record?.requestViolations.map((v) => v.message)).toEqual([
      "Request body must have required property 'note'",
    ]);
    const noContent = await probe(env().front, {
      method: 'POST',
      path,
      headers: { ...headers, from: TEST_FROM },
      body: '{"note":{}}',
    });
    expect(noContent.record?.requestViolations.map((v) => v.message)).toEqual([
      "Request body property note must have required property 'content'",
    ]);
    // The spec sets no minLength on note.content: Prism cannot be the guard, the adapter is (case above).
    const emptyContent = await probe(env().front, {
      method: 'POST',
      path,
      headers: { ...headers, from: TEST_FROM },
      body: '{"note":{"content":""}}',
    });
    expect(emptyContent.status).toBe(200);
    // And the front does check the vendor Accept that the adapter sends.
    const plainAccept = await probe(env().front, {
      method: 'GET',
      path: '/priorities',
      headers: { ...headers, accept: 'application/json' },
    });
    expect(plainAccept.status).toBe(406);
  });

  it('reads notes, and log entries with notes as one ordered timeline', async () => {
    const pd = env().sources();
    const notes = await valid(() => pd.notes('PT4KHLK'));
    expect(notes.result.map((n) => [n.id, n.who, n.content])).toEqual([
      ['PCQC25', 'A Global Event Rule', 'Initial alert information indicates a 1-alarm fire'],
      ['PWL7QXS', 'Earline Greenholt', 'Firefighters are on the scene.'],
    ]);
    const { result, calls } = await valid(() => pd.incidents.timeline('PT4KHLK'));
    expect(calls.map((c) => c.path).sort()).toEqual(['/incidents/PT4KHLK/log_entries', '/incidents/PT4KHLK/notes']);
    expect(calls.find((c) => c.path.endsWith('/log_entries'))?.query.get('limit')).toBe('100');
    expect(result.map((e) => [e.kind, e.summary, e.who])).toEqual([
      ['note', 'Initial alert information indicates a 1-alarm fire', 'A Global Event Rule'],
      ['note', 'Firefighters are on the scene.', 'Earline Greenholt'],
      ['incident.triggered', 'Triggered through the API', 'My Mail Service'],
    ]);
    expect(result.every((e) => e.incidentId === 'PT4KHLK')).toBe(true);
  });
}
