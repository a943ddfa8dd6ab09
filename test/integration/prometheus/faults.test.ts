/**
 * The Prometheus adapter under faults, through the Poller: a fault proxy in front of a real
 * Prometheus (over the backfilled history) answers 429, 503, is down, and is slow (see
 * test/harness/prometheusFaults.ts for what must hold).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusSources, type PrometheusSources } from '../../../src/sources/prometheus/index.js';
import { startFaultProxy, type FaultProxy } from '../../harness/faultProxy.js';
import { backfill, prometheusMissing, startPrometheus, tempDir } from '../../harness/prometheus.js';
import { EXPECTED, openMetrics, timelineFor } from '../../harness/prometheusData.js';
import { faultDrill } from '../../harness/prometheusFaults.js';
import type { RunningServer } from '../../harness/servers.js';

const missing = prometheusMissing();

describe.skipIf(missing)('Prometheus adapter under faults', () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: RunningServer;
  let proxy: FaultProxy;
  let prom: PrometheusSources;

  beforeAll(async () => {
    tmp = tempDir('prom-faults');
    const tsdb = path.join(tmp.dir, 'tsdb');
    backfill(openMetrics(timelineFor(Date.now())), tmp.dir, tsdb);
    server = await startPrometheus({
      workDir: tmp.dir,
      tsdbDir: tsdb,
      config: 'global:\n  evaluation_interval: 1s\nrule_files:\n  - rules.yml\n',
      rules: {
        'rules.yml':
          'groups:\n  - name: g\n    rules:\n      - alert: ApiErrorRateCritical\n        expr: sum(rate(app_request_count_total{status_code=~"5.."}[5m])) / sum(rate(app_request_count_total[5m])) > 0.05\n        labels: { severity: critical }\n',
      },
    });
    proxy = await startFaultProxy(server.url);
    // The adapter's own timeout is longer than the poller's: the poller decides when to give up.
    prom = createPrometheusSources({ url: proxy.url, timeoutMs: 5000 });
  });

  afterAll(async () => {
    await prom?.close();
    await proxy?.close();
    await server?.stop();
    tmp?.remove();
  });

  it('backs off, keeps the last snapshot, reports the error and its age, and recovers', async () => {
    await faultDrill({
      name: 'prometheus',
      proxy,
      fetch: async (signal) => {
        const [alarms, p95] = await Promise.all([
          prom.alarms.listAlarms(signal),
          prom.query('p95_latency_seconds', { signal }),
        ]);
        return { alarms, p95: p95.samples[0]?.v };
      },
      good: (d) => d.alarms.length === 1 && Math.abs((d.p95 ?? 0) - EXPECTED.degraded.p95) < 1e-6,
    });
  });

  it('after close() no request goes out', async () => {
    const other = createPrometheusSources({ url: proxy.url });
    await other.close();
    const before = proxy.requests;
    await expect(other.query('p95_latency_seconds')).rejects.toThrow(/client closed/);
    expect(proxy.requests).toBe(before);
  });
});
