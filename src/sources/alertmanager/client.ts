/**
 * Alertmanager's v2 API (the OpenAPI one; v1 is gone since 0.27): alerts with their silenced and
 * inhibited status, and silences. Shares the HTTP layer of the Prometheus adapter (same family of
 * servers, same JSON-over-HTTP, same need for timeouts and status-keeping errors).
 *
 * Times arrive as RFC 3339 strings and leave this file as epoch ms, as everywhere in the program.
 */
import { boundLabels } from '../../core/bounds.js';
import { clip, TEXT_LIMITS } from '../../core/sanitize.js';
import { HttpApiError, JsonHttp, type HttpOptions } from '../prometheus/http.js';
import { alertmanagerAlertSchema, checkedAnswer, silenceSchema } from '../prometheus/schemas.js';

export { HttpApiError } from '../prometheus/http.js';

export type Labels = Readonly<Record<string, string>>;

/** An alert as Alertmanager holds it (GET /api/v2/alerts). */
export interface AlertmanagerAlert {
  readonly fingerprint: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: number;
  /** When Alertmanager will consider it resolved unless it is sent again. */
  readonly endsAt?: number;
  readonly updatedAt?: number;
  readonly generatorURL?: string;
  readonly receivers: readonly string[];
  /** active: notifying; suppressed: silenced or inhibited; unprocessed: not yet routed. */
  readonly state: 'active' | 'suppressed' | 'unprocessed';
  readonly silencedBy: readonly string[];
  readonly inhibitedBy: readonly string[];
}

/** Which alerts GET /api/v2/alerts returns; Alertmanager's defaults are all true. */
export interface AlertFilter {
  readonly active?: boolean;
  readonly silenced?: boolean;
  readonly inhibited?: boolean;
  readonly unprocessed?: boolean;
  /** Alertmanager matcher strings, e.g. 'alertname="HighLatency"', 'severity=~"critical|warning"'. */
  readonly matchers?: readonly string[];
  /** A regular expression on receiver names. */
  readonly receiver?: string;
}

export interface SilenceMatcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  /** false for a negative matcher (!= or !~); true when absent, as in Alertmanager < 0.22. */
  readonly isEqual?: boolean;
}

export interface AlertmanagerSilence {
  readonly id: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly updatedAt?: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly state: 'active' | 'pending' | 'expired';
}

/** An alert to send (POST /api/v2/alerts): what Prometheus sends, and what drills and tests send. */
export interface PostableAlert {
  readonly labels: Labels;
  readonly annotations?: Labels;
  readonly startsAt?: number;
  readonly endsAt?: number;
  readonly generatorURL?: string;
}

/** Labels or annotations, bounded in size (core/bounds.ts). */
function labelsOf(raw: unknown): Labels {
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return boundLabels(out);
}

function time(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.startsWith('0001-01-01')) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

function strings(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
}

function parseAlert(raw: unknown): AlertmanagerAlert {
  const a = (raw ?? {}) as Record<string, unknown>;
  const status = (a.status ?? {}) as Record<string, unknown>;
  const state = status.state === 'suppressed' || status.state === 'unprocessed' ? status.state : 'active';
  return {
    fingerprint: clip(String(a.fingerprint ?? ''), TEXT_LIMITS.name),
    labels: labelsOf(a.labels),
    annotations: labelsOf(a.annotations),
    startsAt: time(a.startsAt) ?? 0,
    endsAt: time(a.endsAt),
    updatedAt: time(a.updatedAt),
    generatorURL:
      typeof a.generatorURL === 'string' && a.generatorURL ? clip(a.generatorURL, TEXT_LIMITS.text) : undefined,
    receivers: (Array.isArray(a.receivers) ? a.receivers : [])
      .map((r: { name?: unknown }) => clip(String(r?.name ?? ''), TEXT_LIMITS.name))
      .filter(Boolean),
    state,
    silencedBy: strings(status.silencedBy).map((x) => clip(x, TEXT_LIMITS.name)),
    inhibitedBy: strings(status.inhibitedBy).map((x) => clip(x, TEXT_LIMITS.name)),
  };
}

function parseSilence(raw: unknown): AlertmanagerSilence {
  const s = (raw ?? {}) as Record<string, unknown>;
  const status = (s.status ?? {}) as Record<string, unknown>;
  const state = status.state === 'active' || status.state === 'pending' ? status.state : 'expired';
  return {
    id: clip(String(s.id ?? ''), TEXT_LIMITS.name),
    matchers: (Array.isArray(s.matchers) ? s.matchers : []).map((m: Record<string, unknown>) => ({
      name: clip(String(m.name ?? ''), TEXT_LIMITS.name),
      value: clip(String(m.value ?? ''), TEXT_LIMITS.text),
      isRegex: m.isRegex === true,
      isEqual: m.isEqual !== false,
    })),
    startsAt: time(s.startsAt) ?? 0,
    endsAt: time(s.endsAt) ?? 0,
    updatedAt: time(s.updatedAt),
    createdBy: clip(String(s.createdBy ?? ''), TEXT_LIMITS.name),
    comment: clip(String(s.comment ?? ''), TEXT_LIMITS.text),
    state,
  };
}

