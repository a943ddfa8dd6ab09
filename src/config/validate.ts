/** Validating the configuration (zod): loaded only when there is a file or an overriding variable to check. */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type * as z from 'zod';
import { applyOverrides, DEFAULT_POLICY } from '../core/policy/overrides.js';
import { configSchema, type Config } from './schema.js';
import {
  ConfigError,
  configPath,
  ENV_OVERRIDES,
  leafKeys,
  readConfigText,
  setPath,
  type LoadedConfig,
  type Origin,
} from './load.js';

/** Malformed JSON, reported with the file, line and column of the first problem. */
export function syntaxError(file: string): ConfigError {
  const text = readConfigText(file) ?? '';
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (!first) return new ConfigError(file, undefined, 'is not valid JSON');
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return new ConfigError(
    `${file}:${line}:${column}`,
    undefined,
    `not valid JSON (${printParseErrorCode(first.error)})`,
  );
}

function fieldOf(issue: z.core.$ZodIssue): string {
  const p = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') return [...p, issue.keys[0] ?? ''].filter(Boolean).join('.');
  return p.join('.') || '(top level)';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown setting${issue.keys.length > 1 ? `s (also ${issue.keys.slice(1).join(', ')})` : ''}`;
  return issue.message;
}

/** What a JSON value is, in words, for "must be an object, not …". */
function kindOf(data: unknown): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'an array';
  return typeof data === 'string'
    ? 'a string'
    : typeof data === 'number'
      ? 'a number'
      : typeof data === 'boolean'
        ? `${data}`
        : typeof data;
}

/** Validates a whole configuration object; the first problem is reported by field. */
export function validateConfig(data: unknown, where: string): Config {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(where, undefined, `must hold one JSON object ({ "aws": { … }, … }), not ${kindOf(data)}`);
  }
  const result = configSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ConfigError(where, fieldOf(issue), describeIssue(issue));
}

/** What the file holds as conf reads it: its JSON copied onto an object without a prototype (nothing when there is no file). */
function fileData(file: string, text: string | undefined): Record<string, unknown> {
  if (text === undefined) return Object.create(null) as Record<string, unknown>;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw syntaxError(file);
  }
  // Copying a string or an array onto an object would make its characters or items "settings" (0, 1, 2).
  if (typeof data !== 'object' || data === null || Array.isArray(data)) validateConfig(data, file);
  return Object.assign(Object.create(null) as Record<string, unknown>, data);
}

/** loadConfig on a file already read (text undefined: there is none). */
export function loadConfigFrom(path: string, text: string | undefined, env: NodeJS.ProcessEnv): LoadedConfig {
  const file = validateConfig(fileData(path, text), path);
  const merged = structuredClone(file) as Record<string, unknown>;
  const origins = new Map<string, Origin>(leafKeys(file).map((k) => [k, 'file' as Origin]));
  const fromEnv = new Set<string>();
  for (const o of ENV_OVERRIDES) {
    const raw = env[o.variable];
    if (raw === undefined || raw === '' || fromEnv.has(o.key)) continue;
    let value: unknown = raw;
    if (o.kind === 'boolean') {
      if (!/^(1|0|true|false|yes|no)$/i.test(raw))
        throw new ConfigError(`environment ${o.variable}`, o.key, 'expected true or false (1 or 0)');
      value = /^(1|true|yes)$/i.test(raw);
    }
    if (o.kind === 'number') {
      if (!/^\s*\d+(\.\d+)?\s*$/.test(raw))
        throw new ConfigError(`environment ${o.variable}`, o.key, 'expected a number (of seconds), e.g. 2 or 0.5');
      value = Number(raw);
    }
    setPath(merged, o.key, value);
    fromEnv.add(o.key);
    origins.set(o.key, `env ${o.variable}`);
  }
  let effective: Config;
  try {
    effective = validateConfig(merged, path);
  } catch (error) {
    if (error instanceof ConfigError && error.field && fromEnv.has(error.field)) {
      const variable = ENV_OVERRIDES.find((o) => o.key === error.field && env[o.variable])?.variable ?? 'environment';
      throw new ConfigError(`environment ${variable}`, error.field, error.detail);
    }
    throw error;
  }
  const { policy, problems } = applyOverrides(DEFAULT_POLICY, effective.policy);
  if (problems.length > 0) throw new ConfigError(path, problems[0]!.path, problems[0]!.message);
  return { path, file, effective, origins, policy };
}

/**
 * Reads and validates the configuration file, then applies environment overrides (validated too).
 * Never writes: a bad file is reported and left as it is. Commands use load.ts's readConfig, which
 * gives the same result without loading this module when there is nothing to validate.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const path = configPath(env);
  return loadConfigFrom(path, readConfigText(path), env);
}
