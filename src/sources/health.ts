/**
 * A service's health endpoint, asked once the way the strategy's deployment workflow does
 * (`curl -f https://api.vitascope.com/health`) but stricter: healthy only on a 2xx answer within the
 * deadline, the whole answer (a server that sends "200" and then hangs or drips is not healthy: a load
 * balancer's check would time out on it too); a redirect is not followed and is not healthy.
 */

/** At most this much of a health answer's body is read (it is read to its end only to know it ended). */
const MAX_BODY = 64 * 1024;

export interface HealthAnswer {
  readonly ok: boolean;
  /** The HTTP status, when the endpoint answered. */
  readonly status?: number;
  /** How long the answer took (or how long was waited). */
  readonly ms: number;
  /** Why there is no answer: no connection, the deadline. */
  readonly error?: string;
}

export async function checkHealth(
  url: string,
  timeoutMs: number,
  now: () => number = performance.now.bind(performance),
): Promise<HealthAnswer> {
  const started = now();
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: timeout, headers: { accept: '*/*' } });
    // The answer is complete only when its body has ended, within the same deadline (a bounded read).
    if (res.body) {
      const reader = res.body.getReader();
      let read = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        read += value.byteLength;
        if (read > MAX_BODY) {
          await reader.cancel().catch(() => undefined);
          break;
        }
      }
    }
    return { ok: res.status >= 200 && res.status <= 299, status: res.status, ms: Math.round(now() - started) };
  } catch (error) {
    const ms = Math.round(now() - started);
    if (timeout.aborted)
      return {
        ok: false,
        ms,
        error: `no answer within ${timeoutMs >= 1000 ? `${timeoutMs / 1000}s` : `${timeoutMs} ms`}`,
      };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, ms, error: `unreachable: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
}
