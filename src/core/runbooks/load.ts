import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { lintFiles } from './lint.js';
import { compareLintErrors } from './lintErrors.js';
import type { LintError, LoadedRunbook, ParsedFile, PathSegment, Position, RunbookOrigin } from './types.js';

/**
 * Finding and reading runbook files. The shipped runbooks live in <package>/runbooks; teams add their
 * own folders through the configuration (runbooks.dirs), read after the shipped ones. YAML is parsed
 * with a LineCounter so that every problem can be reported as file:line:column.
 */

/** Parses one runbook file's text. Never throws: syntax errors are returned, located. */
export function parseRunbookText(file: string, text: string, origin: RunbookOrigin = 'user'): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const syntaxErrors: LintError[] = doc.errors.map((e) => {
    const { line, column } = at(e.pos[0]);
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { file, line, column, field: 'yaml', message: `not valid YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}` };
  });
  const locate = (segments: readonly PathSegment[], key = false): Position => {
    let node: unknown = doc.contents;
    let found: Position = node && (node as Node).range ? at((node as Node).range![0]) : { line: 1, column: 1 };
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const last = i === segments.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return found;
        const keyNode = pair.key as Node;
        if (last && key && keyNode.range) return at(keyNode.range[0]);
        const value = pair.value as Node | null;
        // An empty value ("title:") has no node of its own: point at its key.
        const written = value?.range && value.range[1] > value.range[0];
        found = written ? at(value!.range![0]) : keyNode.range ? at(keyNode.range[0]) : found;
        node = value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) return found;
        if (item.range) found = at(item.range[0]);
        node = item;
      } else {
        return found;
      }
    }
    return found;
  };
  let data: unknown;
  if (syntaxErrors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      syntaxErrors.push({ file, line: 1, column: 1, field: 'yaml', message: `not valid YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}` });
    }
  }
  return { file, origin, doc, data, syntaxErrors, locate };
}

export class RunbookDirError extends Error {}

const YAML_FILE = /\.ya?ml$/i;

/** The runbook files of a folder (not recursive), sorted by name so that every run reads them in the same order. */
export function listRunbookFiles(dir: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new RunbookDirError(`no such folder: ${dir}`);
  }
  if (!stat.isDirectory()) throw new RunbookDirError(`not a folder: ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && YAML_FILE.test(e.name) && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * The package root: the nearest folder above `from` whose package.json names this package. From the
 * sources that is <repo> (src/core/runbooks/ is three levels down); from the bundle it is also <repo>
 * (dist/main.js or dist/chunks/*.js); installed, it is node_modules/vitascope-oncall.
 */
export function packageRoot(from: string = import.meta.url): string | undefined {
  let dir = path.dirname(from.startsWith('file:') ? fileURLToPath(from) : from);
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'vitascope-oncall') return dir;
    } catch {
      // not here: keep going up
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The folder of the shipped runbooks, or undefined if the package has none (a broken install). */
export function shippedRunbooksDir(from?: string): string | undefined {
  const root = packageRoot(from);
  const dir = root && path.join(root, 'runbooks');
  return dir && fs.existsSync(dir) ? dir : undefined;
}

/** A configured folder: "~/" is the home folder, a relative path is relative to the working directory. */
export function resolveRunbookDir(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (dir === '~' || dir.startsWith('~/')) return path.join(env.HOME || os.homedir(), dir.slice(1));
  return path.resolve(dir);
}

export interface RunbookSet {
  /** Valid runbooks only; a user runbook with a shipped runbook's id replaces it. */
  readonly runbooks: readonly LoadedRunbook[];
  /** Every problem, sorted by file, line and column. */
  readonly errors: readonly LintError[];
  /** Runbook files read. */
  readonly files: number;
}

export interface LoadOptions {
  /** The shipped folder; shippedRunbooksDir() when undefined, none when false. */
  readonly shipped?: string | false;
  /** The team's folders (config runbooks.dirs), already resolved. */
  readonly dirs?: readonly string[];
}

/**
 * Reads and lints every runbook of the shipped folder and the given folders. A folder that cannot be
 * read is reported as an error on the folder itself; bad files never hide the good ones.
 */
export function loadRunbooks(options: LoadOptions = {}): RunbookSet {
  const parsed: ParsedFile[] = [];
  const dirErrors: LintError[] = [];
  const shipped = options.shipped === undefined ? shippedRunbooksDir() : options.shipped;
  const folders: { dir: string; origin: RunbookOrigin }[] = [
    ...(shipped ? [{ dir: shipped, origin: 'shipped' as const }] : []),
    ...(options.dirs ?? []).map((dir) => ({ dir, origin: 'user' as const })),
  ];
  for (const { dir, origin } of folders) {
    let files: string[];
    try {
      files = listRunbookFiles(dir);
    } catch (error) {
      dirErrors.push({ file: dir, line: 0, column: 0, field: 'runbooks.dirs', message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    for (const file of files) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        dirErrors.push({ file, line: 0, column: 0, field: 'file', message: `cannot be read: ${error instanceof Error ? error.message : String(error)}` });
        continue;
      }
      parsed.push(parseRunbookText(file, text, origin));
    }
  }
  const linted = lintFiles(parsed);
  return { runbooks: linted.runbooks, errors: [...dirErrors, ...linted.errors].sort(compareLintErrors), files: parsed.length };
}
