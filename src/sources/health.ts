/**
 * A service's health endpoint, asked once the way the strategy's deployment workflow does
 * (`curl -f https://api.vitascope.com/health`) but stricter: healthy only on a 2xx answer within the
 * deadline; a redirect is not followed and is not healthy (it says nothing about the service).
 */

export interface HealthAnswer {
  readonly ok: boolean;
  /** The HTTP status, when the endpoint answered. */
  readonly status?: number;
  /** How long the answer took (or how long was waited). */
  readonly ms: number;
  /** Why there is no answer: no connection, the deadline. */
  readonly error?: string;
}

export async function checkHealth(url: string, timeoutMs: number, now: () => number = performance.now.bind(performance)): Promise<HealthAnswer> {
  const started = now();
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: timeout, headers: { accept: '*/*' } });
    // The body says nothing the status does not; leave it unread.
    await res.body?.cancel().catch(() => undefined);
    return { ok: res.status >= 200 && res.status <= 299, status: res.status, ms: Math.round(now() - started) };
  } catch (error) {
    const ms = Math.round(now() - started);
    if (timeout.aborted) return { ok: false, ms, error: `no answer within ${timeoutMs >= 1000 ? `${timeoutMs / 1000}s` : `${timeoutMs} ms`}` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, ms, error: `unreachable: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
}
