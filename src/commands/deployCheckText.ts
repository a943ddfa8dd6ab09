import { maskUrl } from '../core/journal/secrets.js';
/** How `deploy-check` writes samples, the health check and the verdict: text for people, JSON lines for CI. */
import { signalName, type GateResult, type Sample, type Signal } from '../core/deploy/gate.js';
import { formatDuration } from '../core/time.js';
import type { HealthAnswer } from '../sources/health.js';
import { nearbyText } from '../sources/prometheus/discover.js';
import type { SignalDiagnosis } from '../sources/prometheus/gate.js';

/** A URL for people: without user name and password. */
export function shown(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    // Secret-looking query values (?token=…) are masked as config list masks them.
    return maskUrl(u.toString().replace(/\/$/, ''));
  } catch {
    return url;
  }
}

export function seconds(ms: number): string {
  return formatDuration(ms) === '0s' && ms > 0 ? `${ms} ms` : formatDuration(ms);
}

export function fmtPercent(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(v >= 10 ? 1 : 2).replace(/\.?0+$/, '')} %`;
}

export function fmtLatency(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return v >= 1 ? `${Number(v.toFixed(2))} s` : `${Math.round(v * 1000)} ms`;
}

function fmtRate(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : `${Number(v.toFixed(v >= 10 ? 0 : 2))} req/s`;
}

export function clock(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function finite(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}

export function crossedText(s: Sample): string {
  return s.crossed
    .map((c) =>
      c.metric === 'error-rate'
        ? `error rate ${fmtPercent(c.value)} above ${fmtPercent(c.limit)}`
        : `p95 ${fmtLatency(c.value)} above ${fmtLatency(c.limit)}`,
    )
    .join('; ');
}

function missingText(missing: readonly Signal[]): string {
  return missing.map((m) => (m === 'error-rate' ? 'error rate' : 'p95')).join(', ');
}

export function sampleLine(s: Sample, total: number): string {
  const verdict =
    s.verdict === 'fail'
      ? `FAIL: ${crossedText(s)}`
      : s.verdict === 'no-data'
        ? `no data: ${missingText(s.missing)}`
        : s.missing.length
          ? `ok (no data: ${missingText(s.missing)}, optional)`
          : 'ok';
  const n = `#${s.n}/${total}`.padEnd(7);
  return `${n} +${formatDuration(s.elapsedMs).padEnd(5)} ${clock(s.at)}  errors ${fmtPercent(s.errorRatePercent).padStart(7)}  p95 ${fmtLatency(s.p95Seconds).padStart(7)}  ${fmtRate(s.requestsPerSecond).padStart(11)}  ${verdict}`;
}

export function sampleJson(s: Sample): Record<string, unknown> {
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
    missing: s.missing,
  };
}

export function worst(samples: readonly Sample[], pick: (s: Sample) => number | undefined): number | undefined {
  const values = samples.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length ? Math.max(...values) : undefined;
}

export function healthLine(url: string, h: HealthAnswer): string {
  if (h.ok) return `health: ${shown(url)} answered HTTP ${h.status} in ${h.ms} ms`;
  return `health: ${shown(url)} ${h.status !== undefined ? `answered HTTP ${h.status}, not 2xx` : (h.error ?? 'did not answer')}`;
}

/** One line per signal without data: the selector and what exists near it. */
export function diagnosisLines(diagnoses: readonly SignalDiagnosis[], windowMs: number): string[] {
  return diagnoses.map(({ signal, report: r }) => {
    const what = `no data for ${signalName(signal)}: ${r.selector}`;
    if (r.matched)
      return `${what} has series, but they counted no requests in the ${formatDuration(windowMs)} rate window (no traffic, or a window shorter than two scrape intervals: --window, prometheus.metrics.scrapeInterval)`;
    return `${what} matched nothing in the last hour; ${nearbyText(r)}`;
  });
}

export function diagnosisJson(diagnoses: readonly SignalDiagnosis[]): Record<string, unknown>[] {
  return diagnoses.map(({ signal, report: r }) => ({
    signal,
    selector: r.selector,
    matched: r.matched,
    metricExists: r.metricExists,
    serviceValues: r.serviceValues,
    labelNames: r.labelNames,
    similarNames: r.similarNames,
  }));
}

export function summaryLine(result: GateResult, durationMs: number, diagnoses: readonly SignalDiagnosis[]): string {
  const worstErrors = fmtPercent(worst(result.samples, (s) => s.errorRatePercent));
  const worstP95 = fmtLatency(worst(result.samples, (s) => s.p95Seconds));
  switch (result.verdict) {
    case 'healthy':
      return `HEALTHY: ${result.samples.length} samples over ${formatDuration(durationMs)}; worst error rate ${worstErrors}, worst p95 ${worstP95}`;
    case 'failed': {
      const f = result.failedAt!;
      return `FAILED at sample ${f.n} (+${formatDuration(f.elapsedMs)}, ${clock(f.at)}): ${crossedText(f)}; roll the deployment back`;
    }
    case 'unknown': {
      const empty = diagnoses.filter((d) => !d.report.matched).map((d) => `${d.report.selector} matched nothing`);
      // Only when judging without them leaves a signal to judge by (at least one must stay required).
      const optional = result.noData?.length === 1 ? `; --optional ${result.noData[0]} judges without it` : '';
      return `CANNOT TELL: ${result.reason ?? 'no verdict'}${empty.length ? ` (${empty.join('; ')})` : ''}${optional}`;
    }
  }
}
