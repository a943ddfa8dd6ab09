/**
 * The configuration store: reading (load.ts, validate.ts) and changing it. Changes go through conf,
 * which writes the file atomically; only `config set|unset` load it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { applyOverrides, DEFAULT_POLICY } from '../core/policy/overrides.js';
import type { Config } from './schema.js';
import { ConfigError, configPath, getPath, readConfigText, setPath } from './load.js';
import { loadConfigFrom, syntaxError, validateConfig } from './validate.js';

export { ConfigError, configPath, getPath, leafKeys, readConfig, type LoadedConfig, type Origin } from './load.js';
export { loadConfig, validateConfig } from './validate.js';

/** The directory holding config.json: VITASCOPE_ONCALL_CONFIG_DIR, or the platform's config directory. */
function storeOptions(env: NodeJS.ProcessEnv) {
  const cwd = env.VITASCOPE_ONCALL_CONFIG_DIR;
  // The file may hold tokens: readable by its owner only (conf writes it atomically with this mode).
  return {
    projectName: 'vitascope-oncall',
    projectSuffix: '',
    ...(cwd ? { cwd } : {}),
    accessPropertiesByDotNotation: true,
    configFileMode: 0o600,
  } as const;
}

/** The configuration's folder, 0700: created so, and closed when the program writes into it. */
function closeFolder(file: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    // Closed to others only: a folder its owner made read-only stays so (nothing is written there then).
    const mode = fs.statSync(dir).mode & 0o777;
    if ((mode & 0o077) !== 0) fs.chmodSync(dir, mode & 0o700);
  } catch {
    // not ours to change (another owner): readConfig's warning names it
  }
}

function openStore(env: NodeJS.ProcessEnv): Conf<Record<string, unknown>> {
  closeFolder(configPath(env));
  try {
    return new Conf<Record<string, unknown>>(storeOptions(env));
  } catch (error) {
    const file = (error as { path?: string }).path ?? configPath(env);
    if (error instanceof SyntaxError) throw syntaxError(file);
    throw new ConfigError(file, undefined, `cannot be read: ${(error as Error).message}`);
  }
}

/** The file as it is, checked before conf reads it: a file that is not one JSON object is reported and left untouched, never rewritten. */
function checkFile(env: NodeJS.ProcessEnv): void {
  const file = configPath(env);
  loadConfigFrom(file, readConfigText(file), {});
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
  if (!/^[A-Za-z][\w-]*(\.[A-Za-z0-9][\w-]*)*$/.test(key))
    throw new ConfigError('config set', key, 'not a setting name (use dots: aws.region)');
  checkFile(env);
  const store = openStore(env);
  const current = validateConfig(store.store, store.path);
  const next = structuredClone(current) as Record<string, unknown>;
  setPath(next, key, value);
  validateConfig(next, `config set ${key}`);
  const { problems } = applyOverrides(DEFAULT_POLICY, (next as Config).policy);
  if (problems.length > 0) throw new ConfigError(`config set ${key}`, problems[0]!.path, problems[0]!.message);
  store.set(key, value);
  closeFolder(store.path);
  // conf's mode applies to the file it creates; a file made by an older version or by hand is closed too.
  fs.chmodSync(store.path, 0o600);
}

/** Removes one key; empty parent objects go too. */
export function unsetConfigValue(key: string, env: NodeJS.ProcessEnv = process.env): boolean {
  checkFile(env);
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
