/**
 * The real binary speaks one language (tmux, 80x24): `--lang ja` draws the cockpit's own words in
 * Japanese with every line within the terminal's 80 cells (kanji are two), and the locale picks the
 * language when no flag does (LANG=ja_JP.UTF-8 → Japanese; --lang en wins over it). The alarm names
 * shown are read against the sandbox's own state (`status --json` of the same scenario and time).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, isolatedEnv, runCli } from '../harness/cli.js';
import { requireTool } from '../harness/servers.js';
import { Tmux } from '../harness/tmux.js';
import { displayWidth } from '../../src/output/table.js';

const skip = requireTool('tmux', Tmux.available(), 'apt-get install tmux');
let tmux: Tmux | undefined;
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

function start(env: NodeJS.ProcessEnv): Tmux {
  const t = new Tmux();
  const rc = path.join(env.HOME!, 'bashrc');
  fs.writeFileSync(rc, "PS1='PROMPT$ '\n");
  t.start(`bash --rcfile ${rc} --noprofile -i`, { ...env, TERM: 'xterm-256color' }, { width: 80, height: 24 });
  return t;
}

function widest(screen: string): number {
  return Math.max(...screen.split('\n').map((l) => displayWidth(l.trimEnd())));
}

describe.skipIf(skip)('the cockpit in one language (tmux, 80x24)', () => {
  it('--lang ja: the overview, the alarms list and help in Japanese, no line over 80 cells', async () => {
    const env = isolatedEnv({ LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    env.VITASCOPE_ONCALL_DATA_DIR = path.join(env.HOME!, 'data');
    const world = JSON.parse(
      (await runCli(['status', '--json', '--scenario', 'api-cpu-spike', '--at', '15m'], env)).stdout,
    ) as { alarms: { items: { name: string; state: string }[] } };
    tmux = start(env);
    await tmux.waitFor((s) => s.includes('PROMPT$'), 'shell');
    tmux.type(`node ${BIN} --lang ja --scenario api-cpu-spike --at 15m --speed 1`);
    tmux.keys('Enter');
    const overview = await tmux.waitFor(
      (s) => s.includes('サンドボックス') && s.includes('データソース'),
      'overview',
      20_000,
    );
    expect(overview).toContain('✗ 重大');
    expect(overview).not.toMatch(/\b(ALARMS|SERVICES|INCIDENTS|SOURCES|ON CALL|SANDBOX)\b/);
    expect(widest(overview)).toBeLessThanOrEqual(80);

    tmux.keys('2');
    const alarms = await tmux.waitFor((s) => /アラーム 31/.test(s) && s.includes('名前'), 'alarms');
    expect(widest(alarms)).toBeLessThanOrEqual(80);
    expect(alarms).not.toMatch(/\b(CRIT|WARN|LEVEL|NAME|sorted by)\b/);
    const firing = world.alarms.items.filter((a) => a.state === 'ALARM');
    // One row per firing alarm, each saying its level in a Japanese word and its state as 発報.
    expect(alarms.split('\n').filter((l) => /(重大|警告|情報)\s+vitascope-.*発報/.test(l)).length).toBe(firing.length);

    tmux.keys('?');
    const help = await tmux.waitFor((s) => s.includes('キー操作'), 'help');
    expect(help).toContain('全画面');
    expect(widest(help)).toBeLessThanOrEqual(80);
    tmux.keys('q');
    await tmux.waitFor((s) => s.includes('PROMPT$'), 'the shell again');
  }, 60_000);

  it('the locale chooses the language when no flag does; --lang en wins over a Japanese locale', async () => {
    const env = isolatedEnv({ LANG: 'ja_JP.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    env.VITASCOPE_ONCALL_DATA_DIR = path.join(env.HOME!, 'data');
    tmux = start(env);
    await tmux.waitFor((s) => s.includes('PROMPT$'), 'shell');
    tmux.type(`node ${BIN} --scenario api-cpu-spike --at 15m --speed 1`);
    tmux.keys('Enter');
    await tmux.waitFor(
      (s) => s.includes('サンドボックス') && s.includes('オンコール'),
      'Japanese from the locale',
      20_000,
    );
    tmux.keys('q');
    // The shell's own fresh prompt (the last line), not the earlier one still on screen: typing before the
    // program has let go of the terminal would go to it. A loaded machine takes seconds: the waits are generous.
    await tmux.waitFor((s) => s.trimEnd().split('\n').pop() === 'PROMPT$', 'the shell again', 20_000);
    tmux.type(`node ${BIN} --lang en --scenario api-cpu-spike --at 15m --speed 1`);
    tmux.keys('Enter');
    const en = await tmux.waitFor(
      (s) => s.includes(' SANDBOX ') && s.includes('SOURCES'),
      'English by the flag',
      20_000,
    );
    expect(en).not.toContain('サンドボックス');
    tmux.keys('q');
    await tmux.waitFor((s) => s.includes('PROMPT$'), 'the shell again');
  }, 60_000);
});
