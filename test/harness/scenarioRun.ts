/**
 * A sandbox scenario worked in the real cockpit, in tmux, as a responder would: from the overview to a
 * verified recovery, one key at a time. Every key is counted (navigation keys apart from typed
 * confirmations and values), every settled frame is checked (frameProblems), and recovery is read back
 * from the ground truth the running process leaves: its journal file (alarm.transition rows to OK, the
 * room's verify steps done with `pass:`), never from what the screen says alone.
 *
 * Used by the tmux tests (test/e2e/scenarios) and by `npm run bench` (test/bench/scenarios.mjs bundles
 * this file), so both replay the same scripts (test/e2e/scenarios/scripts.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'yaml';

/** One thing the responder does. */
export interface ScriptStep {
  /** What the screen must show before this step is taken (a regular expression's source). */
  readonly when: string;
  /** A key pressed (a tmux key name: `r`, `Enter`, `Escape`, `j`): counted as a key. */
  readonly key?: string;
  /** Text typed into a prompt, then Enter: a typed confirmation or value, counted apart from keys. */
  readonly type?: string;
  /** Why a responder presses it (printed when the step fails). */
  readonly why: string;
  /** How long the screen may take to show `when` (ms of real time; 20 s unless the world must change first). */
  readonly timeoutMs?: number;
}

/** A scenario from the overview to a verified recovery. */
export interface ScenarioScript {
  readonly scenario: string;
  /** Where the sandbox starts (`--at`). */
  readonly at: string;
  readonly speed: number;
  readonly steps: readonly ScriptStep[];
  readonly recovery: {
    /** Alarms that must be seen going back to OK (journal alarm.transition rows, after the room opened). */
    readonly alarms: readonly string[];
    /** Runbook steps (their ids) that must be done with a `pass:` result: the room's verification. */
    readonly verified: readonly string[];
    /** What the screen shows once recovered (a regular expression's source). */
    readonly screen: string;
    /** How long recovery may take after the last key (ms of real time). */
    readonly timeoutMs?: number;
  };
}

export interface ScenarioResult {
  /** Keys pressed (navigation, choices, `y` to apply). */
  readonly keys: number;
  /** Typed confirmations and values (a name typed to confirm, a parameter's value). */
  readonly typed: number;
  /** Every settled frame's problems (empty when the run was clean). */
  readonly problems: readonly string[];
  /** How many frames were checked. */
  readonly frames: number;
  readonly ms: number;
}

const BIN = path.resolve('bin/vitascope-oncall.js');

/** Ids a person never reads: runbook step and option ids with a hyphen, read from the shipped runbooks. */
function internalIds(): string[] {
  const ids = new Set<string>();
  const dir = path.resolve('runbooks');
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.id === 'string' && o.id.includes('-') && ('kind' in o || 'label' in o)) ids.add(o.id);
      Object.values(o).forEach(walk);
    }
  };
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml')))
    walk(parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  return [...ids];
}

