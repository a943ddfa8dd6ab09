import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, isolatedEnv } from '../harness/cli.js';
import { requireTool } from '../harness/servers.js';
import { Tmux } from '../harness/tmux.js';

const skip = requireTool('tmux', Tmux.available(), 'apt-get install tmux');
let tmux: Tmux | undefined;
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

function shell(env: NodeJS.ProcessEnv): Tmux {
  env.VITASCOPE_ONCALL_DATA_DIR ??= path.join(env.HOME!, 'data');
  const t = new Tmux();
  // bash ignores an inherited PS1; a one-line rc file sets a prompt the test can recognise.
  const rc = path.join(env.HOME!, 'bashrc');
  fs.writeFileSync(rc, "PS1='PROMPT$ '\n");
  t.start(`bash --rcfile ${rc} --noprofile -i`, { ...env, TERM: 'xterm-256color' });
  return t;
}

describe.skipIf(skip)('the cockpit in a real terminal (tmux)', () => {
  it('starts on the sandbox, visits every screen, and quits leaving the terminal as it was', async () => {
    tmux = shell(isolatedEnv());
    await tmux.waitFor((s) => s.includes('PROMPT$'), 'shell');
    tmux.type('echo BEFORE-THE-COCKPIT');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('\nBEFORE-THE-COCKPIT'), 'marker');
    tmux.type(`node ${BIN} --scenario api-cpu-spike --at 15m --speed 1`);
    tmux.keys('Enter');
    const overview = await tmux.waitFor(
      (s) => s.includes(' SANDBOX ') && s.includes('vitascope-api-high-cpu-critical') && s.includes('SOURCES'),
      'overview',
    );
    expect(overview).not.toContain('BEFORE-THE-COCKPIT');
    expect(tmux.pane('#{alternate_on}')).toBe('1');
    expect(overview).toContain('scenario api-cpu-spike · seed 1 · 1× time · from +15m');
    for (const [key, marker] of [
      ['2', 'ALARMS 31'],
      ['3', 'SERVICES 2'],
      ['4', 'INCIDENTS 1'],
      ['5', 'ON CALL NOW'],
      ['6', 'STILL OPEN'],
      ['?', 'KEYS'],
    ] as const) {
      tmux.keys(key);
      await tmux.waitFor((s) => s.includes(marker), marker);
    }
    tmux.keys('2');
    await tmux.waitFor((s) => s.includes('ALARMS 31'), 'alarms');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('last 3 hours') && s.includes('state history'), 'alarm detail');
    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes('ALARMS 31'), 'back to alarms');
    tmux.keys('4');
    await tmux.waitFor((s) => s.includes('#1042'), 'incidents');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('timeline') && s.includes('Triggered through CloudWatch'), 'incident detail');
    tmux.keys('r');
    await tmux.waitFor(
      (s) => s.includes('INCIDENT ROOM') && s.includes('runbook cpu-utilization') && s.includes('Apply to'),
      'the incident room',
    );
    tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes('INCIDENT ROOM'), 'out of the room');
    tmux.keys('q');
    const after = await tmux.waitFor((s) => s.includes('BEFORE-THE-COCKPIT') && /^PROMPT\$\s*$/m.test(s), 'shell back');
    expect(after).not.toContain('SANDBOX');
    expect(tmux.pane('#{alternate_on}')).toBe('0');
    expect(tmux.pane('#{cursor_flag}')).toBe('1');
    tmux.type('echo exit=$?');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('exit=0'), 'exit code 0');
  });

  it('asks who the responder is on the first start, saves it, and the journal records the run in that name', async () => {
    const env = isolatedEnv({ VITASCOPE_USER_NAME: '' });
    tmux = shell(env);
    await tmux.waitFor((s) => s.includes('PROMPT$'), 'shell');
    tmux.type(`node ${BIN} --demo --scenario db-connections --at 25m --speed 10`);
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('Who are you?') && /your name \[[^\]]+\]:\s*$/m.test(s), 'the question');
    tmux.type('Aiko Tanaka');
    tmux.keys('Enter');
    await tmux.waitFor((s) => /your email \(optional\):\s*$/m.test(s), 'the email question');
    tmux.type('not-an-address');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('is not an email address'), 'refused');
    tmux.type('aiko@vitascope.example');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes(' SANDBOX ') && s.includes('INCIDENTS'), 'the cockpit');
    tmux.keys('4');
    await tmux.waitFor((s) => s.includes('#1042'), 'the incident');
    tmux.keys('q');
    await tmux.waitFor((s) => /^PROMPT\$\s*$/m.test(s) && !s.includes(' SANDBOX '), 'shell back');
    const config = JSON.parse(fs.readFileSync(path.join(env.VITASCOPE_ONCALL_CONFIG_DIR!, 'config.json'), 'utf8')) as {
      user?: { name?: string; email?: string };
    };
    expect(config.user).toEqual({ name: 'Aiko Tanaka', email: 'aiko@vitascope.example' });
    // The run, in the responder's name, and what the live model saw, recorded in core (no view did it).
    const { openJournal, journalPath } = await import('../../src/core/journal/index.js');
    const journal = openJournal(journalPath(env, 'sandbox'));
    try {
      const started = journal.query({ kinds: ['run.started'] });
      expect(started).toHaveLength(1);
      expect(started[0]!.who).toEqual({ kind: 'local', id: 'aiko@vitascope.example', name: 'Aiko Tanaka' });
      const run = started[0]!.kind === 'run.started' ? started[0]!.payload.run : '';
      expect(journal.query({ kinds: ['run.ended'] }).map((e) => (e.kind === 'run.ended' ? e.payload.run : ''))).toEqual(
        [run],
      );
      const [incident] = journal.incidents({ run });
      expect(incident!.id).toBe(`PSB1001.${run}`);
      expect(
        journal
          .query({ kinds: ['alarm.transition'] })
          .some(
            (e) =>
              e.kind === 'alarm.transition' &&
              e.payload.alarmName === 'vitascope-db-connections-warning' &&
              e.payload.to === 'ALARM' &&
              e.payload.from === 'OK',
          ),
      ).toBe(true);
    } finally {
      journal.close();
    }
  });

  it('when its terminal goes away (an SSH drop), it closes as on q: the journal gets the end of the run', async () => {
    const env = isolatedEnv();
    env.VITASCOPE_ONCALL_DATA_DIR = path.join(env.HOME!, 'data');
    const t = new Tmux();
    tmux = t;
    t.start(
      `node ${BIN} --demo --scenario db-connections --at 25m --speed 10 2>${path.join(env.HOME!, 'stderr.log')}`,
      { ...env, TERM: 'xterm-256color' },
    );
    await t.waitFor((s) => s.includes(' SANDBOX ') && s.includes('ALARMS'), 'cockpit');
    const { openJournal, journalPath } = await import('../../src/core/journal/index.js');
    // The journal opens after the first frame: wait until the run is recorded as begun.
    const begun = Date.now() + 10_000;
    while (Date.now() < begun) {
      if (fs.existsSync(journalPath(env, 'sandbox'))) {
        const j = openJournal(journalPath(env, 'sandbox'));
        const n = j.query({ kinds: ['run.started'] }).length;
        j.close();
        if (n) break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    t.kill();
    tmux = undefined;
    const deadline = Date.now() + 10_000;
    let kinds: string[] = [];
    while (Date.now() < deadline) {
      if (fs.existsSync(journalPath(env, 'sandbox'))) {
        const j = openJournal(journalPath(env, 'sandbox'));
        kinds = j.query({ kinds: ['run.started', 'run.ended'] }).map((e) => e.kind);
        j.close();
        if (kinds.includes('run.ended')) break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(kinds).toEqual(['run.started', 'run.ended']);
    expect(fs.readFileSync(path.join(env.HOME!, 'stderr.log'), 'utf8')).not.toMatch(/Error|Assertion/);
  });

  it('Ctrl-C quits too, and the terminal still comes back', async () => {
    tmux = shell(isolatedEnv());
    await tmux.waitFor((s) => s.includes('PROMPT$'), 'shell');
    tmux.type(`node ${BIN} --demo`);
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes(' SANDBOX '), 'cockpit');
    tmux.keys('C-c');
    await tmux.waitFor((s) => /^PROMPT\$\s*$/m.test(s) && !s.includes(' SANDBOX '), 'shell back');
    expect(tmux.pane('#{alternate_on}')).toBe('0');
  });

  it('uses colour on a colour terminal, and none with NO_COLOR; levels still read as words', async () => {
    tmux = shell(isolatedEnv());
    await tmux.waitFor((s) => s.includes('PROMPT$'), 'shell');
    tmux.type(`node ${BIN} --demo --scenario api-cpu-spike --at 15m`);
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('✗ CRIT'), 'cockpit');
    expect(tmux.screen({ colours: true })).toMatch(/\u001b\[(?:\d+;)*31m/);
    tmux.keys('q');
    await tmux.waitFor((s) => /^PROMPT\$\s*$/m.test(s), 'shell back');
    tmux.type(`NO_COLOR=1 node ${BIN} --demo --scenario api-cpu-spike --at 15m`);
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('✗ CRIT') && s.includes(' SANDBOX '), 'cockpit without colour');
    const plain = tmux.screen({ colours: true });
    expect(plain).not.toMatch(/\u001b\[(?:\d+;)*(?:3[0-7]|9[0-7]|38;[25];[\d;]+)m/);
    expect(plain).toContain('✗ CRIT');
    tmux.keys('q');
  });

  it('reflows when the terminal is resized', async () => {
    tmux = shell(isolatedEnv());
    await tmux.waitFor((s) => s.includes('PROMPT$'), 'shell');
    tmux.type(`node ${BIN} --demo`);
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes(' SANDBOX '), 'cockpit');
    expect(tmux.pane('#{window_width}')).toBe('120');
    const clock = (s: string) => s.split('\n')[0]!.indexOf('2026-01-05');
    expect(clock(tmux.screen())).toBeGreaterThan(90);
    const { execFileSync } = await import('node:child_process');
    execFileSync('tmux', ['-L', tmux.server, 'resize-window', '-t', '0', '-x', '80', '-y', '30']);
    expect(tmux.pane('#{window_width}')).toBe('80');
    const narrow = await tmux.waitFor((s) => clock(s) > 0 && clock(s) < 80 && s.includes(' SANDBOX '), 'reflowed');
    for (const line of narrow.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    tmux.keys('q');
  });

  it('without a terminal it says so and exits 2', async () => {
    const { runCli } = await import('../harness/cli.js');
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a terminal.*vitascope-oncall status/);
  });
});
