/**
 * The AWS SDK v3 clients the adapters share, built once per environment.
 *
 * Credentials: unless `credentials` is given, the SDK's default provider chain resolves them lazily on
 * the first call: environment variables, then the shared config and credentials files (for `profile`,
 * or AWS_PROFILE, including SSO and credential_process entries), web identity, the ECS task role and
 * the EC2 instance role. `profile` is passed to every client, so it wins over AWS_PROFILE for this
 * process only. `endpointUrl` sends every service to one endpoint: moto in the tests, or a proxy.
 *
 * Retries: the live pollers (core/live/poller.ts) already back off exponentially with jitter and keep
 * the last good data, so the SDK's own retries are kept short: one retry in "standard" mode absorbs a
 * single dropped connection or 5xx blip inside one refresh, while a persistent failure or throttling
 * surfaces at once to the poller, which then slows down. The SDK default (3 attempts with its own
 * backoff) would multiply the calls a throttled account receives and could outlast the poller's
 * timeout. Actions (scale, reboot) get the same single retry; they are idempotent updates.
 */
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, type CloudWatchClientConfig } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { RDSClient } from '@aws-sdk/client-rds';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { anySignal, DEFAULT_DEADLINES, DeadlineError, type Deadlines } from '../deadlines.js';

export const DEFAULT_MAX_ATTEMPTS = 2;

/**
 * The SDK's Node handler with a deadline on the whole of every attempt: `connectionTimeout` bounds
 * connecting, and an AbortSignal that fires `requestTimeoutMs` after the request is sent bounds the rest,
 * reading the answer's body included (the handler's own `requestTimeout` stops at the headers and, by
 * default, only logs a warning). A server that accepts and never answers, or answers a byte at a time,
 * costs at most that per attempt.
 */
export class DeadlineHttpHandler extends NodeHttpHandler {
  constructor(private readonly deadlines: { readonly connectMs: number; readonly requestMs: number }) {
    super({
      connectionTimeout: deadlines.connectMs,
      requestTimeout: deadlines.requestMs,
      throwOnRequestTimeout: true,
      logger: QUIET,
    });
  }

  override async handle(
    request: Parameters<NodeHttpHandler['handle']>[0],
    options: Parameters<NodeHttpHandler['handle']>[1] = {},
  ): ReturnType<NodeHttpHandler['handle']> {
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DeadlineError('the request', this.deadlines.requestMs)),
      this.deadlines.requestMs,
    );
    // A body nobody reads must not keep a finished command alive until the deadline.
    timer.unref?.();
    const outer = options.abortSignal as AbortSignal | undefined;
    const signal = anySignal([outer, deadline.signal]);
    let out: Awaited<ReturnType<NodeHttpHandler['handle']>>;
    try {
      out = await super.handle(request, { ...options, abortSignal: signal });
    } catch (error) {
      clearTimeout(timer);
      throw error;
    }
    // The body is still to be read: the deadline stays armed until it ends (or fails).
    const body = out.response.body as NodeJS.ReadableStream | undefined;
    if (body && typeof body.once === 'function') {
      body.once('end', () => clearTimeout(timer));
      body.once('close', () => clearTimeout(timer));
      body.once('error', () => clearTimeout(timer));
    } else clearTimeout(timer);
    return out;
  }
}

/** The handler's logger: nothing may print over the cockpit's screen (its warnings are errors here). */
const QUIET = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export interface AwsClientOptions {
  readonly region: string;
  /** A profile of the shared config files; the default chain otherwise (AWS_PROFILE, env, roles). */
  readonly profile?: string;
  /** Overrides every service's endpoint (moto, LocalStack, a VPC endpoint proxy). */
  readonly endpointUrl?: string;
  /** Fixed credentials or a provider; the default chain when unset. */
  readonly credentials?: CloudWatchClientConfig['credentials'];
  /** Attempts per call including the first; DEFAULT_MAX_ATTEMPTS when unset. */
  readonly maxAttempts?: number;
  /** Connect and per-request deadlines (sources/deadlines.ts); the defaults there when unset. */
  readonly deadlines?: Pick<Deadlines, 'connectMs' | 'requestMs'>;
}

export interface AwsClients {
  readonly cloudwatch: CloudWatchClient;
  readonly ecs: ECSClient;
  readonly autoscaling: ApplicationAutoScalingClient;
  readonly rds: RDSClient;
  /** Closes the clients' sockets. */
  destroy(): void;
}

/** The configuration every client gets; exported for tests and for clients added later (STS). */
export function clientConfig(options: AwsClientOptions) {
  if (options.maxAttempts !== undefined && (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1))
    throw new Error(`AWS maxAttempts must be a positive integer, not ${options.maxAttempts}`);
  return {
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'standard',
    requestHandler: new DeadlineHttpHandler(options.deadlines ?? DEFAULT_DEADLINES),
  } as const;
}

export function createAwsClients(options: AwsClientOptions): AwsClients {
  const config = clientConfig(options);
  const cloudwatch = new CloudWatchClient(config);
  const ecs = new ECSClient(config);
  const autoscaling = new ApplicationAutoScalingClient(config);
  const rds = new RDSClient(config);
  return {
    cloudwatch,
    ecs,
    autoscaling,
    rds,
    destroy() {
      for (const client of [cloudwatch, ecs, autoscaling, rds]) client.destroy();
    },
  };
}

export interface LogClients {
  readonly logs: import('@aws-sdk/client-cloudwatch-logs').CloudWatchLogsClient;
  readonly xray: import('@aws-sdk/client-xray').XRayClient;
  destroy(): void;
}

/**
 * The CloudWatch Logs and X-Ray clients, with the same configuration as the others; their SDK modules are
 * loaded on the first read of logs or traces, so a start that never shows them does not pay for them.
 */
export async function createLogClients(options: AwsClientOptions): Promise<LogClients> {
  const [{ CloudWatchLogsClient }, { XRayClient }] = await Promise.all([
    import('@aws-sdk/client-cloudwatch-logs'),
    import('@aws-sdk/client-xray'),
  ]);
  const config = clientConfig(options);
  const logs = new CloudWatchLogsClient(config);
  const xray = new XRayClient(clientConfig(options));
  return {
    logs,
    xray,
    destroy() {
      logs.destroy();
      xray.destroy();
    },
  };
}
