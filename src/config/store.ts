import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import envPaths from 'env-paths';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { applyOverrides, DEFAULT_POLICY } from '../core/policy/overrides.js';
import type { Policy } from '../core/policy/types.js';
import { configSchema, ENV_OVERRIDES, type Config } from './schema.js';

/** A problem with the configuration: which file (or variable), which field, what was expected. */
export class ConfigError extends Error {
  constructor(
    readonly where: string,
    readonly field: string | undefined,
    readonly detail: string,
  ) {
    super(field ? `${where}: ${field}: ${detail}` : `${where}: ${detail}`);
  }
}

export type Origin = 'file' | `env ${string}` | 'flag';

export interface LoadedConfig {
  readonly path: string;
  /** What the file holds. */
  readonly file: Config;
  /** The file with environment overrides applied. */
  readonly effective: Config;
  /** Where each overridden or set leaf key came from. */
  readonly origins: ReadonlyMap<string, Origin>;
  readonly policy: Policy;
}

/** The directory holding config.json: VITASCOPE_ONCALL_CONFIG_DIR, or the platform's config directory. */
function storeOptions(env: NodeJS.ProcessEnv) {
  const cwd = env.VITASCOPE_ONCALL_CONFIG_DIR;
  return { projectName: 'vitascope-oncall', projectSuffix: '', ...(cwd ? { cwd } : {}), accessPropertiesByDotNotation: true } as const;
}

function openStore(env: NodeJS.ProcessEnv): Conf<Record<string, unknown>> {
  try {
    return new Conf<Record<string, unknown>>(storeOptions(env));
  } catch (error) {
    const file = (error as { path?: string }).path ?? configPath(env);
    if (error instanceof SyntaxError) throw syntaxError(file);
    throw new ConfigError(file, undefined, `cannot be read: ${(error as Error).message}`);
  }
}

/** Where the configuration file is (whether or not it exists): the same rule conf follows. */
export function configPath(env: NodeJS.ProcessEnv): string {
  const cwd = env.VITASCOPE_ONCALL_CONFIG_DIR;
  return path.resolve(cwd ?? envPaths('vitascope-oncall', { suffix: '' }).config, 'config.json');
}

function syntaxError(file: string): ConfigError {
  const text = fs.readFileSync(file, 'utf8');
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (!first) return new ConfigError(file, undefined, 'is not valid JSON');
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return new ConfigError(`${file}:${line}:${column}`, undefined, `not valid JSON (${printParseErrorCode(first.error)})`);
}

function fieldOf(issue: z.core.$ZodIssue): string {
  const p = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') return [...p, issue.keys[0] ?? ''].filter(Boolean).join('.');
  return p.join('.') || '(top level)';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown setting${issue.keys.length > 1 ? `s (also ${issue.keys.slice(1).join(', ')})` : ''}`;
  return issue.message;
}

/** Validates a whole configuration object; the first problem is reported by field. */
export function validateConfig(data: unknown, where: string): Config {
  const result = configSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ConfigError(where, fieldOf(issue), describeIssue(issue));
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

export function getPath(source: unknown, key: string): unknown {
  let node: unknown = source;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function leafKeys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * Reads and validates the configuration file, then applies environment overrides (validated too).
 * Never writes: a bad file is reported and left as it is.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const store = openStore(env);
  const file = validateConfig(store.store, store.path);
  const merged = structuredClone(file) as Record<string, unknown>;
  const origins = new Map<string, Origin>(leafKeys(file).map((k) => [k, 'file' as Origin]));
  const fromEnv = new Set<string>();
  for (const o of ENV_OVERRIDES) {
    const raw = env[o.variable];
    if (raw === undefined || raw === '' || fromEnv.has(o.key)) continue;
    let value: unknown = raw;
    if (o.kind === 'boolean') {
      if (!/^(1|0|true|false|yes|no)$/i.test(raw)) throw new ConfigError(`environment ${o.variable}`, o.key, 'expected true or false (1 or 0)');
      value = /^(1|true|yes)$/i.test(raw);
    }
    setPath(merged, o.key, value);
    fromEnv.add(o.key);
    origins.set(o.key, `env ${o.variable}`);
  }
  let effective: Config;
  try {
    effective = validateConfig(merged, store.path);
  } catch (error) {
    if (error instanceof ConfigError && error.field && fromEnv.has(error.field)) {
      const variable = ENV_OVERRIDES.find((o) => o.key === error.field && env[o.variable])?.variable ?? 'environment';
      throw new ConfigError(`environment ${variable}`, error.field, error.detail);
    }
    throw error;
  }
  const { policy, problems } = applyOverrides(DEFAULT_POLICY, effective.policy);
  if (problems.length > 0) throw new ConfigError(store.path, problems[0]!.path, problems[0]!.message);
  return { path: store.path, file, effective, origins, policy };
}

/** A value typed on the command line: JSON when it parses as JSON (numbers, booleans, arrays), text otherwise. */
export function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Sets one key, after checking the whole resulting configuration; nothing is written if it would be invalid. */
export function setConfigValue(key: string, value: unknown, env: NodeJS.ProcessEnv = process.env): void {
  if (!/^[A-Za-z][\w-]*(\.[A-Za-z0-9][\w-]*)*$/.test(key)) throw new ConfigError('config set', key, 'not a setting name (use dots: aws.region)');
  const store = openStore(env);
  const current = validateConfig(store.store, store.path);
  const next = structuredClone(current) as Record<string, unknown>;
  setPath(next, key, value);
  validateConfig(next, `config set ${key}`);
  const { problems } = applyOverrides(DEFAULT_POLICY, (next as Config).policy);
  if (problems.length > 0) throw new ConfigError(`config set ${key}`, problems[0]!.path, problems[0]!.message);
  store.set(key, value);
}

/** Removes one key; empty parent objects go too. */
export function unsetConfigValue(key: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const store = openStore(env);
  const current = validateConfig(store.store, store.path);
  if (getPath(current, key) === undefined) return false;
  store.delete(key);
  const parts = key.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const parent = parts.slice(0, i).join('.');
    const node = store.get(parent);
    if (typeof node === 'object' && node !== null && Object.keys(node).length === 0) store.delete(parent);
  }
  return true;
}

export { leafKeys };
