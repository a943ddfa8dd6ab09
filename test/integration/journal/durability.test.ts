import { NODE_BUNDLE_WITH_SQLITE } from '../../../scripts/esbuildPlugins.mjs';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../../src/core/journal/index.js';

/**
 * Durability of the journal against SIGKILL at any moment: a child appends events in a loop and prints
 * each one after append returns; the parent kills it at random moments, many times, then checks that
 * the file is intact and holds every event the child acknowledged. Also: a mirror send interrupted by
 * SIGKILL between send and mark is not repeated once the notes can be listed.
 */

const ROUNDS = Number(process.env.JOURNAL_KILL_ROUNDS ?? 30);
let dir: string;
let child: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-journal-kill-'));
  child = path.join(dir, 'child.mjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'child.ts')],
    outfile: child,
    ...NODE_BUNDLE_WITH_SQLITE,
  });
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  /** Complete lines printed before the kill. */
  readonly lines: string[];
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Runs the child until `kill` decides to SIGKILL it (given the lines so far), or it exits. */
function runChild(args: string[], killWhen: (child: ReturnType<typeof spawn>, lines: string[]) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    const lines: string[] = [];
    p.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const parts = out.split('\n');
      out = parts.pop()!; // a partial line is not an acknowledgement
      lines.push(...parts);
      killWhen(p, lines);
    });
    p.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    p.on('error', reject);
    p.on('close', (_code, signal) => resolve({ lines, signal, stderr }));
    killWhen(p, lines);
  });
}

describe('journal durability', () => {
  it(
    `keeps every acknowledged event and an intact file across ${ROUNDS} SIGKILLs at random moments`,
    { timeout: 180_000 },
    async () => {
      const file = path.join(dir, 'journal.db');
      const acked = new Map<number, { kind: string; text: string }>();
      let killedDuringAppends = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // Half the rounds: a random moment from spawn (startup, open, migration or appends). The other half:
        // a random moment after the first acknowledgement, so that most kills land mid-append.
        const fromStart = round % 2 === 0;
        const delay = Math.random() * (fromStart ? 400 : 120);
        let timer: NodeJS.Timeout | undefined;
        const run = await runChild(['append', file, String(round)], (p, lines) => {
          if (timer) return;
          if (fromStart || lines.length > 0) timer = setTimeout(() => p.kill('SIGKILL'), delay);
        });
        expect(run.signal, run.stderr).toBe('SIGKILL');
        if (run.lines.length > 0) killedDuringAppends += 1;
        for (const line of run.lines) {
          const [seq, kind, text] = line.split(' ');
          expect(acked.has(Number(seq)), `seq ${seq} acknowledged twice`).toBe(false);
          acked.set(Number(seq), { kind: kind!, text: text! });
        }
        const db = new Database(file);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        db.close();
      }
      expect(killedDuringAppends).toBeGreaterThanOrEqual(ROUNDS / 2);
      expect(acked.size).toBeGreaterThan(ROUNDS);

      const db = new Database(file, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const rows = new Map(
        (
          db.prepare(`SELECT seq, kind, payload FROM events`).all() as { seq: number; kind: string; payload: string }[]
        ).map((r) => [r.seq, r]),
      );
      const missing: number[] = [];
      for (const [seq, want] of acked) {
        const row = rows.get(seq);
        const payload = row && (JSON.parse(row.payload) as { text?: string; stepId?: string });
        if (!row || row.kind !== want.kind || (payload!.text ?? payload!.stepId) !== want.text) missing.push(seq);
      }
      expect(missing).toEqual([]);
      // Projections and the outbox were written in the same transactions as their events.
      const followUps = db.prepare(`SELECT count(*) FROM follow_ups`).pluck().get();
      expect(followUps).toBe(db.prepare(`SELECT count(*) FROM events WHERE kind = 'followup.added'`).pluck().get());
      expect(db.prepare(`SELECT count(*) FROM mirror_outbox`).pluck().get()).toBe(
        db.prepare(`SELECT count(*) FROM events WHERE kind IN ('note', 'step.done', 'followup.added')`).pluck().get(),
      );
      db.close();

      const journal = openJournal(file);
      expect(journal.incidentState('PD-1').eventCount).toBe(rows.size);
      journal.close();
      console.log(
        `journal durability: ${ROUNDS} SIGKILLs (${killedDuringAppends} during appends), ${acked.size} acknowledged events, all present, integrity ok`,
      );
    },
  );

  it(
    'does not repeat a mirror note when the sender was killed between send and mark',
    { timeout: 60_000 },
    async () => {
      const file = path.join(dir, 'mirror.db');
      const notesFile = path.join(dir, 'notes.jsonl');
      const j = openJournal(file, { mirror: true });
      j.upsertIncident({ id: 'PD-9', title: 'mirror', status: 'acknowledged', source: 'pagerduty', createdAt: 0 });
      j.appendMany(
        [1, 2, 3].map((i) => ({
          kind: 'note' as const,
          at: 1_000 * i,
          who: { kind: 'local' as const, id: 'me' },
          incidentId: 'PD-9',
          payload: { text: `m${i}` },
        })),
      );
      j.close();

      const run = await runChild(['mirror', file, notesFile], (p, lines) => {
        if (lines.includes('sent')) p.kill('SIGKILL');
      });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      const posted = () =>
        fs
          .readFileSync(notesFile, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { incidentId: string; text: string });
      expect(posted()).toHaveLength(1);

      // The lease names a process that is gone, so it is taken over at once; the note is found by its marker.
      const again = openJournal(file, { mirror: true });
      const sent: string[] = [];
      const r = await again.mirrorPending(async (_id, text) => void sent.push(text), {
        settleMs: 0,
        existingNotes: async (id) =>
          posted()
            .filter((n) => n.incidentId === id)
            .map((n) => n.text),
      });
      expect(r).toMatchObject({ alreadyPresent: 1, notesSent: 0 });
      expect(sent).toEqual([]);
      expect(again.mirrorStatus()).toEqual({ pendingEvents: 0, failingBatches: 0 });
      again.close();
      expect(posted()).toHaveLength(1);
      expect(posted()[0]!.text).toMatch(/note: m1\n.*note: m2\n.*note: m3$/);
    },
  );
});
