import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';

/** Runs the CLI in this process (the binary's path without the process start), collecting its output. */
export async function runInProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main([...args], { stdout, stderr, env });
  return { code, stdout: out, stderr: err };
}
