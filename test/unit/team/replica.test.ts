import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal, SCHEMA_VERSION, type Journal, type OutgoingEvent } from '../../../src/core/journal/index.js';
import type { PulledEvent } from '../../../src/core/team/port.js';

/** The journal's side of the team timeline without a server: what one journal pushes, another stores. */
const dirs: string[] = [];
const journals: Journal[] = [];
function journal(): Journal {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-replica-'));
  dirs.push(dir);
  const j = openJournal(path.join(dir, 'j.db'));
  journals.push(j);
  return j;
}
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

let server = 0;
const asPulled = (events: readonly OutgoingEvent[]): PulledEvent[] =>
  events.map(({ seq: _seq, ...e }) => ({ ...e, serverId: String(++server) }));
const who = { kind: 'local' as const, id: 'kenji@example.org', name: 'Kenji' };

describe('journal replica (migration 4)', () => {
  it('is at schema version 4, with an installation id kept in the file', () => {
    const j = journal();
    expect(SCHEMA_VERSION).toBe(4);
    const id = j.replica.installation();
    expect(id).toMatch(/^i-[0-9a-f]{12}$/);
    expect(j.replica.installation()).toBe(id);
  });

  it('outgoing is what is not pushed yet; the push cursor only moves forward', () => {
    const j = journal();
    for (let i = 0; i < 5; i++) j.append({ kind: 'note', who, at: i + 1, payload: { text: `n${i}` } });
    expect(j.replica.waiting()).toBe(5);
    const out = j.replica.outgoing(3);
    expect(out.map((e) => e.originSeq)).toEqual([1, 2, 3]);
    j.replica.pushed(3);
    j.replica.pushed(2);
    expect(j.replica.waiting()).toBe(2);
    expect(j.replica.outgoing(10).map((e) => e.originSeq)).toEqual([4, 5]);
  });

  it('stores pulled events once, maps references to local ids, and waits for a reference not pulled yet', () => {
    const a = journal();
    const b = journal();
    b.append({ kind: 'note', who, at: 1, payload: { text: 'b first, so the seqs differ' } });
    const h = a.addHandoff({ text: 'over to you', who, at: 10 });
    const aiko = { kind: 'local' as const, id: 'aiko@example.org', name: 'Aiko' };
    const c = journal();
    const all = asPulled(a.replica.outgoing(10));
    c.replica.store(all);
    const ch = c.handoffs()[0]!;
    c.acknowledgeHandoff(ch.id, { who: aiko, at: 20 });
    const ack = asPulled(c.replica.outgoing(10).filter((e) => e.kind === 'handoff.acknowledged'));
    expect(ack[0]!.refs).toEqual({ handoffId: { origin: a.replica.installation(), seq: h.id } });

    // The acknowledgement arrives before the note: it waits (the cursor of its origin stays), then is stored.
    const first = b.replica.store(ack);
    expect(first).toMatchObject({ stored: 0, deferred: 1 });
    expect(b.replica.cursors()[c.replica.installation()]).toBeUndefined();
    const second = b.replica.store([...all, ...ack]);
    expect(second).toMatchObject({ stored: 2, deferred: 0 });
    const bh = b.handoffs()[0]!;
    expect(bh.id).not.toBe(h.id);
    expect(bh.acknowledged).toMatchObject({ by: { name: 'Aiko' }, at: 20 });
    // Again, in any order: nothing more.
    expect(b.replica.store([...ack, ...all])).toMatchObject({ stored: 0, duplicates: 2 });
    expect(b.query().length).toBe(3);
  });

  it('refuses an invalid event and a reference that can never come (expired), keeping the rest', () => {
    const b = journal();
    const base = { origin: 'i-aaaaaaaaaaaa', who, at: 5 };
    const r = b.replica.store([
      { ...base, serverId: '1', originSeq: 1, kind: 'note', payload: { text: '' } },
      {
        ...base,
        serverId: '2',
        originSeq: 2,
        kind: 'handoff.acknowledged',
        payload: { handoffId: 1 },
        refs: { handoffId: { origin: 'i-aaaaaaaaaaaa', seq: 1 } },
      },
      { ...base, serverId: '3', originSeq: 3, kind: 'note', payload: { text: 'fine' } },
      { ...base, serverId: '4', originSeq: 4, kind: 'made.by.a.newer.version', payload: { x: 1 } },
    ]);
    expect(r).toMatchObject({ stored: 2, refused: 2 });
    expect(b.query().map((e) => e.kind)).toEqual(['note', 'unknown']);
    expect(b.replica.cursors()).toEqual({ 'i-aaaaaaaaaaaa': 4 });
  });
});