export type AlertmanagerClientOptions = HttpOptions;

export class AlertmanagerClient {
  private readonly http: JsonHttp;

  constructor(options: AlertmanagerClientOptions) {
    this.http = new JsonHttp('Alertmanager', options);
  }

  get url(): string {
    return this.http.baseUrl;
  }

  close(): void {
    this.http.close();
  }

  async listAlerts(filter: AlertFilter = {}, signal?: AbortSignal): Promise<AlertmanagerAlert[]> {
    const query = new URLSearchParams();
    for (const key of ['active', 'silenced', 'inhibited', 'unprocessed'] as const) {
      if (filter[key] !== undefined) query.set(key, String(filter[key]));
    }
    for (const m of filter.matchers ?? []) query.append('filter', m);
    if (filter.receiver !== undefined) query.set('receiver', filter.receiver);
    const { body } = await this.http.request({ method: 'GET', path: '/api/v2/alerts', query, signal });
    if (!Array.isArray(body))
      throw new HttpApiError('Alertmanager answered GET /api/v2/alerts with something other than a list', {
        what: 'GET /api/v2/alerts',
        errorType: 'malformed',
      });
    return body.map((a, i) =>
      parseAlert(checkedAnswer('Alertmanager', 'GET /api/v2/alerts', alertmanagerAlertSchema, a, `[${i}]`)),
    );
  }

  async postAlerts(alerts: readonly PostableAlert[], signal?: AbortSignal): Promise<void> {
    const body = alerts.map((a) => ({
      labels: a.labels,
      annotations: a.annotations ?? {},
      ...(a.startsAt !== undefined ? { startsAt: new Date(a.startsAt).toISOString() } : {}),
      ...(a.endsAt !== undefined ? { endsAt: new Date(a.endsAt).toISOString() } : {}),
      ...(a.generatorURL !== undefined ? { generatorURL: a.generatorURL } : {}),
    }));
    await this.http.request({ method: 'POST', path: '/api/v2/alerts', body, signal });
  }

  async listSilences(signal?: AbortSignal): Promise<AlertmanagerSilence[]> {
    const { body } = await this.http.request({ method: 'GET', path: '/api/v2/silences', signal });
    if (!Array.isArray(body))
      throw new HttpApiError('Alertmanager answered GET /api/v2/silences with something other than a list', {
        what: 'GET /api/v2/silences',
        errorType: 'malformed',
      });
    return body.map((x, i) =>
      parseSilence(checkedAnswer('Alertmanager', 'GET /api/v2/silences', silenceSchema, x, `[${i}]`)),
    );
  }

  async getSilence(id: string, signal?: AbortSignal): Promise<AlertmanagerSilence | undefined> {
    try {
      const path = `/api/v2/silence/${encodeURIComponent(id)}`;
      const { body } = await this.http.request({ method: 'GET', path, signal });
      return parseSilence(checkedAnswer('Alertmanager', `GET ${path}`, silenceSchema, body));
    } catch (error) {
      if ((error as HttpApiError).status === 404) return undefined;
      throw error;
    }
  }

  /** Creates a silence (or updates one when `id` is given); answers its id. Validation is the caller's (silences.ts). */
  async postSilence(
    silence: {
      id?: string;
      matchers: readonly SilenceMatcher[];
      startsAt: number;
      endsAt: number;
      createdBy: string;
      comment: string;
    },
    signal?: AbortSignal,
  ): Promise<string> {
    const body = {
      ...(silence.id ? { id: silence.id } : {}),
      matchers: silence.matchers.map((m) => ({
        name: m.name,
        value: m.value,
        isRegex: m.isRegex,
        isEqual: m.isEqual ?? true,
      })),
      startsAt: new Date(silence.startsAt).toISOString(),
      endsAt: new Date(silence.endsAt).toISOString(),
      createdBy: silence.createdBy,
      comment: silence.comment,
    };
    const { body: answer } = await this.http.request({ method: 'POST', path: '/api/v2/silences', body, signal });
    const id = (answer as { silenceID?: unknown } | undefined)?.silenceID;
    if (typeof id !== 'string' || !id)
      throw new HttpApiError('Alertmanager created a silence but answered no silenceID', {
        what: 'POST /api/v2/silences',
      });
    return id;
  }

  async deleteSilence(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `/api/v2/silence/${encodeURIComponent(id)}`, signal });
  }

  /** GET /api/v2/status: version and cluster state; a cheap health check. */
  async status(signal?: AbortSignal): Promise<{ version?: string; uptime?: number; cluster?: string }> {
    const { body } = await this.http.request({ method: 'GET', path: '/api/v2/status', signal });
    const b = (body ?? {}) as { versionInfo?: { version?: unknown }; uptime?: unknown; cluster?: { status?: unknown } };
    return {
      version: typeof b.versionInfo?.version === 'string' ? b.versionInfo.version : undefined,
      uptime: time(b.uptime),
      cluster: typeof b.cluster?.status === 'string' ? b.cluster.status : undefined,
    };
  }
}
