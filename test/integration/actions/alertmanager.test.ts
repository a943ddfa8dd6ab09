/**
 * alertmanager.silence through the engine against Debian's Alertmanager: planned (what it silences,
 * until when), applied as a real silence, verified by listing it; a silence made by someone else
 * between plan and apply is shown as a conflict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../../../src/core/actions/clock.js';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import type { Who } from '../../../src/core/journal/index.js';
import { createAlertmanagerSources, type AlertmanagerSources } from '../../../src/sources/alertmanager/index.js';
import type { Sources } from '../../../src/sources/ports.js';
import { alertmanagerMissing, startAlertmanager, tempDir } from '../../harness/prometheus.js';
import type { RunningServer } from '../../harness/servers.js';
import { tempJournal } from '../../unit/journal/helpers.js';

const missing = alertmanagerMissing();
const me = { id: 'local', name: 'Aiko Tanaka', email: 'aiko.tanaka@vitascope.example' };
const who: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };

describe.skipIf(missing)('alertmanager.silence against Alertmanager', () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: RunningServer;
  let am: AlertmanagerSources;
  let sources: Sources;
  beforeAll(async () => {
    tmp = tempDir('actions-am');
    server = await startAlertmanager(tmp.dir);
    am = createAlertmanagerSources({ url: server.url, timeoutMs: 5000 });
    sources = {
      environment: { kind: 'aws', label: 'test', production: true },
      now: Date.now,
      alerts: am.alarms,
      silences: am.silences,
      close: () => am.close(),
    };
  });
  afterAll(async () => {
    await am?.close();
    await server?.stop();
    tmp?.remove();
  });

  it('is planned, applied as a silence, and verified by listing it', async () => {
    const journal = tempJournal();
    const engine = createActionEngine({ sources, actor: me, who, clock: realClock(), journal });
    const params = {
      matchers: { alertname: 'VitascopeSyncFailures' },
      duration: '2h',
      comment: 'wearables outage, incident PSB1001',
    };
    const out = await engine.run({ action: 'alertmanager.silence', params }, async (prepared) => {
      // Careful, not dangerous: a plain yes even on production.
      expect(prepared.confirmation).toEqual({ kind: 'yes' });
      return { answer: 'confirm' };
    });
    expect(out.status).toBe('verified');
    expect(out.plan.summary).toBe(
      'silence alertname=VitascopeSyncFailures for 2h: "wearables outage, incident PSB1001"',
    );
    const listed = (await am.silences.listSilences()).filter(
      (s) => s.state === 'active' && s.comment === params.comment,
    );
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      createdBy: 'aiko.tanaka@vitascope.example',
      matchers: [{ name: 'alertname', value: 'VitascopeSyncFailures', isRegex: false }],
    });
    expect(listed[0]!.endsAt - listed[0]!.startsAt).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(journal.query().map((e) => e.kind)).toEqual([
      'action.planned',
      'action.confirmed',
      'action.applied',
      'action.verified',
    ]);
  });

  it('a silence made by someone else after the plan is a conflict', async () => {
    const engine = createActionEngine({ sources, actor: me, who, clock: realClock(), journal: tempJournal() });
    const prepared = await engine.prepare({
      action: 'alertmanager.silence',
      params: { matchers: { alertname: 'VitascopeApiLatency' }, duration: '30m', comment: 'deploy in progress' },
    });
    await am.silences.createSilence({
      matchers: [{ name: 'alertname', value: 'VitascopeApiLatency', isRegex: false }],
      startsAt: Date.now(),
      endsAt: Date.now() + 3_600_000,
      createdBy: 'kenji',
      comment: 'I am on it',
    });
    const out = await engine.execute(prepared, { answer: 'confirm' });
    expect(out.status).toBe('conflict');
    if (out.status === 'conflict')
      expect(out.conflicts[0]).toMatch(
        /^a new silence \S+ by kenji \(alertname=VitascopeApiLatency\) since the plan: "I am on it"$/,
      );
  });
});
