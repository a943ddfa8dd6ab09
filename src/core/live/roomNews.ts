import type { Incident, PriorityName } from '../model.js';

/**
 * What changed around a room since it opened, from the live incidents: incidents opened since on the
 * same service or from the same alarm family (a reboot that opened two P2s that paged), and the room's
 * own incident changing priority (raised from P3 to P2). Pure: the room's view passes the live list.
 */
export interface RoomNews {
  readonly related: readonly { readonly incident: Incident; readonly why: string }[];
  readonly priority?: { readonly from?: PriorityName; readonly to?: PriorityName };
}

/** An alarm's family: its name without the level (vitascope-api-high-cpu-warning → vitascope-api-high-cpu). */
export function alarmFamily(name: string): string {
  return name.replace(/-(critical|warning|info)$/, '');
}

export function roomNews(
  room: { readonly incident: Incident; readonly openedAt: number; readonly alarmName?: string },
  incidents: readonly Incident[],
): RoomNews {
  const own = room.incident;
  const families = new Set([...own.alarmNames, ...(room.alarmName ? [room.alarmName] : [])].map(alarmFamily));
  const related: { incident: Incident; why: string }[] = [];
  for (const i of incidents) {
    if (i.id === own.id || i.createdAt < room.openedAt) continue;
    const family = i.alarmNames.find((n) => families.has(alarmFamily(n)));
    if (family) related.push({ incident: i, why: `same alarm family as this room (${alarmFamily(family)})` });
    else if (i.service.id === own.service.id) related.push({ incident: i, why: `same service (${own.service.name})` });
  }
  related.sort((a, b) => a.incident.createdAt - b.incident.createdAt);
  const now = incidents.find((i) => i.id === own.id);
  const changed = now !== undefined && now.priority !== own.priority;
  return {
    related,
    ...(changed
      ? { priority: { ...(own.priority ? { from: own.priority } : {}), ...(now.priority ? { to: now.priority } : {}) } }
      : {}),
  };
}
