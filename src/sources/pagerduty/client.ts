/**
 * The HTTP client of the PagerDuty adapter, over @pagerduty/pdjs `api()`.
 *
 * What pdjs 2.2.4 really does (build/src/api.js, common.js) and what this file does about it:
 * - it builds `https://${server}/${endpoint}`: the server is the service region's host or apiUrl's host[:port];
 * - it fills `response.resource` only when the URL contains ".com/": we read `response.data`;
 * - it resolves non-2xx answers like 2xx ones and rejects with the Response itself when a body is not JSON:
 *   we check the status and turn both into PagerDutyError;
 * - it sends `Content-Type: application/json; charset=utf-8`, which PagerDuty's spec does not allow
 *   (enum: application/json): we send exactly application/json;
 * - on 429 it retries three times after a fixed `retryTimeout` (20 s by default), ignoring PagerDuty's
 *   rate-limit headers: our agent notes each answer's status and headers, and aborts pdjs's blind retry
 *   before it leaves the machine, so that we wait as the headers say (rateLimit.ts);
 * - its `requestTimeout` is a no-op timer that only delays process exit: it is switched off and our own
 *   timeout aborts the request instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import tls from 'node:tls';
import { api } from '@pagerduty/pdjs';
// pdjs's index does not re-export its types; the package has no "exports" map, so the file is reachable.
import type { APIParameters, APIResponse } from '@pagerduty/pdjs/build/src/api.js';
import { describeErrorBody, PagerDutyError, scrub } from './errors.js';
import { nextWait, RATE_LIMIT_DEFAULTS, requestedWaitMs, type RateLimitOptions } from './rateLimit.js';
import { walkPages, type PageWalk } from './paging.js';
import { checked, listEnvelope } from './schemas.js';
import { DEFAULT_DEADLINES, seconds } from '../deadlines.js';

export const REGION_HOSTS = { us: 'api.pagerduty.com', eu: 'api.eu.pagerduty.com' } as const;

export interface PagerDutyClientOptions {
  /** A REST API key (or an OAuth token with tokenType 'bearer'); PAGERDUTY_TOKEN by default. */
  readonly token?: string;
  readonly tokenType?: 'token' | 'bearer';
  readonly serviceRegion?: 'us' | 'eu';
  /** Overrides the host: "host[:port]" or "https://host[:port]" (tests, proxies). */
  readonly apiUrl?: string;
  /** The acting user's email, sent as `From` on every change (PagerDuty requires it). */
  readonly from?: string;
  /** Extra certificate authorities to trust besides the system's (a test front, a TLS-inspecting proxy). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** One HTTP request's time limit, connecting included (the request deadline of sources/deadlines.ts by default). */
  readonly requestTimeoutMs?: number;
  readonly rateLimit?: RateLimitOptions;
}

export type Query = Readonly<Record<string, string | readonly string[] | undefined>>;

interface Attempt {
  readonly controller: AbortController;
  status?: number;
  headers?: IncomingHttpHeaders;
}

/** The attempt a request belongs to, so that the shared agent can tell it what PagerDuty answered. */
const attempts = new AsyncLocalStorage<Attempt>();

/** The host[:port] pdjs should talk to. Plain http is refused: the token would travel in the clear. */
export function resolveServer(options: Pick<PagerDutyClientOptions, 'apiUrl' | 'serviceRegion'>): string {
  const override = options.apiUrl?.trim();
  if (!override) return REGION_HOSTS[options.serviceRegion ?? 'us'];
  if (/^http:\/\//i.test(override))
    throw new PagerDutyError('pagerduty.apiUrl must use https: the API token must not travel in the clear');
  const host = override.replace(/^https:\/\//i, '').replace(/\/+$/, '');
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host))
    throw new PagerDutyError(`pagerduty.apiUrl is not a host[:port] or https URL: ${host}`);
  return host;
}

