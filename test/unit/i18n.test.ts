import { describe, expect, it } from 'vitest';
import { CATALOGUES, paramsOf, translator, type MessageKey } from '../../src/core/i18n/index.js';
import { COMMANDS } from '../../src/core/cockpit/commands.js';
import { commandWords, hints, type Binding } from '../../src/core/cockpit/bindings.js';
import { SCREEN_REGISTRY } from '../../src/core/cockpit/screens.js';
import { ALARM_COLUMNS } from '../../src/ui/render/alarms.js';
import { INCIDENT_COLUMNS } from '../../src/ui/render/incidents.js';
import { SERVICE_COLUMNS } from '../../src/ui/render/services.js';
import { DATABASE_HEADERS } from '../../src/ui/render/databases.js';
import { HEADER_KEYS, localColumns } from '../../src/ui/render/localColumns.js';
import { formatDuration } from '../../src/core/time.js';
import { displayWidth } from '../../src/output/table.js';

const keys = (lang: 'en' | 'ja') => Object.keys(CATALOGUES[lang]).sort();

describe('the message catalogues', () => {
  it('have the same keys in English and Japanese', () => {
    expect(keys('ja')).toEqual(keys('en'));
    expect(keys('en').length).toBeGreaterThan(200);
  });

  it('have the same {params} in every message of both languages', () => {
    const mismatched = keys('en').filter(
      (k) => paramsOf(CATALOGUES.en[k as MessageKey]).join() !== paramsOf(CATALOGUES.ja[k as MessageKey]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('leave no Japanese message identical to the English one, except symbols, units and names kept on purpose', () => {
    // Words kept as they are in Japanese UIs: API, and the level initials (symbols).
    const kept = new Set<string>(['overview.api']);
    const same = keys('en').filter(
      (k) =>
        !kept.has(k) &&
        /[A-Za-z]{3}/.test(CATALOGUES.en[k as MessageKey]) &&
        CATALOGUES.en[k as MessageKey] === CATALOGUES.ja[k as MessageKey],
    );
    expect(same).toEqual([]);
  });

  it('fills params, and leaves a missing one visible', () => {
    const ja = translator('ja');
    expect(ja('list.shownOf', { shown: 3, total: 9 })).toBe('3 / 9');
    expect(translator('en')('list.shownOf', { shown: 3 })).toBe('3 of {total}');
    expect(ja.lang).toBe('ja');
    expect(translator('ja')).toBe(ja);
  });

  it('word every command (help) and every hint (footer), and every screen title', () => {
    const ja = translator('ja');
    for (const c of COMMANDS as readonly Binding[]) {
      expect(commandWords(c, 'cmd', ja), c.id).toBeDefined();
      if (c.hint) expect(commandWords(c, 'hint', ja), c.id).toBeDefined();
    }
    const all = hints(COMMANDS, ['room', 'incidents', 'list', 'global'], ja);
    expect(all.map((h) => h.label)).toContain('適用');
    expect(all.every((h) => !/^[a-z ]+$/.test(h.label))).toBe(true);
    for (const s of SCREEN_REGISTRY) expect(ja(`screen.${s.id}`)).toMatch(/[^\x00-\x7f]/);
  });

  it('translate every column header, widening a column to fit its translation', () => {
    const headers = [...ALARM_COLUMNS, ...INCIDENT_COLUMNS, ...SERVICE_COLUMNS].map((c) => c.header);
    for (const h of [...headers, ...DATABASE_HEADERS]) expect(HEADER_KEYS[h], h).toBeDefined();
    const ja = translator('ja');
    const cols = localColumns(INCIDENT_COLUMNS, ja);
    expect(cols).toBe(localColumns(INCIDENT_COLUMNS, ja));
    for (const c of cols) if (c.width !== undefined) expect(displayWidth(c.header)).toBeLessThanOrEqual(c.width);
    expect(cols[0]!.header).toBe('優先');
    expect(localColumns(INCIDENT_COLUMNS, translator('en'))).toBe(INCIDENT_COLUMNS);
  });

  it('keep level words the width of the English ones, so the level column holds them (kanji are two cells)', () => {
    for (const level of ['critical', 'warning', 'info', 'ok'] as const) {
      const en = CATALOGUES.en[`level.${level}`];
      const ja = CATALOGUES.ja[`level.${level}`];
      expect(displayWidth(ja), ja).toBeLessThanOrEqual(Math.max(6, displayWidth(en)));
      expect(ja.slice(0, 1)).toBe(en.slice(0, 1));
    }
    expect(CATALOGUES.ja['level.critical']).toBe('✗ 重大');
    expect(CATALOGUES.ja['level.warning']).toBe('▲ 警告');
    expect(CATALOGUES.ja['level.info']).toBe('● 情報');
  });

  it('say durations in Japanese: 秒, 分, 時間, 日', () => {
    expect(formatDuration(42_000, 'ja')).toBe('42秒');
    expect(formatDuration(5 * 60_000, 'ja')).toBe('5分');
    expect(formatDuration(65 * 60_000, 'ja')).toBe('1時間5分');
    expect(formatDuration(2 * 3_600_000, 'ja')).toBe('2時間');
    expect(formatDuration(51 * 3_600_000, 'ja')).toBe('2日3時間');
    expect(formatDuration(65 * 60_000)).toBe('1h05m');
    expect(translator('ja')('common.ago', { duration: formatDuration(5 * 60_000, 'ja') })).toBe('5分前');
  });
});
