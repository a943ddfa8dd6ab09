import { Option, type Command } from 'commander';
import type { Io } from '../context.js';
import type { DeployCheckOptions } from '../deployCheck.js';
import { ANNOTATION_TOKEN_VARIABLES, durationMs, gateSignals, httpUrl, labelName, percent } from '../options.js';
import type { Run } from './index.js';

export function registerDeployCheck(program: Command, io: Io, run: Run): void {
  program
    .command('deploy-check')
    .description(
      'after a deployment: check the health endpoint, then sample the error rate and p95 latency from Prometheus; exit 1 as soon as one is above its limit, 2 when a signal has no data',
    )
    .addOption(
      new Option(
        '--prometheus <url>',
        'Prometheus to ask (default: VITASCOPE_PROMETHEUS_URL or prometheus.url)',
      ).argParser(httpUrl),
    )
    .addOption(
      new Option('--max-error-rate <percent>', 'fail when 5xx answers are above this share of all requests')
        .argParser(percent)
        .default(5),
    )
    .addOption(
      new Option('--max-p95 <duration>', 'fail when the p95 response time is above this, e.g. 1s or 500ms')
        .argParser(durationMs(1, '1s or 500ms', 3_600_000))
        .default(1000, '1s'),
    )
    .addOption(
      new Option('--duration <duration>', 'how long to watch, e.g. 5m (at most 24h)')
        .argParser(durationMs(0, '5m', 86_400_000))
        .default(300_000, '5m'),
    )
    .addOption(
      new Option('--interval <duration>', 'time between samples, e.g. 1m or 10s (at most 1h)')
        .argParser(durationMs(1000, '1m or 10s', 3_600_000))
        .default(60_000, '1m'),
    )
    .addOption(
      new Option(
        '--window <duration>',
        'the rate window of each sample (default: 1m, or four scrape intervals, prometheus.metrics.scrapeInterval, when longer; at most 1d)',
      ).argParser(durationMs(1000, '1m', 86_400_000)),
    )
    .addOption(
      new Option(
        '--service <name>',
        "the deployed service: its job (vitascope-api) or short name (api → vitascope-api); '' for every series (default: prometheus.metrics.service, vitascope-api)",
      ),
    )
    .addOption(
      new Option(
        '--service-label <label>',
        'the label --service matches (default: prometheus.metrics.labels.service, job)',
      ).argParser(labelName),
    )
    .addOption(
      new Option(
        '--optional <signals>',
        'signals that may have no data without making the verdict "cannot tell": error-rate, p95 (comma-separated)',
      ).argParser(gateSignals),
    )
    .addOption(
      new Option(
        '--health <url>',
        "first GET the service's health endpoint: anything but 2xx within --health-timeout fails (exit 1)",
      ).argParser(httpUrl),
    )
    .addOption(
      new Option('--health-timeout <duration>', 'how long the health endpoint may take (at most 5m)')
        .argParser(durationMs(100, '10s', 300_000))
        .default(10_000, '10s'),
    )
    .addOption(new Option('--json', 'one JSON object per sample, one line each, then a summary object'))
    .addOption(
      new Option(
        '--annotate <url>',
        `post Grafana annotations (start and verdict); token from ${ANNOTATION_TOKEN_VARIABLES.join(' or ')}`,
      ).argParser(httpUrl),
    )
    .addOption(
      new Option(
        '--annotate-dashboard <uid>',
        'the dashboard UID the annotations belong to (organisation-wide when not given)',
      ),
    )
    .addOption(
      new Option(
        '--version-label <version>',
        'the deployed version for the annotations (default: GITHUB_SHA, shortened)',
      ),
    )
    .addHelpText(
      'after',
      [
        '',
        'Samples are taken at the start and then every interval until the duration has passed (5m every 1m: 6 samples).',
        'A sample fails when the error rate or the p95 is ABOVE its limit; equal passes.',
        'No verdict without data: a signal with no value (its selector matched nothing, or no requests in the',
        'window) is never read as healthy; the output names the selector and the series that exist near it.',
        '',
        "The series: the configuration's prometheus.metrics.* (prometheus_client's names by default):",
        '  errors from app_request_count_total{job="vitascope-api"} (app_request_count too, when that is all',
        '  the server has), p95 from app_request_latency_seconds_bucket{job="vitascope-api"}.',
        '  --service api and --service vitascope-api both watch job="vitascope-api" (the strategy\'s job name).',
        '',
        'Exit codes: 0 healthy, with data for every required signal; 1 the health endpoint failed or a limit',
        'was crossed (roll back; the check stops at once); 2 cannot tell: a required signal had no data,',
        'Prometheus could not be queried, or bad arguments.',
      ].join('\n'),
    )
    .action(async (_options, command: Command) => {
      await run(async () =>
        (await import('../deployCheck.js')).runDeployCheck(command.optsWithGlobals<DeployCheckOptions>(), io),
      );
    });
}