/**
 * An https agent that records, per attempt, the status and headers of each answer (see the file comment).
 * It wraps Agent#addRequest, which every Node http client request goes through; should that ever change,
 * pdjs's own retries come back and the last 429 is still read from its response (the suite asserts one
 * request per attempt, so it would notice). Given `ca`, it trusts Node's bundled roots plus those.
 */
function observingAgent(ca: PagerDutyClientOptions['ca']): https.Agent {
  const extra = ca === undefined ? undefined : Array.isArray(ca) ? ca : [ca];
  const agent = new https.Agent({ keepAlive: true, ca: extra ? [...tls.rootCertificates, ...extra] : undefined });
  const target = agent as unknown as { addRequest(req: ClientRequest, options: unknown): void };
  const addRequest = target.addRequest;
  target.addRequest = function (req: ClientRequest, options: unknown) {
    const attempt = attempts.getStore();
    if (attempt) {
      req.prependOnceListener('response', (res: IncomingMessage) => {
        attempt.status = res.statusCode;
        attempt.headers = res.headers;
      });
    }
    return addRequest.call(this, req, options);
  };
  return agent;
}

type Outcome =
  { readonly kind: 'ok'; readonly data: unknown } | { readonly kind: 'throttled'; readonly waitMs?: number };

export class PagerDutyClient {
  readonly server: string;
  readonly from?: string;
  private readonly token: string;
  private readonly tokenType: 'token' | 'bearer';
  private readonly agent: https.Agent;
  private readonly timeoutMs: number;
  private readonly rateLimit: Required<RateLimitOptions>;

  constructor(options: PagerDutyClientOptions = {}) {
    const token = options.token ?? process.env.PAGERDUTY_TOKEN;
    if (!token) throw new PagerDutyError('no PagerDuty API token: set pagerduty.token or PAGERDUTY_TOKEN');
    this.token = token;
    this.tokenType = options.tokenType ?? 'token';
    this.server = resolveServer(options);
    if (options.from) this.from = options.from;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_DEADLINES.requestMs;
    this.rateLimit = { ...RATE_LIMIT_DEFAULTS, ...options.rateLimit };
    this.agent = observingAgent(options.ca);
  }

  get(path: string, query?: Query, signal?: AbortSignal): Promise<unknown> {
    return this.request('GET', path, { query, signal });
  }

  /** A change: refused before sending when no From email is configured. */
  write(method: 'PUT' | 'POST', path: string, body: object, signal?: AbortSignal): Promise<unknown> {
    if (!this.from) {
      return Promise.reject(
        new PagerDutyError(
          `${method} ${path}: PagerDuty needs the acting user's email for changes; set pagerduty.from`,
        ),
      );
    }
    return this.request(method, path, { body, signal });
  }

  /** Every page of a list (offset/limit 100, following `more`). */
  async getAll(path: string, key: string, query: Query = {}, signal?: AbortSignal): Promise<unknown[]> {
    return (await this.walk(path, key, query, signal)).items;
  }

  /** Every page of a list; a page without the list (an array under `key`) is a malformed answer. */
  walk(path: string, key: string, query: Query = {}, signal?: AbortSignal): Promise<PageWalk> {
    return walkPages(
      async (offset, limit) =>
        checked(
          `PagerDuty GET ${path}`,
          listEnvelope(key),
          await this.get(path, { ...query, limit: String(limit), offset: String(offset) }, signal),
        ),
      key,
    );
  }

