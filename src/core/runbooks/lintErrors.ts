import type * as z from 'zod';
import { inertLine } from '../sanitize.js';
import type { LintError, PathSegment } from './types.js';

/**
 * Located errors: zod's issues reworded as what was expected at a path of the document, and how a
 * located error is written, one per line, as
 *
 *     file:line:column: field: what was expected
 *
 * where field is the dotted/indexed path (phases.resolve[2].with.min). The rules the schema cannot
 * express are in lintRules.ts and lintStepRules.ts; lint.ts puts both together per file.
 */

/** phases.resolve[2].with.min; keys that are not plain names are quoted: dimensions["a.b"]. */
export function formatField(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(document)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** One error, one line; text from the file is made inert (no escape sequences reach the terminal). */
export function formatLintError(e: LintError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file;
  return inertLine(`${where}: ${e.field}: ${e.message}`);
}

export function compareLintErrors(a: LintError, b: LintError): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.field.localeCompare(b.field) || a.message.localeCompare(b.message);
}

// ---------------------------------------------------------------------------------------------------
// Rewording zod's issues

type Issue = z.core.$ZodIssue;

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const s = value.length > 48 ? `${value.slice(0, 47)}…` : value;
    return JSON.stringify(s);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length ? 'a list' : 'an empty list';
  return 'a mapping';
}

const NOUN: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  record: 'a mapping (key: value)',
};

const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;
/** A custom message that is a sentence stands alone; a noun phrase ("a duration …") follows "expected". */
const SENTENCE = /\b(must|needs|need|should|cannot|can't|is|are|does|do|has|have)\b/;

export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function bound(issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean }, small: boolean): string {
  const n = String(small ? issue.minimum : issue.maximum);
  return small ? (issue.inclusive === false ? `> ${n}` : `≥ ${n}`) : issue.inclusive === false ? `< ${n}` : `≤ ${n}`;
}

/** What was expected, from one issue, in words. */
function expectation(issue: Issue, value: unknown): string {
  const custom = !DEFAULT_MESSAGE.test(issue.message);
  if (custom && SENTENCE.test(issue.message)) return issue.message;
  const got = value === undefined ? '' : `, got ${describe(value)}`;
  const missing = value === undefined ? 'missing; ' : '';
  if (custom) return `${missing}expected ${issue.message}${got}`;
  switch (issue.code) {
    case 'invalid_type':
      return `${missing}expected ${NOUN[issue.expected] ?? issue.expected}${got}`;
    case 'invalid_value':
      return `${missing}expected ${issue.values.length === 1 ? String(issue.values[0]) : `one of ${issue.values.map(String).join(', ')}`}${got}`;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const origin = issue.origin;
      if (origin === 'string') return small && Number(issue.minimum) === 1 ? 'expected text, not empty' : `expected text of length ${bound(issue, small)}${got}`;
      if (origin === 'array' || origin === 'set') return `expected ${small ? 'at least' : 'at most'} ${String(small ? issue.minimum : issue.maximum)} item(s)${got}`;
      return `expected a number ${bound(issue, small)}${got}`;
    }
    case 'invalid_format':
      return `expected ${issue.format === 'regex' ? `text matching ${issue.pattern ?? 'the pattern'}` : issue.format}${got}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}${got}`;
    case 'invalid_union': {
      const u = issue as { discriminator?: string; options?: unknown[] };
      if (u.options && u.options.length) return `${missing}expected one of ${u.options.map(String).join(', ')}${got}`;
      return `${missing}expected ${expectedOfUnion(issue)}${got}`;
    }
    default:
      return issue.message;
  }
}

function expectedOfUnion(issue: Issue): string {
  const branches = (issue as { errors?: Issue[][] }).errors ?? [];
  const kinds = branches.map((b) => (b[0]?.code === 'invalid_type' ? (NOUN[b[0].expected] ?? b[0].expected) : undefined)).filter((k): k is string => !!k);
  return kinds.length ? [...new Set(kinds)].join(' or ') : 'another kind of value';
}

