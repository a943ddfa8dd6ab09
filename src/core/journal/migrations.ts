import type Database from 'better-sqlite3';
import { JournalError } from './errors.js';
import { MIGRATIONS, type Migration } from './schema.js';

/**
 * Brings a journal file to the newest schema this program knows, at open. All pending migrations run in
 * one IMMEDIATE transaction together with the user_version bump, so a crash (or a second process opening
 * the same file) mid-migration leaves the file at the old version, never half-migrated; the version is
 * read again inside the transaction so that two processes opening a new file at once migrate it once.
 *
 * A file whose user_version is higher than the newest migration was written by a newer vitascope-oncall:
 * it is refused with a message saying so, rather than read with wrong assumptions or "migrated" down.
 */
export function migrate(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`journal migrations must be numbered 1, 2, 3, …: entry ${i} is version ${m.version}`);
  });
  const latest = migrations.length;
  const version = (): number => db.pragma('user_version', { simple: true }) as number;

  const check = (current: number) => {
    if (current > latest) {
      throw new JournalError(
        `${file}: this journal was written by a newer vitascope-oncall (schema version ${current}; this version knows up to ${latest}). ` +
          'Upgrade vitascope-oncall to read it, or move the file aside to start a new journal.',
        file,
      );
    }
  };

  const before = version();
  check(before);
  if (before === latest) return { from: before, to: before };

  const run = db.transaction(() => {
    const current = version();
    check(current);
    for (const m of migrations) {
      if (m.version <= current) continue;
      try {
        db.exec(m.sql);
      } catch (error) {
        throw new JournalError(
          `${file}: journal migration ${m.version} (${m.name}) failed: ${(error as Error).message}`,
          file,
        );
      }
      db.pragma(`user_version = ${m.version}`);
    }
    return current;
  });
  const from = run.immediate();
  return { from, to: latest };
}