let ids: RegExp | undefined;
function internalIdPattern(): RegExp {
  if (!ids) {
    const escaped = internalIds().map((i) => i.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    ids = new RegExp(`(?<![\\w./-])(${escaped.join('|')})(?![\\w-])`);
  }
  return ids;
}

/**
 * Rows that end with their own words: anything drawn after them on the same row is text drawn over by
 * another (`↓ 7 more lines belowes the CPU?`, `⏎ take itits maximum`): one render's rows overlapping.
 */
const ROW_ENDS = [/more lines? (?:below|above)/, /⏎ take it/, /n decline/, /\(it can be written later\)/];

/** Words that say a thing went wrong; a ✓ beside one is a false tick. */
const FAILURE = /\b(failed|fail|error)\b|\[fail\]/i;

/**
 * What is wrong with one frame, each as a sentence naming the line. `typed` is what the responder has
 * typed into the open prompt (the prompt line must show exactly that).
 */
export function frameProblems(frame: string, width: number, typed = ''): string[] {
  const out: string[] = [];
  const lines = frame.split('\n');
  const idPattern = internalIdPattern();
  lines.forEach((line, i) => {
    const at = `line ${i + 1} "${line.trim()}"`;
    if ([...line].length > width) out.push(`wider than ${width}: ${at}`);
    // The banner names the sandbox's scenario (db-connections), which may share a runbook step's id.
    const id = idPattern.exec(line.replace(/\bscenario \S+/, 'scenario'));
    if (id) out.push(`internal id ${id[1]}: ${at}`);
    for (const leak of [
      /\bchose [a-z0-9-]+[:)]/,
      /\bwent to [a-z0-9-]+\b/,
      /\b(alarm|incident|facts|params)\.[a-zA-Z]+\./,
    ]) {
      const m = leak.exec(line);
      if (m) out.push(`internal id (${m[0]}): ${at}`);
    }
    // "error rate" names a metric ("✓ passed  API error rate back to OK"), not a failure.
    if (line.includes('✓') && FAILURE.test(line.replace(/\berror[ -]rates?\b/gi, '')))
      out.push(`✓ beside a failure: ${at}`);
    if (line.includes('{"')) out.push(`raw JSON: ${at}`);
    // A line break shown as its control picture: runbook SQL or a description squashed onto one line.
    if (line.includes('␊')) out.push(`line break shown as ␊: ${at}`);
    for (const end of ROW_ENDS) {
      const m = end.exec(line);
      if (m && line.slice(m.index + m[0].length).replace(/[\s│|]/g, '') !== '')
        out.push(`text drawn over a row's end: ${at}`);
    }
    const prompt = /^[│|\s]*> ?(.*?)[\s│|]*$/.exec(line);
    if (prompt && prompt[1] !== typed && !(typed === '' && prompt[1] === '')) {
      out.push(`prompt shows "${prompt[1]}" where "${typed}" was typed (overwritten?): ${at}`);
    }
  });
  // The room's title row goes first; a frame taller than the terminal pushes it off.
  const runbookRow = lines.findIndex((l) => /^runbook \S+ — .* steps done/.test(l));
  if (runbookRow >= 0 && !lines[runbookRow - 1]?.startsWith('INCIDENT ROOM'))
    out.push("the room's title row is gone (a frame taller than the terminal?)");
  // Middle-cut names ("vitascope-api-…-critical") on two rows read alike: the rows cannot be told apart.
  const cuts = new Map<string, number>();
  for (const line of new Set(lines)) {
    for (const m of line.matchAll(/[\w.:/-]+…[\w.:/-]+/g)) cuts.set(m[0], (cuts.get(m[0]) ?? 0) + 1);
  }
  for (const [cut, n] of cuts) if (n > 1) out.push(`${n} rows read the same cut name ${cut}`);
  return out;
}

const ENGLISH_WORDS = new Set(['follow-ups']);

/**
 * What is wrong with a report a person reads (Markdown from `report`, `postmortem`, `handoff`): an
 * internal id, a ✓ beside a failure, raw JSON, a line break shown as ␊. Each as a sentence naming the line.
 */
export function reportProblems(text: string, what: string): string[] {
  const out: string[] = [];
  const idPattern = internalIdPattern();
  text.split('\n').forEach((line, i) => {
    const at = `${what} line ${i + 1} "${line.trim().slice(0, 120)}"`;
    const id = idPattern.exec(line);
    // A step id that is also an English word ("follow-ups") is prose in a report's headings.
    if (id && !ENGLISH_WORDS.has(id[1]!)) out.push(`internal id ${id[1]}: ${at}`);
    for (const leak of [
      /\bchose [a-z0-9-]+[:)]/,
      /\bwent to [a-z0-9-]+\b/,
      /\b(alarm|incident|facts|params)\.[a-zA-Z]+\./,
    ]) {
      const m = leak.exec(line);
      if (m) out.push(`internal id (${m[0]}): ${at}`);
    }
    if (line.includes('✓') && FAILURE.test(line.replace(/\berror[ -]rates?\b/gi, '')))
      out.push(`✓ beside a failure: ${at}`);
    if (line.includes('{"')) out.push(`raw JSON: ${at}`);
    if (line.includes('␊')) out.push(`line break shown as ␊: ${at}`);
  });
  return out;
}

/** The reports of the run's incident (#1042, the first the run opened), written by the real binary. */
function reportsOf(term: ScenarioTerminal): { what: string; text: string }[] {
  const run = (args: string[]) =>
    execFileSync(process.execPath, [BIN, '--demo', '--scenario', term.scenario, ...args], {
      env: term.env,
      encoding: 'utf8',
      cwd: term.home,
    });
  const out = path.join(term.home, 'postmortem');
  const files = run(['postmortem', '1042', '--out', out, '--mkdir']).trim().split('\n');
  const md = files.find((f) => f.endsWith('.md'));
  return [
    { what: 'report 1042', text: run(['report', '1042']) },
    { what: 'postmortem 1042', text: md ? fs.readFileSync(md, 'utf8') : '' },
    { what: 'handoff', text: run(['handoff']) },
  ];
}

/** A frame without the clock and numbers, for telling a stale character from time passing. */
const settledForm = (s: string) =>
  s
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/\d+(?:[.,:]\d+)*/g, '0').replace(/[▁▂▃▄▅▆▇█]+/g, '▁'))
    .join('\n');

