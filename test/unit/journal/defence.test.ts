/**
 * The journal defends itself: a file damaged mid-way is named when it is opened (quick_check), the full
 * integrity_check finds it too, and SQLite's and the file system's failures become JournalErrors of a kind
 * (full, read-only, damaged, locked) that name the file and what to do. (Full and read-only files in real
 * processes: test/e2e/storage.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalError, openJournal, storageFailure } from '../../../src/core/journal/index.js';
import { storageProblem } from '../../../src/core/storage.js';
import { alice, tempDir } from './helpers.js';

/** A journal of a few hundred KB, closed (checkpointed: everything is in the main file). */
function filledJournal(): string {
  const file = path.join(tempDir(), 'journal.db');
  const j = openJournal(file);
  j.upsertIncident({ id: 'P1', title: 'disk', status: 'triggered', source: 'local', createdAt: 0 });
  j.appendMany(
    Array.from({ length: 400 }, (_, i) => ({
      kind: 'note' as const,
      who: alice,
      incidentId: 'P1',
      at: i,
      payload: { text: `note ${i} ${'x'.repeat(500)}` },
    })),
  );
  j.close();
  return file;
}

describe('a damaged journal is named when it is opened', () => {
  it('quick_check on open: a page overwritten mid-file is a JournalError of kind corrupt, naming the file and what to do', () => {
    const file = filledJournal();
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    // Overwrite a b-tree page in the middle of the file (pages are 4 KB), header bytes included.
    const page = Math.floor(size / 4096 / 2) * 4096;
    fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, page);
    fs.closeSync(fd);
    let error: unknown;
    try {
      openJournal(file).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JournalError);
    expect(error).toMatchObject({ kind: 'corrupt', file });
    expect((error as Error).message).toContain(`${file}: the journal is damaged`);
    expect((error as Error).message).toContain(`mv "${file}" "${file}.damaged"`);
  });

  it('integrity_check (doctor) passes on a sound file', () => {
    const j = openJournal(filledJournal());
    expect(() => j.integrityCheck()).not.toThrow();
    expect(j.query({ incidentId: 'P1' })).toHaveLength(400);
    j.close();
  });
});

describe('storage failures are told apart by their codes', () => {
  it('SQLite and errno codes map to full, read-only, damaged, locked and I/O', () => {
    const code = (c: string) => storageProblem(Object.assign(new Error('x'), { code: c }));
    expect(code('SQLITE_FULL')).toBe('full');
    expect(code('SQLITE_IOERR_WRITE')).toBe('full');
    expect(code('ENOSPC')).toBe('full');
    expect(code('EFBIG')).toBe('full');
    expect(code('SQLITE_READONLY')).toBe('readonly');
    expect(code('SQLITE_READONLY_DBMOVED')).toBe('readonly');
    expect(code('EACCES')).toBe('readonly');
    expect(code('SQLITE_CORRUPT')).toBe('corrupt');
    expect(code('SQLITE_NOTADB')).toBe('corrupt');
    expect(code('SQLITE_BUSY')).toBe('busy');
    expect(code('SQLITE_IOERR_READ')).toBe('io');
    expect(code('SQLITE_CONSTRAINT_UNIQUE')).toBeUndefined();
    expect(storageFailure('/j.db', new Error('no code'))).toBeUndefined();
  });
});
