/**
 * The cockpit at 80x24 and 200x60 in a real terminal (tmux), read against the sandbox's own state (the
 * `status --json` of the same scenario and time): alarm names stay distinguishable, the incident title
 * column stays, the task definition keeps its revision, nothing is wider than the terminal, and closing
 * help leaves the screen exactly as it was (no stale characters).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, isolatedEnv, runCli } from '../harness/cli.js';
import { requireTool } from '../harness/servers.js';
import { Tmux } from '../harness/tmux.js';

const skip = requireTool('tmux', Tmux.available(), 'apt-get install tmux');
let tmux: Tmux | undefined;
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

interface Truth {
  readonly alarms: { readonly items: readonly { readonly name: string; readonly state: string }[] };
  readonly services: readonly { readonly name: string; readonly taskDefinition: string }[];
  readonly incidents: readonly { readonly number?: number; readonly title: string }[];
}

async function truth(env: NodeJS.ProcessEnv): Promise<Truth> {
  const r = await runCli(['status', '--json', '--scenario', 'api-cpu-spike', '--at', '15m'], env);
  return JSON.parse(r.stdout) as Truth;
}

function start(width: number, height: number): Tmux {
  const env = isolatedEnv();
  env.VITASCOPE_ONCALL_DATA_DIR = path.join(env.HOME!, 'data');
  const t = new Tmux();
  const rc = path.join(env.HOME!, 'bashrc');
  fs.writeFileSync(rc, "PS1='PROMPT$ '\n");
  t.start(`bash --rcfile ${rc} --noprofile -i`, { ...env, TERM: 'xterm-256color' }, { width, height });
  return t;
}

/** The text of the cells a row shows, given where its header's columns start. */
function cell(line: string, header: string, name: string, next: string | undefined): string {
  const from = header.indexOf(name);
  const to = next ? header.indexOf(next) : undefined;
  return line.slice(from, to).trim();
}

/**
 * The screen without its clock line, ages and freshness written as one mark: they tick every second
 * (an alarm that went into ALARM a second ago reads "0s", then "1s"), which is not a stale character.
 */
function ticking(screen: string): string[] {
  return screen
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/\b\d+[smhd](\d+[smhd])?\b/g, '⏱'));
}

/** Whether a cut cell ("vitascope-api-…tency-critical") is a cut of the name. */
function cutOf(shown: string, name: string): boolean {
  const [head, tail] = shown.split('…');
  return tail === undefined ? name === shown : name.startsWith(head!) && name.endsWith(tail);
}

describe.skipIf(skip)('the cockpit at every size (tmux)', () => {
  for (const [width, height] of [
    [80, 24],
    [200, 60],
  ] as const) {
    it(`${width}x${height}: names distinguishable, the title column present, the revision kept, nothing stale`, async () => {
      const env = isolatedEnv();
      const world = await truth(env);
      tmux = start(width, height);
      await tmux.waitFor((s) => s.includes('PROMPT$'), 'shell');
      tmux.type(`node ${BIN} --scenario api-cpu-spike --at 15m --speed 1`);
      tmux.keys('Enter');
      await tmux.waitFor((s) => s.includes(' SANDBOX ') && s.includes('SOURCES'), 'overview');

      tmux.keys('2');
      const alarms = await tmux.waitFor((s) => /ALARMS 31/.test(s) && s.includes('NAME'), 'alarms');
      const lines = alarms.split('\n');
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
      const header = lines.find((l) => l.includes('LEVEL') && l.includes('NAME'))!;
      const headerCols = header.trim().split(/\s{1,}/);
      const after = headerCols[headerCols.indexOf('NAME') + 1];
      const firing = world.alarms.items.filter((a) => a.state === 'ALARM').map((a) => a.name);
      const rows = lines.filter((l) => /ALARM\s/.test(l.slice(header.indexOf('NAME'))) && /(CRIT|WARN|INFO)/.test(l));
      expect(rows.length).toBe(firing.length);
      const names = rows.map((l) => cell(l, header, 'NAME', after));
      // Every row's name is a cut of a firing alarm's name, and no two rows read alike.
      for (const n of names)
        expect(
          firing.some((f) => cutOf(n, f)),
          `${n} is one of ${firing.join(', ')}`,
        ).toBe(true);
      expect(new Set(names).size).toBe(names.length);
      if (width >= 200) for (const f of firing) expect(alarms).toContain(f);

      // Help opened and closed leaves the list exactly as it was (the clock aside).
      await tmux.waitFor((s) => s.includes('ALARMS 31'), 'alarms again');
      const before = await tmux.settled();
      tmux.keys('?');
      await tmux.waitFor((s) => s.includes('KEYS'), 'help');
      tmux.keys('Escape');
      await tmux.waitFor((s) => s.includes('ALARMS 31') && !s.includes('KEYS'), 'back to alarms');
      const back = await tmux.settled();
      expect(ticking(back)).toEqual(ticking(before));

      tmux.keys('4');
      const incidents = await tmux.waitFor((s) => s.includes('#1042'), 'incidents');
      const iHeader = incidents.split('\n').find((l) => l.includes('PRI') && l.includes('ID'))!;
      expect(iHeader).toContain('TITLE');
      const row = incidents.split('\n').find((l) => l.includes('#1042'))!;
      const title = world.incidents.find((i) => i.number === 1042)!.title;
      const shownTitle = row.slice(iHeader.indexOf('TITLE')).trim().replace(/…$/, '');
      expect(shownTitle.length).toBeGreaterThanOrEqual(20);
      expect(title.startsWith(shownTitle)).toBe(true);

      // A dialog opened and closed leaves no character of itself behind.
      await tmux.waitFor((s) => s.includes('#1042') && !s.includes('Note'), 'incidents');
      const listed = await tmux.settled();
      tmux.keys('n');
      await tmux.waitFor((s) => s.includes('Esc cancel'), 'the note dialog');
      tmux.type('a note never sent');
      await tmux.waitFor((s) => s.includes('a note never sent'), 'typed');
      tmux.keys('Escape');
      await tmux.waitFor((s) => s.includes('#1042') && !s.includes('a note never sent'), 'the dialog closed');
      const closed = await tmux.settled();
      expect(ticking(closed)).toEqual(ticking(listed));

      tmux.keys('3');
      const services = await tmux.waitFor((s) => s.includes('TASK DEF'), 'services');
      const sLines = services.split('\n');
      const sHeader = sLines.find((l) => l.includes('SERVICE') && l.includes('TASK DEF'))!;
      const sCols = sHeader.trim().split(/\s{1,}/);
      for (const s of world.services) {
        const revision = /:(\d+)$/.exec(s.taskDefinition)![1]!;
        const line = sLines.find((l) => cutOf(cell(l, sHeader, 'SERVICE', sCols[1]).replace(/^› /, ''), s.name))!;
        expect(line, s.name).toMatch(new RegExp(`:${revision}\\b`));
      }
      tmux.keys('q');
      await tmux.waitFor((s) => s.includes('PROMPT$'), 'the shell again');
    }, 60_000);
  }
});
