/**
 * The HTTPS front between the PagerDuty adapter and Prism. pdjs always speaks https, always sends
 * PagerDuty's vendor Accept (which Prism cannot negotiate: 406) and, left alone, a Content-Type with a
 * charset (which the spec's enum forbids: 400). The front checks the vendor Accept, rewrites it and the
 * Content-Type to exactly application/json, proxies to Prism and records every request with Prism's
 * verdict, so that a test can assert that the spec accepted everything the adapter sent.
 * It can also misbehave on demand (the Fault of faultProxy.ts) and let a test script answers (paging,
 * 429s); a scripted or faulted request is still sent to Prism first, so it is validated all the same.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { answerFault, sendTruncated, type Fault } from './faultProxy.js';

export const VENDOR_ACCEPT = 'application/vnd.pagerduty+json;version=2';

export interface Violation {
  readonly location: readonly string[];
  readonly message: string;
  readonly code?: string | number;
  readonly severity?: string;
}

export interface PrismAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface FrontRecord {
  readonly seq: number;
  /** When the request arrived (epoch ms). */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Headers as the adapter sent them (the token is never kept: only the scheme). */
  readonly accept?: string;
  readonly contentType?: string;
  readonly from?: string;
  readonly authScheme?: string;
  readonly body: string;
  /** Whether the front had to change the Content-Type (anything but exactly application/json). */
  readonly contentTypeRewritten: boolean;
  prismStatus?: number;
  /** What the adapter got back (Prism's answer, a scripted one or a fault). */
  status?: number;
  requestViolations: Violation[];
  responseViolations: Violation[];
  scripted: boolean;
  /** A test's own request (header x-test-probe: 1), not the adapter's. */
  readonly probe: boolean;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** A test's answer for a request, given what Prism said; undefined passes Prism's answer on. */
export type Script = (record: FrontRecord, prism: PrismAnswer, parsed: unknown) => Reply | undefined;

