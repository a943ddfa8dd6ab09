/**
 * `report 1042` when several sandbox runs in one journal have an incident #1042 (every run numbers from
 * #1042 again): the command names every candidate (id, run, scenario, title) and exits 2 instead of picking
 * one silently; --run picks that run's. The candidates are read back from the journal file itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../harness/cli.js';
import { runInProcess } from '../../harness/inProcess.js';
import { openJournal } from '../../../src/core/journal/index.js';
import { journalPath } from '../../../src/core/journal/paths.js';

describe('an incident number several sandbox runs share', () => {
  it('report names the candidates and exits 2; --run picks one, and an unknown run says so', async () => {
    // The journal in a folder of the test's own (the data dir follows the process's HOME otherwise).
    const env = isolatedEnv({ VITASCOPE_ONCALL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'vo-data-')) });
    for (const scenario of ['api-cpu-spike', 'db-connections'])
      expect((await runInProcess(['--scenario', scenario, 'drill', '--yes'], env)).code).toBe(0);
    const journal = openJournal(journalPath(env, 'sandbox'));
    const numbered = journal.incidents().filter((i) => i.number === 1042);
    journal.close();
    expect(numbered.length).toBe(2);
    expect(new Set(numbered.map((i) => i.run)).size).toBe(2);

    const ambiguous = await runInProcess(['report', '1042'], env);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stdout).toBe('');
    for (const i of numbered) {
      expect(ambiguous.stderr).toContain(i.id);
      expect(ambiguous.stderr).toContain(`run ${i.run}`);
      expect(ambiguous.stderr).toContain(i.title.slice(0, 60));
    }
    expect(ambiguous.stderr).toMatch(/api-cpu-spike/);
    expect(ambiguous.stderr).toMatch(/db-connections/);

    for (const i of numbered) {
      const picked = await runInProcess(['report', '#1042', '--run', i.run], env);
      expect(picked.code).toBe(0);
      expect(picked.stdout).toContain(`| Incident | ${i.id} |`);
    }
    const none = await runInProcess(['report', '1042', '--run', 'zzzz99'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no incident #1042 in run "zzzz99"');
    // The id still names one incident, whatever the runs.
    expect((await runInProcess(['report', numbered[0]!.id], env)).code).toBe(0);
  }, 120_000);
});
