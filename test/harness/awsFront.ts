/**
 * A loopback front for moto that behaves like AWS where moto does not, and misbehaves on demand
 * (the idea of faultProxy.ts, for the AWS protocols). It
 * - names every request's operation (X-Amz-Target for the JSON protocols: CloudWatch JSON 1.0,
 *   ECS and Application Auto Scaling JSON 1.1; the Action of the query protocol for RDS) and counts it;
 * - enforces the real APIs' limits moto ignores: pages the list calls itself (MaxRecords / maxResults,
 *   NextToken, the real defaults and maxima), rejects DescribeServices with more than 10 services;
 * - hosts the CloudWatch parts moto lacks (awsFrontCloudWatch.ts);
 * - injects faults: an error answer, a slow answer, a reset connection, or no listener at all (down).
 */
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo, Socket } from 'node:net';
import { CloudWatchEmulation } from './awsFrontCloudWatch.js';

export interface WireCall {
  readonly service: string;
  readonly op: string;
  readonly at: number;
  readonly body: string;
}

export type FrontFault =
  | { readonly kind: 'pass' }
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly body?: string;
      readonly headers?: Record<string, string>;
    }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'reset' };

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

/** What a handler gets: the parsed request and a way to ask moto. */
export interface FrontRequest {
  readonly service: string;
  readonly op: string;
  readonly json: Record<string, unknown>;
  readonly headers: http.IncomingHttpHeaders;
  /** Sends the request to moto, with a different JSON body and operation if given. */
  upstream(body?: Record<string, unknown>, op?: string): Promise<Answer>;
}

const TARGET_SERVICE: Record<string, string> = {
  GraniteServiceVersion20100801: 'cloudwatch',
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AnyScaleFrontendService: 'application-autoscaling',
  AWSWAF_20190729: 'wafv2',
};

export function jsonAnswer(status: number, value: unknown, contentType = 'application/x-amz-json-1.1'): Answer {
  return { status, body: JSON.stringify(value), headers: { 'content-type': contentType } };
}

/** An AWS JSON-protocol error, as the services send it: 400 and {"__type": …, "message": …}. */
export function jsonError(type: string, message: string, status = 400): Answer {
  return jsonAnswer(status, { __type: type, message });
}

/**
 * List calls the front pages by the real limits, from moto's whole answer (`upstream` is what to ask
 * moto for everything, where moto pages on its own: its Application Auto Scaling token repeats).
 */
const PAGED: Record<
  string,
  { list: string; max: string; token: string; byDefault: number; limit: number; upstream?: Record<string, unknown> }
> = {
  ListClusters: { list: 'clusterArns', max: 'maxResults', token: 'nextToken', byDefault: 100, limit: 100 },
  ListServices: { list: 'serviceArns', max: 'maxResults', token: 'nextToken', byDefault: 10, limit: 100 },
  ListTaskDefinitions: {
    list: 'taskDefinitionArns',
    max: 'maxResults',
    token: 'nextToken',
    byDefault: 100,
    limit: 100,
  },
  DescribeScalableTargets: {
    list: 'ScalableTargets',
    max: 'MaxResults',
    token: 'NextToken',
    byDefault: 50,
    limit: 50,
    upstream: { MaxResults: 100_000 },
  },
};

export function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

export function decodeToken(token: unknown): number | undefined {
  if (token === undefined || token === null) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(String(token), 'base64').toString());
  return m ? Number(m[1]) : undefined;
}

/** Validates a page size against the API's range; an Answer when it is out of range. */
export function pageSize(value: unknown, byDefault: number, limit: number, field: string): number | Answer {
  if (value === undefined) return byDefault;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > limit)
    return jsonError(
      'ValidationException',
      `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must have value between 1 and ${limit}`,
    );
  return value;
}

function revisionOrder(arns: string[], descending: boolean): string[] {
  const key = (arn: string) => {
    const m = /([^/:]+):(\d+)$/.exec(arn);
    return { family: m?.[1] ?? arn, revision: Number(m?.[2] ?? 0) };
  };
  const sorted = [...arns].sort(
    (a, b) => key(a).family.localeCompare(key(b).family) || key(a).revision - key(b).revision,
  );
  return descending ? sorted.reverse() : sorted;
}

export class AwsFront {
  readonly calls: WireCall[] = [];
  readonly cloudwatch = new CloudWatchEmulation();
  /** Requests whose client hung up before the answer (an abandoned, timed-out call). */
  aborted = 0;
  private fault: FrontFault = { kind: 'pass' };
  private faultLeft = Infinity;
  private faultOps?: readonly string[];
  private readonly sockets = new Set<Socket>();
  private server?: http.Server;
  private port = 0;

  constructor(private readonly motoUrl: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  bodies(op: string): string[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.body);
  }

  clearCalls(): void {
    this.calls.length = 0;
    this.aborted = 0;
  }

