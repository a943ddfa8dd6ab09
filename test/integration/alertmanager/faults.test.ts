/**
 * The Alertmanager adapter under faults, through the Poller: a fault proxy in front of a real
 * Alertmanager answers 429, 503, is down, and is slow (see test/harness/prometheusFaults.ts).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createAlertmanagerSources, type AlertmanagerSources } from '../../../src/sources/alertmanager/index.js';
import { startFaultProxy, type FaultProxy } from '../../harness/faultProxy.js';
import { alertmanagerMissing, startAlertmanager, tempDir } from '../../harness/prometheus.js';
import { faultDrill } from '../../harness/prometheusFaults.js';
import type { RunningServer } from '../../harness/servers.js';

const missing = alertmanagerMissing();

describe.skipIf(missing)('Alertmanager adapter under faults', () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: RunningServer;
  let proxy: FaultProxy;
  let am: AlertmanagerSources;

  beforeAll(async () => {
    tmp = tempDir('am-faults');
    server = await startAlertmanager(tmp.dir);
    proxy = await startFaultProxy(server.url);
    am = createAlertmanagerSources({ url: proxy.url, timeoutMs: 5000 });
    await am.client.postAlerts([
      { labels: { alertname: 'DbConnectionsHigh', severity: 'warning' }, endsAt: Date.now() + 3_600_000 },
    ]);
  });

  afterAll(async () => {
    await am?.close();
    await proxy?.close();
    await server?.stop();
    tmp?.remove();
  });

  it('backs off, keeps the last snapshot, reports the error and its age, and recovers', async () => {
    await faultDrill({
      name: 'alertmanager',
      proxy,
      fetch: (signal) => am.alarms.listAlarms(signal),
      good: (alarms) => alarms.length === 1 && alarms[0]!.name === 'DbConnectionsHigh' && alarms[0]!.state === 'ALARM',
    });
  });
});
