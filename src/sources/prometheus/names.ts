/**
 * Which name of the request counter a server really has. The configuration names it as
 * prometheus_client exposes it (app_request_count_total); a server scraping an older client library
 * has the plain app_request_count instead. Before querying, the adapter asks the server
 * (/api/v1/label/__name__/values over the series of the configured service) which of the two exists
 * and uses that one, the configured one when both or neither do. One name is queried, never both: a
 * `{__name__=~"app_request_count(_total)?"}` selector would also work on such a server, but breaks
 * ("vector cannot contain metrics with the same labelset") for the minutes after one target switches
 * names across a restart, which is exactly when a deployment gate runs.
 *
 * The answer is kept for ten minutes (one when neither name was found, so that a fixed scrape is seen
 * soon); a server that cannot be asked leaves the configured names, and the query then fails with
 * the real reason.
 */
import { counterNames, selectionMatchers, selector, type AppMetrics } from '../../core/appMetrics.js';
import type { PrometheusClient } from './client.js';

export interface ResolvedNames {
  readonly names: AppMetrics;
  /** Whether the server has the counter under the name used (undefined: it could not be asked). */
  readonly found: boolean | undefined;
  /** The counter is used under its plain name, not the configured one. */
  readonly fallback: boolean;
}

const FOUND_TTL_MS = 10 * 60_000;
const MISSING_TTL_MS = 60_000;
/** How far back a name counts as present. */
export const NAME_LOOKBACK_MS = 6 * 60 * 60_000;

export class AppMetricsResolver {
  private readonly cache = new Map<
    string,
    { readonly until: number; readonly value: Promise<ResolvedNames | undefined> }
  >();

  constructor(
    private readonly client: PrometheusClient,
    readonly configured: AppMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  /** The names to query with for a selection (only its service matcher decides). */
  async names(dimensions: Readonly<Record<string, string>> = {}, signal?: AbortSignal): Promise<AppMetrics> {
    return (await this.resolve(dimensions, signal)).names;
  }

  async resolve(dimensions: Readonly<Record<string, string>> = {}, signal?: AbortSignal): Promise<ResolvedNames> {
    const candidates = counterNames(this.configured);
    const unasked: ResolvedNames = { names: this.configured, found: undefined, fallback: false };
    if (candidates.length === 1) return unasked;
    const service = selectionMatchers(this.configured, dimensions).filter(
      ([k]) => k === this.configured.labels.service,
    );
    const key = JSON.stringify(service);
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return (await hit.value) ?? unasked;
    // Concurrent callers share one question; a failed one is forgotten at once.
    const value = this.ask(candidates, service, now, signal).catch(() => undefined);
    this.cache.set(key, { until: now + MISSING_TTL_MS, value });
    const resolved = await value;
    if (!resolved) this.cache.delete(key);
    else if (resolved.found) this.cache.set(key, { until: now + FOUND_TTL_MS, value });
    return resolved ?? unasked;
  }

  private async ask(
    candidates: readonly string[],
    service: readonly (readonly [string, string])[],
    now: number,
    signal?: AbortSignal,
  ): Promise<ResolvedNames> {
    const present = await this.client.labelValues('__name__', {
      match: candidates.map((c) => selector(c, service)),
      start: now - NAME_LOOKBACK_MS,
      end: now,
      signal,
    });
    const name = candidates.find((c) => present.includes(c));
    if (!name) return { names: this.configured, found: false, fallback: false };
    return {
      names: { ...this.configured, requestCount: name },
      found: true,
      fallback: name !== this.configured.requestCount,
    };
  }
}
