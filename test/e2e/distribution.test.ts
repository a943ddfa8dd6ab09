/**
 * What the package ships beside the bundle (scripts/build.mjs): source maps that make a VITASCOPE_DEBUG
 * stack name src/ files and lines, and the licence notices of every bundled package. Checked against the
 * built binary, the files npm would pack, the installed packages and the source files themselves.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, runCli } from '../harness/cli.js';

const NOTICES = path.resolve('dist/THIRD-PARTY-NOTICES.txt');

/** A preload that makes the program's first write to stdout throw: an internal error from inside the bundle. */
function failingStdout(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vo-fault-')), 'stdout-fault.mjs');
  fs.writeFileSync(file, "process.stdout.write = () => { throw new Error('injected: stdout refused the write'); };\n");
  return `--import=${pathToFileURL(file).href}`;
}

function installedVersion(name: string): string {
  return (
    JSON.parse(fs.readFileSync(path.resolve('node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

describe('source maps', () => {
  it('VITASCOPE_DEBUG=1: an internal error prints a stack of src/ files and lines, each line the code that ran', async () => {
    const r = await runCli(['runbooks', 'list'], isolatedEnv({ VITASCOPE_DEBUG: '1', NODE_OPTIONS: failingStdout() }));
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('vitascope-oncall: internal error: injected: stdout refused the write');
    const frames = [...r.stderr.matchAll(/\(([^()]+?):(\d+):(\d+)\)$/gm)].map((m) => ({
      file: m[1]!,
      line: Number(m[2]),
    }));
    const ours = frames.filter((f) => f.file.startsWith(path.resolve('src') + path.sep));
    expect(ours.length, r.stderr).toBeGreaterThanOrEqual(3);
    // No frame is left in the minified bundle.
    expect(
      frames.filter((f) => f.file.includes(`${path.sep}dist${path.sep}`)),
      r.stderr,
    ).toEqual([]);
    // The frame under the injected write is the command's own write, at the line the map names.
    const top = ours[0]!;
    expect(path.relative(process.cwd(), top.file)).toBe(path.join('src', 'commands', 'runbooks.ts'));
    expect(fs.readFileSync(top.file, 'utf8').split('\n')[top.line - 1]).toContain('io.stdout.write(');
  });

  it('without VITASCOPE_DEBUG the same error prints its message and no stack', async () => {
    const r = await runCli(['runbooks', 'list'], isolatedEnv({ NODE_OPTIONS: failingStdout() }));
    expect(r.code).toBe(5);
    expect(r.stderr.trim()).toBe('vitascope-oncall: internal error: injected: stdout refused the write');
  });
});

describe('the package', () => {
  const packed = (): string[] => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  };

  it('ships a source map for every bundled file, and the notices', () => {
    const files = packed();
    const scripts = files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(10);
    expect(scripts.filter((f) => !files.includes(`${f}.map`))).toEqual([]);
    expect(files).toContain('dist/THIRD-PARTY-NOTICES.txt');
  });

  it('names every package whose code the bundle holds, with its installed version and licence text', () => {
    const notices = fs.readFileSync(NOTICES, 'utf8');
    // What was bundled, from the source maps (independent of the metafile the notices are made from).
    const bundled = new Map<string, string>();
    for (const map of fs.readdirSync('dist', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.map'))) {
      const { sources } = JSON.parse(fs.readFileSync(path.join('dist', map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const parts = path.resolve(path.dirname(path.join('dist', map)), source).split(path.sep);
        const at = parts.lastIndexOf('node_modules');
        if (at < 0) continue;
        const dir = parts.slice(0, at + (parts[at + 1]!.startsWith('@') ? 3 : 2)).join(path.sep);
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
          name: string;
          version: string;
        };
        bundled.set(`${pkg.name} ${pkg.version}`, dir);
      }
    }
    expect(bundled.size).toBeGreaterThan(20);
    const listed = new Set([...notices.matchAll(/^ {2}(\S+ \S+) {2}\(/gm)].map((m) => m[1]!));
    expect([...bundled.keys()].filter((p) => !listed.has(p))).toEqual([]);

    // The packages whose licences esbuild's legal comments miss: name, the installed version, the licence text.
    for (const name of ['ink', 'commander', 'zod', 'yaml', '@aws-sdk/client-ecs', 'react']) {
      const version = installedVersion(name);
      expect(listed, name).toContain(`${name} ${version}`);
      const file = fs.readdirSync(path.resolve('node_modules', name)).find((f) => /^licen[cs]e/i.test(f));
      expect(file, `${name} ships a licence file`).toBeDefined();
      const licence = fs
        .readFileSync(path.resolve('node_modules', name, file!), 'utf8')
        .replace(/\r\n/g, '\n')
        .trim();
      expect(notices, name).toContain(licence);
    }
  });
});
