import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '../../../src/core/journal/index.js';
import { Replicator } from '../../../src/core/team/replicator.js';
import { teamConnection } from '../../../src/sources/team/connect.js';
import { PostgresTeamLog } from '../../../src/sources/team/postgres.js';
import { postgresMissing, startPostgres, type PrivatePostgres } from '../../harness/postgres.js';

/**
 * The team timeline between journals in this process, against a real PostgreSQL 15: what one records
 * reaches the other once, references (an acknowledgement of a handoff) are mapped to the other journal's
 * ids, both rebuild the same projections, claims exclude each other, and a server that goes away and
 * comes back loses nothing. The binary's own tests (cli.test.ts) do the same across processes.
 */
const skip = postgresMissing();

let server: PrivatePostgres;
const dirs: string[] = [];
const open: (Journal | Replicator)[] = [];

function cockpit(team: string, name: string, db = 'postgres') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-team-'));
  dirs.push(dir);
  const journal = openJournal(path.join(dir, 'journal.db'));
  const log = new PostgresTeamLog(
    teamConnection({ url: server.url(db), id: team }, {}, { connectMs: 2_000, requestMs: 5_000 }),
  );
  const replicator = new Replicator({ journal, log, name });
  open.push(replicator, journal);
  return { journal, replicator, who: { kind: 'local' as const, id: `${name.toLowerCase()}@example.org`, name } };
}

/** Without this journal's local numbers (seq, the ids made of seqs): everything else must be equal. */
function withoutLocalIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocalIds);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => !(['seq', 'lastSeq', 'id'].includes(k) && typeof v === 'number'))
        .map(([k, v]) => [k, withoutLocalIds(v)]),
    );
  }
  return value;
}

/** The projections a screen shows (handoffs, follow-ups, the incident room's state), rebuilt from the events. */
function projections(j: Journal) {
  return withoutLocalIds({
    handoffs: j.handoffs(),
    followUps: j.followUps({ status: 'all' }),
    incident: j.incidentState('INC-1', { rebuild: true }),
  });
}

