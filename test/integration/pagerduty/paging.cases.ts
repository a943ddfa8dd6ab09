/**
 * Paging: the front serves `more: true` pages built from the spec's own example item (every request
 * still goes to Prism first and is validated), so the number of calls and their offsets can be asserted.
 */
import { expect, it } from 'vitest';
import type { FrontRecord, Script } from '../../harness/pagerdutyFront.js';
import { invalidRequests, type PagerDutyTestEnv } from '../../harness/pagerdutyPrism.js';

/** A script that answers GET `path` with `total` copies of the example's first item, paged as asked. */
function pages(path: string, key: string, total: number, options: { cap?: number } = {}): Script {
  return (rec, _prism, parsed) => {
    if (rec.method !== 'GET' || rec.path !== path) return undefined;
    const template = (parsed as Record<string, Record<string, unknown>[]>)[key]![0]!;
    const offset = Number(rec.query.get('offset') ?? 0);
    const limit = Math.min(Number(rec.query.get('limit') ?? 25), options.cap ?? 100);
    const items = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++)
      items.push({ ...template, id: `Q${String(i).padStart(5, '0')}`, incident_number: i + 1 });
    return { status: 200, body: { [key]: items, limit, offset, more: offset + limit < total, total: null } };
  };
}

export function pagingCases(env: () => PagerDutyTestEnv): void {
  async function run<T>(script: Script, fn: () => Promise<T>): Promise<{ result: T; calls: FrontRecord[] }> {
    const mark = env().front.records.length;
    env().front.script(script);
    try {
      const result = await fn();
      const calls = env().since(mark);
      expect(invalidRequests(calls)).toEqual([]);
      return { result, calls };
    } finally {
      env().front.script(undefined);
    }
  }

  it('follows every page of incidents: 250 incidents in 3 calls of 100', async () => {
    const pd = env().sources();
    const { result, calls } = await run(pages('/incidents', 'incidents', 250), () =>
      pd.incidents.listIncidents({ statuses: ['triggered'] }),
    );
    expect(result).toHaveLength(250);
    expect(new Set(result.map((i) => i.id)).size).toBe(250);
    expect(calls.map((c) => [c.query.get('offset'), c.query.get('limit')])).toEqual([
      ['0', '100'],
      ['100', '100'],
      ['200', '100'],
    ]);
    // Filters are repeated on every page.
    expect(calls.every((c) => c.query.getAll('statuses[]').join() === 'triggered')).toBe(true);
  });

  it('advances by the page size the server applied when it caps the limit', async () => {
    const pd = env().sources();
    const { result, calls } = await run(pages('/incidents', 'incidents', 120, { cap: 25 }), () =>
      pd.incidents.listIncidents(),
    );
    expect(result).toHaveLength(120);
    expect(calls.map((c) => c.query.get('offset'))).toEqual(['0', '25', '50', '75', '100']);
  });

  it('follows every page of log entries and on-calls', async () => {
    const pd = env().sources({ now: () => Date.parse('2015-03-07T00:00:00Z') });
    const log = await run(pages('/incidents/PT4KHLK/log_entries', 'log_entries', 130), () =>
      pd.incidents.timeline('PT4KHLK'),
    );
    expect(log.calls.filter((c) => c.path.endsWith('/log_entries')).map((c) => c.query.get('offset'))).toEqual([
      '0',
      '100',
    ]);
    expect(log.result.filter((e) => e.kind === 'incident.triggered')).toHaveLength(130);
    const onCalls = await run(pages('/oncalls', 'oncalls', 101), () =>
      pd.onCall.rotation(Date.parse('2015-03-01T00:00:00Z'), Date.parse('2015-03-08T00:00:00Z')),
    );
    expect(onCalls.calls.map((c) => c.query.get('offset'))).toEqual(['0', '100']);
    // 101 copies of one on-call are one shift.
    expect(onCalls.result).toHaveLength(1);
  });

  it('stops at an empty page even when the server still says more', async () => {
    const pd = env().sources();
    const script: Script = (rec) =>
      rec.path === '/priorities'
        ? { status: 200, body: { priorities: [], limit: 100, offset: Number(rec.query.get('offset')), more: true } }
        : undefined;
    const { result, calls } = await run(script, () => pd.priorities());
    expect(result).toEqual([]);
    expect(calls).toHaveLength(1);
  });
}
