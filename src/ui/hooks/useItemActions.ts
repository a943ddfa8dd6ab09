import { useCallback } from 'react';
import type { Alarm, Incident, Service } from '../../core/model.js';
import type { LiveModel, LiveSnapshot } from '../../core/live/model.js';
import type { CockpitServices } from '../../core/live/services.js';
import type { Policy } from '../../core/policy/types.js';
import type { Sources } from '../../sources/ports.js';
import type { Dialog } from '../components/Dialog.js';
import { useAlarmActions } from './useAlarmActions.js';
import { useIncidentActions } from './useIncidentActions.js';
import { useServiceActions } from './useServiceActions.js';

export interface ItemActionDeps {
  readonly sources: Sources;
  readonly services?: CockpitServices;
  readonly model: LiveModel;
  readonly policy: Policy;
  readonly live: LiveSnapshot;
  readonly readonly: boolean;
  readonly openDialog: (d: Dialog) => void;
  /** What refreshes after an incident action (the list and the open incident's timeline). */
  readonly afterIncidentChange: () => Promise<void>;
}

export type ListItem = { readonly list: 'alarms'; readonly item: Alarm } | { readonly list: 'services'; readonly item: Service } | { readonly list: 'incidents'; readonly item: Incident };

/**
 * The actions on the item a list (or its detail) shows, each screen's own: mute an alert, the service
 * remediations, the incident actions. Every one goes through the remediation engine (engineDialogs.ts).
 */
export function useItemActions(d: ItemActionDeps): (command: string, target: ListItem) => void {
  const { model } = d;
  const afterAlarmChange = useCallback(async () => void (await model.refreshAll()), [model]);
  const afterServiceChange = useCallback(async () => void (await model.services.refresh()), [model]);
  const alarmAction = useAlarmActions({ sources: d.sources, services: d.services, readonly: d.readonly, openDialog: d.openDialog, afterChange: afterAlarmChange });
  const serviceAction = useServiceActions({ services: d.services, readonly: d.readonly, openDialog: d.openDialog, afterChange: afterServiceChange });
  const incidentAction = useIncidentActions({ sources: d.sources, services: d.services, policy: d.policy, live: d.live, production: d.sources.environment.production, readonly: d.readonly, openDialog: d.openDialog, afterChange: d.afterIncidentChange });
  return useCallback(
    (command: string, target: ListItem) => {
      if (target.list === 'alarms' && command === 'alarm.silence') alarmAction(command, target.item);
      else if (target.list === 'services' && command.startsWith('service.')) serviceAction(command, target.item);
      else if (target.list === 'incidents' && command.startsWith('incident.')) incidentAction(command, target.item);
    },
    [alarmAction, serviceAction, incidentAction],
  );
}