/** A private tmux server running the cockpit on one scenario; only it is ever killed. */
export class ScenarioTerminal {
  readonly server = `vo-scen-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  readonly home = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-scen-'));
  readonly dataDir = path.join(this.home, 'data');

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  static available(): boolean {
    return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
  }

  /** The environment the cockpit runs in (set by start): the reports are written in the same one. */
  env: NodeJS.ProcessEnv = {};
  /** The scenario the cockpit runs (set by start). */
  scenario = '';

  start(script: ScenarioScript): void {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(AWS_|PAGERDUTY_|VITASCOPE_|FORCE_COLOR|NO_COLOR)/.test(k)),
    );
    const env = {
      ...clean,
      HOME: this.home,
      XDG_CONFIG_HOME: path.join(this.home, '.config'),
      XDG_DATA_HOME: path.join(this.home, '.local/share'),
      VITASCOPE_ONCALL_CONFIG_DIR: path.join(this.home, 'config'),
      VITASCOPE_ONCALL_DATA_DIR: this.dataDir,
      VITASCOPE_USER_NAME: 'Test Responder',
      TZ: 'UTC',
      LANG: 'C.UTF-8',
      TERM: 'xterm-256color',
      NO_COLOR: '1',
    };
    this.env = env;
    this.scenario = script.scenario;
    // argv, no shell: tmux runs the command through execvp when given as separate words.
    execFileSync(
      'tmux',
      [
        '-L',
        this.server,
        '-f',
        '/dev/null',
        'new-session',
        '-d',
        '-x',
        String(this.width),
        '-y',
        String(this.height),
        process.execPath,
        BIN,
        '--demo',
        '--scenario',
        script.scenario,
        '--at',
        script.at,
        '--speed',
        String(script.speed),
      ],
      { env },
    );
    execFileSync('tmux', ['-L', this.server, 'set-option', '-t', '0', 'remain-on-exit', 'on']);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.server, ...args], { encoding: 'utf8' });
  }

  key(name: string): void {
    this.tmux('send-keys', '-t', '0', name);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', '0', '-l', text);
  }

  /** The screen; `-J` joins lines the terminal wrapped, so a line wider than the terminal shows as one. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', '0');
  }

  async waitFor(test: (s: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      last = this.screen();
      if (test(last)) return last;
      await sleep(60);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n--- screen ---\n${last}`);
  }

  /** The screen once two captures 150 ms apart agree (numbers and the clock aside). */
  async settled(timeoutMs = 3_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let last = this.screen();
    while (Date.now() < until) {
      await sleep(150);
      const next = this.screen();
      if (settledForm(next) === settledForm(last)) return next;
      last = next;
    }
    return last;
  }

  /**
   * Characters a fresh render would not draw: the frame, then the frame Ink draws from scratch (a terminal
   * made narrower makes Ink erase the screen and draw everything again: so one column wider first, then
   * back to the size, and the last render is a clean one at the same size). Lines that differ
   * are reported only when they differ in every one of three tries (time passing changes lines too).
   */
  async staleLines(): Promise<string[]> {
    let found: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = await this.settled();
      this.tmux('resize-window', '-t', '0', '-x', String(this.width + 1));
      await sleep(120);
      this.tmux('resize-window', '-t', '0', '-x', String(this.width));
      await sleep(250);
      const fresh = await this.settled();
      const a = settledForm(before).split('\n');
      const b = settledForm(fresh).split('\n');
      const differ = a.flatMap((l, i) =>
        l === b[i] ? [] : [`line ${i + 2}: "${l.trim()}" / fresh "${(b[i] ?? '').trim()}"`],
      );
      if (differ.length === 0) return [];
      found = differ;
    }
    return found;
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.server, 'kill-server'], { stdio: 'ignore' });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface JournalRow {
  readonly seq: number;
  readonly kind: string;
  readonly payload: string;
}

/** The running process's journal, read back from its file (read-only; the cockpit keeps writing). */
export function journalRows(dataDir: string): JournalRow[] {
  const file = path.join(dataDir, 'journal-sandbox.db');
  if (!fs.existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT seq, kind, payload FROM events ORDER BY seq').all() as JournalRow[];
  } finally {
    db.close();
  }
}

