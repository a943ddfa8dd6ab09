import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, runCli } from '../harness/cli.js';

const LINE = /^(.+):(\d+):(\d+): (\S+): (.+)$/;

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-rb-e2e-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const GOOD = `id: billing-export
title: Billing export failed
priority: P3
matches:
  alarms: ["vitascope-billing-*"]
phases:
  detect:
    - { id: ack, kind: action, title: Acknowledge, action: pagerduty.acknowledge }
  resolve:
    - { id: ok, kind: check, title: Back to OK, alarm: "{{alarm.name}}", state: OK }
`;

const BAD = `id: broken
title: Broken
priority: P2
matches:
  rules: [cpu-utilization]
phases:
  resolve:
    - id: scale
      kind: action
      title: Scale
      action: autoscaling.set-limits
      with: { service: vitascope-api, min: 9, max: 8 }
    - id: shell
      kind: command
      title: Shell
      command: "aws ecs describe-services --services {{alarm.name}}"
    - id: note
      kind: note
      title: "Impact on {{incident.titel}}"
    - id: explode
      kind: action
      title: Explode
      action: ecs.explode
`;

describe('runbooks lint', () => {
  it('the shipped runbooks lint clean: exit 0 and a one-line summary', async () => {
    const r = await runCli(['runbooks', 'lint', 'runbooks']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^19 files, 19 runbooks, no errors \(runbooks\)\n$/);
    const all = await runCli(['runbooks', 'lint']);
    expect(all.code).toBe(0);
    expect(all.stdout).toBe('19 files, 19 runbooks, no errors (the shipped and configured runbooks)\n');
  });

  it('a bad folder: every error on its own file:line:column line, exit 1', async () => {
    const dir = folder({
      'broken.yaml': BAD,
      'good.yaml': GOOD,
      'syntax.yml': 'id: x\ntitle: Acknowledge (P1: now)\n',
    });
    const r = await runCli(['runbooks', 'lint', dir]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(LINE);
    const broken = path.join(dir, 'broken.yaml');
    expect(lines).toEqual([
      `${broken}:12:44: phases.resolve[0].with.min: min must not exceed max`,
      `${broken}:16:16: phases.resolve[1].command: expected an argument array such as [aws, ecs, describe-services], not a shell string (runbook commands never go through a shell), got "aws ecs describe-services --services {{alarm.na…"`,
      `${broken}:19:14: phases.resolve[2].title: unknown variable {{incident.titel}}: expected one of incident.id, incident.number, incident.title, incident.status, incident.priority, incident.urgency, incident.service, incident.url, incident.alarm`,
      expect.stringMatching(
        new RegExp(
          `^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:23:15: phases\\.resolve\\[3\\]\\.action: expected an action of the catalogue: .*, got "ecs\\.explode"$`,
        ),
      ),
      `${path.join(dir, 'syntax.yml')}:2:8: yaml: not valid YAML: nested mappings are not allowed in compact mappings`,
    ]);
    expect(r.stderr).toBe(`5 errors in 2 of 3 files (${dir})\n`);
  });

  it('a relative folder gives relative paths', async () => {
    const dir = folder({ 'broken.yaml': BAD });
    const rel = path.relative(process.cwd(), dir);
    const r = await runCli(['runbooks', 'lint', rel]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(
      new RegExp(`^${rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/broken\\.yaml:12:44: `),
    );
  });

  it('lints one file too', async () => {
    const dir = folder({ 'good.yaml': GOOD });
    const r = await runCli(['runbooks', 'lint', path.join(dir, 'good.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`1 file, 1 runbook, no errors (${path.join(dir, 'good.yaml')})\n`);
  });

  it('a folder that does not exist, or holds no runbooks, is a usage error: exit 2, one line', async () => {
    const missing = path.join(os.tmpdir(), 'vo-rb-e2e-does-not-exist');
    const r = await runCli(['runbooks', 'lint', missing]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`vitascope-oncall: runbooks lint: no such folder: ${missing}\n`);
    const empty = folder({ 'README.md': '# nothing' });
    const e = await runCli(['runbooks', 'lint', empty]);
    expect(e.code).toBe(2);
    expect(e.stderr).toBe(`vitascope-oncall: runbooks lint: ${empty} holds no runbooks (*.yaml or *.yml files)\n`);
  });

  it('without a folder, lints the shipped runbooks and the folders of runbooks.dirs', async () => {
    const team = folder({ 'broken.yaml': BAD, 'good.yaml': GOOD });
    const env = isolatedEnv();
    fs.mkdirSync(env.VITASCOPE_ONCALL_CONFIG_DIR!, { recursive: true });
    fs.writeFileSync(
      path.join(env.VITASCOPE_ONCALL_CONFIG_DIR!, 'config.json'),
      JSON.stringify({ runbooks: { dirs: [team] } }),
    );
    const r = await runCli(['runbooks', 'lint'], env);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(4);
    expect(r.stderr).toBe('4 errors in 1 of 21 files (the shipped and configured runbooks)\n');
  });
});

describe('runbooks list and show', () => {
  it('lists id, priority, title and what each matches', async () => {
    const r = await runCli(['runbooks', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+PRIO\s+TITLE\s+MATCHES\n/);
    expect(r.stdout).toMatch(
      /cpu-utilization\s+P2\s+ECS service CPU high\s+rules cpu-utilization; metrics AWS\/ECS CPUUtilization/,
    );
    expect(r.stdout).toMatch(/rds-connections\s+P1\s+/);
    expect(r.stdout).toMatch(/default\s+P3\s+.*anything else \(default\)/);
    const json = JSON.parse((await runCli(['runbooks', 'list', '--json'])).stdout) as {
      id: string;
      priority: string;
      matches: object;
      origin: string;
    }[];
    expect(json).toHaveLength(19);
    expect(json.find((x) => x.id === 'auth-failures')).toMatchObject({
      priority: 'P3',
      matches: { rules: ['auth-failures'] },
      origin: 'shipped',
      file: 'runbooks/auth-failures.yaml',
    });
  });

  it('shows the team runbooks, and says which shipped one a team runbook replaces', async () => {
    const team = folder({ 'mine.yaml': GOOD.replace('id: billing-export', 'id: error-rate') });
    const env = isolatedEnv();
    fs.mkdirSync(env.VITASCOPE_ONCALL_CONFIG_DIR!, { recursive: true });
    fs.writeFileSync(
      path.join(env.VITASCOPE_ONCALL_CONFIG_DIR!, 'config.json'),
      JSON.stringify({ runbooks: { dirs: [team] } }),
    );
    const r = await runCli(['runbooks', 'list'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /error-rate\s+P3\s+Billing export failed\s+alarms vitascope-billing-\*\s+team \(replaces shipped\)/,
    );
    expect(r.stdout).toMatch(/cpu-utilization .*shipped$/m);
  });

  it('list warns when some runbooks could not be loaded, and exits 3', async () => {
    const team = folder({ 'broken.yaml': BAD });
    const env = isolatedEnv();
    fs.mkdirSync(env.VITASCOPE_ONCALL_CONFIG_DIR!, { recursive: true });
    fs.writeFileSync(
      path.join(env.VITASCOPE_ONCALL_CONFIG_DIR!, 'config.json'),
      JSON.stringify({ runbooks: { dirs: [team] } }),
    );
    const r = await runCli(['runbooks', 'list'], env);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('cpu-utilization');
    expect(r.stdout).not.toContain('broken');
    expect(r.stderr).toBe(
      'vitascope-oncall: 4 runbook errors; the runbooks concerned are left out (details: vitascope-oncall runbooks lint)\n',
    );
  });

  it('shows one runbook phase by phase', async () => {
    const r = await runCli(['runbooks', 'show', 'rds-connections']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rds-connections · P1 · Database connections near the limit\n/);
    for (const phase of ['1. DETECT', '2. TRIAGE', '3. INVESTIGATE', '4. RESOLVE', '5. POSTMORTEM'])
      expect(r.stdout).toContain(phase);
    expect(r.stdout).toContain('[action] Reboot vitascope-db (drops every connection; short outage)  (reboot)');
    expect(r.stdout).toContain('rds.reboot database={{params.database}} failover=false');
    expect(r.stdout).toContain('when decision remedy chose reboot');
    expect(r.stdout).toContain('→ reboot: Reboot the instance');
    // The fields that shape a run: the default answer, how long a check waits, how an action verifies.
    expect(r.stdout).toMatch(/→ reboot: .*\(go to reboot; the default\)\n/);
    expect(r.stdout).toContain('rule rds-connections on {{params.database}} evaluates OK  (waits up to 15m)\n');
    expect(r.stdout).toMatch(
      /rds\.reboot database=\{\{params\.database\}\} failover=false\n\s+verify: alarm \{\{alarm\.name\}\} is OK\n/,
    );
    // A note-taking action (PagerDuty) verifies nothing; an explicit verify is shown with its timeout.
    expect(r.stdout).not.toMatch(/pagerduty\.add-note .*\n\s+verify:/);
    const sqs = await runCli(['runbooks', 'show', 'sqs-queue-depth']);
    expect(sqs.stdout).toMatch(/verify: alarm \{\{alarm\.name\}\} is OK within 30m\n/);
    const json = JSON.parse((await runCli(['runbooks', 'show', 'rds-connections', '--json'])).stdout) as {
      phases: { resolve: { id: string }[] };
    };
    expect(json.phases.resolve.map((s) => s.id)).toContain('reboot');
  });

  it('an unknown id: one line, exit 2 (a usage error)', async () => {
    const r = await runCli(['runbooks', 'show', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('vitascope-oncall: no runbook with id "nope"; vitascope-oncall runbooks list shows them\n');
  });

  it('has help on every level', async () => {
    for (const args of [
      ['runbooks', '--help'],
      ['runbooks', 'lint', '--help'],
      ['runbooks', 'list', '--help'],
      ['runbooks', 'show', '--help'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: vitascope-oncall runbooks');
    }
  });
});
