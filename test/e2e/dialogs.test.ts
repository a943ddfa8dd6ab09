/**
 * The tallest questions at 80x24 in a real terminal (tmux): a parameter prompt in a room (disk-fill's
 * storage size, auth-bruteforce's address) and a plan to confirm. Every line is at most 80 columns,
 * the box's lines are whole (border to border, nothing drawn over them), the answer line is visible
 * and holds exactly what was typed, and after leaving, the screen equals a fresh render of itself.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, isolatedEnv } from '../harness/cli.js';
import { requireTool } from '../harness/servers.js';
import { Tmux } from '../harness/tmux.js';

const skip = requireTool('tmux', Tmux.available(), 'apt-get install tmux');
const WIDTH = 80;
const HEIGHT = 24;
let tmux: Tmux | undefined;
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

function start(args: string): Tmux {
  const env = isolatedEnv();
  env.VITASCOPE_ONCALL_DATA_DIR = path.join(env.HOME!, 'data');
  const t = new Tmux();
  const rc = path.join(env.HOME!, 'bashrc');
  fs.writeFileSync(rc, "PS1='PROMPT$ '\n");
  t.start(`bash --rcfile ${rc} --noprofile -i`, { ...env, TERM: 'xterm-256color' }, { width: WIDTH, height: HEIGHT });
  t.type(`node ${BIN} ${args}`);
  t.keys('Enter');
  return t;
}

/** What every screen must be: lines within the width, and a bordered box's lines whole from border to border. */
function checkScreen(screen: string): void {
  const lines = screen.replace(/\n$/, '').split('\n');
  expect(lines.length).toBeLessThanOrEqual(HEIGHT);
  for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(WIDTH);
  const box = lines.filter((l) => l.startsWith('│'));
  for (const l of box) expect(l, 'a box line drawn over').toMatch(/^│ .*│$/);
  const top = lines.findIndex((l) => l.startsWith('╭'));
  const bottom = lines.findIndex((l) => l.startsWith('╰'));
  if (top >= 0) expect(bottom, 'the box closes on screen').toBeGreaterThan(top);
  // A marker of lines out of view is the whole line (the stale "↓ 3 more lines belowallocated storage").
  for (const l of lines.filter((x) => /more lines? (above|below)/.test(x)))
    expect(l).toMatch(/more lines? (above|below)\s*$/);
}

/** Works the room from where it opens to the question `until` finds, checking every screen on the way. */
async function walk(t: Tmux, until: (screen: string) => boolean): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const s = await t.waitFor((x) => x.includes('INCIDENT ROOM') && /╰/.test(x), 'a question in the room', 15_000);
    checkScreen(s);
    if (until(s)) return s;
    if (/Apply to .*\? y apply/.test(s)) t.keys('y');
    else t.keys('Enter');
    await t.waitFor((x) => x !== s, 'the room moved on', 15_000).catch(() => undefined);
  }
  throw new Error('the room never asked that');
}

/**
 * A screen without what ticks on its own (the clock's line, ages, freshness, sparklines): what is left
 * must be equal, or a character is stale.
 */
const still = (screen: string) =>
  screen
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/\d+(?:[.,:]\d+)*/g, '0').replace(/[▁▂▃▄▅▆▇█]+/g, '▁'))
    .join('\n');

/** The screen after a resize forces a fresh render, against the screen before (the clock's line aside). */
async function freshEqual(t: Tmux, what: string): Promise<void> {
  const before = await t.settled();
  execTmux(t, ['resize-window', '-t', '0', '-x', String(WIDTH + 1)]);
  await t.waitFor((x) => x !== before, `${what} at 81 columns`).catch(() => undefined);
  execTmux(t, ['resize-window', '-t', '0', '-x', String(WIDTH)]);
  const fresh = await t.waitFor((x) => still(x) === still(before), `${what}: a fresh render equals what was on screen`);
  checkScreen(fresh);
}

function execTmux(t: Tmux, args: string[]): void {
  execFileSync('tmux', ['-L', t.server, ...args]);
}

describe.skipIf(skip)('questions at 80x24 (tmux)', () => {
  it('disk-fill: the storage size and the grow plan fit, the answer line intact, nothing stale after leaving', async () => {
    tmux = start('--scenario disk-fill --at 55m --speed 1');
    await tmux.waitFor((s) => s.includes(' SANDBOX ') && /✗ CRIT .*disk-usage/.test(s), 'the overview with the alarm');
    tmux.keys('r');
    const asked = await walk(tmux, (s) => s.includes('│ Give '));
    expect(asked).toContain('Give the new allocated storage');
    expect(asked).toMatch(/^│ > {2,}│$/m);

    // A stray y is shown as typed, on its own whole line, with the refusal under it.
    tmux.type('y');
    const refused = await tmux.waitFor((s) => s.includes('│ ✗ '), 'the refusal as typed');
    checkScreen(refused);
    expect(refused).toMatch(/^│ > y {2,}│$/m);
    expect(refused).toContain('Give the new allocated storage');
    tmux.keys('BSpace');
    await tmux.waitFor((s) => /^│ > {2,}│$/m.test(s), 'the answer line cleared');
    tmux.keys('Enter');

    // The grow plan: its question line whole, never run into the line that was there before.
    const plan = await tmux.waitFor((s) => /Apply to vitascope-db\?/.test(s), 'the grow plan');
    checkScreen(plan);
    expect(plan).toMatch(/^│ Apply to vitascope-db\? y apply · t dry run · n decline {2,}│$/m);
    expect(plan).toMatch(/200 → 400/);
    await freshEqual(tmux, 'the plan');

    // Leaving the room: the overview, whole, and a fresh render of it is the same.
    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes('ALARMS') && !s.includes('INCIDENT ROOM'), 'the overview again');
    await freshEqual(tmux, 'the overview after the room');
    tmux.keys('q');
    await tmux.waitFor((s) => s.includes('PROMPT$'), 'the shell again');
  }, 120_000);

  it('auth-bruteforce: the block plan names the offending address and fits, its question line whole', async () => {
    tmux = start('--scenario auth-bruteforce --at 15m --speed 1');
    await tmux.waitFor((s) => s.includes(' SANDBOX ') && /✗ CRIT|▲ WARN/.test(s), 'the overview with an alarm');
    tmux.keys('r');
    const plan = await walk(tmux, (s) => /Apply to \d+\.\d+\.\d+\.\d+\?/.test(s));
    expect(plan).toMatch(/^│ Apply to \d+\.\d+\.\d+\.\d+\? y apply · t dry run · n decline {2,}│$/m);
    await freshEqual(tmux, 'the block plan');
    tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes('INCIDENT ROOM'), 'out of the room');
    await freshEqual(tmux, 'the screen after the room');
  }, 120_000);
});