  /** Releases kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private async request(
    method: string,
    path: string,
    call: { query?: Query; body?: object; signal?: AbortSignal },
  ): Promise<unknown> {
    const operation = `PagerDuty ${method} ${path}`;
    for (let retry = 0; ; retry += 1) {
      const outcome = await this.attempt(method, path, operation, call);
      if (outcome.kind === 'ok') return outcome.data;
      const wait = nextWait(retry, outcome.waitMs, this.rateLimit);
      if (wait === undefined) {
        const asked =
          outcome.waitMs === undefined ? '' : `; it asks to wait ${Math.round(outcome.waitMs / 100) / 10} s`;
        throw new PagerDutyError(`${operation}: rate limited (HTTP 429) after ${retry + 1} attempt(s)${asked}`, {
          status: 429,
          retryAfterMs: outcome.waitMs,
        });
      }
      await delay(wait, undefined, call.signal ? { signal: call.signal } : undefined);
    }
  }

  private async attempt(
    method: string,
    path: string,
    operation: string,
    call: { query?: Query; body?: object; signal?: AbortSignal },
  ): Promise<Outcome> {
    call.signal?.throwIfAborted();
    const attempt: Attempt = { controller: new AbortController() };
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any(
      call.signal ? [attempt.controller.signal, timeout, call.signal] : [attempt.controller.signal, timeout],
    );
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (method !== 'GET' && this.from) headers.From = this.from;
    const queryParameters: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(call.query ?? {}))
      if (v !== undefined) queryParameters[k] = typeof v === 'string' ? v : [...v];
    // pdjs re-sends a 429'd request on its own: the agent function runs before each send, and cancels that one.
    const agent = () => {
      if (attempt.status === 429) attempt.controller.abort();
      return this.agent;
    };
    const parameters: APIParameters & { agent: () => https.Agent } = {
      endpoint: path,
      server: this.server,
      token: this.token,
      tokenType: this.tokenType,
      method,
      headers,
      queryParameters,
      ...(call.body === undefined ? {} : { data: call.body }),
      signal,
      agent,
      retryTimeout: 0,
      requestTimeout: 0,
    };
    let response: APIResponse;
    try {
      response = await attempts.run(attempt, () => api(parameters));
    } catch (error) {
      if (attempt.status === 429) return { kind: 'throttled', waitMs: requestedWaitMs(attempt.headers) };
      if (call.signal?.aborted) throw call.signal.reason ?? new PagerDutyError(`${operation}: aborted`);
      if (timeout.aborted) throw new PagerDutyError(`${operation}: no answer within ${seconds(this.timeoutMs)}`);
      const status = (error as { status?: unknown } | undefined)?.status;
      if (typeof status === 'number') {
        // pdjs rejects with the Response itself when the body is not JSON (a proxy's 502 page, say).
        const res = error as { status: number; statusText?: string; headers?: { get(n: string): string | null } };
        if (status === 429) return { kind: 'throttled', waitMs: requestedWaitMs(res.headers) };
        // A 2xx whose body is not JSON (cut short, or garbage): a read has nothing to read, which must
        // not pass for an empty list. A change PagerDuty accepted needs no body.
        if (status >= 200 && status <= 299) {
          if (method === 'GET')
            throw new PagerDutyError(`${operation}: malformed answer: HTTP ${status} with a body that is not JSON`, {
              status,
              malformed: true,
            });
          return { kind: 'ok', data: undefined };
        }
        throw new PagerDutyError(`${operation}: HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}`, {
          status,
        });
      }
      // node-fetch says "request to <url> failed, reason: <why>": the why is enough.
      const message = error instanceof Error ? error.message : String(error);
      const reason = /failed, reason: (.*)$/s.exec(message)?.[1] ?? message;
      throw new PagerDutyError(scrub(`${operation}: ${reason}`, this.token));
    }
    if (response.status === 429) return { kind: 'throttled', waitMs: requestedWaitMs(response.headers) };
    if (response.status === 204) return { kind: 'ok', data: undefined };
    if (response.status < 200 || response.status > 299) {
      const { message, code } = describeErrorBody(response.data);
      const text = `${operation}: HTTP ${response.status}${message ? ` (${message})` : ''}`;
      throw new PagerDutyError(scrub(text, this.token), { status: response.status, code });
    }
    if (method === 'GET' && (response.data === null || typeof response.data !== 'object')) {
      throw new PagerDutyError(`${operation}: malformed answer: HTTP ${response.status} without a JSON object`, {
        status: response.status,
        malformed: true,
      });
    }
    return { kind: 'ok', data: response.data };
  }
}
