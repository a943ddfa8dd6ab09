/**
 * A loopback HTTP proxy that can misbehave on demand, for the fault tests of every source:
 * pass through, answer with an error (5xx, 429, an AWS throttling body), answer slowly, or be down;
 * accept and never answer (hang), answer a byte at a time (slow-loris), answer 200 with a body that is
 * not JSON (malformed), or cut the upstream's answer short (truncated).
 * It counts requests so that tests can assert how often a poller came back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { readonly kind: 'pass' }
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly body?: string;
      readonly headers?: Record<string, string>;
    }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'down' }
  /** Reads the request and never answers, keeping the connection open. */
  | { readonly kind: 'hang' }
  /** Sends the headers, then one byte (a space) every `everyMs`, forever. */
  | { readonly kind: 'slowloris'; readonly everyMs: number }
  /** 200 with a JSON content type and a body that is not JSON. */
  | { readonly kind: 'malformed' }
  /** The upstream's answer with its full Content-Length, but only the first half of the body, then the connection is cut. */
  | { readonly kind: 'truncated' };

/** What a malformed answer says. */
export const MALFORMED_BODY = '{"status": "success", "data": {"result": [{"metric": {}, "value": [1, "2"]},, ';

/** Answers with a fault that needs no upstream; true when it did (hang, slow-loris, malformed). */
export function answerFault(
  fault: Fault,
  res: import('node:http').ServerResponse,
  timers: Set<NodeJS.Timeout>,
): boolean {
  if (fault.kind === 'hang') return true;
  if (fault.kind === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(MALFORMED_BODY);
    return true;
  }
  if (fault.kind === 'slowloris') {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(' ');
    }, fault.everyMs);
    timers.add(timer);
    res.on('close', () => (clearInterval(timer), timers.delete(timer)));
    return true;
  }
  return false;
}

/** Sends an answer's headers and half its body, then cuts the connection. */
export function sendTruncated(
  res: import('node:http').ServerResponse,
  status: number,
  headers: import('node:http').IncomingHttpHeaders,
  body: Buffer,
): void {
  const h: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined && k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') h[k] = v;
  res.writeHead(status, { ...h, 'content-length': String(Math.max(2, body.length)) });
  res.write(body.subarray(0, Math.floor(body.length / 2)));
  setTimeout(() => res.socket?.destroy(), 20).unref();
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  /** Requests seen since start (including faulted ones, excluding refused connections). */
  requests: number;
  setFault(fault: Fault): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, port = 0): Promise<FaultProxy> {
  let fault: Fault = { kind: 'pass' };
  const sockets = new Set<import('node:net').Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const targetUrl = new URL(target);
  const server = http.createServer((req, res) => {
    proxy.requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const current = fault;
      if (current.kind === 'down') {
        req.socket.destroy();
        return;
      }
      if (current.kind === 'error') {
        res.writeHead(current.status, { 'content-type': 'application/json', ...current.headers });
        res.end(current.body ?? JSON.stringify({ message: `injected ${current.status}` }));
        return;
      }
      if (answerFault(current, res, timers)) return;
      const forward = () => {
        const upstream = http.request(
          {
            hostname: targetUrl.hostname,
            port: targetUrl.port,
            path: req.url,
            method: req.method,
            headers: { ...req.headers, host: targetUrl.host },
          },
          (up) => {
            if (current.kind === 'truncated') {
              const parts: Buffer[] = [];
              up.on('data', (c: Buffer) => parts.push(c));
              up.on('end', () => sendTruncated(res, up.statusCode ?? 502, up.headers, Buffer.concat(parts)));
              return;
            }
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', (e) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`proxy: ${e.message}`);
        });
        upstream.end(Buffer.concat(chunks));
      };
      if (current.kind === 'slow') setTimeout(forward, current.delayMs);
      else forward();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    if (fault.kind === 'down') s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests: 0,
    setFault(f) {
      fault = f;
      if (f.kind === 'down') for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
