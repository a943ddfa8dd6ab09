/**
 * The journal and the program's folders defend themselves, through the real binary: a full journal (a
 * file-size limit, RLIMIT_FSIZE, set in the child's shell), a read-only one, one damaged mid-file, an
 * unwritable configuration or data folder. Each is exit 6 with the file and what to do, never exit 5
 * "internal error", and nothing recorded before is lost (the file is read back afterwards).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../src/core/journal/index.js';
import { BIN, isolatedEnv } from '../harness/cli.js';

const STORAGE = 6;
const who = { kind: 'local' as const, id: 'aiko' };

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  as?: { uid: number; gid: number },
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { env, ...(as ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cli = (args: readonly string[], env: NodeJS.ProcessEnv, as?: { uid: number; gid: number }) =>
  run(process.execPath, [BIN, ...args], env, as);

/**
 * Permissions do not stop root: as root the binary runs as `nobody` on files that user owns; as anyone
 * else, on the user's own files.
 */
const root = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };
function handOver(paths: readonly string[]): { uid: number; gid: number } | undefined {
  if (!root) return undefined;
  for (const p of paths) fs.chownSync(p, NOBODY.uid, NOBODY.gid);
  return NOBODY;
}

/** A sandbox journal holding incident P1 and 400 notes, closed; the environment that points at it. */
function setup(): { env: NodeJS.ProcessEnv; data: string; file: string } {
  const env = isolatedEnv();
  fs.chmodSync(env.HOME!, 0o755);
  const data = path.join(env.HOME!, 'data');
  fs.mkdirSync(data, { recursive: true });
  const file = path.join(data, 'journal-sandbox.db');
  const j = openJournal(file);
  j.upsertIncident({ id: 'P1', title: 'disk', status: 'triggered', source: 'sandbox', createdAt: 0 });
  j.appendMany(
    Array.from({ length: 400 }, (_, i) => ({
      kind: 'note' as const,
      who,
      incidentId: 'P1',
      at: i,
      payload: { text: `note ${i} ${'x'.repeat(500)}` },
    })),
  );
  j.close();
  return { env: { ...env, VITASCOPE_ONCALL_DATA_DIR: data }, data, file };
}

/** The notes the file holds, read back by a fresh connection. */
function notesIn(file: string): number {
  const j = openJournal(file);
  try {
    return j.query({ incidentId: 'P1', kinds: ['note'] }).length;
  } finally {
    j.close();
  }
}

function expectNamed(r: Result, file: string, what: RegExp): void {
  expect(r.code, r.stderr).toBe(STORAGE);
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).toContain(file);
  expect(r.stderr).toMatch(what);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describe('the journal defends itself (the real binary)', () => {
  it('full: a file-size limit (ulimit -f) is exit 6 with the file and what to do; what was recorded is kept', async () => {
    const { env, file } = setup();
    // The -shm file needs 32 KB; a 60 KB note makes the write-ahead log pass 33 KB.
    const r = await run(
      'bash',
      ['-c', `ulimit -f 33; exec "${process.execPath}" "${BIN}" --demo note P1 ${'y'.repeat(60_000)}`],
      env,
    );
    expectNamed(
      r,
      file,
      /the journal cannot grow: a write failed \(the disk is full or a file-size limit was reached\)\. Free some space \(or raise the limit, ulimit -f\)/,
    );
    expect(notesIn(file)).toBe(400);
    // Without the limit the same command works, and the journal holds one more note.
    const ok = await cli(['--demo', 'note', 'P1', 'after the limit'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(notesIn(file)).toBe(401);
  });

  it('read-only: exit 6 naming the file and what to do', async () => {
    const { env, data, file } = setup();
    const as = handOver([data, file]);
    fs.chmodSync(file, 0o444);
    fs.chmodSync(data, 0o555);
    try {
      const r = await cli(['--demo', 'note', 'P1', 'read-only'], env, as);
      expectNamed(
        r,
        file,
        /the journal cannot be written \(read-only file or folder, or no permission\)\. Give this user write access/,
      );
      // Even reading needs the write-ahead log beside the file: a report says the same.
      expectNamed(await cli(['--demo', 'report', 'P1'], env, as), file, /the journal cannot be written/);
    } finally {
      fs.chmodSync(data, 0o755);
      fs.chmodSync(file, 0o644);
    }
    expect(notesIn(file)).toBe(400);
  });

  it('damaged mid-file: named when opened (exit 6, how to move it aside); doctor runs integrity_check and says so', async () => {
    const { env, file } = setup();
    const fd = fs.openSync(file, 'r+');
    const page = Math.floor(fs.statSync(file).size / 4096 / 2) * 4096;
    fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, page);
    fs.closeSync(fd);
    const r = await cli(['--demo', 'handoff'], env);
    expectNamed(r, file, /the journal is damaged .*Move the file aside \(mv /);
    const doctor = await cli(['doctor', '--json'], env);
    expect(doctor.code).toBe(STORAGE);
    const checks = (
      JSON.parse(doctor.stdout) as { checks: { source: string; check: string; result: string; detail: string }[] }
    ).checks;
    expect(checks.find((c) => c.source === 'journal')).toMatchObject({
      check: 'sandbox journal (PRAGMA integrity_check)',
      result: 'fail',
    });
    expect(checks.find((c) => c.source === 'journal')!.detail).toContain(`${file}: the journal is damaged`);
  });

  it('an unwritable configuration folder and an unwritable data folder are exit 6, each naming its file', async () => {
    const { env, data } = setup();
    const config = env.VITASCOPE_ONCALL_CONFIG_DIR!;
    fs.mkdirSync(config, { recursive: true });
    const locked = path.join(data, 'locked');
    fs.mkdirSync(locked);
    const as = handOver([config, data, path.join(data, 'journal-sandbox.db'), locked]);
    fs.chmodSync(config, 0o555);
    fs.chmodSync(locked, 0o555);
    try {
      const set = await cli(['config', 'set', 'user.name', 'Aiko'], env, as);
      expect(set.code, set.stderr).toBe(STORAGE);
      expect(set.stderr).toContain(config);
      expect(set.stderr).toMatch(/the configuration cannot be written .*VITASCOPE_ONCALL_CONFIG_DIR/);
      expect(set.stderr).not.toContain('internal error');
      // Reading needs no writable folder: the defaults apply.
      expect((await cli(['--demo', 'status'], env, as)).code).not.toBe(STORAGE);
      const note = await cli(
        ['--demo', 'note', 'P1', 'x'],
        { ...env, VITASCOPE_ONCALL_DATA_DIR: path.join(locked, 'sub') },
        as,
      );
      expectNamed(
        note,
        path.join(locked, 'sub', 'journal-sandbox.db'),
        /cannot be written .*VITASCOPE_ONCALL_DATA_DIR/,
      );
    } finally {
      fs.chmodSync(config, 0o755);
      fs.chmodSync(locked, 0o755);
    }
  });
});
