import { gateExitCode, runGate, sampleCount, type GateResult, type Reading, type Sample } from '../core/deploy/gate.js';
import { inertLine } from '../core/sanitize.js';
import { formatDuration } from '../core/time.js';
import type { Io } from './context.js';
import type { HttpAuth } from '../sources/prometheus/http.js';
import { ANNOTATION_TOKEN_VARIABLES } from './options.js';

/**
 * `deploy-check`: the strategy's post-deployment health check. Samples the error rate (5xx over all
 * requests, percent) and the p95 latency from Prometheus every interval for the duration; exits 0 when
 * the deployment stayed healthy, 1 at the first sample above a limit (roll back), 2 when it cannot
 * tell (Prometheus cannot be queried, no traffic matched, bad arguments). Optionally marks the
 * deployment and the verdict as Grafana annotations.
 */

export interface DeployCheckOptions {
  readonly prometheus?: string;
  readonly maxErrorRate: number;
  readonly maxP95: number;
  readonly duration: number;
  readonly interval: number;
  readonly window: number;
  readonly service?: string;
  readonly serviceLabel: string;
  readonly json?: boolean;
  readonly annotate?: string;
  readonly annotateDashboard?: string;
  readonly versionLabel?: string;
  /** The global --readonly. */
  readonly readonly?: boolean;
}

const EXIT_CANNOT_TELL = 2;

/** A URL for people: without user name and password. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function seconds(ms: number): string {
  return formatDuration(ms) === '0s' && ms > 0 ? `${ms} ms` : formatDuration(ms);
}

function fmtPercent(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(v >= 10 ? 1 : 2).replace(/\.?0+$/, '')} %`;
}

function fmtLatency(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return v >= 1 ? `${Number(v.toFixed(2))} s` : `${Math.round(v * 1000)} ms`;
}

function fmtRate(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : `${Number(v.toFixed(v >= 10 ? 0 : 2))} req/s`;
}

function clock(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function finite(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}

function crossedText(s: Sample): string {
  return s.crossed.map((c) => (c.metric === 'error-rate' ? `error rate ${fmtPercent(c.value)} above ${fmtPercent(c.limit)}` : `p95 ${fmtLatency(c.value)} above ${fmtLatency(c.limit)}`)).join('; ');
}

function sampleLine(s: Sample, total: number): string {
  const verdict = s.verdict === 'fail' ? `FAIL: ${crossedText(s)}` : s.verdict === 'no-traffic' ? 'no traffic' : 'ok';
  const n = `#${s.n}/${total}`.padEnd(7);
  return `${n} +${formatDuration(s.elapsedMs).padEnd(5)} ${clock(s.at)}  errors ${fmtPercent(s.errorRatePercent).padStart(7)}  p95 ${fmtLatency(s.p95Seconds).padStart(7)}  ${fmtRate(s.requestsPerSecond).padStart(11)}  ${verdict}`;
}

function sampleJson(s: Sample): Record<string, unknown> {
  return {
    type: 'sample',
    n: s.n,
    at: new Date(s.at).toISOString(),
    elapsedSeconds: Math.round(s.elapsedMs) / 1000,
    errorRatePercent: finite(s.errorRatePercent),
    p95Seconds: finite(s.p95Seconds),
    requestsPerSecond: finite(s.requestsPerSecond),
    verdict: s.verdict,
    crossed: s.crossed,
  };
}

function worst(samples: readonly Sample[], pick: (s: Sample) => number | undefined): number | undefined {
  const values = samples.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length ? Math.max(...values) : undefined;
}

function versionOf(options: DeployCheckOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (options.versionLabel) return options.versionLabel;
  const sha = env.GITHUB_SHA?.trim();
  if (!sha) return undefined;
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

function summaryLine(result: GateResult, options: DeployCheckOptions): string {
  const worstErrors = fmtPercent(worst(result.samples, (s) => s.errorRatePercent));
  const worstP95 = fmtLatency(worst(result.samples, (s) => s.p95Seconds));
  switch (result.verdict) {
    case 'healthy':
      return `HEALTHY: ${result.samples.length} samples over ${formatDuration(options.duration)}; worst error rate ${worstErrors}, worst p95 ${worstP95}`;
    case 'failed': {
      const f = result.failedAt!;
      return `FAILED at sample ${f.n} (+${formatDuration(f.elapsedMs)}, ${clock(f.at)}): ${crossedText(f)}; roll the deployment back`;
    }
    case 'unknown':
      return `CANNOT TELL: ${result.reason ?? 'no verdict'}`;
  }
}

/**
 * Which Prometheus, and how to be let in: the flag, else VITASCOPE_PROMETHEUS_URL or the configuration;
 * the credentials (prometheus.token and .user, VITASCOPE_PROMETHEUS_TOKEN) from the configuration. A CI
 * runner usually has no configuration file: with --prometheus, one that cannot be read stops nothing.
 */
