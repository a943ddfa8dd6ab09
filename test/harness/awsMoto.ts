/**
 * moto for the AWS suites: which Python has it, starting `python3 -m moto.server` on a free loopback
 * port (once per suite), resetting its state between tests, and the SDK client settings that point at
 * it. A missing moto skips the suite outside CI and fails it under CI=true (requireTool).
 */
import { spawnSync } from 'node:child_process';
import { requireTool, startServer, type RunningServer } from './servers.js';

export const PYENV_PYTHON = '/root/.pyenv/versions/3.11.7/bin/python3';
export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** The first Python that can import moto, or undefined. */
export function motoPython(): string | undefined {
  for (const python of [process.env.MOTO_PYTHON, 'python3', PYENV_PYTHON]) {
    if (!python) continue;
    const r = spawnSync(python, ['-c', 'import moto'], { stdio: 'ignore', timeout: 20_000 });
    if (r.error === undefined && r.status === 0) return python;
  }
  return undefined;
}

/** undefined to run the suite; a reason to skip it (throws under CI=true). */
export function motoSkipReason(): string | undefined {
  const python = motoPython();
  return requireTool(
    'moto (python3 -m moto.server)',
    python !== undefined,
    'pip install "moto[server]", or set MOTO_PYTHON',
  );
}

export interface Moto {
  readonly url: string;
  readonly server: RunningServer;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const python = motoPython();
  if (!python) throw new Error('moto is not installed');
  const server = await startServer({
    name: 'moto',
    command: python,
    args: (port) => ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)],
    ready: async (url) => {
      try {
        const res = await fetch(`${url}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(2000) });
        return res.ok;
      } catch {
        return false;
      }
    },
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: TEST_REGION },
  });
  return {
    url: server.url,
    server,
    async reset() {
      const res = await fetch(`${server.url}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    stop: () => server.stop(),
  };
}

/** SDK client settings for a test endpoint: dummy credentials, the test region. */
export function testClientConfig(endpoint: string, maxAttempts = 1) {
  return { region: TEST_REGION, endpoint, credentials: TEST_CREDENTIALS, maxAttempts } as const;
}

/**
 * The SDK's NodeVersionSupportWarning on Node 20 is expected (src/main.ts filters it too);
 * keep it out of the test output, pass every other warning on.
 */
export function quietSdkVersionWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  if ((process.emitWarning as { quiet?: boolean }).quiet) return;
  const filtered = ((warning: string | Error, ...rest: unknown[]) => {
    // The SDK emits it as a plain string "NodeVersionSupportWarning: …" of type Warning.
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const name = warning instanceof Error ? warning.name : type;
    const text = warning instanceof Error ? warning.message : warning;
    if (name === 'NodeVersionSupportWarning' || text.startsWith('NodeVersionSupportWarning')) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning & { quiet?: boolean };
  filtered.quiet = true;
  process.emitWarning = filtered;
}
