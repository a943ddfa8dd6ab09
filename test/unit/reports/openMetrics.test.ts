/**
 * The report of a sandbox incident still open: its metrics exist in the world, but the journal has none
 * yet (the cockpit captures them at resolution or when its run ends). The report says "not captured yet",
 * never "no metric data". Checked against the journal file and the sandbox's own metric source.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../harness/cli.js';
import { runInProcess } from '../../harness/inProcess.js';
import { openJournal } from '../../../src/core/journal/index.js';
import { journalPath } from '../../../src/core/journal/paths.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { alarmQuery } from '../../../src/core/record/evidence.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';

describe('the report of an open sandbox incident', () => {
  it('says its metrics are not captured yet (they exist), and "no metric data" stays for when none were found', async () => {
    // The journal in a folder of the test's own (the data dir follows the process's HOME otherwise).
    const env = isolatedEnv({ VITASCOPE_ONCALL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'vo-data-')) });
    const flags = ['--demo', '--scenario', 'api-cpu-spike', '--at', '30m'];
    const acked = await runInProcess([...flags, 'act', 'pagerduty.acknowledge', '--incident', 'PSB1001', '--yes'], env);
    expect(acked.code).toBe(0);
    const journal = openJournal(journalPath(env, 'sandbox'));
    const record = journal.incident('PSB1001')!;
    expect(record.status).not.toBe('resolved');
    expect(journal.query({ incidentId: 'PSB1001', kinds: ['metrics.captured'] })).toEqual([]);
    journal.close();
    // The world has the metrics: the CPU alarm's series over the incident has points.
    const sb = createSandbox({
      seed: 1,
      scenario: 'api-cpu-spike',
      speed: 1,
      startOffsetMs: 30 * 60_000,
      policy: DEFAULT_POLICY,
      user: { id: 'local', name: 'T' },
      frozen: true,
    });
    const alarm = (await sb.alarms!.listAlarms()).find((a) => a.name === record.alarmNames[0])!;
    const [series] = await sb.metrics!.getSeries([alarmQuery(DEFAULT_POLICY, alarm)!], {
      start: record.createdAt,
      end: sb.now(),
      stepSeconds: 60,
    });
    expect(series!.points.length).toBeGreaterThan(0);
    await sb.close();

    for (const lang of ['en', 'ja']) {
      const report = await runInProcess([...flags, 'report', 'PSB1001', '--lang', lang], env);
      expect(report.code).toBe(0);
      expect(report.stdout).not.toContain('No metric data was available');
      expect(report.stdout).not.toContain('メトリクスは取得できませんでした');
      expect(report.stdout).toMatch(lang === 'en' ? /Metrics not captured yet/ : /メトリクスはまだ記録されていません/);
    }
    const json = JSON.parse((await runInProcess([...flags, 'report', 'PSB1001', '--format', 'json'], env)).stdout) as {
      metrics: unknown[];
      metricsMissing?: string;
    };
    expect(json.metrics).toEqual([]);
    expect(json.metricsMissing).toBe('open');
  }, 60_000);
});
