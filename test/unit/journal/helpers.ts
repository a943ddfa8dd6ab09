import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openJournal, type Journal, type OpenOptions, type Who } from '../../../src/core/journal/index.js';

export const alice: Who = { kind: 'local', id: 'alice', name: 'Alice' };
export const bob: Who = { kind: 'pagerduty', id: 'PBOB123', name: 'Bob' };
export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

const dirs: string[] = [];
const journals: Journal[] = [];

/** A fresh temp directory, removed after the test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-journal-'));
  dirs.push(dir);
  return dir;
}

/** A journal on a real SQLite file in a temp directory, closed after the test. */
export function tempJournal(options: OpenOptions = {}, file = path.join(tempDir(), 'journal.db')): Journal {
  const j = openJournal(file, options);
  journals.push(j);
  return j;
}

/** Opens an existing file again (closed after the test). */
export function reopen(file: string, options: OpenOptions = {}): Journal {
  const j = openJournal(file, options);
  journals.push(j);
  return j;
}

afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
