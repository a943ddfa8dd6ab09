import { disableAlarmActions, enableAlarmActions } from './alarmActions.js';
import type { ActionId } from './catalogue.js';
import { commandRun } from './command.js';
import { forceNewDeployment, rollback, setDesiredCount, setLimits } from './ecs.js';
import type { AnyHandler } from './handler.js';
import { acknowledge, addNote, escalate, reassign, resolve, snooze } from './pagerduty.js';
import { growStorage, reboot } from './rds.js';
import { silence } from './silence.js';
import { blockAddress, unblockAddress } from './waf.js';

/** Every catalogue action's handler: the engine refuses nothing the catalogue names. */
export const HANDLERS: Readonly<Record<ActionId, AnyHandler>> = {
  'ecs.set-desired-count': setDesiredCount,
  'autoscaling.set-limits': setLimits,
  'ecs.force-new-deployment': forceNewDeployment,
  'ecs.rollback': rollback,
  'rds.reboot': reboot,
  'rds.grow-storage': growStorage,
  'pagerduty.acknowledge': acknowledge,
  'pagerduty.escalate': escalate,
  'pagerduty.reassign': reassign,
  'pagerduty.add-note': addNote,
  'pagerduty.resolve': resolve,
  'pagerduty.snooze': snooze,
  'alertmanager.silence': silence,
  'cloudwatch.disable-alarm-actions': disableAlarmActions,
  'cloudwatch.enable-alarm-actions': enableAlarmActions,
  'waf.block-address': blockAddress,
  'waf.unblock-address': unblockAddress,
  'command.run': commandRun,
};

/** Actions that change production systems (as opposed to the incident's bookkeeping): verified against an alarm by default. */
export const REMEDIATIONS: ReadonlySet<ActionId> = new Set<ActionId>([
  'ecs.set-desired-count',
  'autoscaling.set-limits',
  'ecs.force-new-deployment',
  'ecs.rollback',
  'rds.reboot',
  'rds.grow-storage',
  'waf.block-address',
]);
