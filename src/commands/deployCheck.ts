import { gateExitCode, runGate, sampleCount, type GateResult, type Signal } from '../core/deploy/gate.js';
import { appMetrics, rateWindowSeconds, type AppMetricsSettings } from '../core/appMetrics.js';
import { inertLine, jsonText } from '../core/sanitize.js';
import { formatDuration } from '../core/time.js';
import type { Io } from './context.js';
import type { HttpAuth } from '../sources/prometheus/http.js';
import type { SignalDiagnosis } from '../sources/prometheus/gate.js';
import { ANNOTATION_TOKEN_VARIABLES } from './options.js';
import {
  diagnosisJson,
  diagnosisLines,
  finite,
  fmtLatency,
  fmtPercent,
  healthLine,
  sampleJson,
  sampleLine,
  seconds,
  shown,
  summaryLine,
  worst,
} from './deployCheckText.js';

/**
 * `deploy-check`: the strategy's post-deployment health check. With --health, the service's health
 * endpoint must answer 2xx first. Then samples the error rate (5xx over all requests, percent) and the
 * p95 latency from Prometheus every interval for the duration; exits 0 when the deployment stayed
 * healthy with data for every required signal, 1 when the health endpoint fails or at the first sample
 * above a limit (roll back), 2 when it cannot tell (a required signal had no data, Prometheus cannot
 * be queried, bad arguments), naming the selector that matched nothing and what exists near it.
 * Optionally marks the deployment and the verdict as Grafana annotations.
 */

export interface DeployCheckOptions {
  readonly prometheus?: string;
  readonly maxErrorRate: number;
  readonly maxP95: number;
  readonly duration: number;
  readonly interval: number;
  /** The rate window (ms); by default 1 minute or four scrape intervals, whichever is longer. */
  readonly window?: number;
  /** The service's name (the job, or its short name); the configuration's prometheus.metrics.service when not given. */
  readonly service?: string;
  /** The label --service matches; the configuration's prometheus.metrics.labels.service (job) when not given. */
  readonly serviceLabel?: string;
  /** Signals whose missing data does not stop a verdict. */
  readonly optional?: readonly Signal[];
  /** The service's health endpoint, asked first. */
  readonly health?: string;
  readonly healthTimeout: number;
  readonly json?: boolean;
  readonly annotate?: string;
  readonly annotateDashboard?: string;
  readonly versionLabel?: string;
  /** The global --readonly. */
  readonly readonly?: boolean;
}

const EXIT_FAILED = 1;
const EXIT_CANNOT_TELL = 2;
const HOUR = 3_600_000;

