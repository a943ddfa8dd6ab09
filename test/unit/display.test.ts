/**
 * The display settings: one time zone for every clock (display.timezone, --utc), validated where it
 * is configured; the language and links keys.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/store.js';
import { configFor } from '../../src/commands/context.js';
import { displayTimeZone, formatClock, isTimeZone, reportTimeZone, setDisplayTimeZone } from '../../src/core/time.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const file = () => path.join(dir, 'config.json');
const stderr = { write: () => true } as unknown as NodeJS.WritableStream;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-display-'));
  env = { VITASCOPE_ONCALL_CONFIG_DIR: dir };
});
afterEach(() => {
  setDisplayTimeZone(undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

// 2026-01-05 01:40 UTC is 10:40 in Tokyo (UTC+9, no daylight saving).
const T = Date.UTC(2026, 0, 5, 1, 40);

describe('the display time zone', () => {
  it('shows every clock in the configured zone, and UTC on request', () => {
    setDisplayTimeZone('Asia/Tokyo');
    expect(formatClock(T)).toMatch(/^2026-01-05 10:40 /);
    expect(displayTimeZone()).toBe('Asia/Tokyo');
    expect(reportTimeZone('Europe/Paris')).toBe('Asia/Tokyo');
    setDisplayTimeZone('UTC');
    expect(formatClock(T)).toBe('2026-01-05 01:40 UTC');
    // Unset: the machine's zone on screen, the team's (working hours) in reports.
    setDisplayTimeZone(undefined);
    expect(displayTimeZone()).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(reportTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(() => setDisplayTimeZone('Mars/Olympus')).toThrow(/not an IANA time zone/);
    expect(isTimeZone('')).toBe(false);
  });

  it('reads display.timezone from the configuration, refuses a zone that is not one, and --utc wins', async () => {
    fs.writeFileSync(file(), JSON.stringify({ display: { timezone: 'Asia/Tokyo', lang: 'ja', links: false } }));
    const c = await configFor({}, { env, stderr });
    expect(c.effective.display).toEqual({ timezone: 'Asia/Tokyo', lang: 'ja', links: false });
    expect(formatClock(T)).toMatch(/^2026-01-05 10:40 /);
    const utc = await configFor({ utc: true, lang: 'en' }, { env, stderr });
    expect(utc.effective.display).toMatchObject({ timezone: 'UTC', lang: 'en' });
    expect(utc.origins.get('display.timezone')).toBe('flag');
    expect(formatClock(T)).toBe('2026-01-05 01:40 UTC');

    fs.writeFileSync(file(), JSON.stringify({ display: { timezone: 'Tokyo' } }));
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `${file()}: display.timezone: an IANA time zone such as Asia/Tokyo or UTC`,
    );
    fs.writeFileSync(file(), JSON.stringify({ display: { lang: 'fr' } }));
    expect(() => loadConfig(env)).toThrow(/display\.lang: en or ja/);
  });
});
