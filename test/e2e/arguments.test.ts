import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runCli } from '../harness/cli.js';

/**
 * Arguments through the built binary: every duration and period has a stated maximum, impossible dates
 * and unsafe numbers are refused, output does not go into a folder that is not there (unless --mkdir),
 * a configuration file that is not one JSON object is named, every usage error exits 2 in one line, and
 * a report whose source failed is still written but exits 4.
 */

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e = isolatedEnv({ VITASCOPE_ONCALL_DATA_DIR: tempDir('vo-args-'), ...extra });
  made.push(e.HOME!);
  return e;
}

describe('bounded arguments', () => {
  it.each([
    [
      ['--demo', '--at', '99999d', 'status'],
      /^error: option '--at <duration>' argument '99999d' is invalid\. expected at most 30d\.$/,
    ],
    [['--demo', '--at', '31d', 'status'], /expected at most 30d\.$/],
    [
      ['--demo', '--seed', '99999999999999999999', 'status'],
      /^error: option '--seed <n>' argument '99999999999999999999' is invalid\. expected a whole number from 0 to 9007199254740991\.$/,
    ],
    [
      ['--demo', 'handoff', '--since', '99999999d'],
      /^error: option '--since <duration>' argument '99999999d' is invalid\. expected at most 400d\.$/,
    ],
    [
      ['--demo', 'summary', '--period', '3650d'],
      /^error: option '--period <duration>' argument '3650d' is invalid\. expected at most 400d\.$/,
    ],
    [['--demo', 'handoff', '--since', '0s'], /expected a duration above 0\.$/],
    [
      ['--demo', 'handoff', '--from', '2026-02-30'],
      /^error: option '--from <time>' argument '2026-02-30' is invalid\. 2026-02-30 is not a real date or time: expected a day from 01 to 28 \(2026-02 has 28 days\)\.$/,
    ],
    [['--demo', 'handoff', '--from', '2026-13-01'], /expected a month from 01 to 12\.$/],
    [['--demo', 'handoff', '--to', '2026-01-05T24:00'], /expected an hour from 00 to 23\.$/],
    [['--demo', 'handoff', '--to', '2026-01-05T10:00+15:00'], /expected a zone offset from -14:00 to \+14:00\.$/],
    [
      ['--demo', 'followup', 'X', 'y', '--owner', 'me', '--due', '2025-04-31'],
      /2025-04-31 is not a real date or time: expected a day from 01 to 30/,
    ],
    [
      ['--demo', 'handoff', '--from', '2020-01-01', '--to', '2026-01-01'],
      /^vitascope-oncall: handoff: the period \(--from to --to, or now\) is 2192 days; a report covers at most 400d$/,
    ],
    [
      ['--demo', 'handoff', '--from', '1999-01-01'],
      /^vitascope-oncall: handoff: the period \(--from to --to, or now\) is \d+ days; a report covers at most 400d$/,
    ],
    [['--demo', 'drill', '--scenario', 'calm', '--limit', '30d'], /argument '30d' is invalid\. expected at most 2d\.$/],
    [
      [
        '--demo',
        'act',
        'ecs.set-desired-count',
        'service=vitascope-api',
        'desired=3',
        '--verify-alarm',
        'x',
        '--verify-timeout',
        '2d',
      ],
      /expected at most 1d\.$/,
    ],
    [
      ['deploy-check', '--prometheus', 'http://127.0.0.1:9', '--duration', '2d'],
      /argument '2d' is invalid\. expected at most 1d\.$/,
    ],
    [['deploy-check', '--prometheus', 'http://127.0.0.1:9', '--interval', '2h'], /expected at most 1h\.$/],
    [
      ['--demo', 'handoff', '--out', '/nonexistent/dir/x.md'],
      /^vitascope-oncall: handoff: --out \/nonexistent\/dir\/x\.md: the folder \/nonexistent\/dir does not exist: create it, or pass --mkdir$/,
    ],
    [
      ['--demo', 'summary', '--out', '/nonexistent/dir/x.md'],
      /--out \/nonexistent\/dir\/x\.md: the folder \/nonexistent\/dir does not exist/,
    ],
    [
      ['--demo', 'report', 'PSB1001', '--out', '/nonexistent/dir/x.md'],
      /--out \/nonexistent\/dir\/x\.md: the folder \/nonexistent\/dir does not exist/,
    ],
    [
      ['--demo', 'postmortem', 'PSB1001', '--out', '/nonexistent/dir'],
      /--out \/nonexistent\/dir: the folder \/nonexistent\/dir does not exist/,
    ],
    [['runbooks', 'show', 'nope'], /^vitascope-oncall: no runbook with id "nope"/],
    [
      ['--demo', 'act', 'waf.block-address', 'address=0.0.0.0/0', 'reason=x', '--yes'],
      /^vitascope-oncall: act: cannot plan: waf\.block-address: 0\.0\.0\.0\/0 is the whole IPv4 internet: blocking it would refuse every user$/,
    ],
    [
      ['--demo', 'act', 'waf.block-address', 'address=1.2.3.4/8', 'reason=x', '--yes'],
      /1\.2\.3\.4\/8 has host bits set: the range it names is 1\.0\.0\.0\/8/,
    ],
    [['--demo', 'act', 'waf.block-address', 'address=::1', 'reason=x', '--dry-run'], /::1 is in ::1\/128, loopback/],
    [
      [
        '--demo',
        'act',
        'alertmanager.silence',
        'matchers={"alertname":"x"}',
        'duration=36500d',
        'comment=quiet',
        '--yes',
      ],
      /^vitascope-oncall: act: cannot plan: alertmanager\.silence: a silence lasts at most 7d \(limits\.silenceMax\), not 36500d$/,
    ],
  ])('%j: one line, exit 2', async (args, expected) => {
    const e = env();
    const r = await runCli(args, e);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(expected);
    // Refused before any work: nothing was created where --out pointed.
    expect(fs.existsSync('/nonexistent')).toBe(false);
  });

  it('takes what is within the bounds: a leap day, a real zone, the longest period, --mkdir', async () => {
    const e = env();
    const leap = await runCli(
      ['--demo', 'handoff', '--from', '2024-02-29', '--to', '2024-03-01T09:30:15.250+09:00', '--format', 'json'],
      e,
    );
    expect(leap.code, leap.stderr).toBe(0);
    expect(JSON.parse(leap.stdout).period).toEqual({
      from: '2024-02-29T00:00:00.000Z',
      to: '2024-03-01T00:30:15.250Z',
    });
    const dir = tempDir('vo-out-');
    const file = path.join(dir, 'new', 'deeper', 'handoff.md');
    const made = await runCli(['--demo', 'handoff', '--since', '400d', '--out', file, '--mkdir'], e);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toBe(`${file}\n`);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^# /);
  });
});

