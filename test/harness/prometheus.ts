/**
 * Debian's Prometheus, promtool and Alertmanager for the integration suites (TESTING.md): each test
 * file starts its own servers on free loopback ports over a private temporary directory, waits on
 * /-/ready (never a fixed sleep) and stops them afterwards. A missing binary skips the suite outside
 * CI and fails it under CI=true (requireTool); .ci/run installs the packages.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { haveCommand, httpOk, requireTool, startServer, type RunningServer } from './servers.js';

const REMEDY = 'apt-get install -y prometheus prometheus-alertmanager';

/** Undefined when Prometheus and promtool are here; otherwise why the suite is skipped (throws under CI). */
export function prometheusMissing(): string | undefined {
  return requireTool('prometheus and promtool', haveCommand('prometheus') && haveCommand('promtool'), REMEDY);
}

export function alertmanagerMissing(): string | undefined {
  return requireTool('prometheus-alertmanager', haveCommand('prometheus-alertmanager'), REMEDY);
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `vitascope-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes OpenMetrics text and turns it into TSDB blocks in `tsdbDir` with promtool. */
export function backfill(openMetrics: string, workDir: string, tsdbDir: string): { seconds: number; output: string } {
  const file = path.join(workDir, 'data.om');
  writeFileSync(file, openMetrics);
  const started = performance.now();
  const result = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, tsdbDir], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0)
    throw new Error(`promtool create-blocks-from openmetrics failed (${result.status}): ${output.slice(-2000)}`);
  return { seconds: (performance.now() - started) / 1000, output };
}

export interface PrometheusServer extends RunningServer {
  readonly dir: string;
}

/**
 * Starts `prometheus` with the given YAML config (and optional rule files, referenced from the config
 * by their base names) over `tsdbDir`, on 127.0.0.1 only, and waits for /-/ready.
 */
export async function startPrometheus(options: {
  readonly config: string;
  readonly rules?: Readonly<Record<string, string>>;
  readonly workDir: string;
  readonly tsdbDir?: string;
  readonly extraArgs?: readonly string[];
  /** When the server answers; /-/ready without credentials by default. */
  readonly ready?: (url: string) => Promise<boolean>;
}): Promise<PrometheusServer> {
  const configFile = path.join(options.workDir, 'prometheus.yml');
  writeFileSync(configFile, options.config);
  for (const [name, text] of Object.entries(options.rules ?? {})) writeFileSync(path.join(options.workDir, name), text);
  const check = spawnSync('promtool', ['check', 'config', configFile], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`promtool check config: ${check.stdout}${check.stderr}`);
  const tsdb = options.tsdbDir ?? path.join(options.workDir, 'tsdb');
  const server = await startServer({
    name: 'prometheus',
    command: 'prometheus',
    cwd: options.workDir,
    args: (port) => [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${tsdb}`,
      `--storage.tsdb.retention.time=30d`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...(options.extraArgs ?? []),
    ],
    ready: options.ready ?? ((url) => httpOk(`${url}/-/ready`)),
  });
  return { ...server, dir: options.workDir };
}

/** Starts Alertmanager with a config that routes everything to a receiver that sends nothing. */
export async function startAlertmanager(
  workDir: string,
  options: { readonly extraArgs?: readonly string[]; readonly ready?: (url: string) => Promise<boolean> } = {},
): Promise<RunningServer> {
  const configFile = path.join(workDir, 'alertmanager.yml');
  writeFileSync(
    configFile,
    [
      'route:',
      '  receiver: on-call',
      '  group_by: [alertname]',
      '  group_wait: 1s',
      '  group_interval: 1s',
      'receivers:',
      '  - name: on-call',
      '',
    ].join('\n'),
  );
  const storage = path.join(workDir, 'am-data');
  return startServer({
    name: 'alertmanager',
    command: 'prometheus-alertmanager',
    cwd: workDir,
    args: (port) => [
      `--config.file=${configFile}`,
      `--storage.path=${storage}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Empty: no cluster listener on 0.0.0.0:9094.
      '--cluster.listen-address=',
      ...(options.extraArgs ?? []),
    ],
    ready: options.ready ?? ((url) => httpOk(`${url}/-/ready`)),
  });
}

/** The repository's root, where bin/vitascope-oncall.js is. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds dist/ once when it is missing (the global setup normally has). */
export function ensureBuilt(): void {
  if (existsSync(path.join(REPO_ROOT, 'dist', 'main.js'))) return;
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed: ${result.stdout}${result.stderr}`);
}

/** The built binary serving the sandbox's app metrics. */
export async function startSandboxMetrics(options: {
  scenario?: string;
  speed?: number;
  configDir: string;
}): Promise<RunningServer> {
  ensureBuilt();
  return startServer({
    name: 'sandbox --serve-metrics',
    command: process.execPath,
    cwd: REPO_ROOT,
    // A private, empty config directory: the user's own config must not steer the test.
    env: {
      VITASCOPE_ONCALL_CONFIG_DIR: options.configDir,
      VITASCOPE_PROMETHEUS_URL: undefined,
      VITASCOPE_ALERTMANAGER_URL: undefined,
    },
    args: (port) => [
      path.join(REPO_ROOT, 'bin', 'vitascope-oncall.js'),
      'sandbox',
      '--demo',
      ...(options.scenario ? ['--scenario', options.scenario] : []),
      '--serve-metrics',
      String(port),
      '--speed',
      String(options.speed ?? 60),
    ],
    ready: (url) => httpOk(`${url}/metrics`),
  });
}
