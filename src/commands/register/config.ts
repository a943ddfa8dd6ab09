import type { Command } from 'commander';
import { configPath } from '../../config/load.js';
import type { Io } from '../context.js';
import type { Run } from './index.js';

export function registerConfig(program: Command, io: Io, run: Run): void {
  const config = program
    .command('config')
    .description('show and change the configuration (validated; secrets are never printed)')
    .addHelpText(
      'after',
      `
Keys use dots: aws.region, pagerduty.token, prometheus.url, policy.rules.cpu-utilization.warning.
Environment variables override the file: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, PAGERDUTY_TOKEN,
PAGERDUTY_FROM, VITASCOPE_PROMETHEUS_URL, VITASCOPE_PROMETHEUS_TOKEN, VITASCOPE_ALERTMANAGER_URL,
VITASCOPE_ALERTMANAGER_TOKEN, VITASCOPE_READONLY;
VITASCOPE_ONCALL_CONFIG_DIR moves the file.`,
    );

  config
    .command('path')
    .description('print where the configuration file is')
    .action(() => run(async () => (io.stdout.write(`${configPath(io.env)}\n`), 0)));

  config
    .command('get')
    .description('print one setting (its effective value: file, then environment)')
    .argument('<key>', 'a dotted key, e.g. aws.region')
    .option('--json', 'print the value as JSON')
    .action((key: string, options: { json?: boolean }) =>
      run(async () => (await import('../config.js')).runConfigGet(key, options, io)),
    );

  config
    .command('set')
    .description('change one setting; the whole configuration is checked before anything is written')
    .argument('<key>', 'a dotted key, e.g. policy.rules.cpu-utilization.warning')
    .argument('<value>', 'JSON (75, true, ["a"]) or plain text')
    .action((key: string, raw: string) => run(async () => (await import('../config.js')).runConfigSet(key, raw, io)));

  config
    .command('unset')
    .description('remove one setting (back to its default)')
    .argument('<key>', 'a dotted key')
    .action((key: string) => run(async () => (await import('../config.js')).runConfigUnset(key, io)));

  config
    .command('list')
    .description('every setting that is set, with where it comes from')
    .option('--all', 'include the policy defaults (every threshold you can override)')
    .option('--json', 'print the effective configuration as JSON')
    .action((options: { all?: boolean; json?: boolean }) =>
      run(async () => (await import('../config.js')).runConfigList(options, io)),
    );
}
