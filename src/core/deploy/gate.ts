/**
 * The post-deployment gate (the strategy's CI/CD section): sample the error rate and p95 latency
 * every interval for a duration and fail as soon as one is above its limit. Pure apart from the
 * injected reader and clock, so the timing and the verdicts are tested without a server.
 *
 * - Samples are taken at the start and then every interval until the duration has passed
 *   (5m every 1m: at 0, 1, 2, 3, 4 and 5 minutes). A sample that is late (a slow answer) is taken at
 *   once; the schedule does not drift.
 * - A sample fails when the error rate is ABOVE its limit or the p95 ABOVE its limit (equal passes):
 *   the strategy's "above 5 % fails the deployment". A crossed limit fails at once, whatever the
 *   other signal says.
 * - No verdict without data, signal by signal: a signal with no value (its series matched nothing, or
 *   no requests in the rate window) is never read as a good one. A sample missing a required signal is
 *   "no data"; the sampling goes on (a later sample may still fail), and the verdict is "unknown" (exit
 *   2, cannot tell) when any sample lacked a required signal. A signal the user marks optional may be
 *   missing; at least one signal must stay required.
 * - A sample that cannot be read is tried once more; if that fails too, the verdict is "unknown".
 */

/** The signals the gate judges. */
export type Signal = 'error-rate' | 'p95';
export const SIGNALS: readonly Signal[] = ['error-rate', 'p95'];

export interface GateLimits {
  /** Percent (0–100); a sample above it fails. */
  readonly maxErrorRatePercent: number;
  /** Seconds; a sample above it fails. */
  readonly maxP95Seconds: number;
  /** Signals whose missing data does not make the verdict unknown. */
  readonly optional?: readonly Signal[];
}

export interface GateSchedule {
  readonly durationMs: number;
  readonly intervalMs: number;
}

/** What one read of Prometheus gives; an undefined value means no data for that signal (no series, or no traffic). */
export interface Reading {
  /** Epoch ms the values describe (the query's evaluation time). */
  readonly at: number;
  readonly errorRatePercent?: number;
  readonly p95Seconds?: number;
  readonly requestsPerSecond?: number;
}

export interface Crossing {
  readonly metric: 'error-rate' | 'p95';
  readonly value: number;
  readonly limit: number;
}

export type SampleVerdict = 'ok' | 'fail' | 'no-data';

export interface Sample extends Reading {
  /** 1-based. */
  readonly n: number;
  /** Since the first sample was due. */
  readonly elapsedMs: number;
  readonly verdict: SampleVerdict;
  readonly crossed: readonly Crossing[];
  /** Every signal without a value in this sample, optional ones included. */
  readonly missing: readonly Signal[];
}

export type GateVerdict = 'healthy' | 'failed' | 'unknown';

export interface GateResult {
  readonly verdict: GateVerdict;
  readonly samples: readonly Sample[];
  /** The sample that failed the deployment. */
  readonly failedAt?: Sample;
  /** Why the verdict is unknown. */
  readonly reason?: string;
  /** Required signals that had no data in some sample (the verdict is then unknown). */
  readonly noData?: readonly Signal[];
  /** The HTTP status of the read that failed, when the server answered one (401/403: credentials). */
  readonly readStatus?: number;
}

