import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, runCli } from '../harness/cli.js';

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };

describe('the command line', () => {
  it('prints its version on every level', async () => {
    for (const args of [
      ['--version'],
      ['-V'],
      ['status', '--version'],
      ['config', 'get', '--version'],
      ['sandbox', '--version'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    }
  });

  it('prints help on every level', async () => {
    for (const [args, expected] of [
      [['--help'], /Usage: vitascope-oncall \[options\] \[command\]/],
      [['status', '--help'], /Exit codes: 0 all OK, 1 a warning, 2 something critical/],
      [['config', '--help'], /PAGERDUTY_TOKEN/],
      [['config', 'set', '--help'], /<key> <value>/],
      [['sandbox', '--help'], /--serve-metrics <port>/],
    ] as const) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(expected);
    }
  });

  it('rejects an unknown option or subcommand with one clear line and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--frobnicate'], /^error: unknown option '--frobnicate'$/],
      [['status', '--jsn'], /^error: unknown option '--jsn'\n?\(Did you mean --json\?\)$/],
      [['stauts'], /^error: unknown command 'stauts'\n?\(Did you mean status\?\)$/],
      [
        ['status', '--seed', 'abc'],
        /^error: option '--seed <n>' argument 'abc' is invalid\. expected a whole number from 0 to 9007199254740991\.$/,
      ],
      [
        ['status', '--at', 'soon'],
        /^error: option '--at <duration>' argument 'soon' is invalid\. expected a duration with a unit/,
      ],
      [
        ['--scenario', 'fire', 'status'],
        /^error: option '--scenario <name>' argument 'fire' is invalid\. expected one of calm, /,
      ],
      [['config', 'get'], /^error: missing required argument 'key'$/],
    ];
    for (const [args, expected] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n').length, r.stderr).toBeLessThanOrEqual(2);
      expect(r.stderr.trim(), args.join(' ')).toMatch(expected);
    }
  });

  it('without a terminal, the cockpit says so and points to status (exit 2)', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the cockpit needs a terminal');
    expect(r.stderr).toContain('vitascope-oncall status');
  });
});