/** The one alternative of a union whose type matched the value, when there is exactly one. */
function unionBranch(issue: Issue): Issue[] | undefined {
  const branches = (issue as { errors?: Issue[][] }).errors ?? [];
  const matched = branches.filter((b) => !b.some((i) => i.code === 'invalid_type' && i.path.length === 0));
  return matched.length === 1 ? matched[0] : undefined;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/** The keys an object schema accepts at a path (following the discriminator of step unions). */
function allowedKeys(schema: z.ZodType, path: readonly PathSegment[], data: unknown): string[] | undefined {
  type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[]; discriminator?: string; values?: unknown[] };
  const def = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;
  const unwrap = (s: z.ZodType | undefined, d: unknown): z.ZodType | undefined => {
    for (let i = 0; s && i < 20; i++) {
      const x = def(s);
      if (x.innerType) s = x.innerType;
      else if (x.type === 'pipe' && x.in) s = x.in;
      else if (x.type === 'union' && x.discriminator && x.options) {
        const want = d && typeof d === 'object' ? (d as Record<string, unknown>)[x.discriminator] : undefined;
        s = x.options.find((o) => def(def(o).shape?.[x.discriminator!] ?? o).values?.includes(want));
      } else if (x.type === 'union' && x.options) {
        // A plain union: the alternative of the value's shape (a list or a mapping).
        s = x.options.find((o) => (def(o).type === 'array') === Array.isArray(d));
      } else return s;
    }
    return s;
  };
  let s: z.ZodType | undefined = schema;
  let d = data;
  for (const seg of path) {
    s = unwrap(s, d);
    if (!s) return undefined;
    const x = def(s);
    if (x.type === 'object') s = x.shape?.[String(seg)];
    else if (x.type === 'array') s = x.element;
    else if (x.type === 'record') s = x.valueType;
    else return undefined;
    d = d && typeof d === 'object' ? (d as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  s = unwrap(s, d);
  const x = s && def(s);
  return x?.type === 'object' && x.shape ? Object.keys(x.shape) : undefined;
}

/** A problem at a path of the document (at its key with `key`), before it is given a file and line. */
export interface Located {
  readonly path: readonly PathSegment[];
  readonly key?: boolean;
  readonly message: string;
}

/** zod issues as located messages; unknown keys become one error each, at the key. */
export function fromIssues(issues: readonly Issue[], data: unknown, schema: z.ZodType, prefix: readonly PathSegment[] = [], base: readonly PathSegment[] = []): Located[] {
  const out: Located[] = [];
  for (const issue of issues) {
    // `base` is where these issues sit in `data` (inside a union); `prefix` is prepended for reporting.
    const inData = [...base, ...(issue.path as PathSegment[])];
    const path = [...prefix, ...(issue.path as PathSegment[])];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(schema, inData, data);
      for (const key of issue.keys) {
        const near = allowed?.filter((k) => editDistance(k, key) <= 2).sort((a, b) => editDistance(a, key) - editDistance(b, key))[0];
        const hint = near ? `; did you mean ${near}?` : allowed ? `; expected one of ${allowed.join(', ')}` : '';
        out.push({ path: [...path, key], key: true, message: `unknown field${hint}` });
      }
    } else if (issue.code === 'invalid_union' && !(issue as { discriminator?: string }).discriminator && unionBranch(issue)) {
      // The value had the right shape for one alternative (a mapping, or a list): report that one's problems.
      out.push(...fromIssues(unionBranch(issue)!, data, schema, path, inData));
    } else if (issue.code === 'invalid_key') {
      const inner = (issue as { issues?: Issue[] }).issues?.[0];
      const key = path[path.length - 1];
      out.push({ path, key: true, message: `the key ${describe(key)} is not valid: expected ${inner && !DEFAULT_MESSAGE.test(inner.message) ? inner.message : 'another key'}` });
    } else {
      out.push({ path, message: expectation(issue, valueAt(data, inData)) });
    }
  }
  return out;
}