describe('the configuration file must be one JSON object', () => {
  it.each([
    ['[]', 'not an array'],
    ['null', 'not null'],
    ['"str"', 'not a string'],
    ['5', 'not a number'],
  ])('%s is refused by name, exit 3, and config set leaves it as it was', async (text, what) => {
    const e = env();
    fs.mkdirSync(e.VITASCOPE_ONCALL_CONFIG_DIR!, { recursive: true });
    const file = path.join(e.VITASCOPE_ONCALL_CONFIG_DIR!, 'config.json');
    fs.writeFileSync(file, text);
    const r = await runCli(['status'], e);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `vitascope-oncall: configuration: ${file}: must hold one JSON object ({ "aws": { … }, … }), ${what}\n`,
    );
    const set = await runCli(['config', 'set', 'aws.region', 'ap-northeast-1'], e);
    expect(set.code).toBe(3);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });
});

describe('a report whose source fails', () => {
  it('is still written, and exits 4 with one line naming the source', async () => {
    const e = env();
    fs.mkdirSync(e.VITASCOPE_ONCALL_CONFIG_DIR!, { recursive: true, mode: 0o700 });
    // PagerDuty configured on a loopback port nobody listens on: every call is refused at once.
    fs.writeFileSync(
      path.join(e.VITASCOPE_ONCALL_CONFIG_DIR!, 'config.json'),
      JSON.stringify({ pagerduty: { token: 'u+NOTaREALtoken0000', apiUrl: 'https://127.0.0.1:9' } }),
      { mode: 0o600 },
    );
    const r = await runCli(['handoff', '--since', '1d'], e);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^# /);
    expect(r.stdout).toContain('PagerDuty GET /incidents: connect ECONNREFUSED 127.0.0.1:9');
    expect(r.stderr).toBe(
      "vitascope-oncall: handoff: written without what these sources could not give: incidents, on-call (see the report's footer)\n",
    );
  });
});