/** The HTTP status an error carries (the adapters' HttpApiError, the AWS SDK's $metadata), if any. */
function httpStatusOf(error: unknown): number | undefined {
  const e = error as { status?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  const status = e?.status ?? e?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function usable(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v);
}

/**
 * Above the limit by more than floating-point noise. PromQL's rate() divides extrapolated increases, so
 * a steady 0.2 % can come back as 0.20000000000000004: that is at the limit (and shown as "0.2 %"), not
 * above it, and must not fail a deployment with "0.2 % above 0.2 %".
 */
export function above(value: number, limit: number): boolean {
  return value - limit > 1e-9 * Math.max(1, Math.abs(limit));
}

/** The signals a reading has no value for: none has one without requests in the window. */
export function missingSignals(reading: Reading): Signal[] {
  if (reading.requestsPerSecond !== undefined && !(reading.requestsPerSecond > 0)) return [...SIGNALS];
  return SIGNALS.filter((s) => !usable(s === 'error-rate' ? reading.errorRatePercent : reading.p95Seconds));
}

/** One reading against the limits. */
export function judge(
  reading: Reading,
  limits: GateLimits,
): { verdict: SampleVerdict; crossed: Crossing[]; missing: Signal[] } {
  const crossed: Crossing[] = [];
  const missing = missingSignals(reading);
  const { errorRatePercent: e, p95Seconds: p } = reading;
  if (!missing.includes('error-rate') && usable(e) && above(e, limits.maxErrorRatePercent))
    crossed.push({ metric: 'error-rate', value: e, limit: limits.maxErrorRatePercent });
  if (!missing.includes('p95') && usable(p) && above(p, limits.maxP95Seconds))
    crossed.push({ metric: 'p95', value: p, limit: limits.maxP95Seconds });
  if (crossed.length) return { verdict: 'fail', crossed, missing };
  const required = missing.filter((s) => !limits.optional?.includes(s));
  return { verdict: required.length ? 'no-data' : 'ok', crossed, missing };
}

/** How many samples a schedule takes: one at the start, then one per whole interval of the duration. */
export function sampleCount(schedule: GateSchedule): number {
  return Math.floor(schedule.durationMs / schedule.intervalMs) + 1;
}

export interface GateDeps {
  read(): Promise<Reading>;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Called with each sample as it is judged. */
  onSample?(sample: Sample): void;
  /** Called when a read fails and is retried. */
  onRetry?(error: unknown, n: number): void;
  /** Pause before the retry of a failed read; 1 s or the interval, whichever is shorter. */
  readonly retryDelayMs?: number;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the gate to its verdict. Never throws for a failed read: that is an "unknown" verdict. */
export async function runGate(limits: GateLimits, schedule: GateSchedule, deps: GateDeps): Promise<GateResult> {
  const total = sampleCount(schedule);
  const start = deps.now();
  const samples: Sample[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * schedule.intervalMs;
    const wait = due - deps.now();
    if (wait > 0) await deps.sleep(wait);
    let reading: Reading;
    try {
      reading = await deps.read();
    } catch (first) {
      deps.onRetry?.(first, i + 1);
      await deps.sleep(deps.retryDelayMs ?? Math.min(1000, schedule.intervalMs));
      try {
        reading = await deps.read();
      } catch (second) {
        const status = httpStatusOf(second);
        return {
          verdict: 'unknown',
          samples,
          reason: `sample ${i + 1} could not be read: ${message(second)}`,
          ...(status !== undefined ? { readStatus: status } : {}),
        };
      }
    }
    const { verdict, crossed, missing } = judge(reading, limits);
    const sample: Sample = {
      ...reading,
      n: i + 1,
      elapsedMs: Math.max(0, deps.now() - start),
      verdict,
      crossed,
      missing,
    };
    samples.push(sample);
    deps.onSample?.(sample);
    if (verdict === 'fail') return { verdict: 'failed', samples, failedAt: sample };
  }
  const noData = SIGNALS.filter(
    (signal) => !limits.optional?.includes(signal) && samples.some((s) => s.missing.includes(signal)),
  );
  if (noData.length) {
    const counts = noData.map(
      (signal) =>
        `${signalName(signal)} in ${samples.filter((s) => s.missing.includes(signal)).length} of ${samples.length} samples`,
    );
    return { verdict: 'unknown', samples, noData, reason: `no data for ${counts.join(' and ')}` };
  }
  if (samples.every((s) => s.missing.length === SIGNALS.length))
    return { verdict: 'unknown', samples, reason: `no data in any of the ${samples.length} samples` };
  return { verdict: 'healthy', samples };
}

/** A signal as people say it. */
export function signalName(signal: Signal): string {
  return signal === 'error-rate' ? 'the error rate' : 'p95';
}

/** The exit code of a verdict: 0 healthy, 1 failed (roll back), 2 cannot tell. */
export function gateExitCode(verdict: GateVerdict): number {
  return verdict === 'healthy' ? 0 : verdict === 'failed' ? 1 : 2;
}