function versionOf(options: DeployCheckOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (options.versionLabel) return options.versionLabel;
  const sha = env.GITHUB_SHA?.trim();
  if (!sha) return undefined;
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

/**
 * Which Prometheus, and how to be let in: the flag, else VITASCOPE_PROMETHEUS_URL or the configuration;
 * the credentials (prometheus.token and .user, VITASCOPE_PROMETHEUS_TOKEN) from the configuration. A CI
 * runner usually has no configuration file: with --prometheus, one that cannot be read stops nothing.
 */
async function prometheusTarget(
  options: DeployCheckOptions,
  io: Io,
): Promise<{ url: string; auth?: HttpAuth; metrics?: AppMetricsSettings } | { error: string }> {
  let configured: { url?: string; token?: string; user?: string; metrics?: AppMetricsSettings } | undefined;
  try {
    const { readConfig } = await import('../config/load.js');
    configured = (await readConfig(io.env)).effective.prometheus;
  } catch (error) {
    if (!options.prometheus)
      return { error: `configuration: ${error instanceof Error ? error.message : String(error)}` };
  }
  const url = options.prometheus ?? configured?.url;
  if (!url) return { error: 'no Prometheus to ask: pass --prometheus URL (or set VITASCOPE_PROMETHEUS_URL)' };
  const metrics = configured?.metrics ? { metrics: configured.metrics } : {};
  return configured?.token
    ? {
        url,
        ...metrics,
        auth: { token: configured.token, ...(configured.user !== undefined ? { user: configured.user } : {}) },
      }
    : { url, ...metrics };
}

/** Read-only mode (--readonly, VITASCOPE_READONLY or the configuration) posts no annotations. */
async function readOnly(options: DeployCheckOptions, io: Io): Promise<boolean> {
  if (options.readonly) return true;
  try {
    const { readConfig } = await import('../config/load.js');
    return (await readConfig(io.env)).effective.readonly === true;
  } catch {
    // A configuration that cannot be read does not stop the gate; --prometheus may not need it.
    return /^(1|true|yes)$/i.test(io.env.VITASCOPE_READONLY ?? '');
  }
}

export async function runDeployCheck(options: DeployCheckOptions, io: Io): Promise<number> {
  if (options.annotate && (await readOnly(options, io))) {
    io.stderr.write('vitascope-oncall: deploy-check: read-only mode: the annotations are not posted\n');
    options = { ...options, annotate: undefined };
  }
  const target = await prometheusTarget(options, io);
  if ('error' in target) {
    io.stderr.write(`vitascope-oncall: deploy-check: ${inertLine(target.error)}\n`);
    return EXIT_CANNOT_TELL;
  }
  const { url } = target;
  if (options.interval > options.duration && options.duration > 0) {
    io.stderr.write(
      `vitascope-oncall: deploy-check: --interval ${formatDuration(options.interval)} is longer than --duration ${formatDuration(options.duration)}\n`,
    );
    return EXIT_CANNOT_TELL;
  }
  const [{ createPrometheusSources }, gate, { postAnnotation }] = await Promise.all([
    import('../sources/prometheus/index.js'),
    import('../sources/prometheus/gate.js'),
    import('../sources/grafana/annotations.js'),
  ]);
  const { readConfig } = await import('../config/load.js');
  const { deadlinesFor } = await import('../sources/deadlines.js');
  const deadlines = deadlinesFor((await readConfig(io.env)).effective);
  // A query may take up to one interval (at least 2 s, at most the request deadline) before it counts as failed.
  const prom = createPrometheusSources({
    url,
    timeoutMs: Math.min(deadlines.requestMs, Math.max(2_000, options.interval)),
    ...(target.auth ? { auth: target.auth } : {}),
    ...(target.metrics ? { metrics: target.metrics } : {}),
  });
  try {
    // A rate needs samples in its window: at least four scrapes (a 1m window on a 1m scrape is empty).
    const window = options.window ?? rateWindowSeconds(appMetrics(target.metrics), 60) * 1000;
    return await check(
      { ...options, window },
      io,
      { url, authenticated: target.auth !== undefined, requestMs: deadlines.requestMs },
      prom,
      gate,
      postAnnotation,
    );
  } finally {
    await prom.close();
  }
}

type Prom = import('../sources/prometheus/index.js').PrometheusSources;
type GateModule = typeof import('../sources/prometheus/gate.js');
type PostAnnotation = typeof import('../sources/grafana/annotations.js').postAnnotation;

async function check(
  options: DeployCheckOptions & { readonly window: number },
  io: Io,
  server: { url: string; authenticated: boolean; requestMs: number },
  prom: Prom,
  gate: GateModule,
  postAnnotation: PostAnnotation,
): Promise<number> {
  const { url } = server;
  const deadlines = { requestMs: server.requestMs };
  const sel = await gate.selectForGate(prom, { service: options.service, serviceLabel: options.serviceLabel });
  const selector = sel.service.value === '' ? {} : { [sel.service.label]: sel.service.value };
  const selectorText = Object.entries(selector)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const version = versionOf(options, io.env);
  const token = ANNOTATION_TOKEN_VARIABLES.map((v) => io.env[v]).find((t) => t !== undefined && t !== '');
  const total = sampleCount({ durationMs: options.duration, intervalMs: options.interval });
  const limits = {
    maxErrorRatePercent: options.maxErrorRate,
    maxP95Seconds: options.maxP95 / 1000,
    optional: options.optional ?? [],
  };
  const annotations: { start?: string; end?: string } = {};
  const what = sel.service.value !== '' ? sel.service.value : 'the app';
  const tags = [
    'deployment',
    'vitascope-oncall',
    ...(version ? [`version:${version}`] : []),
    ...(sel.service.value !== '' ? [`service:${sel.service.value}`] : []),
  ];
  const out = (line: string) => io.stdout.write(`${inertLine(line)}\n`);
  const json = (value: unknown) => io.stdout.write(`${jsonText(value)}\n`);

  const annotate = async (which: 'start' | 'end', time: number, extraTags: readonly string[], text: string) => {
    if (!options.annotate) return;
    try {
      await postAnnotation(
        options.annotate,
        {
          time,
          tags: [...tags, ...extraTags],
          text,
          ...(options.annotateDashboard ? { dashboardUID: options.annotateDashboard } : {}),
        },
        { token, timeoutMs: deadlines.requestMs },
      );
      annotations[which] = 'posted';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      annotations[which] = `failed: ${message}`;
      io.stderr.write(
        `vitascope-oncall: deploy-check: the ${which} annotation was not posted: ${inertLine(message)}\n`,
      );
    }
  };

  if (options.annotate && !token)
    io.stderr.write(
      `vitascope-oncall: deploy-check: no annotation token in ${ANNOTATION_TOKEN_VARIABLES.join(' or ')}: posting without Authorization\n`,
    );
  if (!options.json) {
    const optional = limits.optional.length ? `; optional: ${limits.optional.join(', ')}` : '';
    out(
      `deploy-check: ${what}${version ? ` version ${version}` : ''} on ${shown(url)}${selectorText ? ` {${selectorText}}` : ''}: ${total} sample${total === 1 ? '' : 's'} every ${seconds(options.interval)} for ${formatDuration(options.duration)}; fails above ${fmtPercent(options.maxErrorRate)} errors or p95 above ${fmtLatency(limits.maxP95Seconds)} (rate window ${formatDuration(options.window)}${optional})`,
    );
    for (const note of sel.notes) out(`note: ${note}`);
  }
  const started = Date.now();
  await annotate(
    'start',
    started,
    ['deploy-check:start'],
    `Deployed ${what}${version ? ` version ${version}` : ''}: deploy-check started (fails above ${fmtPercent(options.maxErrorRate)} errors or p95 above ${fmtLatency(limits.maxP95Seconds)}, ${formatDuration(options.duration)} every ${seconds(options.interval)})`,
  );

  if (options.health) {
    const { checkHealth } = await import('../sources/health.js');
    const h = await checkHealth(options.health, options.healthTimeout);
    if (options.json)
      json({
        type: 'health',
        url: shown(options.health),
        ok: h.ok,
        status: h.status ?? null,
        ms: h.ms,
        error: h.error ?? null,
      });
    else out(healthLine(options.health, h));
    if (!h.ok) {
      const summary = `FAILED: the health endpoint ${shown(options.health)} ${h.status !== undefined ? `answered HTTP ${h.status}` : (h.error ?? 'did not answer')}; roll the deployment back`;
      await annotate(
        'end',
        Date.now(),
        ['deploy-check:end', 'verdict:failed'],
        `deploy-check failed for ${what}${version ? ` version ${version}` : ''}: ${summary}`,
      );
      if (options.json)
        json({
          type: 'summary',
          verdict: 'failed',
          exitCode: EXIT_FAILED,
          samples: 0,
          failedAt: null,
          reason: summary,
          health: { ok: false, status: h.status ?? null, error: h.error ?? null },
          prometheus: shown(url),
          selector,
          version: version ?? null,
          startedAt: new Date(started).toISOString(),
        });
      else out(summary);
      return EXIT_FAILED;
    }
  }

  const result: GateResult = await runGate(
    limits,
    { durationMs: options.duration, intervalMs: options.interval },
    {
      read: () => gate.readGate(prom, sel, options.window / 1000),
      now: () => Date.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      onSample: (s) => (options.json ? json(sampleJson(s)) : out(sampleLine(s, total))),
      onRetry: (error, n) =>
        io.stderr.write(
          `vitascope-oncall: deploy-check: sample ${n} failed, trying once more: ${inertLine(error instanceof Error ? error.message : String(error))}\n`,
        ),
    },
  );
  // A signal without data: which selector matched nothing, and what the server has near it.
  let diagnoses: SignalDiagnosis[] = [];
  if (result.noData?.length)
    diagnoses = await gate
      .diagnoseSignals(prom, sel, result.noData, Math.max(HOUR, options.duration + options.window))
      .catch(() => []);

  const code = gateExitCode(result.verdict);
  const summary = summaryLine(result, options.duration, diagnoses);
  await annotate(
    'end',
    Date.now(),
    ['deploy-check:end', `verdict:${result.verdict}`],
    `deploy-check ${result.verdict} for ${what}${version ? ` version ${version}` : ''}: ${summary}`,
  );
  if (options.json) {
    const f = result.failedAt;
    json({
      type: 'summary',
      verdict: result.verdict,
      exitCode: code,
      samples: result.samples.length,
      failedAt: f
        ? {
            n: f.n,
            at: new Date(f.at).toISOString(),
            elapsedSeconds: Math.round(f.elapsedMs) / 1000,
            crossed: f.crossed,
          }
        : null,
      reason: result.reason ?? null,
      noData: diagnosisJson(diagnoses),
      worst: {
        errorRatePercent: finite(worst(result.samples, (s) => s.errorRatePercent)),
        p95Seconds: finite(worst(result.samples, (s) => s.p95Seconds)),
      },
      prometheus: shown(url),
      selector,
      service: sel.service,
      notes: sel.notes,
      series: { requests: sel.names.requestCount, latency: `${sel.names.requestLatency}_bucket` },
      limits,
      schedule: {
        durationSeconds: options.duration / 1000,
        intervalSeconds: options.interval / 1000,
        windowSeconds: options.window / 1000,
      },
      version: version ?? null,
      startedAt: new Date(started).toISOString(),
      annotations: options.annotate ? { start: annotations.start ?? null, end: annotations.end ?? null } : null,
    });
  } else {
    for (const line of diagnosisLines(diagnoses, options.window)) out(line);
    out(summary);
  }
  if (result.verdict === 'unknown' && (result.readStatus === 401 || result.readStatus === 403)) {
    io.stderr.write(
      server.authenticated
        ? 'vitascope-oncall: deploy-check: Prometheus refused the credentials: check VITASCOPE_PROMETHEUS_TOKEN (prometheus.token) and prometheus.user\n'
        : 'vitascope-oncall: deploy-check: Prometheus needs credentials: set VITASCOPE_PROMETHEUS_TOKEN (a bearer token), plus prometheus.user for basic auth\n',
    );
  }
  return code;
}
