/**
 * What the room announces from the live incidents: incidents opened since it opened on the same service
 * or from the same alarm family, and its incident's priority changing. Pure logic over incident values.
 */
import { describe, expect, it } from 'vitest';
import { alarmFamily, roomNews } from '../../../src/core/live/roomNews.js';
import type { Incident } from '../../../src/core/model.js';

const base: Incident = {
  id: 'P1',
  title: 'ALARM: vitascope-db-connections-warning',
  status: 'acknowledged',
  urgency: 'high',
  priority: 'P3',
  service: { id: 'PSVCDB', name: 'Vitascope DB' },
  createdAt: 1_000,
  assignees: [],
  escalationLevel: 1,
  escalatedAt: 1_000,
  alarmNames: ['vitascope-db-connections-warning'],
};

describe('room news', () => {
  it('lists incidents opened since the room on the same service or alarm family, oldest first, and announces a priority change', () => {
    const sameFamily: Incident = {
      ...base,
      id: 'P2',
      createdAt: 5_000,
      service: { id: 'PSVCX', name: 'Other' },
      alarmNames: ['vitascope-db-connections-critical'],
      priority: 'P2',
    };
    const sameService: Incident = { ...base, id: 'P3', createdAt: 4_000, alarmNames: ['vitascope-db-storage-warning'] };
    const before: Incident = { ...base, id: 'P4', createdAt: 500, alarmNames: ['vitascope-db-connections-critical'] };
    const unrelated: Incident = {
      ...base,
      id: 'P5',
      createdAt: 6_000,
      service: { id: 'PSVCAPI', name: 'API' },
      alarmNames: ['vitascope-api-high-cpu-warning'],
    };
    const raised: Incident = { ...base, priority: 'P2' };
    const news = roomNews({ incident: base, openedAt: 2_000 }, [raised, sameFamily, sameService, before, unrelated]);
    expect(news.related.map((r) => r.incident.id)).toEqual(['P3', 'P2']);
    expect(news.related[1]!.why).toBe('same alarm family as this room (vitascope-db-connections)');
    expect(news.related[0]!.why).toBe('same service (Vitascope DB)');
    expect(news.priority).toEqual({ from: 'P3', to: 'P2' });
    expect(roomNews({ incident: base, openedAt: 2_000 }, [base]).priority).toBeUndefined();
    expect(alarmFamily('vitascope-api-high-cpu-critical')).toBe('vitascope-api-high-cpu');
  });
});
