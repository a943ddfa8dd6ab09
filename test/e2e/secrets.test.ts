import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runCli } from '../harness/cli.js';

/**
 * Secrets in the configuration through the built binary: the file is written 0600 in a 0700 folder; a
 * file holding a secret that others can read is named in a warning (config.json, the AWS credentials
 * file); URLs are shown with their credentials and secret query values masked, from the file and from
 * the environment alike.
 */

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e = isolatedEnv(extra);
  made.push(e.HOME!);
  return e;
}

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe('the configuration file', () => {
  it('is written 0600 in a 0700 folder, and a copy others can read is named in a warning', async () => {
    const e = env();
    const dir = e.VITASCOPE_ONCALL_CONFIG_DIR!;
    const file = path.join(dir, 'config.json');
    const set = await runCli(['config', 'set', 'pagerduty.token', 'y_NbAkKc66ryYTWUXYEu'], e);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('pagerduty.token = ******** (set, hidden)\n');
    expect(mode(file)).toBe('600');
    expect(mode(dir)).toBe('700');
    const quiet = await runCli(['config', 'list'], e);
    expect(quiet.stderr).toBe('');

    fs.chmodSync(file, 0o644);
    fs.chmodSync(dir, 0o755);
    const list = await runCli(['config', 'list'], e);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain('y_NbAkKc66ryYTWUXYEu');
    expect(list.stderr).toBe(
      `vitascope-oncall: warning: ${file} holds pagerduty.token and others on this machine can read it (mode 0644): chmod 600 ${file}\n` +
        `vitascope-oncall: warning: ${dir} holds a configuration with secrets and is open to others (mode 0755): chmod 700 ${dir}\n`,
    );
    // Every command that reads the configuration warns, once.
    const status = await runCli(['--demo', 'status'], e);
    expect(status.stderr.match(/warning: .*config\.json holds pagerduty\.token/g)).toHaveLength(1);
    // Writing closes both again.
    expect((await runCli(['config', 'set', 'user.name', 'Aiko'], e)).code).toBe(0);
    expect(mode(file)).toBe('600');
    expect(mode(dir)).toBe('700');
    expect((await runCli(['config', 'list'], e)).stderr).toBe('');
  });

  it('an AWS credentials file others can read is named when AWS is in use', async () => {
    const e = env({ AWS_REGION: 'ap-northeast-1' });
    const creds = path.join(e.HOME!, 'creds');
    fs.writeFileSync(
      creds,
      '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
    );
    fs.chmodSync(creds, 0o666);
    const r = await runCli(['config', 'list'], { ...e, AWS_SHARED_CREDENTIALS_FILE: creds });
    expect(r.stderr).toBe(
      `vitascope-oncall: warning: ${creds}, the AWS credentials file, can be read or changed by others on this machine (mode 0666): chmod 600 ${creds}\n`,
    );
    fs.chmodSync(creds, 0o600);
    expect((await runCli(['config', 'list'], { ...e, AWS_SHARED_CREDENTIALS_FILE: creds })).stderr).toBe('');
  });
});

describe('URLs with credentials', () => {
  const URL_WITH = 'https://admin:S3cretPass@prom.internal:9090/?token=abc123token&x=1';
  const SHOWN = 'https://admin:********@prom.internal:9090/?token=********&x=1';

  it('are masked by config set, get and list, from the file', async () => {
    const e = env();
    const set = await runCli(['config', 'set', 'prometheus.url', URL_WITH], e);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe(`prometheus.url = ${SHOWN}\n`);
    for (const args of [
      ['config', 'get', 'prometheus.url'],
      ['config', 'get', 'prometheus'],
      ['config', 'list'],
      ['config', 'list', '--json'],
      ['config', 'get', 'prometheus.url', '--json'],
    ]) {
      const r = await runCli(args, e);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, args.join(' ')).not.toContain('S3cretPass');
      expect(r.stdout, args.join(' ')).not.toContain('abc123token');
      expect(r.stdout, args.join(' ')).toContain('admin:********@prom.internal:9090');
    }
  });

  it('are masked when they come from the environment too', async () => {
    const e = env({
      VITASCOPE_ALERTMANAGER_URL: 'https://ops:EnvPass99@am.internal/',
      VITASCOPE_PROMETHEUS_URL: 'https://p.internal/?api_key=envkey12345',
    });
    const list = await runCli(['config', 'list'], e);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).not.toMatch(/EnvPass99|envkey12345/);
    expect(list.stdout).toMatch(
      /alertmanager\.url +https:\/\/ops:\*{8}@am\.internal\/ +env VITASCOPE_ALERTMANAGER_URL/,
    );
    expect(list.stdout).toMatch(
      /prometheus\.url +https:\/\/p\.internal\/\?api_key=\*{8} +env VITASCOPE_PROMETHEUS_URL/,
    );
    const get = await runCli(['config', 'get', 'alertmanager.url'], e);
    expect(get.stdout).toBe('https://ops:********@am.internal/\n');
  });
});
