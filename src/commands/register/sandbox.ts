import type { Command } from 'commander';
import type { GlobalOptions, Io } from '../context.js';
import { port } from '../options.js';
import type { Run } from './index.js';

export function registerSandbox(program: Command, io: Io, run: Run): void {
  program
    .command('sandbox')
    .description('the simulated Vitascope production: its scenarios, and its metrics for a real Prometheus')
    .option(
      '--serve-metrics <port>',
      'serve app_request_count_total and app_request_latency_seconds as prometheus_client exposes them, on 127.0.0.1:PORT (0 picks a free port; scrape it as job vitascope-api)',
      port,
    )
    .option('--json', 'print the scenarios as JSON')
    .action((options: { serveMetrics?: number; json?: boolean }, command: Command) =>
      run(async () =>
        (await import('../sandbox.js')).runSandbox(options, command.optsWithGlobals() as GlobalOptions, io),
      ),
    );
}