describe('status', () => {
  it('uses the sandbox when nothing is configured, and says so in one line on stderr', async () => {
    const r = await runCli(['status']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('showing the SANDBOX');
    expect(r.stdout).toContain('Overall: ✓ OK');
    expect(r.stdout).toMatch(/vitascope-api\s+steady\s+2\/2/);
    const quiet = await runCli(['status', '--demo']);
    expect(quiet.stderr).toBe('');
  });

  it('prints the documented JSON snapshot', async () => {
    const r = await runCli(['status', '--demo', '--json', '--scenario', 'api-cpu-spike', '--at', '15m']);
    expect(r.code).toBe(2);
    const s = JSON.parse(r.stdout);
    expect(s.schema).toBe('vitascope-oncall/status@1');
    expect(s.at).toBe('2026-01-05T01:15:00.000Z');
    expect(s.environment).toEqual({
      kind: 'sandbox',
      label: 'SANDBOX',
      account: '000000000000',
      region: 'ap-northeast-1',
      production: false,
    });
    expect(s.health).toBe('critical');
    expect(s.exitCode).toBe(2);
    expect(Object.keys(s.alarms.counts)).toEqual(['critical', 'warning', 'info', 'ok', 'insufficient']);
    expect(s.alarms.items[0]).toMatchObject({ state: 'ALARM', level: 'critical' });
    expect(s.alarms.items.find((a: { name: string }) => a.name === 'vitascope-api-high-cpu-critical')).toMatchObject({
      state: 'ALARM',
      level: 'critical',
      threshold: 90,
      unit: 'percent',
      ruleId: 'cpu-utilization',
    });
    expect(s.services.map((x: { name: string }) => x.name)).toEqual(['vitascope-api', 'vitascope-worker']);
    expect(s.incidents[0]).toMatchObject({
      priority: 'P2',
      status: 'triggered',
      urgency: 'high',
      service: 'Vitascope API',
    });
    expect(s.incidents[0].escalation.nextRole).toBe('secondary');
    expect(s.onCall.map((o: { role: string }) => o.role)).toEqual(['primary', 'secondary', 'manager']);
    expect(s.sources.every((x: { ok: boolean }) => x.ok)).toBe(true);
  });

  it('gives byte-identical output for the same seed, scenario and --at', async () => {
    const args = ['status', '--demo', '--json', '--scenario', 'db-connections', '--seed', '7', '--at', '40m'];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(a.stdout).toBe(b.stdout);
    const other = await runCli([
      'status',
      '--demo',
      '--json',
      '--scenario',
      'db-connections',
      '--seed',
      '8',
      '--at',
      '40m',
    ]);
    expect(other.stdout).not.toBe(a.stdout);
  });

  it('exit codes follow the worst health: 0 calm, 1 warning, 2 critical', async () => {
    expect((await runCli(['status', '--demo', '--scenario', 'calm'])).code).toBe(0);
    expect((await runCli(['status', '--demo', '--scenario', 'auth-bruteforce', '--at', '10m'])).code).toBe(1);
    expect((await runCli(['status', '--demo', '--scenario', 'latency-regression', '--at', '20m'])).code).toBe(2);
  });

  it('renders alarm text inert and colour only on request', async () => {
    const plain = await runCli(['status', '--demo', '--scenario', 'api-cpu-spike', '--at', '15m']);
    expect(plain.stdout).not.toContain('\u001b');
    expect(plain.stdout).toMatch(/✗ CRIT\s+vitascope-api-high-cpu-critical\s+ALARM/);
    const forced = await runCli(
      ['status', '--demo', '--scenario', 'api-cpu-spike', '--at', '15m'],
      isolatedEnv({ FORCE_COLOR: '1' }),
    );
    expect(forced.stdout).toContain('\u001b[31m✗ CRIT');
    const noColor = await runCli(
      ['status', '--demo', '--no-color', '--scenario', 'api-cpu-spike', '--at', '15m'],
      isolatedEnv({ FORCE_COLOR: '1' }),
    );
    expect(noColor.stdout).not.toContain('\u001b');
  });

  it('a broken configuration stops it with one message naming the file and field, exit 3', async () => {
    const env = isolatedEnv();
    const dir = env.VITASCOPE_ONCALL_CONFIG_DIR!;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ sandbox: { speed: -1 } }));
    const r = await runCli(['status'], env);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(
      `vitascope-oncall: configuration: ${path.join(dir, 'config.json')}: sandbox.speed: Too small: expected number to be >0`,
    );
  });
});

