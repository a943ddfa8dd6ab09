import type { AlarmActionsSwitch, TopicDirectory } from '../ports.js';
import { SANDBOX_TOPIC } from './alarms.js';
import type { World } from './world.js';

/**
 * The sandbox's CloudWatch alarm actions (DisableAlarmActions / EnableAlarmActions) and its one SNS
 * topic, which stands for the PagerDuty integration: an alarm with its actions disabled changes state
 * and pages nobody (world.ts passes only enabled alarms' transitions to the pager).
 */
export function sandboxAlarmActions(world: World, sync: () => number): AlarmActionsSwitch {
  return {
    async readActions(names) {
      sync();
      return names.flatMap((name) => {
        const found = world.alarms.find(name);
        if (!found) return [];
        return [
          {
            name,
            enabled: found.alarm.actionsEnabled,
            alarmActions: [SANDBOX_TOPIC],
            okActions: [SANDBOX_TOPIC],
            insufficientDataActions: [],
          },
        ];
      });
    },
    async setActionsEnabled(names, enabled) {
      sync();
      world.alarms.setActionsEnabled(names, enabled);
    },
  };
}

export const SANDBOX_TOPICS: TopicDirectory = {
  async subscriptions(topicArn) {
    return topicArn === SANDBOX_TOPIC
      ? [{ protocol: 'https', endpoint: "https://events.pagerduty.com/… (the sandbox's pager)" }]
      : [];
  },
};
