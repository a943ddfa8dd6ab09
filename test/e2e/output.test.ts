import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runCli } from '../harness/cli.js';

/**
 * Output discipline through the built binary: whatever a user or a source typed reaches the terminal
 * inert — commander's own usage errors (which quote the argument), our option parsers' messages, the
 * commands' refusals — and every JSON output carries C0/C1 controls and bidirectional overrides as \u
 * escapes, never raw.
 */

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  const e = isolatedEnv();
  made.push(e.HOME!);
  return e;
}

const TITLE = '\u001b]2;PWN\u0007';
const CLEAR = '\u001b[2J';
const CSI = '\u009b2J';
const RLO = '\u202e';
// Raw controls a terminal would act on (newline aside, which ends a message).
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('usage errors echo what was typed inert', () => {
  it.each([
    [['--speed', TITLE, 'status'], /argument '␛\]2;PWN␇' is invalid/],
    [['--scenario', CLEAR, 'status'], /argument '␛\[2J' is invalid/],
    [['--seed', CSI, 'status'], /argument '\\u009b2J' is invalid/],
    [['--at', `${RLO}5m`, 'status'], /argument '\\u202e5m' is invalid/],
    [['--region', TITLE, 'status'], /argument '␛\]2;PWN␇' is invalid/],
    [['--endpoint-url', TITLE, 'status'], /argument '␛\]2;PWN␇' is invalid/],
    [[`--x${CLEAR}`], /unknown option '--x␛\[2J'/],
    [[`st${TITLE}`], /unknown command 'st␛\]2;PWN␇'/],
    [['status', TITLE], /too many arguments for 'status'/],
    [['sandbox', '--serve-metrics', CLEAR], /a port number 0–65535, not "␛\[2J"/],
    [['--demo', 'handoff', '--from', TITLE], /argument '␛\]2;PWN␇' is invalid/],
    [['--demo', 'handoff', '--format', CSI], /argument '\\u009b2J' is invalid/],
    [['--demo', 'act', `ecs.${CLEAR}`], /no action "ecs\.\\u001b\[2J"|no action "ecs\.␛\[2J"/],
    [
      ['--demo', 'act', 'waf.block-address', `address=${TITLE}`, 'reason=x', '--yes'],
      /waf\.block-address address: an IP address or CIDR/,
    ],
    [['--demo', 'act', 'ecs.set-desired-count', `x${CLEAR}`], /a parameter is name=value, not "x(\\u001b|␛)\[2J"/],
    [['deploy-check', '--prometheus', `http://x/${TITLE}`, '--service-label', CLEAR], /argument '␛\[2J' is invalid/],
    [['runbooks', 'show', TITLE], /no runbook with id "(\\u001b|␛)\]2;PWN(\\u0007|␇)"/],
  ])('%j', async (args, expected) => {
    const r = await runCli(args, env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stdout).not.toMatch(RAW);
  });
});

describe('JSON output escapes what JSON.stringify would leave raw', () => {
  it('config get and list, with a name holding C1 controls and a bidi override', async () => {
    // The name comes from the file here, not from the harness's VITASCOPE_USER_NAME.
    const e = { ...env(), VITASCOPE_USER_NAME: '' };
    const name = `Aiko${CSI}${RLO}gnp.exe\u0085`;
    expect((await runCli(['config', 'set', 'user.name', name], e)).code).toBe(0);
    for (const args of [
      ['config', 'list', '--json'],
      ['config', 'get', 'user', '--json'],
      ['config', 'get', 'user.name', '--json'],
    ]) {
      const r = await runCli(args, e);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, args.join(' ')).not.toMatch(RAW);
      expect(r.stdout).toContain('Aiko\\u009b2J\\u202egnp.exe\\u0085');
      expect(JSON.stringify(JSON.parse(r.stdout))).toContain(JSON.stringify(name).slice(1, -1));
    }
    // The text forms show it inert too.
    const text = await runCli(['config', 'list'], e);
    expect(text.stdout).not.toMatch(RAW);
  });

  it('act --json carries the reason escaped', async () => {
    const e = env();
    const r = await runCli(
      [
        '--demo',
        '--scenario',
        'auth-bruteforce',
        '--at',
        '20m',
        'act',
        'waf.block-address',
        'address=203.0.113.0/24',
        `reason=brute ${RLO}force${CSI}`,
        '--yes',
        '--json',
      ],
      e,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect((JSON.parse(r.stdout) as { plan: { params: { reason: string } } }).plan.params.reason).toBe(
      `brute ${RLO}force${CSI}`,
    );
  });
});