export interface PagerDutyFront {
  /** host:port, for the adapter's apiUrl. */
  readonly host: string;
  readonly url: string;
  /** The self-signed certificate the adapter must trust. */
  readonly ca: string;
  readonly records: FrontRecord[];
  /** Connections refused while down (the TLS handshake never completes). */
  refused: number;
  setFault(fault: Fault): void;
  script(script: Script | undefined): void;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, made with openssl into dir. */
export function makeCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, 'front-key.pem');
  const cert = join(dir, 'front-cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'pipe' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Prism's verdict on a request: the `sl-violations` header (request and response violations), and the
 * `validation` list of the 422 problem it generates when the spec has no error response of its own.
 */
export function prismVerdict(answer: PrismAnswer): { request: Violation[]; response: Violation[] } {
  const header = answer.headers['sl-violations'];
  const listed = (parseJson(Array.isArray(header) ? header.join(',') : (header ?? '[]')) ?? []) as Violation[];
  const request = listed.filter((v) => v.location?.[0] !== 'response');
  const response = listed.filter((v) => v.location?.[0] === 'response');
  const problem = parseJson(answer.body) as { validation?: Violation[] } | undefined;
  if (answer.status === 422 && Array.isArray(problem?.validation)) request.push(...problem.validation);
  return { request, response };
}

export async function startPagerDutyFront(options: {
  prismUrl: string;
  key: string;
  cert: string;
}): Promise<PagerDutyFront> {
  const prism = new URL(options.prismUrl);
  let fault: Fault = { kind: 'pass' };
  let script: Script | undefined;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const records: FrontRecord[] = [];

  const ask = (rec: FrontRecord, headers: http.OutgoingHttpHeaders, search: string): Promise<PrismAnswer> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { hostname: prism.hostname, port: prism.port, method: rec.method, path: rec.path + search, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(rec.body);
    });

  const send = (res: http.ServerResponse, reply: Reply) => {
    if (res.destroyed || res.headersSent) return;
    const body =
      reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      ...reply.headers,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'https://front');
    const contentType = req.headers['content-type'];
    const rec: FrontRecord = {
      seq: records.length + 1,
      at: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      accept: req.headers.accept,
      contentType,
      from: req.headers.from,
      authScheme: req.headers.authorization?.split(' ')[0],
      body,
      contentTypeRewritten: contentType !== undefined && contentType !== 'application/json',
      requestViolations: [],
      responseViolations: [],
      scripted: false,
      probe: req.headers['x-test-probe'] === '1',
    };
    records.push(rec);
    if (rec.accept?.replace(/\s+/g, '').toLowerCase() !== VENDOR_ACCEPT) {
      rec.requestViolations.push({
        location: ['request', 'header', 'accept'],
        message: `front: Accept is not ${VENDOR_ACCEPT}`,
      });
      rec.status = 406;
      return send(res, { status: 406, body: { error: { message: 'Not Acceptable', code: 2001 } } });
    }
    const current = fault;
    if (answerFault(current, res, timers)) return;
    if (current.kind === 'slow') {
      await new Promise<void>((r) => {
        const t = setTimeout(() => (timers.delete(t), r()), current.delayMs);
        timers.add(t);
      });
      if (res.destroyed) return;
    }
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: prism.host, accept: 'application/json' };
    if (contentType !== undefined) headers['content-type'] = 'application/json';
    delete headers.connection;
    delete headers['x-test-probe'];
    headers['content-length'] = String(Buffer.byteLength(body));
    let answer: PrismAnswer;
    try {
      answer = await ask(rec, headers, url.search);
    } catch (error) {
      rec.status = 502;
      return send(res, { status: 502, body: { error: { message: `front: Prism unreachable: ${String(error)}` } } });
    }
    const verdict = prismVerdict(answer);
    rec.prismStatus = answer.status;
    rec.requestViolations.push(...verdict.request);
    rec.responseViolations.push(...verdict.response);
    let reply: Reply | undefined;
    if (current.kind === 'error')
      reply = {
        status: current.status,
        headers: current.headers,
        body: current.body ?? { error: { message: `injected ${current.status}` } },
      };
    else if (script) reply = script(rec, answer, parseJson(answer.body));
    if (reply) rec.scripted = current.kind !== 'error';
    const final: Reply = reply ?? {
      status: answer.status,
      headers: { 'content-type': String(answer.headers['content-type'] ?? 'application/json') },
      body: answer.body,
    };
    rec.status = final.status;
    if (current.kind === 'truncated') {
      const text =
        final.body === undefined ? '' : typeof final.body === 'string' ? final.body : JSON.stringify(final.body);
      return sendTruncated(
        res,
        final.status,
        { 'content-type': 'application/json', ...final.headers },
        Buffer.from(text),
      );
    }
    send(res, final);
  };

  const server = https.createServer({ key: options.key, cert: options.cert, keepAliveTimeout: 2_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error) => {
        if (!res.headersSent && !res.destroyed)
          send(res, { status: 500, body: { error: { message: `front: ${String(error)}` } } });
      });
    });
    res.on('error', () => undefined);
  });
  server.on('connection', (s: Socket) => {
    if (fault.kind === 'down') {
      front.refused += 1;
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const front: PagerDutyFront = {
    host: `127.0.0.1:${port}`,
    url: `https://127.0.0.1:${port}`,
    ca: options.cert,
    records,
    refused: 0,
    setFault(f) {
      fault = f;
      if (f.kind === 'down') for (const s of sockets) s.destroy();
    },
    script(s) {
      script = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) {
          clearTimeout(t);
          clearInterval(t);
        }
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return front;
}

/** A test's own request through the front (marked as a probe), for negative tests. */
export function probe(
  front: PagerDutyFront,
  request: { method: string; path: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; body: string; record?: FrontRecord }> {
  const mark = front.records.length;
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${front.url}${request.path}`,
      { method: request.method, ca: front.ca, headers: { ...request.headers, 'x-test-probe': '1' }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            record: front.records[mark],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(request.body ?? '');
  });
}
