import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatLintError } from '../../../src/core/runbooks/lintErrors.js';
import { listRunbookFiles, loadRunbooks, packageRoot, parseRunbookText, resolveRunbookDir, RunbookDirError, shippedRunbooksDir } from '../../../src/core/runbooks/load.js';

const repo = path.resolve('.');

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vo-runbooks-'));
}

const GOOD = (id: string, rule = 'error-rate') => `id: ${id}\ntitle: ${id}\npriority: P3\nmatches: { rules: [${rule}] }\nphases:\n  detect:\n    - { id: a, kind: note, title: t }\n`;

describe('finding the shipped runbooks', () => {
  it('from the sources, from the bundle (dist/ and dist/chunks/) and from an installed package', () => {
    expect(packageRoot(pathToFileURL(path.join(repo, 'src/core/runbooks/load.ts')).href)).toBe(repo);
    expect(packageRoot(pathToFileURL(path.join(repo, 'dist/main.js')).href)).toBe(repo);
    expect(packageRoot(pathToFileURL(path.join(repo, 'dist/chunks/load-ABC123.js')).href)).toBe(repo);
    expect(packageRoot()).toBe(repo);
    expect(shippedRunbooksDir()).toBe(path.join(repo, 'runbooks'));
    const installed = tmpdir();
    const pkg = path.join(installed, 'node_modules', 'vitascope-oncall');
    fs.mkdirSync(path.join(pkg, 'dist', 'chunks'), { recursive: true });
    fs.mkdirSync(path.join(pkg, 'runbooks'));
    fs.writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ name: 'someones-app' }));
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'vitascope-oncall' }));
    expect(shippedRunbooksDir(pathToFileURL(path.join(pkg, 'dist', 'chunks', 'x.js')).href)).toBe(path.join(pkg, 'runbooks'));
    expect(packageRoot(pathToFileURL(path.join(os.tmpdir(), 'nowhere', 'x.js')).href)).toBeUndefined();
  });

  it('resolves configured folders: ~ is home, relative is the working directory', () => {
    expect(resolveRunbookDir('~/rb', { HOME: '/home/aiko' })).toBe('/home/aiko/rb');
    expect(resolveRunbookDir('team/rb')).toBe(path.join(process.cwd(), 'team/rb'));
    expect(resolveRunbookDir('/abs')).toBe('/abs');
  });
});

describe('reading a folder', () => {
  it('lists *.yaml and *.yml, sorted, no hidden files, no sub-folders', () => {
    const d = tmpdir();
    for (const f of ['b.yml', 'a.yaml', '.hidden.yaml', 'notes.md', 'C.YAML']) fs.writeFileSync(path.join(d, f), '');
    fs.mkdirSync(path.join(d, 'sub.yaml'));
    expect(listRunbookFiles(d).map((f) => path.basename(f))).toEqual(['C.YAML', 'a.yaml', 'b.yml']);
    expect(() => listRunbookFiles(path.join(d, 'missing'))).toThrow(RunbookDirError);
    expect(() => listRunbookFiles(path.join(d, 'a.yaml'))).toThrow(/not a folder/);
  });

  it('loads the shipped and the team runbooks together; a team runbook replaces a shipped one by id', () => {
    const team = tmpdir();
    fs.writeFileSync(path.join(team, 'error-rate.yaml'), GOOD('error-rate'));
    fs.writeFileSync(path.join(team, 'billing.yaml'), GOOD('billing-export-failed', 'feature-usage'));
    const set = loadRunbooks({ shipped: shippedRunbooksDir()!, dirs: [team] });
    expect(set.errors).toEqual([]);
    expect(set.files).toBe(21);
    expect(set.runbooks).toHaveLength(20);
    const mine = set.runbooks.find((r) => r.runbook.id === 'error-rate')!;
    expect(mine).toMatchObject({ origin: 'user', file: path.join(team, 'error-rate.yaml'), overrides: path.join(shippedRunbooksDir()!, 'error-rate.yaml') });
  });

  it('reports a folder that does not exist and bad files, and still loads the rest', () => {
    const team = tmpdir();
    fs.writeFileSync(path.join(team, 'bad.yaml'), 'id: bad\ntitle: [\n');
    fs.writeFileSync(path.join(team, 'good.yaml'), GOOD('good'));
    const missing = path.join(team, 'nope');
    const set = loadRunbooks({ shipped: false, dirs: [team, missing] });
    expect(set.errors.map(formatLintError)).toEqual([
      `${path.join(team, 'bad.yaml')}:3:1: yaml: not valid YAML: flow sequence in block collection must be sufficiently indented and end with a ]`,
      `${missing}: runbooks.dirs: no such folder: ${missing}`,
    ]);
    expect(set.runbooks.map((r) => r.runbook.id)).toEqual(['good']);
  });
});

describe('locating fields', () => {
  it('points at values, keys, and the nearest enclosing node of a missing field', () => {
    const f = parseRunbookText('x.yaml', 'id: a\nphases:\n  detect:\n    - id: s\n      kind: note\n      title:\n');
    expect(f.locate(['id'])).toEqual({ line: 1, column: 5 });
    expect(f.locate(['id'], true)).toEqual({ line: 1, column: 1 });
    expect(f.locate(['phases', 'detect', 0, 'kind'])).toEqual({ line: 5, column: 13 });
    expect(f.locate(['phases', 'detect', 0, 'title'])).toEqual({ line: 6, column: 7 });
    expect(f.locate(['phases', 'detect', 0, 'when', 'var'])).toEqual({ line: 4, column: 7 });
    expect(f.locate(['phases', 'detect', 3])).toEqual({ line: 4, column: 5 });
  });
});
