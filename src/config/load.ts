/**
 * Reading the configuration without loading its validator: the file and the environment variables
 * that override it are looked at first, and only when there is something to validate is zod loaded
 * (validate.ts). No file and no overriding variable, the common case on the sandbox, gives the
 * defaults at once. conf, which writes the file atomically, is loaded by `config set|unset` only.
 */
import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { DEFAULT_POLICY } from '../core/policy/defaults.js';
import type { Policy } from '../core/policy/types.js';
import type { Config } from './schema.js';
import { rememberSecrets } from '../core/journal/secrets.js';
import { configuredSecrets, secretFileWarnings } from './secrets.js';

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
  /** Files holding a secret that others can read (secrets.ts): for the commands to print. */
  readonly warnings?: readonly string[];
}

/** Environment variables that override the file, and the key each one sets. */
export const ENV_OVERRIDES: readonly {
  readonly variable: string;
  readonly key: string;
  readonly kind: 'string' | 'boolean' | 'number';
}[] = [
  { variable: 'AWS_PROFILE', key: 'aws.profile', kind: 'string' },
  { variable: 'AWS_REGION', key: 'aws.region', kind: 'string' },
  { variable: 'AWS_DEFAULT_REGION', key: 'aws.region', kind: 'string' },
  { variable: 'AWS_ENDPOINT_URL', key: 'aws.endpointUrl', kind: 'string' },
  { variable: 'PAGERDUTY_TOKEN', key: 'pagerduty.token', kind: 'string' },
  { variable: 'PAGERDUTY_FROM', key: 'pagerduty.from', kind: 'string' },
  { variable: 'PAGERDUTY_SERVICE_REGION', key: 'pagerduty.serviceRegion', kind: 'string' },
  { variable: 'VITASCOPE_PROMETHEUS_URL', key: 'prometheus.url', kind: 'string' },
  { variable: 'VITASCOPE_PROMETHEUS_TOKEN', key: 'prometheus.token', kind: 'string' },
  { variable: 'VITASCOPE_ALERTMANAGER_URL', key: 'alertmanager.url', kind: 'string' },
  { variable: 'VITASCOPE_ALERTMANAGER_TOKEN', key: 'alertmanager.token', kind: 'string' },
  { variable: 'VITASCOPE_READONLY', key: 'readonly', kind: 'boolean' },
  { variable: 'VITASCOPE_USER_NAME', key: 'user.name', kind: 'string' },
  { variable: 'VITASCOPE_USER_EMAIL', key: 'user.email', kind: 'string' },
  { variable: 'VITASCOPE_TIMEOUT_CONNECT', key: 'timeouts.connect', kind: 'number' },
  { variable: 'VITASCOPE_TIMEOUT_REQUEST', key: 'timeouts.request', kind: 'number' },
  { variable: 'VITASCOPE_TIMEOUT_SOURCE', key: 'timeouts.source', kind: 'number' },
  { variable: 'VITASCOPE_TEAM_URL', key: 'team.url', kind: 'string' },
  { variable: 'VITASCOPE_TEAM_ID', key: 'team.id', kind: 'string' },
];

/** Keys whose values are secrets: never printed, only said to be set. */
export function isSecretKey(key: string): boolean {
  const last = key.split('.').pop() ?? key;
  return /token|secret|password|apikey|credential/i.test(last);
}

/** Where the configuration file is (whether or not it exists): VITASCOPE_ONCALL_CONFIG_DIR, or the platform's config directory (conf's rule). */
export function configPath(env: NodeJS.ProcessEnv): string {
  const cwd = env.VITASCOPE_ONCALL_CONFIG_DIR;
  return path.resolve(cwd ?? envPaths('vitascope-oncall', { suffix: '' }).config, 'config.json');
}

/**
 * The file's text, or undefined when there is none; then its folder is created (0700: it will hold
 * tokens), as conf has always done when reading. A file that cannot be read is a ConfigError.
 */
export function readConfigText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    try {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      } catch {
        // A folder that cannot be made holds no file: the defaults apply; `config set` says what is wrong.
      }
      return undefined;
    } catch (problem) {
      throw new ConfigError(
        (problem as { path?: string }).path ?? file,
        undefined,
        `cannot be read: ${(problem as Error).message}`,
      );
    }
  }
}

/** Whether an environment variable overrides the file (and so has to be validated). */
export function environmentOverrides(env: NodeJS.ProcessEnv): boolean {
  return ENV_OVERRIDES.some((o) => env[o.variable] !== undefined && env[o.variable] !== '');
}

function emptyObject(text: string): boolean {
  try {
    const data: unknown = JSON.parse(text);
    return typeof data === 'object' && data !== null && !Array.isArray(data) && Object.keys(data).length === 0;
  } catch {
    return false;
  }
}

/** The configuration of a machine where nothing is configured: every default. */
export function defaultConfig(file: string): LoadedConfig {
  return { path: file, file: {}, effective: {}, origins: new Map(), policy: DEFAULT_POLICY };
}

/**
 * Reads and validates the configuration file, then applies environment overrides (validated too);
 * the same result and the same errors as validate.ts's loadConfig, which it calls only when there is
 * something to validate. Never writes: a bad file is reported and left as it is.
 */
export async function readConfig(env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const file = configPath(env);
  const text = readConfigText(file);
  let loaded: LoadedConfig;
  if ((text === undefined || emptyObject(text)) && !environmentOverrides(env)) loaded = defaultConfig(file);
  else loaded = (await import('./validate.js')).loadConfigFrom(file, text, env);
  // The program's own secrets are redacted by value wherever they would be printed, stored or sent.
  rememberSecrets(configuredSecrets(loaded.effective, env));
  return { ...loaded, warnings: secretFileWarnings(file, loaded.file, loaded.effective, env) };
}

export function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
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

export function leafKeys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}
