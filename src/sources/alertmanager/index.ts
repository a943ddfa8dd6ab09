/**
 * The Alertmanager adapter as one bundle: its alerts as an AlarmSource and its silences as the
 * Silenceable capability, bound to one server (alertmanager.url in the config, or
 * VITASCOPE_ALERTMANAGER_URL). close() abandons requests in flight; nothing else is held.
 */
import { AlertmanagerAlarmSource } from './alerts.js';
import { AlertmanagerClient, type AlertFilter, type AlertmanagerClientOptions } from './client.js';
import { AlertmanagerSilences } from './silences.js';

export * from './client.js';
export { AlertmanagerAlarmSource, alertmanagerAlertToAlarm } from './alerts.js';
export { AlertmanagerSilences, silenceProblem } from './silences.js';

export interface AlertmanagerSourcesOptions extends AlertmanagerClientOptions {
  /** Which alerts the AlarmSource lists; all (active, silenced, inhibited, unprocessed) by default. */
  readonly filter?: AlertFilter;
  readonly now?: () => number;
}

export interface AlertmanagerSources {
  readonly client: AlertmanagerClient;
  readonly alarms: AlertmanagerAlarmSource;
  readonly silences: AlertmanagerSilences;
  close(): Promise<void>;
}

export function createAlertmanagerSources(options: AlertmanagerSourcesOptions): AlertmanagerSources {
  const client = new AlertmanagerClient(options);
  return {
    client,
    alarms: new AlertmanagerAlarmSource(client, options.filter),
    silences: new AlertmanagerSilences(client, options.now),
    async close() {
      client.close();
    },
  };
}
