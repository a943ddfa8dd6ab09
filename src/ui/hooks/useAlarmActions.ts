import { useCallback } from 'react';
import type { Alarm } from '../../core/model.js';
import type { CockpitServices } from '../../core/live/services.js';
import { screenLine } from '../../core/sanitize.js';
import type { Sources } from '../../sources/ports.js';
import type { Dialog } from '../components/Dialog.js';
import { planAndConfirm } from './engineDialogs.js';

export interface AlarmActionDeps {
  readonly sources: Sources;
  readonly services?: CockpitServices;
  readonly readonly: boolean;
  readonly openDialog: (d: Dialog) => void;
  readonly afterChange: () => Promise<void>;
}

/** The silence lengths offered; anything else can be typed in a runbook or with `act`. */
export const SILENCE_DURATIONS = ['30m', '1h', '2h', '4h', '8h'] as const;

/**
 * The Alarms screen's action: silence an alert in Alertmanager (`m`, mute) for a chosen time with the
 * comment every silence needs, through the remediation engine (the plan says until when, and whether
 * someone's silence already covers it), journaled. Alerts stay evaluated and on screen; only their
 * notifications stop. Without Alertmanager (CloudWatch alarms alone) it says so instead.
 */
export function useAlarmActions(d: AlarmActionDeps): (command: string, alarm: Alarm) => void {
  const { sources, services, readonly, openDialog, afterChange } = d;

  return useCallback(
    (command: string, alarm: Alarm) => {
      if (readonly || command !== 'alarm.silence') return;
      if (!sources.silences || !services) {
        openDialog({ kind: 'message', title: 'Cannot silence here', lines: ['silences need Alertmanager (alertmanager.url); CloudWatch alarms notify through their actions'], level: 'warning' });
        return;
      }
      const name = screenLine(alarm.name);
      openDialog({
        kind: 'select',
        title: `Silence ${name} for…`,
        options: SILENCE_DURATIONS.map((v) => ({ label: v, value: v })),
        index: 2,
        choose: async (duration) => {
          openDialog({
            kind: 'input',
            title: `Silence ${name} for ${duration}`,
            prompt: 'Why? (every silence says why, for whoever finds it)',
            value: '',
            submit: async (comment) => {
              openDialog({ kind: 'busy', title: 'Planning' });
              try {
                await planAndConfirm(await services.engine(), { action: 'alertmanager.silence', params: { matchers: { alertname: alarm.name }, duration, comment } }, openDialog, afterChange);
              } catch (error) {
                openDialog({ kind: 'message', title: 'Cannot do that', lines: [error instanceof Error ? error.message : String(error)], level: 'warning' });
              }
              return '';
            },
          });
          return '';
        },
      });
    },
    [sources, services, readonly, openDialog, afterChange],
  );
}
