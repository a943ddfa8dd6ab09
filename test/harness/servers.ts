/**
 * Starting real servers for the integration suites: free loopback ports, child processes that are
 * killed after the suite, readiness by polling (never a fixed sleep), and the rule for missing tools:
 * under CI=true a server that cannot start fails the run; elsewhere the suite is skipped with a reason.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a command exists on PATH (or as an absolute path). */
export function haveCommand(command: string, args: readonly string[] = ['--version']): boolean {
  const result = spawnSync(command, [...args], { stdio: 'ignore', timeout: 20_000 });
  return result.error === undefined && result.status !== null;
}

/**
 * Decides whether a suite that needs `what` runs. Returns undefined to run; a reason to skip.
 * Under CI=true a missing tool throws, failing the run, as the issue requires.
 */
export function requireTool(what: string, available: boolean, remedy: string): string | undefined {
  if (available) return undefined;
  const reason = `${what} is not available (${remedy})`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}

export async function httpOk(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

export interface RunningServer {
  readonly process: ChildProcess;
  readonly port: number;
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a server process and waits until `ready(url)` holds. Its output is kept for failure messages. */
export async function startServer(options: {
  readonly name: string;
  readonly command: string;
  readonly args: (port: number) => readonly string[];
  readonly ready: (url: string) => Promise<boolean>;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  readonly port?: number;
  readonly scheme?: string;
}): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const url = `${options.scheme ?? 'http'}://127.0.0.1:${port}`;
  const child = spawn(options.command, [...options.args(port)], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`${options.name} exited: ${log.slice(-2000)}`);
        return options.ready(url);
      },
      options.name,
      options.timeoutMs ?? 30_000,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    process: child,
    port,
    url,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
