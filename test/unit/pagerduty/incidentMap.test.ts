import { describe, expect, it } from 'vitest';
import { mapIncident } from '../../../src/sources/pagerduty/incidentMap.js';

describe("a PagerDuty incident's pending unacknowledge", () => {
  const base = {
    id: 'PT4KHLK',
    title: 'The server is on fire.',
    created_at: '2026-01-05T01:00:00Z',
    last_status_change_at: '2026-01-05T01:05:00Z',
  };

  it('is when an acknowledged incident goes back to triggered (a snooze, the acknowledgement timeout)', () => {
    const i = mapIncident({
      ...base,
      status: 'acknowledged',
      pending_actions: [
        { type: 'resolve', at: '2026-01-06T01:00:00Z' },
        { type: 'unacknowledge', at: '2026-01-05T03:05:00Z' },
      ],
    });
    expect(i?.retriggersAt).toBe(Date.parse('2026-01-05T03:05:00Z'));
  });

  it('means nothing for an incident that is not acknowledged, or without a time', () => {
    expect(
      mapIncident({
        ...base,
        status: 'triggered',
        pending_actions: [{ type: 'unacknowledge', at: '2026-01-05T03:05:00Z' }],
      }),
    ).not.toHaveProperty('retriggersAt');
    expect(
      mapIncident({ ...base, status: 'acknowledged', pending_actions: [{ type: 'unacknowledge' }] }),
    ).not.toHaveProperty('retriggersAt');
    expect(mapIncident({ ...base, status: 'acknowledged', pending_actions: 'nonsense' })).not.toHaveProperty(
      'retriggersAt',
    );
  });
});
