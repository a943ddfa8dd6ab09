/**
 * The small HTTP layer both the Prometheus and the Alertmanager adapters share: Node's global fetch
 * (no SDK exists for either, and the APIs are plain JSON), a per-request timeout combined with the
 * caller's AbortSignal and the adapter's own close signal, and errors that keep the HTTP status so
 * that the poller's isThrottling() and backoff see a 429 or a 5xx for what it is.
 */
import { anySignal, DEFAULT_DEADLINES, seconds } from '../deadlines.js';
import { maskUrl } from '../../core/journal/secrets.js';

/** Re-exported: callers of the HTTP layer combine signals the same way. */
export { anySignal };

/** An error answered by (or on the way to) a Prometheus-family server. */
export class HttpApiError extends Error {
  override readonly name: string = 'HttpApiError';
  /** The HTTP status, when the server answered at all. */
  readonly status?: number;
  /** Prometheus's errorType (bad_data, execution, timeout, canceled, internal, unavailable), when given. */
  readonly errorType?: string;
  /** What was asked: the PromQL expression, or "METHOD /path". */
  readonly what: string;

  constructor(message: string, details: { what: string; status?: number; errorType?: string; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.what = details.what;
    if (details.status !== undefined) this.status = details.status;
    if (details.errorType !== undefined) this.errorType = details.errorType;
  }
}

export interface HttpOptions {
  /** The server's base URL, e.g. http://127.0.0.1:9090 (a path prefix such as /prometheus is kept). */
  readonly url: string;
  /** Abandon a request after this long (connecting included); the request deadline of sources/deadlines.ts by default. */
  readonly timeoutMs?: number;
  /** Extra headers for every request. Never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Credentials for a server behind an authenticating proxy (sent as Authorization). Never logged. */
  readonly auth?: HttpAuth;
}

/** How to authenticate to a server behind a proxy (config prometheus.token/user, alertmanager.token/user). */
export interface HttpAuth {
  readonly token?: string;
  readonly user?: string;
}

/** The Authorization header for `auth`: basic with a user, bearer without; none without a token. */
export function authHeaders(auth: HttpAuth | undefined): Record<string, string> {
  if (!auth?.token) return {};
  if (auth.user !== undefined)
    return { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.token}`).toString('base64')}` };
  return { authorization: `Bearer ${auth.token}` };
}

/** Longest server text quoted in an error message; a proxy's HTML error page is not worth more. */
const MAX_QUOTED = 300;

function quote(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_QUOTED ? `${one.slice(0, MAX_QUOTED)}…` : one;
}

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, starting with /. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>> | URLSearchParams;
  /** A form (URLSearchParams) or a JSON value. */
  readonly body?: URLSearchParams | unknown;
  /** What to name in errors; "METHOD path" by default. */
  readonly what?: string;
  readonly signal?: AbortSignal;
}

/** A JSON-over-HTTP client bound to one server, closable so that nothing outlives its owner. */
export class JsonHttp {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly closing = new AbortController();

  constructor(
    /** Shown in error messages: "Prometheus", "Alertmanager". */
    readonly serverName: string,
    options: HttpOptions,
  ) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new Error(`${serverName} url "${maskUrl(options.url)}" is not a URL (expected e.g. http://127.0.0.1:9090)`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new Error(`${serverName} url "${maskUrl(options.url)}" must start with http:// or https://`);
    }
    // Credentials in the URL (http://user:password@host) are basic auth: fetch refuses a URL holding them,
    // and no request line or message may carry them. The configured token wins over them.
    const fromUrl: HttpAuth | undefined =
      base.username || base.password
        ? { user: decodeURIComponent(base.username), token: decodeURIComponent(base.password) }
        : undefined;
    base.username = '';
    base.password = '';
    // A query string on the base URL (?x=1) is kept for every request, after the path, not inside it.
    this.baseQuery = new URLSearchParams(base.search);
    base.search = '';
    base.hash = '';
    this.baseUrl = base.href.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DEADLINES.requestMs;
    this.headers = {
      ...options.headers,
      ...authHeaders(options.auth?.token ? options.auth : (fromUrl ?? options.auth)),
    };
  }

  /** The base URL's own query parameters (a proxy's api_key=…), sent with every request. */
  private readonly baseQuery: URLSearchParams;

  /** Aborts every request in flight and refuses new ones. */
  close(): void {
    this.closing.abort(new Error(`${this.serverName} client closed`));
  }

  /**
   * Sends one request and returns the parsed JSON body (undefined for an empty one) and the status.
   * Never resolves with a non-2xx answer: those become HttpApiError with the status kept, so the
   * caller can read Prometheus's {status:"error"} body through `parseError`.
   */
  async request(
    spec: RequestSpec,
    parseError?: (status: number, body: unknown) => HttpApiError | undefined,
  ): Promise<{ status: number; body: unknown }> {
    const what = spec.what ?? `${spec.method} ${spec.path}`;
    if (this.closing.signal.aborted) throw new HttpApiError(`${this.serverName}: client closed (${what})`, { what });
    const url = new URL(this.baseUrl + spec.path);
    for (const [k, v] of this.baseQuery) url.searchParams.append(k, v);
    if (spec.query) {
      const entries = spec.query instanceof URLSearchParams ? [...spec.query.entries()] : Object.entries(spec.query);
      for (const [k, v] of entries) if (v !== undefined) url.searchParams.append(k, v);
    }
    const headers: Record<string, string> = { accept: 'application/json', ...this.headers };
    let body: string | undefined;
    if (spec.body instanceof URLSearchParams) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = spec.body.toString();
    } else if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.body);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = anySignal([spec.signal, timeout, this.closing.signal]);
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { method: spec.method, headers, body, signal });
      text = await res.text();
    } catch (error) {
      if (timeout.aborted) {
        throw new HttpApiError(`${this.serverName} gave no answer within ${seconds(this.timeoutMs)} (${what})`, {
          what,
          errorType: 'timeout',
          cause: error,
        });
      }
      if (signal.aborted)
        throw new HttpApiError(`${this.serverName} request abandoned (${what})`, {
          what,
          errorType: 'canceled',
          cause: error,
        });
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new HttpApiError(`${this.serverName} at ${this.baseUrl} unreachable: ${detail} (${what})`, {
        what,
        cause: error,
      });
    }
    let parsed: unknown;
    if (text.trim() !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (res.status < 200 || res.status > 299) {
      const specific = parseError?.(res.status, parsed);
      if (specific) throw specific;
      const message =
        parsed && typeof parsed === 'object' && typeof (parsed as { message?: unknown }).message === 'string'
          ? (parsed as { message: string }).message
          : typeof parsed === 'string'
            ? parsed
            : text;
      const retry = res.headers.get('retry-after');
      throw new HttpApiError(
        `${this.serverName} answered HTTP ${res.status}${message.trim() ? `: ${quote(message)}` : ''}${retry ? ` (retry after ${retry})` : ''} (${what})`,
        { what, status: res.status },
      );
    }
    if (parsed === undefined && text.trim() !== '') {
      throw new HttpApiError(
        `${this.serverName} answered HTTP ${res.status} with a body that is not JSON: ${quote(text)} (${what})`,
        { what, status: res.status, errorType: 'malformed' },
      );
    }
    return { status: res.status, body: parsed };
  }
}
