/**
 * A loopback HTTP proxy that can misbehave on demand, for the fault tests of every source:
 * pass through, answer with an error (5xx, 429, an AWS throttling body), answer slowly, or be down.
 * It counts requests so that tests can assert how often a poller came back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { readonly kind: 'pass' }
  | { readonly kind: 'error'; readonly status: number; readonly body?: string; readonly headers?: Record<string, string> }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'down' };

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
      const forward = () => {
        const upstream = http.request(
          { hostname: targetUrl.hostname, port: targetUrl.port, path: req.url, method: req.method, headers: { ...req.headers, host: targetUrl.host } },
          (up) => {
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
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
