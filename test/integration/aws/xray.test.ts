/**
 * The X-Ray adapter against moto behind the front: segments put with PutTraceSegments and read back as
 * summaries and spans. moto answers any FilterExpression with HTTP 500 and sends summaries without entry
 * point or HTTP data: the adapter applies the service and error conditions to the traces' own segments.
 * BatchGetTraces is asked at most 5 ids at a time (the real API's limit, which moto does not enforce).
 */
import { PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { describe, expect, it } from 'vitest';
import { motoSkipReason, TEST_CREDENTIALS, TEST_REGION } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';
import { createLogClients } from '../../../src/sources/aws/clients.js';
import { XRayAdapter } from '../../../src/sources/aws/xray.js';

const skip = motoSkipReason();

/** A trace id for a request at `t` ms. */
function traceId(t: number, n: number): string {
  return `1-${Math.floor(t / 1000)
    .toString(16)
    .padStart(8, '0')}-${n.toString(16).padStart(24, '0')}`;
}

function hex16(n: number): string {
  return n.toString(16).padStart(16, '0');
}

describe.skipIf(skip)('X-Ray adapter (moto behind the front)', () => {
  const suite = useAwsSuite();
  const base = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000;

  /** An api request with `queries` SQL subsegments (the N+1 shape), a fault, and a worker trace. */
  async function seed(): Promise<string[]> {
    const docs: object[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const t = base + i * 10_000;
      const id = traceId(t, i + 1);
      ids.push(id);
      const start = t / 1000;
      const queries = i === 0 ? 12 : 1;
      docs.push({
        id: hex16(1000 + i),
        trace_id: id,
        name: 'vitascope-api',
        start_time: start,
        end_time: start + (i === 0 ? 1.25 : 0.05),
        http: {
          request: { method: 'GET', url: `https://api.vitascope.example/users/me?token=secret-${i}` },
          response: { status: i === 1 ? 500 : 200 },
        },
        ...(i === 1 ? { fault: true } : {}),
        subsegments: Array.from({ length: queries }, (_, q) => ({
          id: hex16(5000 + i * 100 + q),
          name: 'vitascope-db',
          start_time: start + 0.01 + q * 0.1,
          end_time: start + 0.01 + q * 0.1 + 0.09,
          namespace: 'remote',
          sql: { sanitized_query: 'SELECT * FROM readings WHERE user_id = ?' },
        })),
      });
    }
    // A worker trace, whose name holds an escape sequence.
    const wt = base + 70_000;
    const wid = traceId(wt, 99);
    ids.push(wid);
    docs.push({
      id: hex16(9000),
      trace_id: wid,
      name: 'vitascope-worker',
      start_time: wt / 1000,
      end_time: wt / 1000 + 2,
      error: true,
      subsegments: [
        {
          id: hex16(9001),
          name: 'partner-api',
          start_time: wt / 1000 + 0.1,
          end_time: wt / 1000 + 1.9,
          namespace: 'remote',
          error: true,
          http: { request: { method: 'POST', url: 'https://partner.example/sync?key=k' }, response: { status: 504 } },
        },
        { name: 'no id: left out' },
        { id: hex16(9002), name: '\u001b[2Jevil', start_time: wt / 1000 + 1.9, end_time: wt / 1000 + 1.95 },
      ],
    });
    const client = new XRayClient(suite.config());
    const out = await client.send(
      new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs.map((d) => JSON.stringify(d)) }),
    );
    client.destroy();
    expect(out.UnprocessedTraceSegments ?? []).toEqual([]);
    suite.front.clearCalls();
    return ids;
  }

  async function adapter() {
    const clients = await createLogClients({
      region: TEST_REGION,
      endpointUrl: suite.front.url,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    return { xray: new XRayAdapter(clients.xray), close: () => clients.destroy() };
  }

  it('summaries of the window with service, route and millisecond durations from the traces', async () => {
    const ids = await seed();
    const { xray, close } = await adapter();
    const out = await xray.summaries({ start: base - 1000, end: base + 120_000, limit: 100 });
    close();

    expect(out.complete).toBe(true);
    expect(out.via).toBe('X-Ray');
    const byId = new Map(out.summaries.map((s) => [s.id, s]));
    expect([...byId.keys()].sort()).toEqual([...ids].sort());
    expect(byId.get(ids[0]!)).toMatchObject({
      service: 'vitascope-api',
      operation: 'GET /users/me',
      durationMs: 1250,
      status: 200,
      error: false,
      fault: false,
      start: base,
    });
    expect(byId.get(ids[1]!)).toMatchObject({ fault: true, status: 500 });
    expect(byId.get(ids[6]!)).toMatchObject({ service: 'vitascope-worker', error: true, durationMs: 2000 });
    // No query string (it held a token) anywhere.
    expect(JSON.stringify(out)).not.toContain('secret-');
    // Spans were fetched at most 5 ids a call.
    const batches = suite.front.bodies('Traces').map((b) => (JSON.parse(b) as { TraceIds: string[] }).TraceIds.length);
    expect(batches.length).toBe(2);
    expect(Math.max(...batches)).toBeLessThanOrEqual(5);
  });

  it('a service and errors-only: the filter expression moto refuses is applied to the segments here', async () => {
    const ids = await seed();
    const { xray, close } = await adapter();
    const api = await xray.summaries({ start: base - 1000, end: base + 120_000, limit: 100, service: 'vitascope-api' });
    const failing = await xray.summaries({ start: base - 1000, end: base + 120_000, limit: 100, errorsOnly: true });
    close();

    const sent = suite.front
      .bodies('TraceSummaries')
      .map((b) => (JSON.parse(b) as { FilterExpression?: string }).FilterExpression);
    expect(sent).toContain('service("vitascope-api")');
    expect(sent).toContain('(error OR fault)');
    expect(api.via).toBe('X-Ray (filter applied here: the server refused the filter expression)');
    expect(api.summaries.map((s) => s.id).sort()).toEqual(ids.slice(0, 6).sort());
    expect(failing.summaries.map((s) => s.id).sort()).toEqual([ids[1]!, ids[6]!].sort());
  });

  it('traces: segments and subsegments flattened with their parents; bad subsegments left out; text bounded', async () => {
    const ids = await seed();
    const { xray, close } = await adapter();
    const traces = await xray.traces([ids[0]!, ids[6]!, '1-00000000-000000000000000000000000']);
    close();

    expect(traces.map((t) => t.id)).toEqual([ids[0], ids[6]]);
    const n1 = traces[0]!.spans;
    expect(n1).toHaveLength(13);
    expect(n1[0]).toMatchObject({
      id: hex16(1000),
      service: 'vitascope-api',
      operation: 'GET /users/me',
      start: base,
      end: base + 1250,
    });
    expect(n1[0]!.parentId).toBeUndefined();
    expect(
      n1
        .slice(1)
        .every(
          (s) =>
            s.parentId === hex16(1000) &&
            s.service === 'vitascope-api' &&
            s.operation === 'SQL SELECT * FROM readings WHERE user_id = ?',
        ),
    ).toBe(true);
    const worker = traces[1]!.spans;
    expect(worker.map((s) => s.operation)).toEqual(['vitascope-worker', 'POST partner.example', '\u001b[2Jevil']);
    expect(worker[1]).toMatchObject({ parentId: hex16(9000), error: true, status: 504, end: worker[1]!.start + 1800 });
  });
});