describe('config', () => {
  it('path, set, get, list and unset round-trip; secrets are never printed', async () => {
    const env = isolatedEnv();
    const file = path.join(env.VITASCOPE_ONCALL_CONFIG_DIR!, 'config.json');
    expect((await runCli(['config', 'path'], env)).stdout.trim()).toBe(file);
    expect((await runCli(['config', 'set', 'policy.rules.cpu-utilization.warning', '75'], env)).code).toBe(0);
    const set = await runCli(['config', 'set', 'pagerduty.token', 'u+SECRETSECRET'], env);
    expect(set.stdout).not.toContain('SECRET');
    expect((await runCli(['config', 'get', 'policy.rules.cpu-utilization.warning'], env)).stdout.trim()).toBe('75');
    expect((await runCli(['config', 'get', 'policy.rules.cpu-utilization.critical'], env)).stdout.trim()).toBe('90');
    const secret = await runCli(['config', 'get', 'pagerduty.token'], env);
    expect(secret.stdout.trim()).toBe('******** (set, hidden)');
    const list = await runCli(['config', 'list'], env);
    expect(list.stdout).toMatch(/policy\.rules\.cpu-utilization\.warning\s+75\s+file/);
    expect(list.stdout).not.toContain('SECRET');
    const listJson = await runCli(
      ['config', 'list', '--json'],
      isolatedEnv({ ...env, PAGERDUTY_TOKEN: 'u+ENVSECRET' }),
    );
    expect(listJson.stdout).not.toContain('SECRET');
    const all = await runCli(['config', 'list', '--all'], env);
    expect(all.stdout).toMatch(/policy\.rules\.api-latency-p95\.critical\s+1000\s+default/);
    expect((await runCli(['config', 'get', 'aws.region'], env)).code).toBe(1);
    expect(fs.readFileSync(file, 'utf8')).toContain('u+SECRETSECRET');
    expect((await runCli(['config', 'unset', 'pagerduty.token'], env)).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('SECRET');
  });

  it('refuses an invalid value with the field named, exit 3, file untouched', async () => {
    const env = isolatedEnv();
    await runCli(['config', 'set', 'aws.region', 'ap-northeast-1'], env);
    const file = path.join(env.VITASCOPE_ONCALL_CONFIG_DIR!, 'config.json');
    const before = fs.readFileSync(file, 'utf8');
    const r = await runCli(['config', 'set', 'policy.rules.cpu-utilization.critical', '50'], env);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(
      'vitascope-oncall: configuration: config set policy.rules.cpu-utilization.critical: policy.rules.cpu-utilization: thresholds must rise with the level (info ≤ warning ≤ critical)',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('sandbox', () => {
  it('lists the scenarios, as text and JSON', async () => {
    const text = await runCli(['sandbox']);
    expect(text.code).toBe(0);
    for (const name of [
      'calm',
      'api-cpu-spike',
      'db-connections',
      'latency-regression',
      'sync-failures',
      'auth-bruteforce',
      'dependency-outage',
    ])
      expect(text.stdout).toContain(name);
    const json = JSON.parse((await runCli(['sandbox', '--json'])).stdout);
    expect(json.find((s: { name: string }) => s.name === 'db-connections').remedy).toEqual({
      kind: 'reboot-database',
      database: 'vitascope-db',
      failover: false,
    });
  });

  it('stops quietly when the reader of its output goes away (| head), keeping its exit code', async () => {
    const { spawn } = await import('node:child_process');
    const closedEarly = (args: readonly string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['bin/vitascope-oncall.js', ...args], {
          env: isolatedEnv(),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        // The reading end is closed before the program writes: every write of its output meets EPIPE.
        child.stdout.destroy();
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
    expect(await closedEarly(['sandbox'])).toEqual({ code: 0, stderr: '' });
    // status keeps saying what it found: critical is 2.
    expect(await closedEarly(['status', '--demo', '--scenario', 'db-connections', '--at', '30m'])).toEqual({
      code: 2,
      stderr: '',
    });
  });

  it('serves app metrics in the Prometheus text format on 127.0.0.1', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(
      process.execPath,
      ['bin/vitascope-oncall.js', 'sandbox', '--serve-metrics', '0', '--speed', '120'],
      { env: isolatedEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(out);
          if (m) resolve(m[0]);
        });
        child.on('exit', () => reject(new Error(`exited: ${out}`)));
      });
      const first = await (await fetch(url)).text();
      // Every series exists from the first scrape, under prometheus_client's names.
      expect(first).toContain('# TYPE app_request_count_total counter');
      expect(first).toContain('# TYPE app_request_count_created gauge');
      expect(first).toContain('# TYPE app_request_latency_seconds histogram');
      expect(first).toMatch(
        /\napp_request_count_total\{method="POST",endpoint="\/api\/v1\/health-data",status_code="200"\} \d/,
      );
      expect(first).toMatch(
        /\napp_request_latency_seconds_bucket\{method="GET",endpoint="\/api\/v1\/users\/me",le="\+Inf"\} \d/,
      );
      expect(first).not.toMatch(/\napp_request_count\{/);
      const value = (text: string) =>
        Number(
          /\napp_request_count_total\{method="POST",endpoint="\/api\/v1\/health-data",status_code="200"\} ([\d.e+]+)/.exec(
            text,
          )![1],
        );
      await new Promise((r) => setTimeout(r, 1200));
      const second = await (await fetch(url)).text();
      expect(value(second)).toBeGreaterThan(value(first));
      expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
