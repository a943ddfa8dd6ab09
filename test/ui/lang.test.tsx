import { afterEach, describe, expect, it } from 'vitest';
import React from 'react';
import fs from 'node:fs';
import { render } from 'ink-testing-library';
import { KEYS, renderCockpit, sandboxAt } from '../harness/ink.js';
import { displayWidth } from '../../src/output/table.js';
import { translator } from '../../src/core/i18n/index.js';
import { TranslateContext } from '../../src/ui/hooks/useT.js';
import { DialogBox } from '../../src/ui/components/Dialog.js';
import { createTheme } from '../../src/ui/theme.js';
import type { LiveSnapshot } from '../../src/core/live/model.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

/**
 * Words a Japanese screen may still show in Latin letters: what the world calls things (ids, names,
 * units, products, keys), never the cockpit's own words. The names come from the sources' data itself.
 */
const FIXED_TOKENS = [
  ...['API', 'GiB', 'MiB', 'ms', 'req', 'Esc', 'Tab', 'PgUp', 'PgDn', 'esc', 'space', 'pid'],
  ...['CW', 'PROM', 'AM', 'PagerDuty', 'AWS', 'CloudWatch', 'Prometheus', 'Alertmanager', 'Grafana'],
  ...['Multi', 'AZ', 'PSB', 'p95', 'postgres', 'db', 'UTC', 'cloudwatch', 'prometheus'],
];

function dataWords(live: LiveSnapshot): Set<string> {
  const text = JSON.stringify([
    live.alarms.data,
    live.services.data,
    live.incidents.data,
    live.onCall.data,
    live.databases.data,
  ]);
  return new Set([...(text.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []), ...FIXED_TOKENS]);
}

/**
 * Latin words of two letters or more that are neither data nor a name the world gives. A word cut by an
 * ellipsis ("vitascope-api-h…-latency", "200 Gi…") passes when it is part of an allowed word.
 */
function englishLeft(frame: string, allowed: ReadonlySet<string>): string[] {
  const left = new Set<string>();
  for (const m of frame.matchAll(/[A-Za-z][A-Za-z0-9]*/g)) {
    const w = m[0];
    if (w.length < 2 || allowed.has(w)) continue;
    const cut = frame[m.index + w.length] === '…' || frame[m.index - 1] === '…';
    if (cut && [...allowed].some((a) => a.includes(w))) continue;
    left.add(w);
  }
  return [...left];
}

function widest(frame: string): number {
  const lines = frame.split('\n');
  const w = Math.max(...lines.map((l) => displayWidth(l)));
  if (w > 80) console.log(lines.filter((l) => displayWidth(l) > 80).join('\n'));
  return w;
}

async function openJa(scenario: string, minutes: number) {
  const sources = sandboxAt(scenario, minutes);
  const ui = await renderCockpit(sources, { lang: 'ja' });
  cleanups.push(() => {
    ui.unmount();
    ui.live.stop();
    void ui.services.close();
  });
  // 80x24: the testing terminal says 100 columns; the cockpit follows a resize as it does in a terminal.
  Object.defineProperty(ui.stdout, 'columns', { value: 80, configurable: true });
  Object.defineProperty(ui.stdout, 'rows', { value: 24, configurable: true });
  ui.stdout.emit('resize');
  await ui.press(KEYS.escape);
  return { ...ui, allowed: dataWords(ui.live.snapshot()) };
}

describe('the cockpit in Japanese (--lang ja) at 80x24', () => {
  it('overview: its own words all Japanese, levels in words, no line wider than 80 cells', async () => {
    const ui = await openJa('api-cpu-spike', 15);
    const f = await ui.wait((x) => x.includes('サンドボックス') && x.includes('オンコール'), 'the overview');
    expect(f).toContain('✗ 重大');
    expect(f).toContain('[1 概要]');
    expect(f).toMatch(/全\d+件 · 正常 \d+/);
    expect(englishLeft(f, ui.allowed)).toEqual([]);
    expect(widest(f)).toBeLessThanOrEqual(80);
    expect(f.split('\n').length).toBeLessThanOrEqual(24);
  });

  it('alarms list: headers, levels, states, durations and the key hints in Japanese', async () => {
    const ui = await openJa('api-cpu-spike', 15);
    await ui.press('2');
    const f = await ui.wait((x) => x.includes('レベル') && x.includes('並び順'), 'the alarms list');
    expect(f).toMatch(/発報/);
    expect(f).toMatch(/\d+分/);
    expect(f).toContain('<?> ヘルプ');
    expect(englishLeft(f, ui.allowed)).toEqual([]);
    expect(widest(f)).toBeLessThanOrEqual(80);
  });

  it('incident room: header, phases, marks and the question in Japanese', async () => {
    const ui = await openJa('api-cpu-spike', 15);
    await ui.press('4');
    await ui.wait((x) => x.includes('件名'), 'the incidents list');
    await ui.press('r');
    const f = await ui.wait((x) => x.includes('インシデントルーム') && x.includes('検知'), 'the room');
    expect(f).toMatch(/ランブック \S+ — .* ステップ完了/);
    // The runbook's own Japanese title (runbooks carry both), not its English one.
    const titleJa = /^titleJa: (.+)$/m.exec(fs.readFileSync('runbooks/cpu-utilization.yaml', 'utf8'))![1]!;
    expect(f).toContain(`ランブック cpu-utilization — ${titleJa}`);
    expect(widest(f)).toBeLessThanOrEqual(80);
    // What the room shows from the runbook (step titles, plans) is the runbook's text: only the room's
    // own words are checked, line by line, on the lines that are the room's alone.
    const own = f
      .split('\n')
      .filter((l) => /インシデントルーム|ランブック|検知|適用しますか|あなたの入力待ち|処理中|<\S+>/.test(l))
      .join('\n');
    const runbookWords = new Set([
      ...ui.allowed,
      ...(own.match(/ランブック (\S+)/)?.[1]?.split(/[^A-Za-z0-9]+/) ?? []),
    ]);
    expect(englishLeft(own.replace(/ジャーナル \S+/, ''), runbookWords)).toEqual([]);
  });

  it('on call: who is on call, the rotation and the escalation levels in Japanese', async () => {
    const ui = await openJa('api-cpu-spike', 15);
    await ui.press('5');
    const f = await ui.wait((x) => x.includes('ローテーション'), 'the on-call screen');
    expect(f).toMatch(/レベル 1 {2}一次/);
    expect(englishLeft(f, ui.allowed)).toEqual([]);
    expect(widest(f)).toBeLessThanOrEqual(80);
  });

  it('a dialog: its fixed words in Japanese, the name to type kept as it is', () => {
    const theme = createTheme(false);
    const frame = render(
      <TranslateContext.Provider value={translator('ja')}>
        <DialogBox
          dialog={{
            kind: 'confirm',
            title: 'インシデントを確認',
            target: 'PSB1001',
            lines: ['ステータス: 未対応 → 確認済み'],
            typed: true,
            value: 'PSB',
            danger: true,
            run: async () => '',
          }}
          theme={theme}
          width={80}
        />
      </TranslateContext.Provider>,
    ).lastFrame()!;
    expect(frame).toContain('確認のため PSB1001 と入力');
    expect(englishLeft(frame, new Set([...FIXED_TOKENS, 'PSB1001']))).toEqual([]);
    expect(widest(frame)).toBeLessThanOrEqual(80);
  });
});
