import type { SessionOptions } from '../core/cockpit/session.js';
import { ALARM_SORTS, alarmHaystack } from './render/alarms.js';
import { INCIDENT_SORTS, incidentHaystack } from './render/incidents.js';
import { SERVICE_SORTS, serviceHaystack } from './render/services.js';

/** How the lists are searched and sorted: the row renderers' rules, handed to the cockpit session. */
export const LIST_SPECS: SessionOptions['lists'] = {
  alarms: { haystack: alarmHaystack, sorts: ALARM_SORTS },
  services: { haystack: serviceHaystack, sorts: SERVICE_SORTS },
  incidents: { haystack: incidentHaystack, sorts: INCIDENT_SORTS },
};
