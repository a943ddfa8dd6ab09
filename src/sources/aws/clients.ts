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

export const DEFAULT_MAX_ATTEMPTS = 2;
/** Socket connect and idle limits; the poller's own timeout (and its AbortSignal) usually comes first. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

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
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
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
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    },
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
