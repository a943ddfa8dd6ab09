// Bundled and run by test/bench/team.mjs: two journals (two laptops) with their replicators running as
// in the cockpit (push on append, LISTEN/NOTIFY, pull), against the PostgreSQL given in argv[2].
// Prints one JSON line: the latencies from A's append returning to B's journal telling its listeners
// (what refreshes B's screens), and the push rate of a 10,000-event burst.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openJournal } from '../../src/core/journal/index.js';
import { Replicator } from '../../src/core/team/replicator.js';
import { teamConnection } from '../../src/sources/team/connect.js';
import { PostgresTeamLog } from '../../src/sources/team/postgres.js';

const url = process.argv[2]!;
const samples = Number(process.argv[3] ?? 30);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-bench-team-'));
const laptop = (name: string, team: string) => {
  const journal = openJournal(path.join(dir, `${name}-${team}.db`));
  const replicator = new Replicator({
    journal,
    log: new PostgresTeamLog(teamConnection({ url, id: team }, {}, { connectMs: 3_000, requestMs: 10_000 })),
    name,
    pollMs: 60_000,
  });
  return { journal, replicator, who: { kind: 'local' as const, id: `${name}@example.org`, name } };
};

try {
  const a = laptop('kenji', 'latency');
  const b = laptop('aiko', 'latency');
  a.replicator.start();
  b.replicator.start();
  await a.replicator.round();
  await b.replicator.round();
  await new Promise((r) => setTimeout(r, 300)); // both LISTENing
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const text = `latency ${i}`;
    const seen = new Promise<number>((resolve) => {
      const off = b.journal.onChange((c) => {
        if (c.origin !== 'team') return;
        if (b.journal.query({ kinds: ['note'] }).some((e) => (e.payload as { text: string }).text === text)) {
          off();
          resolve(performance.now());
        }
      });
    });
    const t0 = performance.now();
    a.journal.append({ kind: 'note', who: a.who, payload: { text } });
    latencies.push((await seen) - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  // Throughput: a burst recorded at once, then one round pushes it (batches of 500, one transaction each).
  const c = laptop('burst', 'throughput');
  await c.replicator.round();
  c.journal.appendMany(
    Array.from({ length: 10_000 }, (_, n) => ({
      kind: 'note' as const,
      who: c.who,
      at: 1_000 + n,
      payload: { text: `burst event ${n}: queue depth 1200, p95 640 ms` },
    })),
  );
  const t = performance.now();
  await c.replicator.round();
  const pushMs = performance.now() - t;
  await Promise.all([a.replicator.stop(), b.replicator.stop(), c.replicator.stop()]);
  for (const j of [a, b, c]) j.journal.close();
  console.log(JSON.stringify({ latencies, pushRate: 10_000 / (pushMs / 1000) }));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
