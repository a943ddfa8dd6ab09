/**
 * `logs` and `traces` on the sandbox (in process): the finding that names the scenario's cause, checked
 * against the world's own facts (the attacker the scenario uses, the scenario's deploy), and the exit codes
 * and messages of bad input.
 */
import { describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../harness/cli.js';
import { runInProcess } from '../../harness/inProcess.js';
import { attackerAddress } from '../../../src/sources/sandbox/scenarios.js';
import { DEFAULT_SEED } from '../../../src/commands/context.js';

type Patterns = {
  complete: boolean;
  beforeComplete: boolean;
  patterns: {
    pattern: string;
    count: number;
    previousCount: number;
    trend: { kind: string } | null;
    values: { kind: string; top: { value: string }[] }[];
  }[];
};

describe('logs and traces on the sandbox', () => {
  it('auth-bruteforce: the growing login failures, and the address behind them is the attacker the world uses', async () => {
    const r = await runInProcess(
      ['--demo', '--scenario', 'auth-bruteforce', '--at', '20m', 'logs', 'api', '--patterns', '--json'],
      isolatedEnv(),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Patterns;
    expect(out.complete && out.beforeComplete).toBe(true);
    const first = out.patterns[0]!;
    expect(first.pattern).toContain('login failed');
    expect(['new', 'more']).toContain(first.trend!.kind);
    expect(first.values.find((v) => v.kind === 'ip')!.top[0]!.value).toBe(attackerAddress(DEFAULT_SEED));
  });

  it('latency-regression: the DB span that multiplied per request after the deploy', async () => {
    const r = await runInProcess(
      ['--demo', '--scenario', 'latency-regression', '--at', '16m', 'traces', 'api', '--since', '10m', '--json'],
      isolatedEnv(),
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      changed: {
        service: string;
        operation: string;
        current: { perTrace: number };
        previous: { perTrace: number };
      } | null;
    };
    expect(out.changed).toMatchObject({ service: 'vitascope-db', operation: 'SELECT health_readings' });
    expect(out.changed!.current.perTrace).toBeGreaterThan(5 * out.changed!.previous.perTrace);
  });

  it('the lines are printed inert and a filter keeps only what contains it', async () => {
    const r = await runInProcess(
      [
        '--demo',
        '--scenario',
        'auth-bruteforce',
        '--at',
        '20m',
        'logs',
        'api',
        '--since',
        '5m',
        '--filter',
        attackerAddress(DEFAULT_SEED),
        '--limit',
        '50',
      ],
      isolatedEnv(),
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').slice(1);
    expect(lines).toHaveLength(50);
    for (const line of lines) expect(line).toContain(attackerAddress(DEFAULT_SEED));
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('bad input: an unknown service names the known ones; a bad --since or --slowest is a usage error', async () => {
    const unknown = await runInProcess(['--demo', 'traces', '\u001b[2Jx'], isolatedEnv());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'vitascope-oncall: traces: unknown service "␛[2Jx"; known: vitascope-api, vitascope-sync-processor, vitascope-worker (traces.services in the configuration adds others)\n',
    );
    const logs = await runInProcess(['--demo', 'logs', 'nosuch'], isolatedEnv());
    expect(logs.code).toBe(2);
    expect(logs.stderr).toContain('(logs.groups in the configuration adds others)');
    expect((await runInProcess(['--demo', 'logs', 'api', '--since', '30s'], isolatedEnv())).code).toBe(2);
    expect((await runInProcess(['--demo', 'traces', 'api', '--slowest', '0'], isolatedEnv())).code).toBe(2);
  });

  it('traces.services is the key that adds an X-Ray service: set, it is accepted and read from the trace source', async () => {
    const env = isolatedEnv();
    expect((await runInProcess(['config', 'set', 'traces.services', '["vitascope-payments"]'], env)).code).toBe(0);
    const r = await runInProcess(['--demo', 'traces', 'vitascope-payments', '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The sandbox's X-Ray has no such service: an empty window read in full, not an unknown service.
    const out = JSON.parse(r.stdout) as { service: string; traces: number };
    expect(out.service).toBe('vitascope-payments');
  });
});
