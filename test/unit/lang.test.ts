import { describe, expect, it } from 'vitest';
import { hasJapanese, inLanguage, langFromEnv } from '../../src/core/lang.js';

describe('one language on screen', () => {
  it('takes the language from the locale in POSIX order', () => {
    expect(langFromEnv({ LANG: 'ja_JP.UTF-8' })).toBe('ja');
    expect(langFromEnv({ LC_ALL: 'en_US.UTF-8', LANG: 'ja_JP.UTF-8' })).toBe('en');
    expect(langFromEnv({ LC_MESSAGES: 'ja', LANG: 'C' })).toBe('ja');
    expect(langFromEnv({ LANG: 'jam' })).toBe('en');
    expect(langFromEnv({})).toBe('en');
  });

  it('shows the matching half of a bilingual text and never mixes Japanese into English', () => {
    expect(inLanguage('ECS service CPU high (CPU 使用率)', 'en')).toBe('ECS service CPU high');
    expect(inLanguage('ECS service CPU high (CPU 使用率)', 'ja')).toBe('CPU 使用率');
    expect(inLanguage('Database storage filling up（ディスク使用率）', 'en')).toBe('Database storage filling up');
    // Nested brackets inside the Japanese half (the resource).
    const d = 'CPU utilisation (vitascope-api): warning threshold of CPU (ECS の CPU 使用率 (vitascope-api): 警告閾値)';
    expect(inLanguage(d, 'en')).toBe('CPU utilisation (vitascope-api): warning threshold of CPU');
    expect(hasJapanese(inLanguage(d, 'en'))).toBe(false);
    // Japanese through and through: named, not shown, in English.
    expect(inLanguage('ストレージの使用率', 'en')).toBe('(written in Japanese: --lang ja shows it)');
    expect(inLanguage('ストレージの使用率', 'ja')).toBe('ストレージの使用率');
    expect(inLanguage('plain English (with brackets)', 'en')).toBe('plain English (with brackets)');
  });
});

describe("the sandbox's alarm descriptions", () => {
  it('carry both languages, and each interface shows only its own', async () => {
    const { sandboxAt } = await import('../harness/ink.js');
    const { DEFAULT_POLICY } = await import('../../src/core/policy/overrides.js');
    const alarms = await sandboxAt('api-cpu-spike', 15).alarms!.listAlarms();
    const cpu = alarms.find((a) => a.name === 'vitascope-api-high-cpu-critical')!;
    const rule = DEFAULT_POLICY.rules.find((r) => r.id === 'cpu-utilization')!;
    const en = inLanguage(cpu.description!, 'en');
    const ja = inLanguage(cpu.description!, 'ja');
    expect(hasJapanese(en)).toBe(false);
    expect(en).toContain(rule.title.en);
    expect(ja).toContain(rule.title.ja);
    for (const a of alarms) expect(hasJapanese(inLanguage(a.description ?? '', 'en'))).toBe(false);
  });
});
