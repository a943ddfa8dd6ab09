/**
 * The Alertmanager adapter against Debian's real Alertmanager 0.25: alerts posted to it are listed
 * (active), a silence made through the adapter silences one, expiring it makes it active again, and
 * a silence without a reason or a duration is refused before anything is sent (the fault proxy in
 * front counts the requests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../../src/core/model.js';
import {
  createAlertmanagerSources,
  HttpApiError,
  type AlertmanagerSources,
} from '../../../src/sources/alertmanager/index.js';
import { startFaultProxy, type FaultProxy } from '../../harness/faultProxy.js';
import { alertmanagerMissing, startAlertmanager, tempDir } from '../../harness/prometheus.js';
import { waitFor, type RunningServer } from '../../harness/servers.js';

const missing = alertmanagerMissing();
const HOUR = 3_600_000;

describe.skipIf(missing)('Alertmanager', () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: RunningServer;
  let proxy: FaultProxy;
  let am: AlertmanagerSources;
  const startsAt = Date.now() - 60_000;

  beforeAll(async () => {
    tmp = tempDir('alertmanager');
    server = await startAlertmanager(tmp.dir);
    proxy = await startFaultProxy(server.url);
    am = createAlertmanagerSources({ url: proxy.url, timeoutMs: 5000 });
    await am.client.postAlerts([
      {
        labels: { alertname: 'ApiLatencyHigh', severity: 'critical', endpoint: '/api/v1/sync' },
        annotations: {
          summary: 'API p95 1.3 s',
          description: 'p95 above 1 s for 5 minutes',
          runbook_url: 'https://runbooks.example/api-latency',
        },
        startsAt,
        endsAt: Date.now() + HOUR,
      },
      {
        labels: { alertname: 'ApiErrorRate', severity: 'warning' },
        annotations: { summary: 'errors 2 %' },
        startsAt,
        endsAt: Date.now() + HOUR,
      },
      { labels: { alertname: 'SomethingOdd', severity: 'page' }, startsAt, endsAt: Date.now() + HOUR },
    ]);
  });

  afterAll(async () => {
    await am?.close();
    await proxy?.close();
    await server?.stop();
    tmp?.remove();
  });

  const alarmsByName = async () =>
    Object.fromEntries((await am.alarms.listAlarms()).map((a) => [a.name.split(' ')[0]!, a])) as Record<string, Alarm>;

  it('lists posted alerts as active alarms, mapped', async () => {
    await waitFor(
      async () => Object.values(await alarmsByName()).filter((a) => a.reason === 'active').length === 3,
      'three active alerts',
      10_000,
    );
    const by = await alarmsByName();
    const latency = by.ApiLatencyHigh!;
    expect(latency).toMatchObject({
      name: 'ApiLatencyHigh {endpoint=/api/v1/sync}',
      kind: 'metric',
      state: 'ALARM',
      level: 'critical',
      reason: 'active',
      description: 'API p95 1.3 s\np95 above 1 s for 5 minutes\nrunbook: https://runbooks.example/api-latency',
      actions: ['on-call'],
    });
    expect(latency.id).toMatch(/^alertmanager:[0-9a-f]{16}$/);
    expect(Math.abs(latency.stateSince - startsAt)).toBeLessThan(1000);
    expect(by.ApiErrorRate).toMatchObject({ level: 'warning', state: 'ALARM', description: 'errors 2 %' });
    expect(by.SomethingOdd!.level).toBe('warning'); // "page" is not a strategy level
    const active = await am.client.listAlerts({ active: true, silenced: false, inhibited: false });
    expect(active.map((a) => a.labels.alertname).sort()).toEqual(['ApiErrorRate', 'ApiLatencyHigh', 'SomethingOdd']);
    expect(active.every((a) => a.state === 'active' && a.fingerprint.length === 16)).toBe(true);
  });

  it('refuses a silence without a comment, author, matcher or positive duration before sending it', async () => {
    const before = proxy.requests;
    const now = Date.now();
    const good = {
      matchers: [{ name: 'alertname', value: 'ApiLatencyHigh', isRegex: false }],
      startsAt: now,
      endsAt: now + HOUR,
      createdBy: 'oncall',
      comment: 'fix deploying',
    };
    await expect(am.silences.createSilence({ ...good, comment: '' })).rejects.toThrow(/needs a comment/);
    await expect(am.silences.createSilence({ ...good, comment: '   ' })).rejects.toThrow(/needs a comment/);
    await expect(am.silences.createSilence({ ...good, createdBy: '' })).rejects.toThrow(/createdBy/);
    await expect(am.silences.createSilence({ ...good, endsAt: good.startsAt })).rejects.toThrow(/positive duration/);
    await expect(am.silences.createSilence({ ...good, endsAt: good.startsAt - 1000 })).rejects.toThrow(
      /positive duration/,
    );
    await expect(am.silences.createSilence({ ...good, startsAt: now - 2 * HOUR, endsAt: now - HOUR })).rejects.toThrow(
      /already be over/,
    );
    await expect(am.silences.createSilence({ ...good, matchers: [] })).rejects.toThrow(/at least one matcher/);
    await expect(
      am.silences.createSilence({ ...good, matchers: [{ name: 'alertname', value: '.*', isRegex: true }] }),
    ).rejects.toThrow(/match every alert/);
    await expect(
      am.silences.createSilence({ ...good, matchers: [{ name: 'bad-name', value: 'x', isRegex: false }] }),
    ).rejects.toThrow(/not a label name/);
    expect(proxy.requests).toBe(before);
  });

  it('silences an alert through the adapter, then expiring the silence makes it active again', async () => {
    const now = Date.now();
    const id = await am.silences.createSilence({
      matchers: [{ name: 'alertname', value: 'ApiLatencyHigh', isRegex: false }],
      startsAt: now,
      endsAt: now + HOUR,
      createdBy: 'oncall@vitascope.test',
      comment: 'rollback in progress',
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    await waitFor(
      async () => (await alarmsByName()).ApiLatencyHigh?.reason === `silenced by ${id}`,
      'the alert silenced',
      10_000,
    );
    const silenced = (await alarmsByName()).ApiLatencyHigh!;
    expect(silenced.state).toBe('ALARM'); // muted, not gone
    const activeOnly = await am.client.listAlerts({ active: true, silenced: false, inhibited: false });
    expect(activeOnly.map((a) => a.labels.alertname).sort()).toEqual(['ApiErrorRate', 'SomethingOdd']);
    const silencedOnly = await am.client.listAlerts({ active: false, silenced: true, inhibited: false });
    expect(silencedOnly.map((a) => [a.labels.alertname, a.state, a.silencedBy])).toEqual([
      ['ApiLatencyHigh', 'suppressed', [id]],
    ]);

    const listed = (await am.silences.listSilences()).find((s) => s.id === id);
    expect(listed).toMatchObject({
      state: 'active',
      createdBy: 'oncall@vitascope.test',
      comment: 'rollback in progress',
      matchers: [{ name: 'alertname', value: 'ApiLatencyHigh', isRegex: false, isEqual: true }],
    });
    expect(Math.abs(listed!.endsAt - (now + HOUR))).toBeLessThan(1000);

    await am.silences.expireSilence(id);
    await waitFor(
      async () => (await alarmsByName()).ApiLatencyHigh?.reason === 'active',
      'the alert active again',
      10_000,
    );
    expect((await am.silences.listSilences()).find((s) => s.id === id)?.state).toBe('expired');
    // Expiring twice is harmless; an unknown id is a 404-like error, not a server fault to retry.
    await am.silences.expireSilence(id);
    const unknown = await am.silences.expireSilence('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(HttpApiError);
    expect((unknown as HttpApiError).status).toBe(404);
    expect((unknown as Error).message).toMatch(/no silence 00000000-/);
  });

  it("keeps a server error's status on writes (a 503 in front of Alertmanager)", async () => {
    proxy.setFault({ kind: 'error', status: 503, body: '{"message":"maintenance"}' });
    try {
      const now = Date.now();
      const error = await am.silences
        .createSilence({
          matchers: [{ name: 'alertname', value: 'ApiErrorRate', isRegex: false }],
          startsAt: now,
          endsAt: now + HOUR,
          createdBy: 'oncall',
          comment: 'noisy',
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpApiError);
      expect((error as HttpApiError).status).toBe(503);
      expect((error as Error).message).toContain('Alertmanager answered HTTP 503: maintenance (POST /api/v2/silences)');
    } finally {
      proxy.setFault({ kind: 'pass' });
    }
  });
});
