import type { Document } from 'yaml';
import type { Runbook } from './schema.js';

/**
 * The types the runbook modules share: where a runbook comes from, its parsed file and the place of
 * a field in it, a located lint error, and a runbook loaded from a file. Apart from their modules so
 * that loading, linting, matching and running import them without importing each other.
 */

export type RunbookOrigin = 'shipped' | 'user';
export type PathSegment = string | number;

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** One parsed file: its document, its syntax errors, and a way to find where a field is written. */
export interface ParsedFile {
  readonly file: string;
  readonly origin: RunbookOrigin;
  readonly doc: Document.Parsed;
  /** The document as plain data; undefined when it has syntax errors. */
  readonly data: unknown;
  readonly syntaxErrors: readonly LintError[];
  /**
   * Where the value at `at` is written (1-based). With `key`, where its key is written. A path that
   * does not exist resolves to the nearest enclosing node that does, so "missing field" points at the
   * object that lacks it.
   */
  locate(at: readonly PathSegment[], key?: boolean): Position;
}

export interface LintError {
  readonly file: string;
  /** 1-based; 0 when the problem is the file or folder itself. */
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly message: string;
}

export interface LoadedRunbook {
  readonly runbook: Runbook;
  readonly file: string;
  readonly origin: RunbookOrigin;
  /** The shipped runbook's file this team runbook replaces (same id). */
  readonly overrides?: string;
}
