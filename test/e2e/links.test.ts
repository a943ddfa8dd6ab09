/**
 * Clickable links from the real binary in a real pseudo-terminal: `script` gives the cockpit a pty
 * (tmux 3.3 would drop OSC 8 before it could be seen, and node-pty would download a binary), the raw
 * bytes it writes are read back, and the alarm detail's name must be one OSC 8 link to the alarm's
 * console page — with what the screen shows otherwise the same as under --no-links.
 * The sources are moto's CloudWatch and ECS: sandbox items are in no AWS account, so they get no links.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { BIN, isolatedEnv } from '../harness/cli.js';
import { motoSkipReason, quietSdkVersionWarning, startMoto, testClientConfig, type Moto } from '../harness/awsMoto.js';
import { haveCommand, requireTool, waitFor } from '../harness/servers.js';

const skip =
  motoSkipReason() ??
  requireTool('script (util-linux)', haveCommand('script', ['--version']), 'apt-get install util-linux');
const ALARM = 'vitascope-api-high-cpu-critical';
const URL_OF_ALARM = `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/${ALARM}`;

const OSC8 = /\u001b\]8;;([^\u0007\u001b]*)(\u0007|\u001b\\)/g;

/** The cockpit in a 120x40 pty under `script`; keys go to its stdin, its raw output collects in `out`. */
function cockpitInPty(env: NodeJS.ProcessEnv, args: readonly string[]): { child: ChildProcess; out: () => string } {
  const command = `stty cols 120 rows 40; exec ${[process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ')}`;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (raw += d));
  return { child, out: () => raw };
}

async function alarmDetailBytes(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<string> {
  const { child, out } = cockpitInPty(env, args);
  try {
    await waitFor(() => out().includes(ALARM), 'the cockpit showing the alarm', 20_000, 50);
    child.stdin!.write('2');
    await waitFor(() => /ALARMS|STATE/.test(out().split('\u001b[2J').at(-1) ?? out()), 'the alarms list', 10_000, 50);
    const before = out().length;
    child.stdin!.write('\r');
    await waitFor(() => out().slice(before).includes('last 3 hours'), 'the alarm detail', 10_000, 50);
    const detail = out().slice(before);
    child.stdin!.write('q');
    await new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return detail;
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

describe.skipIf(skip !== undefined)('clickable links from the real binary in a pty', () => {
  let moto: Moto;
  beforeAll(async () => {
    quietSdkVersionWarning();
    moto = await startMoto();
    const cw = new CloudWatchClient(testClientConfig(moto.url));
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: ALARM,
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 90,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [
          { Name: 'ClusterName', Value: 'vitascope-cluster' },
          { Name: 'ServiceName', Value: 'vitascope-api' },
        ],
      }),
    );
    await cw.send(
      new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: 'ALARM', StateReason: 'Threshold Crossed' }),
    );
    cw.destroy();
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
  });

  const envFor = (extra: NodeJS.ProcessEnv) =>
    isolatedEnv({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: moto.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      TERM: 'xterm-256color',
      ...extra,
    });

  it("draws the alarm's name as an OSC 8 link where the terminal shows links, and nothing else changes", async () => {
    const env = envFor({ TERM_PROGRAM: 'WezTerm' });
    const [linked, plain, unknown] = await Promise.all([
      alarmDetailBytes(env, []),
      alarmDetailBytes(env, ['--no-links']),
      alarmDetailBytes(envFor({ TERM_PROGRAM: '' }), []),
    ]);
    const links = [...linked.matchAll(OSC8)];
    // One link, BEL-ended, opened to the console page around the name and closed.
    expect(links.length).toBeGreaterThan(0);
    // (Ink ends the bold inside the link: ESC[22m may sit between the name and the closer.)
    expect(linked).toMatch(
      new RegExp(
        `\u001b\\]8;;${URL_OF_ALARM.replace(/[?#.]/g, '\\$&')}\u0007${ALARM}(\u001b\\[22m)?\u001b\\]8;;\u0007`,
      ),
    );
    expect(new Set(links.map((m) => m[1]).filter(Boolean))).toEqual(new Set([URL_OF_ALARM]));
    expect(links.every((m) => m[2] === '\u0007')).toBe(true);
    // Under --no-links, and on a terminal not known to show links: no OSC 8 at all.
    expect(plain).not.toMatch(OSC8);
    expect(unknown).not.toMatch(OSC8);
    // The header line as seen is the same with and without the link.
    const header = (bytes: string) =>
      bytes
        .replace(OSC8, '')
        // Colours out, cursor moves and other sequences as line ends.

        .replace(/\u001b\[[0-9;]*m/g, '')

        .replace(/\u001b\[[0-9;?]*[A-Za-z]|\r/g, '\n')
        .split('\n')
        .find((l) => l.includes(`CRIT ${ALARM}`));
    expect(header(linked)).toBeDefined();
    expect(header(linked)!.replace(/for \S+/, 'for T')).toBe(header(plain)!.replace(/for \S+/, 'for T'));
  }, 90_000);
});
