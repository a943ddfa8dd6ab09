import type { Alarm, Incident } from '../model.js';
import type { Journal } from '../journal/index.js';
import type { LoadedRunbook } from '../runbooks/types.js';
import type { Sources } from '../../sources/ports.js';
import { Room } from './room.js';
import type { CockpitServices } from './services.js';

export interface RoomRegistryOptions {
  /** What a room works through (the engine's actor, the clock, the limits). */
  readonly services: CockpitServices;
  readonly sources: Sources;
  readonly journal: () => Promise<Journal>;
  readonly runbookFor: (subject: { alarm?: Alarm; incident?: Incident }) => Promise<LoadedRunbook | undefined>;
  /** Puts the incident in the journal if it is not there yet; its journal id. */
  readonly recordIncident: (incident: Incident) => Promise<string>;
}

/** The incident rooms of this run, one per incident, kept while the program runs. */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();

  constructor(private readonly o: RoomRegistryOptions) {}

  /**
   * The incident room for an incident, or for an alarm (its open incident, or a local one when it
   * paged nobody). The same room comes back while the program runs; after a restart the journal
   * brings it back to where it was.
   */
  async open(
    target: { incident?: Incident; alarm?: Alarm },
    seen: { readonly incidents: readonly Incident[]; readonly alarms: readonly Alarm[] },
    opts: { readonly ownRunbook?: boolean } = {},
  ): Promise<Room> {
    const incident =
      target.incident ??
      (target.alarm ? incidentOf(target.alarm, seen.incidents) : undefined) ??
      (target.alarm ? localIncident(target.alarm, this.o.sources.simulation?.run) : undefined);
    if (!incident) throw new Error('nothing to open a room for');
    // From an incident, the alarm that opened it: runbooks template its dimensions (the service, the DB).
    const alarm =
      target.alarm ??
      incident.alarmNames.map((n) => seen.alarms.find((a) => a.name === n)).find((a) => a !== undefined);
    const existing = this.rooms.get(incident.id);
    if (existing && opts.ownRunbook && target.alarm) {
      const own = await this.o.runbookFor({ alarm: target.alarm });
      if (own && own.runbook.id !== existing.runbook.runbook.id)
        existing.switchTo(
          own,
          `you opened the room from ${target.alarm.name}, which has a runbook of its own`,
          target.alarm,
        );
    }
    if (existing) return existing;
    const runbook = await this.o.runbookFor({ alarm, incident });
    if (!runbook) throw new Error('no runbook matches (not even the default one): see vitascope-oncall runbooks lint');
    const journal = await this.o.journal();
    const journalIncidentId = await this.o.recordIncident(incident);
    const room = await Room.open({
      services: this.o.services,
      sources: this.o.sources,
      journal,
      journalIncidentId,
      incident,
      alarm,
      runbook,
    });
    this.rooms.set(incident.id, room);
    return room;
  }

  /** Rooms opened in this run. */
  list(): Room[] {
    return [...this.rooms.values()];
  }

  close(): void {
    for (const room of this.rooms.values()) room.close();
  }
}

/**
 * The open incident an alarm belongs to: the one it opened, else the newest that grouped it in (an older
 * incident may still list it from an earlier firing).
 */
export function incidentOf(alarm: Alarm, incidents: readonly Incident[]): Incident | undefined {
  const open = incidents.filter((i) => i.status !== 'resolved' && i.alarmNames.includes(alarm.name));
  return (
    open.find((i) => i.alarmNames[0] === alarm.name) ??
    [...open].sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))[0]
  );
}

/**
 * An alarm that paged nobody still gets a room: a local incident named after it. Every sandbox run replays
 * the same simulated times, so the run's tag is part of the id (as in the sandbox's own "PSB1001.mx3k9a"):
 * without it a later run's room would take over an earlier run's incident in the journal, title and all.
 */
const LOCAL_PREFIX = 'local-';

/** Whether an incident is one of this cockpit's own (an alarm that paged nobody), made by localIncident. */
export function isLocalIncident(incident: Pick<Incident, 'id'>): boolean {
  return incident.id.startsWith(LOCAL_PREFIX);
}

export function localIncident(alarm: Alarm, run?: string): Incident {
  return {
    id: `${LOCAL_PREFIX}${alarm.name}-${alarm.stateSince}${run ? `.${run}` : ''}`,
    title: `ALARM: ${alarm.name}`,
    status: 'triggered',
    urgency: alarm.level === 'critical' ? 'high' : 'low',
    service: { id: 'local', name: alarm.metric?.dimensions.ServiceName ?? 'unassigned' },
    createdAt: alarm.stateSince,
    assignees: [],
    escalationLevel: 1,
    escalatedAt: alarm.stateSince,
    alarmNames: [alarm.name],
  };
}
