import type { Alarm } from '../../model.js';
import type { CockpitServices } from '../../live/services.js';
import { screenLine } from '../../sanitize.js';
import type { Sources } from '../../../sources/ports.js';
import type { Dialog } from '../dialog.js';
import { planAndConfirm } from './engineDialogs.js';

export interface AlarmActionDeps {
  readonly sources: Sources;
  readonly services?: CockpitServices;
  readonly readonly: boolean;
  readonly openDialog: (d: Dialog) => void;
  readonly afterChange: () => Promise<void>;
}

/** The mute lengths offered; anything else (up to a week) can be typed in a runbook or with `act`. */
export const SILENCE_DURATIONS = ['30m', '1h', '2h', '4h', '8h'] as const;

/** What a silence of exactly this row matches: a rule's name, or an Alertmanager alert's labels. */
export function silenceMatchers(alarm: Alarm): Record<string, string> {
  if (alarm.labels && alarm.labels.alertname !== undefined) return { ...alarm.labels };
  return { alertname: alarm.name };
}

/**
 * The Alarms screen's `m` (mute): what really stops the page for that alarm, through the remediation
 * engine (planned, confirmed, journaled; the plan says what stops and what keeps paging):
 * - a CloudWatch alarm pages through its own actions (CloudWatch → SNS → PagerDuty): its actions are
 *   disabled for a chosen time (and re-enabled by the cockpit when it is up); on an alarm whose actions
 *   are already off, `m` offers to enable them now;
 * - a Prometheus rule or an Alertmanager alert: a silence in Alertmanager, with the comment every
 *   silence needs.
 * Either way the alarm stays evaluated and on screen; only its notifications stop.
 */
export function alarmAction(d: AlarmActionDeps, command: string, alarm: Alarm): void {
  const { sources, services, readonly, openDialog, afterChange } = d;

  const askWhy = (title: string, prompt: string, then: (reason: string) => Promise<void>) =>
    openDialog({
      kind: 'input',
      title,
      prompt,
      value: '',
      submit: async (reason) => {
        openDialog({ kind: 'busy', title: 'Planning' });
        try {
          await then(reason);
        } catch (error) {
          openDialog({
            kind: 'message',
            title: 'Cannot do that',
            lines: [error instanceof Error ? error.message : String(error)],
            level: 'warning',
          });
        }
        return '';
      },
    });

  if (readonly || command !== 'alarm.silence' || !services) return;
  const name = screenLine(alarm.name);
  const engine = () => services.engine();
  const done = async () => {
    services.alarmActionsTimer()?.poke();
    await afterChange();
  };
  if (alarm.origins?.includes('cloudwatch')) {
    if (!sources.alarmActions) {
      openDialog({
        kind: 'message',
        title: 'Cannot mute here',
        lines: ['this source cannot switch CloudWatch alarm actions'],
        level: 'warning',
      });
      return;
    }
    if (alarm.actionsEnabled === false) {
      openDialog({
        kind: 'select',
        title: `${name}: its actions are off (it pages nobody)`,
        options: [
          { label: 'enable its actions now', value: 'enable' },
          { label: 'leave them off', value: 'keep' },
        ],
        index: 0,
        choose: async (choice) => {
          if (choice === 'enable')
            await planAndConfirm(
              await engine(),
              {
                action: 'cloudwatch.enable-alarm-actions',
                params: { alarm: alarm.name, reason: 'enabled from the cockpit' },
              },
              openDialog,
              done,
            );
          return '';
        },
      });
      return;
    }
    openDialog({
      kind: 'select',
      title: `Disable ${name}'s actions (its page) for…`,
      options: SILENCE_DURATIONS.map((v) => ({ label: v, value: v })),
      index: 2,
      choose: async (duration) => {
        askWhy(
          `Disable ${name}'s actions for ${duration}`,
          'Why? (said to whoever finds the alarm muted)',
          async (reason) =>
            planAndConfirm(
              await engine(),
              { action: 'cloudwatch.disable-alarm-actions', params: { alarm: alarm.name, duration, reason } },
              openDialog,
              done,
            ),
        );
        return '';
      },
    });
    return;
  }
  if (!sources.silences) {
    openDialog({
      kind: 'message',
      title: 'Cannot silence here',
      lines: ['silencing an alert needs Alertmanager (alertmanager.url)'],
      level: 'warning',
    });
    return;
  }
  openDialog({
    kind: 'select',
    title: `Silence ${name} for…`,
    options: SILENCE_DURATIONS.map((v) => ({ label: v, value: v })),
    index: 2,
    choose: async (duration) => {
      askWhy(
        `Silence ${name} for ${duration}`,
        'Why? (every silence says why, for whoever finds it)',
        async (comment) =>
          planAndConfirm(
            await engine(),
            { action: 'alertmanager.silence', params: { matchers: silenceMatchers(alarm), duration, comment } },
            openDialog,
            done,
          ),
      );
      return '';
    },
  });
}
