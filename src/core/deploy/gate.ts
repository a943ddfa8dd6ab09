/**
 * The post-deployment gate (the strategy's CI/CD section): sample the error rate and p95 latency
 * every interval for a duration and fail as soon as one is above its limit. Pure apart from the
 * injected reader and clock, so the timing and the verdicts are tested without a server.
 *
 * - Samples are taken at the start and then every interval until the duration has passed
 *   (5m every 1m: at 0, 1, 2, 3, 4 and 5 minutes). A sample that is late (a slow answer) is taken at
 *   once; the schedule does not drift.
 * - A sample fails when the error rate is ABOVE its limit or the p95 ABOVE its limit (equal passes):
 *   the strategy's "above 5 % fails the deployment".
 * - A sample with no traffic (no requests in the rate window, or no series at all) is neither healthy
 *   nor failing. The verdict is "unknown" when no sample had traffic.
 * - A sample that cannot be read is tried once more; if that fails too, the verdict is "unknown".
 */

export interface GateLimits {
  /** Percent (0–100); a sample above it fails. */
  readonly maxErrorRatePercent: number;
  /** Seconds; a sample above it fails. */
  readonly maxP95Seconds: number;
}

export interface GateSchedule {
  readonly durationMs: number;
  readonly intervalMs: number;
}

/** What one read of Prometheus gives; undefined values mean no traffic. */
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

export type SampleVerdict = 'ok' | 'fail' | 'no-traffic';

export interface Sample extends Reading {
  /** 1-based. */
  readonly n: number;
  /** Since the first sample was due. */
  readonly elapsedMs: number;
  readonly verdict: SampleVerdict;
  readonly crossed: readonly Crossing[];
}

export type GateVerdict = 'healthy' | 'failed' | 'unknown';

export interface GateResult {
  readonly verdict: GateVerdict;
  readonly samples: readonly Sample[];
  /** The sample that failed the deployment. */
  readonly failedAt?: Sample;
  /** Why the verdict is unknown. */
  readonly reason?: string;
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

/** One reading against the limits. */
export function judge(reading: Reading, limits: GateLimits): { verdict: SampleVerdict; crossed: Crossing[] } {
  const crossed: Crossing[] = [];
  const { errorRatePercent: e, p95Seconds: p } = reading;
  if (usable(e) && above(e, limits.maxErrorRatePercent)) crossed.push({ metric: 'error-rate', value: e, limit: limits.maxErrorRatePercent });
  if (usable(p) && above(p, limits.maxP95Seconds)) crossed.push({ metric: 'p95', value: p, limit: limits.maxP95Seconds });
  if (crossed.length) return { verdict: 'fail', crossed };
  // No requests in the window: error rate 0/0 and the quantile of nothing are NaN or absent.
  if (!usable(e) && !usable(p)) return { verdict: 'no-traffic', crossed };
  if (reading.requestsPerSecond !== undefined && !(reading.requestsPerSecond > 0)) return { verdict: 'no-traffic', crossed };
  return { verdict: 'ok', crossed };
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
        return { verdict: 'unknown', samples, reason: `sample ${i + 1} could not be read: ${message(second)}` };
      }
    }
    const { verdict, crossed } = judge(reading, limits);
    const sample: Sample = { ...reading, n: i + 1, elapsedMs: Math.max(0, deps.now() - start), verdict, crossed };
    samples.push(sample);
    deps.onSample?.(sample);
    if (verdict === 'fail') return { verdict: 'failed', samples, failedAt: sample };
  }
  if (!samples.some((s) => s.verdict === 'ok')) return { verdict: 'unknown', samples, reason: `no traffic in any of the ${samples.length} samples: no requests matched` };
  return { verdict: 'healthy', samples };
}

/** The exit code of a verdict: 0 healthy, 1 failed (roll back), 2 cannot tell. */
export function gateExitCode(verdict: GateVerdict): number {
  return verdict === 'healthy' ? 0 : verdict === 'failed' ? 1 : 2;
}