describe.skipIf(skip)('team timeline through PostgreSQL', () => {
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const o of open.reverse()) await Promise.resolve('stop' in o ? o.stop() : o.close()).catch(() => undefined);
    server?.destroy();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a note, a handoff and its acknowledgement reach the other journal once, and both show the same state', async () => {
    const a = cockpit('blue', 'Kenji');
    const b = cockpit('blue', 'Aiko');
    a.journal.append({
      kind: 'incident.created',
      who: a.who,
      incidentId: 'INC-1',
      at: 1_000,
      payload: { title: 'API slow', source: 'local' },
    });
    a.journal.append({
      kind: 'note',
      who: a.who,
      incidentId: 'INC-1',
      at: 2_000,
      payload: { text: 'rolled back the deploy' },
    });
    a.journal.append({
      kind: 'phase.entered',
      who: a.who,
      incidentId: 'INC-1',
      at: 2_500,
      payload: { phase: 'resolve' },
    });
    const h = a.journal.addHandoff({ text: 'watch the queue tonight', who: a.who, at: 3_000 });
    const f = a.journal.addFollowUp({
      text: 'tune the alarm',
      owner: 'Aiko',
      who: a.who,
      incidentId: 'INC-1',
      at: 3_500,
    });
    await a.replicator.round();
    // Something of B's own before it pulls: its local seqs and A's differ, the references must still meet.
    b.journal.append({
      kind: 'note',
      who: b.who,
      incidentId: 'INC-1',
      at: 2_200,
      payload: { text: 'looking at the DB too' },
    });
    await b.replicator.round();

    const pulled = b.journal.handoffs({ unacknowledged: true });
    expect(pulled.map((x) => [x.text, x.from.name])).toEqual([['watch the queue tonight', 'Kenji']]);
    expect(pulled[0]!.id).not.toBe(h.id);
    b.journal.acknowledgeHandoff(pulled[0]!.id, { who: b.who, at: 4_000 });
    b.journal.closeFollowUp(b.journal.followUps()[0]!.id, { who: b.who, resolution: 'done', at: 4_500 });
    await b.replicator.round();
    await a.replicator.round();

    expect(a.journal.handoffs().find((x) => x.id === h.id)?.acknowledged?.by.name).toBe('Aiko');
    expect(a.journal.followUps({ status: 'all' }).find((x) => x.id === f.id)?.status).toBe('closed');
    expect(projections(a.journal)).toEqual(projections(b.journal));
    // Every event once on each side: A's five, B's three.
    const count = (j: Journal) => j.query().length;
    expect(count(a.journal)).toBe(8);
    expect(count(b.journal)).toBe(8);
    // Pushing again and pulling again changes nothing.
    await a.replicator.round();
    await b.replicator.round();
    expect(count(a.journal)).toBe(8);
    expect(count(b.journal)).toBe(8);
  }, 30_000);

  it('two concurrent acknowledgements of one handoff settle on the same one on both machines', async () => {
    const a = cockpit('green', 'Kenji');
    const b = cockpit('green', 'Aiko');
    const h = a.journal.addHandoff({ text: 'pager to you', who: a.who, at: 10_000 });
    await a.replicator.round();
    await b.replicator.round();
    const hb = b.journal.handoffs()[0]!;
    a.journal.acknowledgeHandoff(h.id, { who: a.who, at: 12_000, text: 'late ack' });
    b.journal.acknowledgeHandoff(hb.id, { who: b.who, at: 11_000, text: 'early ack' });
    await a.replicator.round();
    await b.replicator.round();
    await a.replicator.round();
    expect(a.journal.handoffs().find((x) => x.id === h.id)?.acknowledged?.text).toBe('early ack');
    expect(b.journal.handoffs().find((x) => x.id === hb.id)?.acknowledged?.text).toBe('early ack');
  }, 30_000);

  it('only the configured team is pulled; rows of another team never arrive', async () => {
    const a = cockpit('red', 'Kenji');
    const other = cockpit('purple', 'Mallory');
    other.journal.append({ kind: 'note', who: other.who, at: 5, payload: { text: 'not for red' } });
    await other.replicator.round();
    await a.replicator.round();
    expect(a.journal.query({ kinds: ['note'] })).toEqual([]);
  }, 30_000);

  it('claims: while one holds an action on a target, the other is told who and since when', async () => {
    const a = cockpit('claims', 'Kenji');
    const b = cockpit('claims', 'Aiko');
    const first = await a.replicator.claims().claim('ecs.set-desired-count:vitascope/api');
    expect(first.kind).toBe('granted');
    const second = await b.replicator.claims().claim('ecs.set-desired-count:vitascope/api');
    expect(second).toMatchObject({ kind: 'held', by: { name: 'Kenji' } });
    if (first.kind === 'granted') first.release();
    await a.replicator.stop();
    const third = await b.replicator.claims().claim('ecs.set-desired-count:vitascope/api');
    expect(third.kind).toBe('granted');
    if (third.kind === 'granted') third.release();
  }, 30_000);

  it('the server stopped mid-shift: offline with the count waiting, then every event arrives exactly once', async () => {
    const a = cockpit('night', 'Kenji');
    const b = cockpit('night', 'Aiko');
    a.journal.append({ kind: 'note', who: a.who, at: 100, payload: { text: 'before the outage' } });
    await a.replicator.round();
    server.stop();
    try {
      for (let i = 0; i < 25; i++)
        a.journal.append({ kind: 'note', who: a.who, at: 200 + i, payload: { text: `during the outage ${i}` } });
      await expect(a.replicator.round()).rejects.toThrow();
      expect(a.replicator.state()).toMatchObject({ state: 'offline', waiting: 25 });
      expect(a.replicator.state().offlineSince).toBeTypeOf('number');
    } finally {
      await server.start();
    }
    await a.replicator.round();
    expect(a.replicator.state()).toMatchObject({ state: 'online', waiting: 0 });
    await b.replicator.round();
    const texts = b.journal.query({ kinds: ['note'] }).map((e) => (e.payload as { text: string }).text);
    expect(texts.length).toBe(26);
    expect(new Set(texts).size).toBe(26);
    const rows = await server.query<{ n: string; d: string }>(
      `SELECT count(*) AS n, count(DISTINCT (origin, origin_seq)) AS d FROM vitascope_team.events WHERE team = 'night'`,
    );
    expect(rows[0]).toEqual({ n: '26', d: '26' });
  }, 60_000);

  it('two cockpits starting at once against a new database migrate it once', async () => {
    await server.query('CREATE DATABASE fresh');
    const a = cockpit('fresh', 'Kenji', 'fresh');
    const b = cockpit('fresh', 'Aiko', 'fresh');
    await Promise.all([a.replicator.round(), b.replicator.round()]);
    const rows = await server.query<{ version: number }>(
      'SELECT version FROM vitascope_team.migrations ORDER BY version',
      [],
      'fresh',
    );
    expect(rows.map((r) => r.version)).toEqual([1]);
  }, 30_000);
});
