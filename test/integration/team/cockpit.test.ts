import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, isolatedEnv, runCli } from '../../harness/cli.js';
import { postgresMissing, startPostgres, type PrivatePostgres } from '../../harness/postgres.js';
import { Tmux } from '../../harness/tmux.js';

/**
 * Two cockpits (the real binary in tmux, two data directories: two laptops) on one team server: the
 * outgoing responder's handoff note shows on the incoming one's handoff screen within 2 s, marked with
 * who wrote it; the acknowledgement made there shows back on the first within 2 s; the header says when
 * the team server is gone and how many events wait, and they arrive when it is back; both laptops' handoff
 * reports carry the same notes.
 */
const skip = postgresMissing() ?? (Tmux.available() ? undefined : 'tmux is not installed');

let server: PrivatePostgres;
const dirs: string[] = [];
const tmuxes: Tmux[] = [];

function laptop(name: string) {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-laptop-'));
  dirs.push(data);
  return isolatedEnv({
    VITASCOPE_ONCALL_DATA_DIR: data,
    VITASCOPE_TEAM_URL: server.url(),
    VITASCOPE_TEAM_ID: 'cockpits',
    VITASCOPE_USER_NAME: name,
    VITASCOPE_USER_EMAIL: `${name.toLowerCase()}@example.org`,
  });
}

function cockpit(env: NodeJS.ProcessEnv): Tmux {
  const t = new Tmux();
  tmuxes.push(t);
  t.start(`${process.execPath} ${BIN}`, env, { width: 160, height: 45 });
  return t;
}

/** Milliseconds until the screen shows what is asked (the wait itself polls every 50 ms). */
async function within(t: Tmux, predicate: (s: string) => boolean, what: string): Promise<number> {
  const start = performance.now();
  await t.waitFor(predicate, what, 10_000);
  return performance.now() - start;
}

describe.skipIf(skip)('two cockpits on one team server', () => {
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(() => {
    for (const t of tmuxes) t.kill();
    server?.destroy();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a handoff note and its acknowledgement cross between laptops within 2 s; offline is shown and healed', async () => {
    const envA = laptop('Kenji');
    const envB = laptop('Aiko');
    // The incoming responder's cockpit starts first: each sandbox keeps its own simulated clock, and the
    // outgoing one's note must not be later than the incoming one's "now".
    const b = cockpit(envB);
    await b.waitFor((s) => s.includes('team ✓'), 'B online', 15_000);
    const a = cockpit(envA);
    await a.waitFor((s) => s.includes('team ✓'), 'A online', 15_000);
    a.keys('6');
    b.keys('6');
    await a.waitFor((s) => s.includes('NOTES FROM THE OUTGOING RESPONDER'), 'A handoff screen');
    await b.waitFor((s) => s.includes('NOTES FROM THE OUTGOING RESPONDER'), 'B handoff screen');

    a.keys('n');
    await a.waitFor((s) => s.includes('What should the next responder know?'), 'the note prompt');
    a.type('the queue alarm flaps after 02:00');
    a.keys('Enter');
    const noteMs = await within(
      b,
      (s) => /Kenji: the queue alarm flaps after 02:00\s+awaiting acknowledgement/.test(s),
      'the note on B',
    );
    expect(noteMs).toBeLessThan(2_000);

    b.keys('a');
    const ackMs = await within(
      a,
      (s) => /Kenji: the queue alarm flaps after 02:00\s+✓ Aiko/.test(s),
      'the acknowledgement on A',
    );
    expect(ackMs).toBeLessThan(2_000);

    // The team server goes away mid-shift: A's header says so, with what waits; it all arrives afterwards.
    server.stop();
    try {
      await a.waitFor((s) => /team: offline \(since [^,]+, 0 events waiting\)/.test(s), 'A offline', 20_000);
      a.keys('n');
      await a.waitFor((s) => s.includes('What should the next responder know?'), 'the note prompt');
      a.type('written while the team server was down');
      a.keys('Enter');
      await a.waitFor((s) => /team: offline \(since [^,]+, 1 event waiting\)/.test(s), 'one event waiting');
    } finally {
      await server.start();
    }
    await a.waitFor((s) => s.includes('team ✓'), 'A back online', 40_000);
    await b.waitFor(
      (s) => s.includes('Kenji: written while the team server was down'),
      'the offline note on B',
      40_000,
    );

    a.keys('q');
    b.keys('q');
    await new Promise((r) => setTimeout(r, 1_000));
    // The same notes (and acknowledgements) in both laptops' handoff reports.
    const notes = async (env: NodeJS.ProcessEnv) => {
      const r = await runCli(['handoff', '--format', 'json', '--since', '30d'], env);
      expect(r.code === 0 || r.code === 4).toBe(true);
      return (
        JSON.parse(r.stdout) as { notes: { at: number; from: string; text: string; acknowledgedBy?: string }[] }
      ).notes.map((n) => ({ from: n.from, text: n.text, at: n.at, by: n.acknowledgedBy }));
    };
    const [na, nb] = [await notes(envA), await notes(envB)];
    expect(na.map((n) => n.text)).toEqual([
      'the queue alarm flaps after 02:00',
      'written while the team server was down',
    ]);
    expect(nb).toEqual(na);
  }, 150_000);
});
