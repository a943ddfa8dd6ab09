/**
 * A query step on a metric in bytes (the disk runbook's FreeStorageSpace) reads as the cockpit shows
 * storage: GiB and the share used, never raw bytes. Checked against the sandbox's own series and database.
 */
import { describe, expect, it } from 'vitest';
import { loadRunbooks } from '../../../src/core/runbooks/load.js';
import { runQuery } from '../../../src/core/runbooks/queries.js';
import type { QueryStep } from '../../../src/core/runbooks/schema.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';

describe('a query on a metric in bytes', () => {
  it("FreeStorageSpace: now, min and max in GiB, and the storage used as the databases panel says it", async () => {
    const sb = createSandbox({
      seed: 1,
      scenario: 'disk-fill',
      speed: 1,
      startOffsetMs: 40 * 60_000,
      policy: DEFAULT_POLICY,
      user: { id: 'local', name: 'Test Responder' },
      frozen: true,
    });
    const runbook = loadRunbooks({ dirs: [] }).runbooks.find((r) => r.runbook.id === 'disk-utilization')!.runbook;
    const step = runbook.phases.detect.find((s) => s.id === 'free-space') as QueryStep;
    const now = sb.now();
    const result = await runQuery(step, { 'params.database': 'vitascope-db' }, { sources: sb, now });
    const [truth] = await sb.metrics!.getSeries([{ id: 'q', metric: { ...step.metric!, dimensions: { DBInstanceIdentifier: 'vitascope-db' } }, statistic: 'Minimum' }], {
      start: now - 24 * 60 * 60_000,
      end: now,
      stepSeconds: 1440,
    });
    const newest = truth!.points.at(-1)!.v;
    expect(newest).toBeGreaterThan(1024 ** 3);
    // No raw byte count anywhere; the newest value in GiB as the summary rounds it.
    expect(result.summary).not.toMatch(/\d{7,}/);
    const gib = newest / 1024 ** 3;
    expect(result.summary).toContain(`now ${gib >= 100 ? gib.toFixed(0) : gib.toFixed(1)} GiB`);
    const db = (await sb.databases!.listDatabases()).find((d) => d.id === 'vitascope-db')!;
    expect(result.summary).toContain(`storage ${db.storageUsedPercent} % of ${db.allocatedGiB} GiB used`);
    await sb.close();
  });
});
