/**
 * The configuration's secrets: which values must be redacted wherever they appear (the program's own
 * tokens and passwords, whatever their shape), and which files holding a secret others can read.
 * Light on purpose (no zod): readConfig runs it for every command.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { urlSecrets } from '../core/journal/secrets.js';
import type { Config } from './schema.js';

/** Environment variables the program reads secrets from, whatever their name says. */
const SECRET_VARIABLES = [
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'PAGERDUTY_TOKEN',
  'VITASCOPE_PROMETHEUS_TOKEN',
  'VITASCOPE_ALERTMANAGER_TOKEN',
  'VITASCOPE_ANNOTATION_TOKEN',
  'GRAFANA_API_KEY',
];
/** Any other variable named like a secret (CI tokens, database passwords) is one too; *_FILE, *_PATH and *_URL name places, not secrets. */
const SECRET_VARIABLE_NAME =
  /(?:^|_)(?:SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)(?:_|$)/i;
const PLACE_VARIABLE = /_(?:FILE|PATH|DIR|URL|URI|ID)$/i;

const SECRET_LEAF = /token|secret|password|apikey|credential/i;

function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return prefix ? [[prefix, value]] : [];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Every secret value the configuration (file and environment overrides) and the environment hold. */
export function configuredSecrets(config: Config, env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const [key, value] of leaves(config)) {
    if (typeof value !== 'string') continue;
    if (SECRET_LEAF.test(key.split('.').pop() ?? '')) out.push(value);
    out.push(...urlSecrets(value));
  }
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_VARIABLES.includes(name) || (SECRET_VARIABLE_NAME.test(name) && !PLACE_VARIABLE.test(name)))
      out.push(value);
  }
  return out;
}

/** The keys of a configuration that hold secrets (tokens, passwords in URLs). */
export function secretKeys(config: Config): string[] {
  return leaves(config)
    .filter(
      ([key, value]) =>
        typeof value === 'string' && (SECRET_LEAF.test(key.split('.').pop() ?? '') || urlSecrets(value).length > 0),
    )
    .map(([key]) => key);
}

function modeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

/**
 * Warnings about files holding a secret that others on the machine can read or change (group or other
 * permission bits): the configuration file when it holds a token or a password (the program writes it
 * 0600 in a 0700 folder), the AWS shared credentials file and the web identity token file when AWS is in use.
 */
export function secretFileWarnings(
  configFile: string,
  file: Config,
  effective: Config,
  env: NodeJS.ProcessEnv,
): string[] {
  const warnings: string[] = [];
  const keys = secretKeys(file);
  if (keys.length) {
    const mode = modeOf(configFile);
    if (mode !== undefined && mode & 0o077) {
      warnings.push(
        `${configFile} holds ${keys.join(', ')} and others on this machine can read it (mode ${octal(mode)}): chmod 600 ${configFile}`,
      );
    }
    const dir = path.dirname(configFile);
    const dirMode = modeOf(dir);
    if (dirMode !== undefined && dirMode & 0o077)
      warnings.push(
        `${dir} holds a configuration with secrets and is open to others (mode ${octal(dirMode)}): chmod 700 ${dir}`,
      );
  }
  const aws = effective.aws !== undefined || env.AWS_PROFILE !== undefined || env.AWS_ACCESS_KEY_ID !== undefined;
  if (aws) {
    const home = env.HOME ?? os.homedir();
    const files = [
      ['the AWS credentials file', env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials')],
      ['the web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE)', env.AWS_WEB_IDENTITY_TOKEN_FILE],
    ] as const;
    for (const [what, file] of files) {
      if (!file) continue;
      const mode = modeOf(file);
      if (mode !== undefined && mode & 0o066)
        warnings.push(
          `${file}, ${what}, can be read or changed by others on this machine (mode ${octal(mode)}): chmod 600 ${file}`,
        );
    }
  }
  return warnings;
}
