import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/core/actions/catalogue.js';
import { journalPath, openJournal, type JournalEvent } from '../../src/core/journal/index.js';
import { isolatedEnv, runCli } from '../harness/cli.js';

/**
 * `act` end to end through the built binary on the sandbox: a remediation outside any runbook is
 * planned (printed first), confirmed, applied, read back and journaled; dry runs and refusals are
 * journaled too; bad input is one line and exit 2. Production's typed confirmation is tested against
 * moto (test/integration/actions/act.test.ts).
 */

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-act-'));
  const e = isolatedEnv({ VITASCOPE_ONCALL_DATA_DIR: data });
  made.push(data, e.HOME!);
  return e;
}

function actions(e: NodeJS.ProcessEnv): JournalEvent[] {
  const j = openJournal(journalPath(e, 'sandbox'));
  try {
    return j.query({
      kinds: ['action.planned', 'action.confirmed', 'action.applied', 'action.verified', 'action.failed'],
    });
  } finally {
    j.close();
  }
}

const stages = (events: readonly JournalEvent[]) =>
  events.map((ev) => `${ev.kind}${(ev.payload as { dryRun?: boolean }).dryRun ? ' (dry run)' : ''}`);

describe('act on the sandbox', () => {
  it('plans, applies with --yes, reads back, and journals every stage attached to the incident', async () => {
    const e = env();
    const r = await runCli(
      [
        '--demo',
        '--scenario',
        'db-connections',
        '--at',
        '30m',
        'act',
        'ecs.set-desired-count',
        'service=vitascope-api',
        'desired=4',
        '--yes',
        '--incident',
        'PSB1001',
      ],
      e,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'Set the ECS service desired count: vitascope-api: desired count 2 → 4',
      '  ecs.set-desired-count on vitascope-api · dangerous',
      '  desired count: 2 → 4',
      '  ! starts 2 tasks of vitascope-api:41; new tasks take a few minutes to pass their health checks before they take traffic',
    ]);
    expect(r.stdout).toMatch(
      /\nverified: UpdateService vitascope-api: desiredCount 4 \(was 2\)\n {2}vitascope-api: desired 4, /,
    );
    const events = actions(e);
    expect(stages(events)).toEqual(['action.planned', 'action.confirmed', 'action.applied', 'action.verified']);
    expect(new Set(events.map((ev) => ev.incidentId))).toEqual(new Set(['PSB1001']));
    // An incident nobody knows is a typo, not a new incident.
    const typo = await runCli(
      [
        '--demo',
        'act',
        'ecs.set-desired-count',
        'service=vitascope-api',
        'desired=4',
        '--yes',
        '--incident',
        'PSB9999',
      ],
      e,
    );
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(
      /^vitascope-oncall: act: no incident "PSB9999" in the sandbox journal or the incident source\n$/,
    );
    expect(events[0]!.who.kind).toBe('local');
  });

  it('--dry-run changes nothing and is journaled as such; --json prints the outcome', async () => {
    const e = env();
    const dry = await runCli(['--demo', 'act', 'rds.reboot', 'database=vitascope-db', '--dry-run'], e);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/\ndry-run: /);
    expect(stages(actions(e))).toEqual(['action.planned (dry run)', 'action.applied (dry run)']);
    const json = await runCli(
      ['--demo', 'act', 'autoscaling.set-limits', 'service=vitascope-api', 'min=4', 'max=8', '--yes', '--json'],
      e,
    );
    expect(json.code).toBe(0);
    const outcome = JSON.parse(json.stdout) as {
      status: string;
      plan: { action: string; changes: { what: string; from: unknown; to: unknown }[] };
    };
    expect(outcome.status).toBe('verified');
    expect(outcome.plan.action).toBe('autoscaling.set-limits');
    expect(outcome.plan.changes.map((c) => c.what)).toEqual(
      expect.arrayContaining(['autoscaling minimum', 'autoscaling maximum']),
    );
  });

  it('a change of nothing is not asked about; a range of addresses is blocked in the brute-force scenario', async () => {
    const e = env();
    const same = await runCli(['--demo', 'act', 'ecs.set-desired-count', 'service=vitascope-api', 'desired=2'], e);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(
      /\nnothing-to-do: nothing to change: vitascope-api: the desired count is already 2; nothing to change\n$/,
    );
    const block = await runCli(
      [
        '--demo',
        '--scenario',
        'auth-bruteforce',
        '--at',
        '20m',
        'act',
        'waf.block-address',
        'address=203.0.113.0/24',
        'reason=brute force',
        '--yes',
      ],
      e,
    );
    expect(block.code).toBe(0);
    expect(block.stdout).toContain('  ! every request from 256 addresses (203.0.113.0/24) is refused at the edge');
    expect(block.stdout).toMatch(/read back: sandbox-blocked-addresses covers 203\.0\.113\.0\/24 \(1 entry\)\n$/);
  });

  it('--help names every action of the catalogue', async () => {
    const help = await runCli(['act', '--help']);
    expect(help.code).toBe(0);
    for (const id of ACTION_IDS) expect(help.stdout, id).toContain(id);
  });

  it('refuses what it cannot do in one line, exit 2: unknown actions, bad parameters, no terminal, read-only', async () => {
    const e = env();
    const cases: [string[], RegExp][] = [
      [['act', 'ecs.scale'], /^vitascope-oncall: act: no action "ecs\.scale"; the catalogue: ecs\.set-desired-count, /],
      [
        ['act', 'ecs.set-desired-count', 'service=vitascope-api', 'desired=lots', '--yes'],
        /^vitascope-oncall: act: ecs\.set-desired-count desired: /,
      ],
      [
        ['act', 'ecs.set-desired-count', 'service=vitascope-api', 'desired', '--yes'],
        /^vitascope-oncall: act: a parameter is name=value, not "desired"\n$/,
      ],
      [
        ['act', 'ecs.set-desired-count', 'service=nope', 'desired=3', '--yes'],
        /^vitascope-oncall: act: no ECS service nope \(known: vitascope-api, vitascope-worker\)\n$/,
      ],
      [
        ['act', 'alertmanager.silence', 'matchers={alertname', 'duration=1h', 'comment=x', '--yes'],
        /^vitascope-oncall: act: parameter matchers: "\{alertname" starts like JSON but is not JSON\n$/,
      ],
      [
        ['act', 'ecs.set-desired-count', 'service=vitascope-api', 'desired=3'],
        /^vitascope-oncall: act: needs a confirmation and there is no terminal to ask on: pass --yes /,
      ],
      [
        ['--readonly', 'act', 'ecs.set-desired-count', 'service=vitascope-api', 'desired=3', '--yes'],
        /^vitascope-oncall: act: refused: read-only mode: /,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['--demo', ...args], e);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    // The read-only refusal is journaled; nothing was confirmed or applied anywhere.
    expect(stages(actions(e)).filter((s) => s !== 'action.failed' && s !== 'action.planned')).toEqual([]);
    expect(stages(actions(e))).toContain('action.failed');
  });
});
