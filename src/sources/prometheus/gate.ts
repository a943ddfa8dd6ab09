/**
 * What the deployment gate asks Prometheus: which series are the deployed service's, its readings, and,
 * when a signal has no data, what the server has instead.
 *
 * The service: `--service` (default: prometheus.metrics.service, the strategy's job vitascope-api)
 * matched on the service label (default: job). A short name is accepted: `api` is the job `api` when
 * the server has one with the app's counter, otherwise `vitascope-api`, the strategy's job name.
 * '' means every series. The counter's name is the configured one, or its plain form when only that
 * one exists for the service (names.ts).
 */
import { bucketName, counterNames, selector, type AppMetrics } from '../../core/appMetrics.js';
import type { Reading, Signal } from '../../core/deploy/gate.js';
import { inspectSelector, type SelectorReport } from './discover.js';
import type { PrometheusSources } from './index.js';
import { NAME_LOOKBACK_MS } from './names.js';

/** The strategy names its scrape jobs vitascope-<service> (vitascope-api, vitascope-worker). */
export const STRATEGY_JOB_PREFIX = 'vitascope-';

export interface GateSelection {
  /** The names to query with: the service and its label decided, the counter's name resolved. */
  readonly names: AppMetrics;
  /** The service as asked and as matched (equal unless a short name was expanded). */
  readonly service: { readonly asked: string; readonly value: string; readonly label: string };
  /** Things the user should know: a short name expanded, the counter found under its plain name. */
  readonly notes: readonly string[];
}

/**
 * The service value a name stands for, given the values the server has for the app's counter: the
 * name itself when the server has it, else the strategy's job name for it (api → vitascope-api) when
 * the server has that or the label is job.
 */
export function serviceValue(asked: string, present: readonly string[], label: string): string {
  if (asked === '' || present.includes(asked) || asked.startsWith(STRATEGY_JOB_PREFIX)) return asked;
  const long = `${STRATEGY_JOB_PREFIX}${asked}`;
  return present.includes(long) || label === 'job' ? long : asked;
}

/** Decides the service and the counter's name, asking the server; a server that cannot be asked leaves them as given. */
export async function selectForGate(
  prom: PrometheusSources,
  o: { readonly service?: string; readonly serviceLabel?: string; readonly now?: number },
): Promise<GateSelection> {
  const configured = prom.names.configured;
  const label = o.serviceLabel ?? configured.labels.service;
  const asked = o.service ?? configured.service;
  const now = o.now ?? Date.now();
  const window = { start: now - NAME_LOOKBACK_MS, end: now };
  const candidates = counterNames(configured);
  const notes: string[] = [];
  let value = asked;
  let requestCount = configured.requestCount;
  try {
    if (asked !== '') {
      value = serviceValue(asked, await prom.client.labelValues(label, { ...window, match: [...candidates] }), label);
      if (value !== asked) notes.push(`--service ${asked} is ${label}="${value}"`);
    }
    const matchers = value === '' ? [] : [[label, value] as const];
    if (candidates.length > 1) {
      const present = await prom.client.labelValues('__name__', {
        ...window,
        match: candidates.map((c) => selector(c, matchers)),
      });
      const found = candidates.find((c) => present.includes(c));
      if (found && found !== configured.requestCount) {
        requestCount = found;
        notes.push(
          `the server has ${found}, not ${configured.requestCount}: using it (prometheus.metrics.requestCount)`,
        );
      }
    }
  } catch {
    // Not answering now: the samples will say so, with the reason.
  }
  return {
    names: { ...configured, requestCount, service: value, labels: { ...configured.labels, service: label } },
    service: { asked, value, label },
    notes,
  };
}

/** One reading of the gate's three questions at the server's now. */
export async function readGate(prom: PrometheusSources, sel: GateSelection, windowSeconds: number): Promise<Reading> {
  const query = { names: sel.names, windowSeconds };
  const [errors, p95, rate] = await Promise.all([
    prom.query('error_rate_percent', query),
    prom.query('p95_latency_seconds', query),
    prom.query('request_rate_per_second', query),
  ]);
  const at = errors.samples[0]?.t ?? p95.samples[0]?.t ?? rate.samples[0]?.t ?? Date.now();
  return {
    at,
    errorRatePercent: errors.samples[0]?.v,
    p95Seconds: p95.samples[0]?.v,
    requestsPerSecond: rate.samples[0]?.v,
  };
}

/** The series a signal is computed from: the counter for the error rate, the histogram's buckets for p95. */
export function signalSeries(names: AppMetrics, signal: Signal): string {
  return signal === 'error-rate' ? names.requestCount : bucketName(names);
}

export interface SignalDiagnosis {
  readonly signal: Signal;
  readonly report: SelectorReport;
}

/** What the server has for each signal's selector (and near it), over the last `lookbackMs`. */
export async function diagnoseSignals(
  prom: PrometheusSources,
  sel: GateSelection,
  signals: readonly Signal[],
  lookbackMs: number,
): Promise<SignalDiagnosis[]> {
  const matchers = sel.service.value === '' ? [] : [[sel.service.label, sel.service.value] as const];
  return Promise.all(
    signals.map(async (signal) => ({
      signal,
      report: await inspectSelector(prom.client, {
        metric: signalSeries(sel.names, signal),
        matchers,
        serviceLabel: sel.service.label,
        lookbackMs,
      }),
    })),
  );
}
