import type { LiveSnapshot } from '../../live/model.js';
import type { CockpitServices } from '../../live/services.js';
import type { Policy } from '../../policy/types.js';
import type { Sources } from '../../../sources/ports.js';
import type { ListItem } from '../context.js';
import type { Dialog } from '../dialog.js';
import { alarmAction } from './alarm.js';
import { incidentAction } from './incident.js';
import { serviceAction } from './service.js';

export interface ItemActionDeps {
  readonly sources: Sources;
  readonly services?: CockpitServices;
  readonly policy: Policy;
  /** The live snapshot as of the key (the escalation and reassign choices come from it). */
  readonly live: LiveSnapshot;
  readonly readonly: boolean;
  readonly openDialog: (d: Dialog) => void;
  /** What refreshes after a change: every source (a mute), the services list, the incidents and the open timeline. */
  readonly afterAlarmChange: () => Promise<void>;
  readonly afterServiceChange: () => Promise<void>;
  readonly afterIncidentChange: () => Promise<void>;
}

/**
 * The actions on the item a list (or its detail) shows, each screen's own: mute an alert, the service
 * remediations, the incident actions. Every one goes through the remediation engine (engineDialogs.ts).
 */
export function itemAction(d: ItemActionDeps, command: string, target: ListItem): void {
  if (target.list === 'alarms' && command === 'alarm.silence')
    alarmAction(
      {
        sources: d.sources,
        services: d.services,
        readonly: d.readonly,
        openDialog: d.openDialog,
        afterChange: d.afterAlarmChange,
      },
      command,
      target.item,
    );
  else if (target.list === 'services' && command.startsWith('service.'))
    serviceAction(
      { services: d.services, readonly: d.readonly, openDialog: d.openDialog, afterChange: d.afterServiceChange },
      command,
      target.item,
    );
  else if (target.list === 'incidents' && command.startsWith('incident.'))
    incidentAction(
      {
        sources: d.sources,
        services: d.services,
        policy: d.policy,
        live: d.live,
        production: d.sources.environment.production,
        readonly: d.readonly,
        openDialog: d.openDialog,
        afterChange: d.afterIncidentChange,
      },
      command,
      target.item,
    );
}
