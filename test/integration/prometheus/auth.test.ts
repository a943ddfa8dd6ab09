/**
 * Prometheus and Alertmanager behind authentication, as in production: Debian's servers with their own
 * web.config basic_auth_users (a real check of the credentials), and a loopback proxy of the test's own
 * that admits a bearer token (what an OAuth proxy in front of Prometheus does). The product reads the
 * credentials from the configuration and VITASCOPE_PROMETHEUS_TOKEN / VITASCOPE_ALERTMANAGER_TOKEN;
 * deploy-check and doctor are let in with them, refused without them with a fix that says which
 * setting, and the token is never printed.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runCli } from '../../harness/cli.js';
import { deployOpenMetrics, onGrid, PHASES, STEP_MS } from '../../harness/deployData.js';
import {
  alertmanagerMissing,
  backfill,
  ensureBuilt,
  prometheusMissing,
  startAlertmanager,
  startPrometheus,
  tempDir,
} from '../../harness/prometheus.js';
import { httpOk, type RunningServer } from '../../harness/servers.js';

const missing = prometheusMissing() ?? alertmanagerMissing();

const USER = 'vitascope';
const PASSWORD = 'vitascope-test-password';
/** bcrypt (cost 4) of PASSWORD, as web.config's basic_auth_users wants it. */
const HASH = '$2a$04$ApYHtaSHb21AXqcFH7QnJePRlnc16m4zcDNc2oEft3k5J//BZUhha';
const BEARER = 'bearer-token-for-the-proxy-0123456789';
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

