import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BIN = path.resolve('bin/vitascope-oncall.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A private config directory and HOME, so tests never read or write the developer's configuration. */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-home-'));
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AWS_|PAGERDUTY_|VITASCOPE_|FORCE_COLOR|NO_COLOR)/.test(k)),
  );
  // A responder with a name, as after the first start's question (test/e2e/cockpit.test.ts asks it).
  return {
    ...clean,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    VITASCOPE_ONCALL_CONFIG_DIR: path.join(home, 'config'),
    TZ: 'UTC',
    VITASCOPE_USER_NAME: 'Test Responder',
    ...extra,
  };
}

/** Runs the built binary with arguments; resolves with its exit code and output. */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = isolatedEnv(),
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
