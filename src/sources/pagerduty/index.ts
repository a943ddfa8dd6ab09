/**
 * The PagerDuty adapter: the incident, on-call and incident-action ports over PagerDuty's REST API v2,
 * plus the extras the ports do not have (notes, schedules, priorities). Options take the same names as
 * the `pagerduty` section of the configuration, so that section can be passed as it is.
 */
import type { IncidentActions, IncidentSource, OnCallSource } from '../ports.js';
import { PagerDutyClient, type PagerDutyClientOptions } from './client.js';
import { PagerDutyIncidents } from './incidents.js';
import { PagerDutyOnCall, type OnCallOptions } from './onCall.js';
import type { PagerDutyPriority, PagerDutySchedule } from './onCallMap.js';
import type { PagerDutyNote } from './timelineMap.js';

export { PagerDutyClient, resolveServer, REGION_HOSTS, type PagerDutyClientOptions } from './client.js';
export { PagerDutyError } from './errors.js';
export type { PagerDutyNote } from './timelineMap.js';
export type { PagerDutyPriority, PagerDutySchedule } from './onCallMap.js';
export type { RateLimitOptions } from './rateLimit.js';

export interface PagerDutyOptions extends PagerDutyClientOptions, OnCallOptions {
  /** Services whose incidents are listed when a filter names none. */
  readonly serviceIds?: readonly string[];
}

export interface PagerDutySources {
  readonly incidents: IncidentSource & { notes(incidentId: string, signal?: AbortSignal): Promise<PagerDutyNote[]> };
  readonly onCall: OnCallSource & {
    schedules(signal?: AbortSignal): Promise<PagerDutySchedule[]>;
    priorities(signal?: AbortSignal): Promise<PagerDutyPriority[]>;
  };
  readonly incidentActions: IncidentActions;
  /** The account's priorities (GET /priorities). */
  priorities(signal?: AbortSignal): Promise<PagerDutyPriority[]>;
  /** The account's schedules (GET /schedules). */
  schedules(signal?: AbortSignal): Promise<PagerDutySchedule[]>;
  /** An incident's notes (GET /incidents/{id}/notes). */
  notes(incidentId: string, signal?: AbortSignal): Promise<PagerDutyNote[]>;
  /** Releases kept-alive connections. */
  close(): Promise<void>;
}

export function createPagerDutySources(options: PagerDutyOptions = {}): PagerDutySources {
  const client = new PagerDutyClient(options);
  const incidents = new PagerDutyIncidents(client, { serviceIds: options.serviceIds });
  const onCall = new PagerDutyOnCall(client, options);
  return {
    incidents,
    onCall,
    incidentActions: incidents,
    priorities: (signal) => onCall.priorities(signal),
    schedules: (signal) => onCall.schedules(signal),
    notes: (id, signal) => incidents.notes(id, signal),
    close: async () => client.close(),
  };
}
