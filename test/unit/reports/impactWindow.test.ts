/**
 * The recovery and alarms outside the incident: which of them fired through a verified remediation's own
 * outage (reports/impactWindow.ts), and what they do to "recovered". Pure, on journaled events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal, type JournalEvent } from '../../../src/core/journal/index.js';
import { impactWindow, outageAlarms } from '../../../src/core/reports/impactWindow.js';
import type { AlarmTransition, ReportIncident } from '../../../src/core/reports/types.js';
import { aiko, MIN, WEEK_START } from './fixtures.js';

const T = WEEK_START;
const DB = 'vitascope-db-connections-warning';
const API = 'vitascope-api-error-rate-critical';
const OTHER = 'vitascope-worker-high-memory-warning';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const incident = (over: Partial<ReportIncident> = {}): ReportIncident => ({
  id: 'INC-1',
  title: 'DB connections',
  status: 'resolved',
  createdAt: T,
  resolvedAt: T + 27 * MIN,
  alarmNames: [DB],
  assignees: ['Aiko Tanaka'],
  origins: ['journal'],
  ...over,
});
const tr = (alarmName: string, at: number, to: 'ALARM' | 'OK'): AlarmTransition => ({
  alarmName,
  at,
  from: to === 'ALARM' ? 'OK' : 'ALARM',
  to,
  origin: 'journal',
});

/** A reboot applied at +25 min and verified at +27 min, journaled as the engine does. */
function rebootEvents(verified = true): JournalEvent[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-impact-'));
  dirs.push(dir);
  const j = openJournal(path.join(dir, 'j.sqlite'));
  try {
    const ids = { runId: 'run-reboot', actionId: 'rds.reboot', target: 'vitascope-db' };
    j.append({
      kind: 'action.applied',
      at: T + 25 * MIN,
      who: aiko,
      incidentId: 'INC-1',
      payload: { ...ids, output: 'ok' },
    });
    if (verified)
      j.append({
        kind: 'action.verified',
        at: T + 27 * MIN,
        who: aiko,
        incidentId: 'INC-1',
        payload: { ...ids, output: `${DB} is OK` },
      });
    return j.query({ incidentId: 'INC-1' });
  } finally {
    j.close();
  }
}

describe('recovered, with the alarms a remediation left firing', () => {
  const own = [tr(DB, T, 'ALARM'), tr(DB, T + 27 * MIN, 'OK')];

  it('an alarm that fired during the incident and was in ALARM through the reboot holds the recovery until it is OK', () => {
    const transitions = [...own, tr(API, T + 6 * MIN, 'ALARM'), tr(API, T + 31 * MIN, 'OK')];
    const outage = outageAlarms(incident(), rebootEvents(), transitions);
    expect(outage).toEqual([API]);
    expect(impactWindow(incident(), transitions, T + 60 * MIN, outage)).toMatchObject({
      end: T + 31 * MIN,
      endSource: 'alarm',
    });
    // Without the outage's alarms, the reboot's own clearing would be the recovery.
    expect(impactWindow(incident(), transitions, T + 60 * MIN).end).toBe(T + 27 * MIN);
  });

  it('not counted: a firing from before the incident, one over before the reboot, one after its verification, or no verified remediation', () => {
    const transitions = [
      ...own,
      tr(OTHER, T - 10 * MIN, 'ALARM'),
      tr(OTHER, T + 40 * MIN, 'OK'),
      tr(API, T + 5 * MIN, 'ALARM'),
      tr(API, T + 20 * MIN, 'OK'),
      tr('vitascope-sync-failures-warning', T + 29 * MIN, 'ALARM'),
      tr('vitascope-sync-failures-warning', T + 34 * MIN, 'OK'),
    ];
    expect(outageAlarms(incident(), rebootEvents(), transitions)).toEqual([]);
    expect(outageAlarms(incident(), rebootEvents(false), [...own, tr(API, T + 6 * MIN, 'ALARM')])).toEqual([]);
  });

  it('still firing: not recovered by the alarms; a later resolution stands in, an earlier one does not', () => {
    const transitions = [...own, tr(API, T + 26 * MIN, 'ALARM')];
    const outage = outageAlarms(incident(), rebootEvents(), transitions);
    expect(outage).toEqual([API]);
    const w = impactWindow(incident(), transitions, T + 60 * MIN, outage);
    expect(w.end).toBeUndefined();
    expect(w.endSource).toBeUndefined();
    expect(impactWindow(incident({ resolvedAt: T + 45 * MIN }), transitions, T + 60 * MIN, outage)).toMatchObject({
      end: T + 45 * MIN,
      endSource: 'resolution',
    });
  });
});
