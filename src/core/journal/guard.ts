import type Database from 'better-sqlite3';
import { storageAdvice } from '../storage.js';
import { JournalError, storageFailure } from './errors.js';
import type { Journal } from './journal.js';

/**
 * Runs SQLite's quick_check or integrity_check; a damaged file is a JournalError of kind 'corrupt' naming
 * the file, the first problem SQLite found and what to do.
 */
export function checkIntegrity(db: Database.Database, file: string, check: 'quick_check' | 'integrity_check'): void {
  const rows = db.pragma(`${check}(3)`) as Record<string, string>[];
  const found = rows.map((r) => Object.values(r)[0]).filter((v) => v !== 'ok');
  if (found.length > 0)
    throw new JournalError(
      `${storageAdvice('corrupt', file)} (${check}: ${found.join('; ').slice(0, 300)})`,
      file,
      undefined,
      'corrupt',
    );
}

/**
 * Every method of the journal with SQLite's and the file system's failures (full, read-only, damaged,
 * locked) turned into a JournalError that names the file and what to do. A failed write is rolled back
 * by SQLite: what was recorded before stays.
 */
export function guardStorage(journal: Journal, file: string): Journal {
  const guarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(journal)) {
    if (typeof value !== 'function') {
      // A group of methods (the team replica) is guarded the same way.
      guarded[name] =
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? guardStorage(value as Journal, file)
          : value;
      continue;
    }
    guarded[name] = (...args: unknown[]) => {
      try {
        const out = (value as (...a: unknown[]) => unknown)(...args);
        return out instanceof Promise
          ? out.catch((error: unknown) => Promise.reject(storageFailure(file, error) ?? error))
          : out;
      } catch (error) {
        throw storageFailure(file, error) ?? error;
      }
    };
  }
  return guarded as unknown as Journal;
}
