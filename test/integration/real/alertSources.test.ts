/**
 * Prometheus and Alertmanager configured together, with the real binary in tmux: Debian's Prometheus
 * fires two rules into Debian's Alertmanager (one of them silenced there), and Alertmanager also holds an
 * alert no rule of this Prometheus fires. The cockpit shows all three, once each: the rules as PROM+AM
 * (deduplicated: Prometheus fires them, Alertmanager holds them), the other as AM, and the silenced one
 * marked as silenced. `status --json` says the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, isolatedEnv, runCli } from '../../harness/cli.js';
import {
  alertmanagerMissing,
  prometheusMissing,
  startAlertmanager,
  startPrometheus,
  tempDir,
} from '../../harness/prometheus.js';
import { requireTool, waitFor, type RunningServer } from '../../harness/servers.js';
import { Tmux } from '../../harness/tmux.js';

const missing = prometheusMissing() ?? alertmanagerMissing();

describe.skipIf(missing)('every alert source at once', () => {
  let tmp: ReturnType<typeof tempDir>;
  let prometheus: RunningServer;
  let alertmanager: RunningServer;
  let env: NodeJS.ProcessEnv;
  let silenceId: string;

  beforeAll(async () => {
    tmp = tempDir('alert-sources');
    alertmanager = await startAlertmanager(tmp.dir);
    prometheus = await startPrometheus({
      workDir: tmp.dir,
      config: [
        'global:',
        '  evaluation_interval: 1s',
        '  external_labels: { cluster: vitascope-prod }',
        'rule_files: [rules.yml]',
        'alerting:',
        '  alertmanagers:',
        '    - static_configs:',
        `        - targets: ['127.0.0.1:${alertmanager.port}']`,
        '',
      ].join('\n'),
      rules: {
        'rules.yml': [
          'groups:',
          '  - name: vitascope',
          '    rules:',
          '      - alert: VitascopeQueueBacklog',
          '        expr: vector(1500) > 1000',
          '        labels: { severity: warning, queue: vitascope-sync-queue }',
          '      - alert: VitascopeSyncFailures',
          '        expr: vector(7) > 5',
          '        labels: { severity: critical }',
          '',
        ].join('\n'),
      },
      extraArgs: ['--rules.alert.resend-delay=1s'],
    });
    // Silence one of the rules' alerts in Alertmanager; and an alert only Alertmanager holds.
    const now = Date.now();
    const silence = await fetch(`${alertmanager.url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: 'VitascopeSyncFailures', isRegex: false }],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        createdBy: 'kenji',
        comment: 'provider outage',
      }),
    });
    silenceId = ((await silence.json()) as { silenceID: string }).silenceID;
    const post = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels: { alertname: 'NightlyBackupFailed', severity: 'critical', instance: 'backup-runner' },
          annotations: { summary: 'the nightly backup failed' },
        },
      ]),
    });
    expect(post.ok).toBe(true);
    await waitFor(
      async () => {
        const alerts = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as {
          labels: { alertname: string };
          status: { state: string };
        }[];
        const names = alerts.map((a) => a.labels.alertname);
        return (
          names.includes('VitascopeQueueBacklog') &&
          names.includes('VitascopeSyncFailures') &&
          alerts.some((a) => a.status.state === 'suppressed')
        );
      },
      'Prometheus has fired both rules into Alertmanager',
      30_000,
    );
    env = isolatedEnv({ VITASCOPE_PROMETHEUS_URL: prometheus.url, VITASCOPE_ALERTMANAGER_URL: alertmanager.url });
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled([prometheus?.stop(), alertmanager?.stop()]);
    tmp?.remove();
  });

  it('status --json: each alert once, its source named, the silenced one marked with its silence', async () => {
    const r = await runCli(['status', '--json'], env);
    const s = JSON.parse(r.stdout) as {
      alarms: {
        items: { name: string; state: string; sources?: string[]; suppressed?: { kind: string; by: string[] } }[];
      };
    };
    const firing = s.alarms.items.filter((a) => a.state === 'ALARM');
    expect(firing.map((a) => [a.name, a.sources, a.suppressed?.kind ?? null]).sort()).toEqual([
      ['NightlyBackupFailed {instance=backup-runner}', ['alertmanager'], null],
      ['VitascopeQueueBacklog', ['prometheus', 'alertmanager'], null],
      ['VitascopeSyncFailures', ['prometheus', 'alertmanager'], 'silenced'],
    ]);
    expect(firing.find((a) => a.name === 'VitascopeSyncFailures')!.suppressed!.by).toEqual([silenceId]);
  });

  it('the cockpit shows both sets in a real terminal, the silenced alert marked', async () => {
    if (requireTool('tmux', Tmux.available(), 'apt-get install tmux')) return;
    const tmux = new Tmux();
    try {
      tmux.start(`node ${BIN}`, { ...env, TERM: 'xterm-256color' }, { width: 140, height: 40 });
      await tmux.waitFor((s) => s.includes('ALARMS') || s.includes('VitascopeSyncFailures'), 'the cockpit', 20_000);
      tmux.keys('2');
      const screen = await tmux.waitFor(
        (s) =>
          s.includes('NightlyBackupFailed') &&
          s.includes('VitascopeQueueBacklog') &&
          s.includes('VitascopeSyncFailures'),
        'all three alerts',
      );
      const row = (name: string) => screen.split('\n').find((l) => l.includes(name)) ?? '';
      expect(row('VitascopeSyncFailures')).toMatch(/ALARM\s+PROM\+AM\s+silenced/);
      expect(row('VitascopeQueueBacklog')).toMatch(/ALARM\s+PROM\+AM\s{2,}/);
      expect(row('VitascopeQueueBacklog')).not.toContain('silenced');
      expect(row('NightlyBackupFailed')).toMatch(/ALARM\s+AM\s/);
      // Once each: Prometheus fires them and Alertmanager holds them, one row.
      expect(screen.split('\n').filter((l) => l.includes('VitascopeSyncFailures'))).toHaveLength(1);
      tmux.keys('q');
    } finally {
      tmux.kill();
    }
  });
});
