/**
 * Every shipped runbook resolves its sandbox scenario in a drill: for every scenario that names the
 * rules it exercises, `drill --scenario NAME --yes --json` is run in-process (the same CLI path as
 * the binary, without the process start) and its journal is read back: the five phases, the steps of
 * every exercised runbook, and a remediation verified with before/after evidence.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../harness/inProcess.js';
import type { DrillReport } from '../../../src/core/drill/types.js';
import { journalPath, openJournal, PHASES, type JournalEvent } from '../../../src/core/journal/index.js';
import { loadRunbooks } from '../../../src/core/runbooks/load.js';
import { formatLintError } from '../../../src/core/runbooks/lintErrors.js';
import { stepsOf } from '../../../src/core/runbooks/schema.js';
import { scenarios } from '../../../src/sources/sandbox/scenarios.js';
import { isolatedEnv } from '../../harness/cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function drillInProcess(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string; env: NodeJS.ProcessEnv }> {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-drill-'));
  dirs.push(data);
  const env = isolatedEnv({ VITASCOPE_ONCALL_DATA_DIR: data });
  dirs.push(env.HOME!);
  return { ...(await runInProcess(['drill', ...args], env)), env };
}

const exercised = scenarios(1).filter((s) => s.exercises.length > 0);
const runbooks = new Map(loadRunbooks({ dirs: [] }).runbooks.map((r) => [r.runbook.id, r.runbook]));

describe('the shipped runbooks', () => {
  it('lint clean', () => {
    const set = loadRunbooks({ dirs: [] });
    expect(set.errors.map(formatLintError)).toEqual([]);
  });
});

describe.each(exercised.map((s) => ({ name: s.name, exercises: s.exercises.join(', ') })))('drill $name (exercises $exercises)', ({ name }) => {
  it('resolves the scenario with --yes, and the journal holds the walk and the evidence', async () => {
    const scenario = exercised.find((s) => s.name === name)!;
    const r = await drillInProcess(['--scenario', name, '--yes', '--json']);
    const report = JSON.parse(r.stdout) as DrillReport & { exitCode: number };
    expect(report.reason, r.stderr).toMatch(/^remediated and verified/);
    expect(r.code).toBe(0);
    expect(report).toMatchObject({ scenario: name, environment: 'sandbox', resolved: true, confirmed: true, notExercised: [], exitCode: 0 });
    expect(Object.values(report.recovery).every((s) => s === 'OK')).toBe(true);
    expect(report.minutes.toResolve).toBeGreaterThan(0);

    // Every exercised rule's runbook was walked on the incident its alarm opened.
    expect(report.incidents.map((i) => i.rule).sort()).toEqual([...scenario.exercises].sort());
    for (const i of report.incidents) expect(i.runbook).toBe(i.rule);

    const journal = openJournal(journalPath(r.env, 'sandbox'));
    try {
      const events: JournalEvent[] = report.incidents.flatMap((i) => journal.query({ incidentId: i.journalId }));
      const unique = new Map(events.map((e) => [e.seq, e]));
      expect(unique.size).toBe(report.journal.events);
      for (const i of report.incidents) {
        const mine = [...unique.values()].filter((e) => e.incidentId === i.journalId);
        // Phases in order (a decision may jump over one: its steps are then journaled as skipped).
        const phases = mine.filter((e) => e.kind === 'phase.entered').map((e) => (e.payload as { phase: string }).phase);
        expect(phases.filter((p) => p !== 'investigate'), i.journalId).toEqual(expect.arrayContaining(['detect', 'triage', 'resolve', 'postmortem']));
        expect(phases.every((p) => (PHASES as readonly string[]).includes(p))).toBe(true);
        // Every step of the runbook was done or skipped, each exactly once.
        const rb = runbooks.get(i.runbook)!;
        const finished = mine.filter((e) => (e.kind === 'step.done' || e.kind === 'step.skipped') && (e.payload as { runbookId: string }).runbookId === i.runbook);
        expect(finished.map((e) => (e.payload as { stepId: string }).stepId).sort(), i.runbook).toEqual(stepsOf(rb).map((s) => s.step.id).sort());
        expect(finished.filter((e) => e.kind === 'step.done').length, `${i.runbook} steps done`).toBeGreaterThan(8);
        expect(mine.some((e) => e.kind === 'incident.created')).toBe(true);
        expect(mine.some((e) => e.kind === 'note')).toBe(true);
      }
      // The remediation, verified, with before/after evidence.
      const verified = [...unique.values()].filter(
        (e) => e.kind === 'action.verified' && !/^(pagerduty|command)\./.test((e.payload as { actionId: string }).actionId),
      );
      expect(verified.length).toBeGreaterThan(0);
      const evidence = (verified[0]!.payload as { output: string }).output;
      expect(evidence).toMatch(/^effect: .+\nalarm \S+ OK: before (ALARM|OK) .*, after OK .*, \d+[sm] after the change$/s);
      // Mirrored to the incidents as notes (the sandbox's pager standing in for PagerDuty), never twice.
      expect(report.mirror!.notes).toBeGreaterThan(0);
      expect(journal.mirrorStatus().pendingEvents).toBe(0);
    } finally {
      journal.close();
    }
  });
});

describe('drill without --yes', () => {
  it('plans and journals every action as a dry run and cannot resolve (exit 1)', async () => {
    const r = await drillInProcess(['--scenario', 'db-connections', '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as DrillReport;
    expect(report).toMatchObject({ resolved: false, confirmed: false, reason: 'actions were dry runs (no --yes): nothing was remediated' });
    const journal = openJournal(journalPath(r.env, 'sandbox'));
    try {
      const actions = journal.query({ incidentId: report.incidents[0]!.journalId }).filter((e) => e.kind.startsWith('action.'));
      expect(actions.some((e) => e.kind === 'action.verified' || e.kind === 'action.confirmed')).toBe(false);
      const reboot = actions.filter((e) => (e.payload as { actionId: string }).actionId === 'rds.reboot');
      expect(reboot.map((e) => [e.kind, (e.payload as { dryRun?: boolean }).dryRun])).toEqual([
        ['action.planned', true],
        ['action.applied', true],
      ]);
    } finally {
      journal.close();
    }
  });

  it('a scenario whose partner outage ends by itself still does not count as resolved', async () => {
    const r = await drillInProcess(['--scenario', 'dependency-outage', '--json']);
    const report = JSON.parse(r.stdout) as DrillReport;
    expect(r.code).toBe(1);
    expect(report.resolved).toBe(false);
  });

  it('refuses a missing or calm scenario with a usage error', async () => {
    expect((await drillInProcess([])).code).toBe(2);
    const calm = await drillInProcess(['--scenario', 'calm']);
    expect(calm.code).toBe(2);
    expect(calm.stderr).toMatch(/exercises no runbook/);
  });
});
