import { Option, type Command } from 'commander';
import type { Io } from '../context.js';
import type { DeployCheckOptions } from '../deployCheck.js';
import { ANNOTATION_TOKEN_VARIABLES, durationMs, httpUrl, labelName, percent } from '../options.js';
import type { Run } from './index.js';

export function registerDeployCheck(program: Command, io: Io, run: Run): void {
  program
    .command('deploy-check')
    .description('after a deployment: sample the error rate and p95 latency from Prometheus; exit 1 as soon as one is above its limit')
    .addOption(new Option('--prometheus <url>', 'Prometheus to ask (default: VITASCOPE_PROMETHEUS_URL or prometheus.url)').argParser(httpUrl))
    .addOption(new Option('--max-error-rate <percent>', 'fail when 5xx answers are above this share of all requests').argParser(percent).default(5))
    .addOption(new Option('--max-p95 <duration>', 'fail when the p95 response time is above this, e.g. 1s or 500ms').argParser(durationMs(1, '1s or 500ms', 3_600_000)).default(1000, '1s'))
    .addOption(new Option('--duration <duration>', 'how long to watch, e.g. 5m (at most 24h)').argParser(durationMs(0, '5m', 86_400_000)).default(300_000, '5m'))
    .addOption(new Option('--interval <duration>', 'time between samples, e.g. 1m or 10s (at most 1h)').argParser(durationMs(1000, '1m or 10s', 3_600_000)).default(60_000, '1m'))
    .addOption(new Option('--window <duration>', 'the rate window of each sample (at most 1d)').argParser(durationMs(1000, '1m', 86_400_000)).default(60_000, '1m'))
    .addOption(new Option('--service <name>', 'only the series whose service label (job by default) is this'))
    .addOption(new Option('--service-label <label>', 'the label --service matches').argParser(labelName).default('job'))
    .addOption(new Option('--json', 'one JSON object per sample, one line each, then a summary object'))
    .addOption(new Option('--annotate <url>', `post Grafana annotations (start and verdict); token from ${ANNOTATION_TOKEN_VARIABLES.join(' or ')}`).argParser(httpUrl))
    .addOption(new Option('--annotate-dashboard <uid>', 'the dashboard UID the annotations belong to (organisation-wide when not given)'))
    .addOption(new Option('--version-label <version>', 'the deployed version for the annotations (default: GITHUB_SHA, shortened)'))
    .addHelpText(
      'after',
      [
        '',
        'Samples are taken at the start and then every interval until the duration has passed (5m every 1m: 6 samples).',
        'A sample fails when the error rate or the p95 is ABOVE its limit; equal passes.',
        '',
        'Exit codes: 0 healthy, 1 a limit was crossed (roll back; the check stops at once),',
        '2 cannot tell: Prometheus could not be queried, no traffic matched the selector, or bad arguments.',
      ].join('\n'),
    )
    .action(async (_options, command: Command) => {
      await run(async () => (await import('../deployCheck.js')).runDeployCheck(command.optsWithGlobals<DeployCheckOptions>(), io));
    });
}