async function prometheusTarget(options: DeployCheckOptions, io: Io): Promise<{ url: string; auth?: HttpAuth } | { error: string }> {
  let configured: { url?: string; token?: string; user?: string } | undefined;
  try {
    const { readConfig } = await import('../config/load.js');
    configured = (await readConfig(io.env)).effective.prometheus;
  } catch (error) {
    if (!options.prometheus) return { error: `configuration: ${error instanceof Error ? error.message : String(error)}` };
  }
  const url = options.prometheus ?? configured?.url;
  if (!url) return { error: 'no Prometheus to ask: pass --prometheus URL (or set VITASCOPE_PROMETHEUS_URL)' };
  return configured?.token ? { url, auth: { token: configured.token, ...(configured.user !== undefined ? { user: configured.user } : {}) } } : { url };
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
    io.stderr.write(`vitascope-oncall: deploy-check: --interval ${formatDuration(options.interval)} is longer than --duration ${formatDuration(options.duration)}\n`);
    return EXIT_CANNOT_TELL;
  }
  const [{ createPrometheusSources }, { postAnnotation }] = await Promise.all([import('../sources/prometheus/index.js'), import('../sources/grafana/annotations.js')]);
  const dimensions = options.service !== undefined ? { [options.serviceLabel]: options.service } : {};
  const selector = Object.entries(dimensions).map(([k, v]) => `${k}="${v}"`).join(',');
  const { readConfig } = await import('../config/load.js');
  const { deadlinesFor } = await import('../sources/deadlines.js');
  const deadlines = deadlinesFor((await readConfig(io.env)).effective);
  // A query may take up to one interval (at least 2 s, at most the request deadline) before it counts as failed.
  const prom = createPrometheusSources({ url, timeoutMs: Math.min(deadlines.requestMs, Math.max(2_000, options.interval)), ...(target.auth ? { auth: target.auth } : {}) });
  const version = versionOf(options, io.env);
  const token = ANNOTATION_TOKEN_VARIABLES.map((v) => io.env[v]).find((t) => t !== undefined && t !== '');
  const total = sampleCount({ durationMs: options.duration, intervalMs: options.interval });
  const limits = { maxErrorRatePercent: options.maxErrorRate, maxP95Seconds: options.maxP95 / 1000 };
  const annotations: { start?: string; end?: string } = {};
  const what = options.service !== undefined ? `${options.service}` : 'the app';
  const tags = ['deployment', 'vitascope-oncall', ...(version ? [`version:${version}`] : []), ...(options.service !== undefined ? [`service:${options.service}`] : [])];

  const annotate = async (which: 'start' | 'end', time: number, extraTags: readonly string[], text: string) => {
    if (!options.annotate) return;
    try {
      await postAnnotation(options.annotate, { time, tags: [...tags, ...extraTags], text, ...(options.annotateDashboard ? { dashboardUID: options.annotateDashboard } : {}) }, { token, timeoutMs: deadlines.requestMs });
      annotations[which] = 'posted';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      annotations[which] = `failed: ${message}`;
      io.stderr.write(`vitascope-oncall: deploy-check: the ${which} annotation was not posted: ${inertLine(message)}\n`);
    }
  };

  if (options.annotate && !token) io.stderr.write(`vitascope-oncall: deploy-check: no annotation token in ${ANNOTATION_TOKEN_VARIABLES.join(' or ')}: posting without Authorization\n`);
  if (!options.json) {
    io.stdout.write(
      inertLine(
        `deploy-check: ${what}${version ? ` version ${version}` : ''} on ${shown(url)}${selector ? ` {${selector}}` : ''}: ${total} sample${total === 1 ? '' : 's'} every ${seconds(options.interval)} for ${formatDuration(options.duration)}; fails above ${fmtPercent(options.maxErrorRate)} errors or p95 above ${fmtLatency(limits.maxP95Seconds)} (rate window ${formatDuration(options.window)})`,
      ) + '\n',
    );
  }
  const started = Date.now();
  await annotate('start', started, ['deploy-check:start'], `Deployed ${what}${version ? ` version ${version}` : ''}: deploy-check started (fails above ${fmtPercent(options.maxErrorRate)} errors or p95 above ${fmtLatency(limits.maxP95Seconds)}, ${formatDuration(options.duration)} every ${seconds(options.interval)})`);

  const read = async (): Promise<Reading> => {
    const query = { dimensions, windowSeconds: options.window / 1000 };
    const [errors, p95, rate] = await Promise.all([prom.query('error_rate_percent', query), prom.query('p95_latency_seconds', query), prom.query('request_rate_per_second', query)]);
    const at = errors.samples[0]?.t ?? p95.samples[0]?.t ?? rate.samples[0]?.t ?? Date.now();
    return { at, errorRatePercent: errors.samples[0]?.v, p95Seconds: p95.samples[0]?.v, requestsPerSecond: rate.samples[0]?.v };
  };

  let result: GateResult;
  try {
    result = await runGate(limits, { durationMs: options.duration, intervalMs: options.interval }, {
      read,
      now: () => Date.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      onSample: (s) => io.stdout.write(options.json ? `${JSON.stringify(sampleJson(s))}\n` : `${inertLine(sampleLine(s, total))}\n`),
      onRetry: (error, n) => io.stderr.write(`vitascope-oncall: deploy-check: sample ${n} failed, trying once more: ${inertLine(error instanceof Error ? error.message : String(error))}\n`),
    });
  } finally {
    await prom.close();
  }

  const code = gateExitCode(result.verdict);
  const summary = summaryLine(result, options);
  await annotate('end', Date.now(), ['deploy-check:end', `verdict:${result.verdict}`], `deploy-check ${result.verdict} for ${what}${version ? ` version ${version}` : ''}: ${summary}`);
  if (options.json) {
    const f = result.failedAt;
    io.stdout.write(
      `${JSON.stringify({
        type: 'summary',
        verdict: result.verdict,
        exitCode: code,
        samples: result.samples.length,
        failedAt: f ? { n: f.n, at: new Date(f.at).toISOString(), elapsedSeconds: Math.round(f.elapsedMs) / 1000, crossed: f.crossed } : null,
        reason: result.reason ?? null,
        worst: { errorRatePercent: finite(worst(result.samples, (s) => s.errorRatePercent)), p95Seconds: finite(worst(result.samples, (s) => s.p95Seconds)) },
        prometheus: shown(url),
        selector: dimensions,
        limits,
        schedule: { durationSeconds: options.duration / 1000, intervalSeconds: options.interval / 1000, windowSeconds: options.window / 1000 },
        version: version ?? null,
        startedAt: new Date(started).toISOString(),
        annotations: options.annotate ? { start: annotations.start ?? null, end: annotations.end ?? null } : null,
      })}\n`,
    );
  } else {
    io.stdout.write(`${inertLine(summary)}\n`);
  }
  if (result.verdict === 'unknown' && /HTTP (401|403)\b/.test(result.reason ?? '')) {
    io.stderr.write(
      target.auth
        ? 'vitascope-oncall: deploy-check: Prometheus refused the credentials: check VITASCOPE_PROMETHEUS_TOKEN (prometheus.token) and prometheus.user\n'
        : 'vitascope-oncall: deploy-check: Prometheus needs credentials: set VITASCOPE_PROMETHEUS_TOKEN (a bearer token), plus prometheus.user for basic auth\n',
    );
  }
  return code;
}
