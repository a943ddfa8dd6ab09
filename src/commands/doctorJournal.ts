import type { Check } from '../sources/doctor.js';

/**
 * The journals that exist (live and sandbox): opened as the program opens them (quick_check, schema) and
 * checked with SQLite's full integrity_check. A damaged, read-only or full journal fails with what to do.
 */
export async function journalChecks(env: NodeJS.ProcessEnv): Promise<Check[]> {
  const fs = await import('node:fs');
  const { JOURNAL_FILES, journalPath, openJournal } = await import('../core/journal/index.js');
  const out: Check[] = [];
  for (const kind of Object.keys(JOURNAL_FILES) as (keyof typeof JOURNAL_FILES)[]) {
    const file = journalPath(env, kind);
    if (!fs.existsSync(file)) continue;
    const check = `${kind} journal (PRAGMA integrity_check)`;
    try {
      const journal = openJournal(file);
      try {
        journal.integrityCheck();
      } finally {
        journal.close();
      }
      out.push({ source: 'journal', check, result: 'ok', detail: file });
    } catch (error) {
      out.push({
        source: 'journal',
        check,
        result: 'fail',
        detail: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return out;
}
