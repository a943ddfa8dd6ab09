import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { JournalError, migrate, openJournal, SCHEMA_VERSION, type Migration } from '../../../src/core/journal/index.js';
import { alice, reopen, T0, tempDir, tempJournal } from './helpers.js';

const tables = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[]
    ).filter((n) => !n.startsWith('sqlite_'));
  } finally {
    db.close();
  }
};

describe('journal schema and migrations', () => {
  it('creates the schema in an empty directory, in WAL mode, private to the user', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const file = path.join(dir, 'journal.db');
    const j = tempJournal({}, file);
    expect(j.path).toBe(file);
    j.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(tables(file)).toEqual([
      'alarm_states',
      'events',
      'follow_ups',
      'handoffs',
      'incident_snapshots',
      'incidents',
      'mirror_batches',
      'mirror_outbox',
      'room_leases',
      'team_cursors',
      'team_state',
    ]);
    if (process.platform !== 'win32') {
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(dir).mode & 0o077).toBe(0);
    }
  });

  it('keeps what was recorded when reopened, and does not migrate twice', () => {
    const file = path.join(tempDir(), 'journal.db');
    const j = openJournal(file);
    const e = j.append({ kind: 'note', at: T0, who: alice, incidentId: 'INC-1', payload: { text: 'first' } });
    j.upsertIncident({ id: 'INC-1', title: 'API CPU high', status: 'triggered', source: 'sandbox', createdAt: T0 });
    j.close();
    const again = reopen(file);
    expect(again.query()).toEqual([
      { kind: 'note', seq: e.seq, at: T0, who: alice, incidentId: 'INC-1', payload: { text: 'first' } },
    ]);
    expect(again.incident('INC-1')?.title).toBe('API CPU high');
    const next = again.append({
      kind: 'note',
      at: T0 + 1,
      who: alice,
      incidentId: 'INC-1',
      payload: { text: 'second' },
    });
    expect(next.seq).toBeGreaterThan(e.seq);
  });

  it('refuses a file written by a newer version with a message that says so', () => {
    const file = path.join(tempDir(), 'journal.db');
    openJournal(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openJournal(file)).toThrow(JournalError);
    expect(() => openJournal(file)).toThrow(
      `${file}: this journal was written by a newer vitascope-oncall (schema version ${SCHEMA_VERSION + 1}; this version knows up to ${SCHEMA_VERSION}). Upgrade vitascope-oncall to read it, or move the file aside to start a new journal.`,
    );
  });

  it('refuses a file that is not a journal, naming it', () => {
    const file = path.join(tempDir(), 'journal.db');
    fs.writeFileSync(file, 'this is not a database, just some text that is long enough to have a header of sorts');
    const error = (() => {
      try {
        openJournal(file);
      } catch (e) {
        return e as JournalError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(JournalError);
    expect(error).toMatchObject({ kind: 'corrupt', file });
    expect(error.message).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the journal is damaged .*Move the file aside .*file is not a database`,
      ),
    );
  });

  it('runs pending migrations in order, in one transaction, and only once', () => {
    const file = path.join(tempDir(), 'scratch.db');
    const list: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y TEXT' },
    ];
    const db = new Database(file);
    expect(migrate(db, file, list.slice(0, 1))).toEqual({ from: 0, to: 1 });
    expect(migrate(db, file, list)).toEqual({ from: 1, to: 2 });
    expect(migrate(db, file, list)).toEqual({ from: 2, to: 2 });
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('a')).toEqual(['x', 'y']);
    db.close();
  });

  it('leaves the file untouched when a migration fails, and says which one', () => {
    const file = path.join(tempDir(), 'scratch.db');
    const db = new Database(file);
    const list: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE b (y INTEGER); ALTER TABLE nope ADD COLUMN z' },
    ];
    expect(() => migrate(db, file, list)).toThrow(`${file}: journal migration 2 (broken) failed: no such table: nope`);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table'`).pluck().get()).toBe(0);
    db.close();
  });
});