/** What is still missing for a verified recovery, by the journal (empty once recovered). */
export function recoveryMissing(rows: readonly JournalRow[], script: ScenarioScript): string[] {
  const opened = rows.find((r) => r.kind === 'step.started')?.seq ?? Number.MAX_SAFE_INTEGER;
  const missing: string[] = [];
  for (const alarm of script.recovery.alarms) {
    const ok = rows.some((r) => {
      if (r.kind !== 'alarm.transition' || r.seq < opened) return false;
      const p = JSON.parse(r.payload) as { alarmName?: string; to?: string };
      return p.alarmName === alarm && p.to === 'OK';
    });
    if (!ok) missing.push(`alarm ${alarm} back to OK (journal alarm.transition)`);
  }
  for (const step of script.recovery.verified) {
    const passed = rows.some((r) => {
      if (r.kind !== 'step.done') return false;
      const p = JSON.parse(r.payload) as { stepId?: string; output?: string };
      return p.stepId === step && /^pass\b/.test(p.output ?? '');
    });
    if (!passed) missing.push(`step ${step} done with pass (journal step.done)`);
  }
  return missing;
}

/**
 * Works `script` at `width`x`height`: waits for each step's screen, takes it, checks the settled frame
 * after every key, checks for stale characters whenever a dialog closed, then waits for the recovery
 * on screen and in the journal.
 */
export async function runScenario(
  script: ScenarioScript,
  size: { readonly width: number; readonly height: number },
): Promise<ScenarioResult> {
  const began = Date.now();
  const term = new ScenarioTerminal(size.width, size.height);
  const problems: string[] = [];
  let frames = 0;
  let keys = 0;
  let typed = 0;
  const trace = process.env.VITASCOPE_SCENARIO_TRACE;
  const check = (frame: string, after: string, typedNow = '') => {
    frames += 1;
    // A record of every frame checked, for reading a run afterwards (VITASCOPE_SCENARIO_TRACE=FILE).
    if (trace) fs.appendFileSync(trace, `=== ${size.width}x${size.height} ${after}\n${frame}\n`);
    for (const p of frameProblems(frame, size.width, typedNow)) problems.push(`after ${after}: ${p}`);
  };
  const hasDialog = (s: string) => s.includes('╭') && s.includes('╰');
  try {
    term.start(script);
    let previous = await term.waitFor((s) => s.includes('SANDBOX') && s.includes('ALARMS'), 'the overview');
    check(await term.settled(), 'start');
    for (const [i, step] of script.steps.entries()) {
      const label = `step ${i + 1} (${step.key ?? JSON.stringify(step.type)}: ${step.why})`;
      const when = new RegExp(step.when);
      await term.waitFor((s) => when.test(s), `${label}: /${step.when}/`, step.timeoutMs ?? 20_000);
      // The screen the responder acts on.
      const before = await term.settled();
      check(before, `${label}, before`);
      if (step.type !== undefined) {
        term.type(step.type);
        await term.waitFor((s) => s.includes(step.type!), `${label}: the typed text`);
        check(await term.settled(), `${label}, typed`, step.type);
        term.key('Enter');
        typed += 1;
      } else if (step.key !== undefined) {
        term.key(step.key);
        keys += 1;
      }
      await sleep(200);
      const after = await term.settled();
      check(after, label);
      // A dialog that closed must leave nothing of itself behind.
      if (hasDialog(before) && !hasDialog(after)) {
        for (const l of await term.staleLines()) problems.push(`after ${label}: stale characters, ${l}`);
      }
      previous = after;
    }
    const timeout = script.recovery.timeoutMs ?? 30_000;
    const screen = new RegExp(script.recovery.screen);
    const until = Date.now() + timeout;
    let missing = recoveryMissing(journalRows(term.dataDir), script);
    while ((missing.length > 0 || !screen.test(previous)) && Date.now() < until) {
      await sleep(250);
      previous = term.screen();
      missing = recoveryMissing(journalRows(term.dataDir), script);
    }
    if (missing.length > 0 || !screen.test(previous)) {
      throw new Error(
        `no verified recovery within ${timeout} ms: ${[...missing, ...(screen.test(previous) ? [] : [`the screen /${script.recovery.screen}/`])].join('; ')}\n--- screen ---\n${previous}`,
      );
    }
    check(await term.settled(), 'recovery');
    // What the responder hands on: the reports of the run, read as a person would, by the same rules.
    for (const r of reportsOf(term)) {
      if (!r.text.trim()) problems.push(`${r.what}: empty`);
      // The footer names the run's scenario (db-connections), which may share a runbook step's id.
      problems.push(...reportProblems(r.text.replaceAll(`(${term.scenario},`, '(scenario,'), r.what));
    }
    return { keys, typed, problems, frames, ms: Date.now() - began };
  } finally {
    term.kill();
    fs.rmSync(term.home, { recursive: true, force: true });
  }
}
