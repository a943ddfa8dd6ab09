import { Option, type Command } from 'commander';
import type { Io } from '../context.js';
import { ALARM_FORMATS, alarmFormat, RESOURCES_HELP } from '../options.js';
import type { Run } from './index.js';

export function registerAlarms(program: Command, io: Io, run: Run): void {
  const alarms = program
    .command('alarms')
    .description('the policy as alarm definitions: export them, audit what is deployed, apply them to CloudWatch')
    .addHelpText(
      'after',
      [
        '',
        'The resources file (--resources) says what exists in production and whom each level notifies:',
        '  targets: [cloudwatch, prometheus]          # what audit checks (cloudwatch by default)',
        '  actions: { critical: [arn:aws:sns:…], warning: […], info: […] }',
        '  okActions: true                            # OK notifies the same topics (PagerDuty resolves)',
        '  runbookBaseUrl: https://…/runbooks/        # runbook_url in Prometheus annotations',
        '  resources:',
        '    ecs-service: [{ token: api, dimensions: { ClusterName: c, ServiceName: s } }]',
        '    rds-instance: [{ token: db, dimensions: { DBInstanceIdentifier: d }, limits: { max_connections: 400 } }]',
        '    sqs-queue, lambda-function, dependency: likewise; api and product have one instance each',
        'Alarm names: vitascope-<token>-<rule slug>-<level>.',
      ].join('\n'),
    );

  alarms
    .command('export')
    .description(
      'print the policy as PutMetricAlarm requests (JSON), Terraform aws_cloudwatch_metric_alarm resources or Prometheus alerting rules',
    )
    .addOption(
      new Option('--format <format>', `${ALARM_FORMATS.join(' | ')}`).argParser(alarmFormat).makeOptionMandatory(),
    )
    .addOption(new Option('--resources <file>', RESOURCES_HELP))
    .action(async (_options, command: Command) => {
      await run(async () =>
        (await import('../alarms.js')).runAlarmsExport(command.optsWithGlobals(), command.opts(), io),
      );
    });

  alarms
    .command('audit')
    .description('compare the deployed alarms (CloudWatch, and Prometheus rules when configured) with the policy')
    .addOption(new Option('--resources <file>', RESOURCES_HELP))
    .addOption(new Option('--prometheus <url>', 'also audit the alerting rules of this Prometheus'))
    .option('--json', 'print the findings as JSON')
    .addHelpText(
      'after',
      '\nFindings: missing, extra, threshold, period, evaluation, metric, expression, severity, actions, no-action, no-runbook, broken.\nExit codes: 0 no drift, 1 drift found, 2 bad arguments, 3 bad configuration or resources file, 4 AWS or Prometheus failed.',
    )
    .action(async (_options, command: Command) => {
      await run(async () =>
        (await import('../alarms.js')).runAlarmsAudit(command.optsWithGlobals(), command.opts(), io),
      );
    });

  alarms
    .command('apply')
    .description('create or update the CloudWatch alarms of the policy (never deletes); shows the plan and asks first')
    .addOption(new Option('--resources <file>', RESOURCES_HELP))
    .option('--dry-run', 'show the plan and change nothing')
    .option('--yes', 'apply without asking (needed without a terminal; not enough in production: see --confirm)')
    .option(
      '--confirm <region>',
      'confirm by naming the region, as typing it at the prompt would (production needs it instead of --yes)',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 applied, nothing to change, or --dry-run; 1 declined at the prompt; 2 refused (read-only mode, --yes alone in production, a --confirm that is not the region, or no terminal and no --yes/--confirm) or bad arguments; 3 bad configuration or resources file; 4 AWS failed.',
    )
    .action(async (_options, command: Command) => {
      await run(async () =>
        (await import('../alarms.js')).runAlarmsApply(command.optsWithGlobals(), command.opts(), io),
      );
    });
}