/** A proxy that lets in requests with the bearer token and forwards them with the basic credentials. */
async function bearerProxy(target: string): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== `Bearer ${BEARER}`) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('401 Unauthorized: a bearer token is required\n');
      return;
    }
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: { ...req.headers, ...basic(USER, PASSWORD), host: new URL(target).host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(missing)('Prometheus and Alertmanager behind authentication', () => {
  const tmp = tempDir('prom-auth');
  let prom: RunningServer;
  let am: RunningServer;
  let proxy: Awaited<ReturnType<typeof bearerProxy>>;

  beforeAll(async () => {
    ensureBuilt();
    const webConfig = path.join(tmp.dir, 'web.yml');
    fs.writeFileSync(webConfig, `basic_auth_users:\n  ${USER}: ${HASH}\n`);
    const end = onGrid(Date.now()) - STEP_MS;
    const start = end - 10 * 60_000;
    const tsdb = path.join(tmp.dir, 'tsdb');
    backfill(
      deployOpenMetrics(start, end, [{ job: 'vitascope-api', phases: [{ from: start, phase: PHASES.healthy }] }]),
      tmp.dir,
      tsdb,
    );
    const ready = (url: string) => httpOk(`${url}/-/ready`, basic(USER, PASSWORD));
    [prom, am] = await Promise.all([
      startPrometheus({
        workDir: tmp.dir,
        tsdbDir: tsdb,
        config: 'global:\n  scrape_interval: 15s\n',
        extraArgs: [`--web.config.file=${webConfig}`],
        ready,
      }),
      startAlertmanager(tmp.dir, { extraArgs: [`--web.config.file=${webConfig}`], ready }),
    ]);
    proxy = await bearerProxy(prom.url);
  });

  afterAll(async () => {
    await Promise.all([prom?.stop(), am?.stop(), proxy?.close()]);
    tmp.remove();
  });

  it('the servers really refuse requests without the credentials', async () => {
    expect(await httpOk(`${prom.url}/api/v1/query?query=vector(1)`)).toBe(false);
    expect(await httpOk(`${prom.url}/api/v1/query?query=vector(1)`, basic(USER, 'wrong'))).toBe(false);
    expect(await httpOk(`${am.url}/api/v2/status`)).toBe(false);
  });

  const gate = (url: string, extra: NodeJS.ProcessEnv, configure: readonly string[][] = []) => {
    const env = isolatedEnv({ GITHUB_SHA: '', ...extra });
    return (async () => {
      for (const args of configure) expect((await runCli(['config', 'set', ...args], env)).code).toBe(0);
      return runCli(
        ['deploy-check', '--prometheus', url, '--service', 'api', '--duration', '0s', '--interval', '1s'],
        env,
      );
    })();
  };

  it('deploy-check: basic auth with prometheus.user and the token from the environment; refused without, exit 2', async () => {
    const ok = await gate(prom.url, { VITASCOPE_PROMETHEUS_TOKEN: PASSWORD }, [['prometheus.user', USER]]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/HEALTHY: 1 sample/);
    expect(ok.stdout).not.toContain(PASSWORD);

    const none = await gate(prom.url, {});
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/CANNOT TELL: sample 1 could not be read: Prometheus answered HTTP 401/);
    expect(none.stderr).toMatch(
      /deploy-check: Prometheus needs credentials: set VITASCOPE_PROMETHEUS_TOKEN \(a bearer token\), plus prometheus\.user for basic auth\n$/,
    );
    const wrong = await gate(prom.url, { VITASCOPE_PROMETHEUS_TOKEN: 'not-the-password' }, [['prometheus.user', USER]]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /Prometheus refused the credentials: check VITASCOPE_PROMETHEUS_TOKEN \(prometheus\.token\) and prometheus\.user\n$/,
    );
    expect(wrong.stdout + wrong.stderr).not.toContain('not-the-password');
  });

  it('credentials in the URL are basic auth, never printed; a query string on the URL is kept apart from the path', async () => {
    const withCreds = (password: string) => {
      const u = new URL(prom.url);
      u.username = USER;
      u.password = password;
      u.search = '?x=1';
      return u.toString();
    };
    const ok = await gate(withCreds(PASSWORD), {});
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/HEALTHY: 1 sample/);
    expect(ok.stdout + ok.stderr).not.toContain(PASSWORD);
    const wrong = await gate(withCreds('wrong-password-xyz'), {});
    expect(wrong.code).toBe(2);
    expect(wrong.stdout + wrong.stderr).not.toContain('wrong-password-xyz');
    // doctor and status, from the configuration, say nothing of the password either.
    const env = isolatedEnv({
      VITASCOPE_ALERTMANAGER_URL: (() => {
        const u = new URL(am.url);
        u.username = USER;
        u.password = PASSWORD;
        return u.toString();
      })(),
    });
    const doctor = await runCli(['doctor', '--json'], env);
    expect(doctor.stdout + doctor.stderr).not.toContain(PASSWORD);
    expect(
      (JSON.parse(doctor.stdout) as { checks: { source: string; result: string }[] }).checks
        .filter((c) => c.source === 'alertmanager')
        .every((c) => c.result === 'ok'),
    ).toBe(true);
  });

  it('deploy-check: a bearer token alone goes to the proxy as Authorization: Bearer', async () => {
    const ok = await gate(proxy.url, { VITASCOPE_PROMETHEUS_TOKEN: BEARER });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(proxy.seen.at(-1)).toBe(`Bearer ${BEARER}`);
    expect(ok.stdout).not.toContain(BEARER);
  });

  it('doctor: checks both servers with the configured credentials, and says which setting is missing', async () => {
    const env = isolatedEnv({ VITASCOPE_PROMETHEUS_URL: prom.url, VITASCOPE_ALERTMANAGER_URL: am.url });
    const refused = await runCli(['doctor', '--json'], env);
    expect(refused.code).toBe(1);
    type Row = { source: string; check: string; result: string; fix?: string };
    const rows = (r: { stdout: string }) => (JSON.parse(r.stdout) as { checks: Row[] }).checks;
    const failed = rows(refused).filter((c) => c.result === 'fail');
    expect(new Set(failed.map((c) => c.source))).toEqual(new Set(['prometheus', 'alertmanager']));
    expect(failed.find((c) => c.source === 'prometheus')!.fix).toBe(
      'Prometheus needs credentials: set VITASCOPE_PROMETHEUS_TOKEN (a bearer token), plus prometheus.user for basic auth',
    );

    for (const args of [
      ['prometheus.user', USER],
      ['alertmanager.user', USER],
    ])
      expect((await runCli(['config', 'set', ...args], env)).code).toBe(0);
    const wrong = await runCli(['doctor', '--json'], {
      ...env,
      VITASCOPE_PROMETHEUS_TOKEN: 'nope-nope',
      VITASCOPE_ALERTMANAGER_TOKEN: PASSWORD,
    });
    expect(rows(wrong).find((c) => c.source === 'prometheus' && c.result === 'fail')!.fix).toBe(
      'the proxy refused the credentials: check prometheus.token (VITASCOPE_PROMETHEUS_TOKEN) and prometheus.user',
    );
    expect(
      rows(wrong)
        .filter((c) => c.source === 'alertmanager')
        .every((c) => c.result === 'ok'),
    ).toBe(true);

    const admitted = await runCli(['doctor', '--json'], {
      ...env,
      VITASCOPE_PROMETHEUS_TOKEN: PASSWORD,
      VITASCOPE_ALERTMANAGER_TOKEN: PASSWORD,
    });
    const checks = rows(admitted).filter((c) => c.source === 'prometheus' || c.source === 'alertmanager');
    expect(checks.length).toBeGreaterThan(4);
    expect(checks.filter((c) => c.result !== 'ok')).toEqual([]);
    expect(admitted.stdout + admitted.stderr).not.toContain(PASSWORD);
    // The token is a secret: config list says it is set and no more.
    const list = await runCli(['config', 'list'], { ...env, VITASCOPE_PROMETHEUS_TOKEN: PASSWORD });
    expect(list.stdout).not.toContain(PASSWORD);
    expect(list.stdout).toMatch(/prometheus\.token/);
  });
});