  /** Misbehave from now on, or for the next `times` requests only; only for `ops` when given. */
  setFault(fault: FrontFault, times = Infinity, ops?: readonly string[]): void {
    this.fault = fault;
    this.faultLeft = times;
    this.faultOps = ops;
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => {
      // A request the front cannot even read (a broken gzip body) ends its connection.
      this.handle(req, res).catch(() => res.destroy());
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening on the port: clients get "connection refused" until up(). */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resets moto, the front's own CloudWatch state and the counters. */
  async reset(): Promise<void> {
    const res = await fetch(`${this.motoUrl}/moto-api/reset`, { method: 'POST' });
    if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    this.cloudwatch.reset();
    this.clearCalls();
    this.setFault({ kind: 'pass' });
  }

  close(): Promise<void> {
    return this.down();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const wire = Buffer.concat(chunks);
    // The SDK gzips large bodies (CloudWatch PutMetricData); AWS accepts that, moto does not: unzip.
    const plain = req.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
    const raw = plain.toString();
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, targetOp] = target.split('.');
    const form = target ? undefined : new URLSearchParams(raw);
    const service = prefix
      ? (TARGET_SERVICE[prefix] ?? prefix)
      : (/Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? 'unknown');
    // REST-JSON services (X-Ray) name the operation by the path: POST /TraceSummaries.
    const op =
      targetOp ?? form?.get('Action') ?? /^\/([A-Za-z]+)$/.exec(req.url?.split('?')[0] ?? '')?.[1] ?? 'unknown';
    this.calls.push({ service, op, at: Date.now(), body: raw });
    let answered = false;
    res.on('close', () => {
      if (!answered) this.aborted += 1;
    });

    const fault =
      this.faultLeft > 0 && (!this.faultOps || this.faultOps.includes(op)) ? this.fault : { kind: 'pass' as const };
    if (fault.kind !== 'pass') this.faultLeft -= 1;
    if (fault.kind === 'reset') {
      answered = true;
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'error') {
      answered = true;
      res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.0', ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ __type: 'InternalFailure', message: `injected ${fault.status}` }));
      return;
    }
    if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    if (res.destroyed) return;

    const upstream = (body?: Record<string, unknown>, upstreamOp?: string) =>
      this.forward(
        req,
        body === undefined ? plain : Buffer.from(JSON.stringify(body)),
        upstreamOp ? `${prefix}.${upstreamOp}` : target,
      );
    let answer: Answer;
    try {
      const json = target && raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      answer = (await this.emulate({ service, op, json, headers: req.headers, upstream })) ?? (await upstream());
    } catch (error) {
      answer = jsonError('InternalFailure', `front: ${String(error)}`, 500);
    }
    answered = true;
    if (res.destroyed) return;
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  }

  /** The front's own answer for a request, or undefined to pass it to moto unchanged. */
  private async emulate(r: FrontRequest): Promise<Answer | undefined> {
    if (r.service === 'cloudwatch') return this.cloudwatch.handle(r);
    if (r.service === 'ecs' && r.op === 'DescribeServices') {
      const services = (r.json.services as unknown[] | undefined) ?? [];
      if (services.length > 10)
        return jsonError(
          'InvalidParameterException',
          `1 validation error detected: Value at 'services' failed to satisfy constraint: Member must have length less than or equal to 10 (got ${services.length})`,
        );
      return undefined;
    }
    const paged = PAGED[r.op];
    if (!paged) return undefined;
    const size = pageSize(r.json[paged.max], paged.byDefault, paged.limit, paged.max);
    if (typeof size !== 'number') return size;
    const offset = decodeToken(r.json[paged.token]);
    if (offset === undefined) return jsonError('InvalidParameterException', `invalid ${paged.token}`);
    const body = { ...r.json };
    delete body[paged.max];
    delete body[paged.token];
    delete body.sort;
    const answer = await r.upstream({ ...body, ...paged.upstream });
    if (answer.status !== 200) return answer;
    const out = JSON.parse(answer.body) as Record<string, unknown>;
    let items = (out[paged.list] as unknown[] | undefined) ?? [];
    if (r.op === 'ListTaskDefinitions') items = revisionOrder(items as string[], r.json.sort === 'DESC');
    const page = items.slice(offset, offset + size);
    const next = offset + size < items.length ? encodeToken(offset + size) : undefined;
    return jsonAnswer(200, { ...out, [paged.list]: page, [paged.token]: next });
  }

  private forward(req: http.IncomingMessage, body: Buffer, target: string): Promise<Answer> {
    const upstreamUrl = new URL(this.motoUrl);
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: upstreamUrl.host, 'content-length': body.length };
    delete headers['content-encoding'];
    if (target) headers['x-amz-target'] = target;
    return new Promise((resolve, reject) => {
      const up = http.request(
        { hostname: upstreamUrl.hostname, port: upstreamUrl.port, path: req.url, method: req.method, headers },
        (r) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => {
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(r.headers))
              if (typeof v === 'string' && k !== 'content-length' && k !== 'transfer-encoding') h[k] = v;
            resolve({ status: r.statusCode ?? 502, body: Buffer.concat(parts).toString(), headers: h });
          });
          r.on('error', reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });
  }
}

/** Starts a front for moto at motoUrl on a free loopback port. */
export async function startAwsFront(motoUrl: string): Promise<AwsFront> {
  const front = new AwsFront(motoUrl);
  await front.up();
  return front;
}
