import type { Command } from 'commander';
import type { ActOptions } from '../act.js';
import type { GlobalOptions, Io } from '../context.js';
import { verifyTimeoutArg } from '../options.js';
import type { Run } from './index.js';

export function registerAct(program: Command, io: Io, run: Run): void {
  program
    .command('act')
    .description(
      'one remediation outside a runbook (scale, roll back, reboot, block an address, …): planned, confirmed, applied, read back, journaled',
    )
    .argument('<action>', 'a catalogue action, e.g. ecs.set-desired-count (vitascope-oncall act --help lists them)')
    .argument(
      '[params...]',
      'its parameters as name=value, e.g. service=vitascope-api desired=6 (JSON for lists and maps)',
    )
    .option('--incident <id>', 'the incident it belongs to: journaled there, and the default for pagerduty.* actions')
    .option('--dry-run', 'show and record the plan, change nothing')
    .option('--yes', 'confirm without asking (not enough for a dangerous action in production: see --confirm)')
    .option('--confirm <target>', 'confirm by naming the target, as typing it on the terminal would')
    .option('--verify-alarm <name>', 'after applying, wait for this alarm to reach OK')
    .option('--verify-timeout <duration>', 'how long --verify-alarm waits (default 20m, at most 24h)', verifyTimeoutArg)
    .option('--json', 'print the outcome as JSON')
    .addHelpText(
      'after',
      `
Actions and their parameters:
  ecs.set-desired-count     service= desired=
  autoscaling.set-limits    service= min= max=
  ecs.force-new-deployment  service=
  ecs.rollback              service= [taskDefinition=]
  rds.reboot                database= [failover=true]
  rds.grow-storage          database= allocatedGiB=
  pagerduty.acknowledge     [incident=]   (the default incident is --incident)
  pagerduty.escalate        [incident=] level=
  pagerduty.reassign        [incident=] to='["user id"]'
  pagerduty.add-note        [incident=] text=
  pagerduty.resolve         [incident=]
  pagerduty.snooze          [incident=] duration=2h   (an acknowledged incident; at most 7d)
  alertmanager.silence      matchers='{"alertname":"…"}' duration=2h comment=
  cloudwatch.disable-alarm-actions  alarm= duration=2h reason=   (its page stops; at most 7d)
  cloudwatch.enable-alarm-actions   alarm= [reason=]
  waf.block-address         address= reason=
  waf.unblock-address       address= reason=
  command.run               argv='["aws","ecs","describe-services",…]' [timeout=60s] [readonly=true]

Example: vitascope-oncall act ecs.set-desired-count service=vitascope-api desired=6 --incident PABC123

Exit codes: 0 done (or nothing to change, or a dry run), 1 declined, a conflict or not verified, 2 usage or
refused (read-only, a wrong confirmation), 3 configuration, 4 the change failed at the source.`,
    )
    .action(async (action: string, params: string[], options: ActOptions, command: Command) => {
      await run(async () =>
        (await import('../act.js')).runAct(action, params, command.optsWithGlobals() as GlobalOptions, options, io),
      );
    });
}
