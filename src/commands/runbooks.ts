import fs from 'node:fs';
import path from 'node:path';
import { readConfig } from '../config/load.js';
import { EXIT } from '../core/status.js';
import { inert, inertLine, jsonText } from '../core/sanitize.js';
import type { LintError, LoadedRunbook } from '../core/runbooks/types.js';
import type { RunbookSet } from '../core/runbooks/load.js';
import type { Condition, Runbook, Step, When } from '../core/runbooks/schema.js';
import { resultText } from '../core/runbooks/when.js';
import { renderTable } from '../output/table.js';
import type { Io } from './context.js';

/**
 * `runbooks lint [DIR]`, `runbooks list`, `runbooks show ID`. Lint prints every error as
 * file:line:column: field: message (one per line, on stdout, so `| wc -l` counts them) and exits 1
 * when there is any; list and show read the shipped runbooks plus the configured folders
 * (runbooks.dirs), leave out bad ones and say so.
 *
 * The runbook modules (and the YAML parser) are imported when a runbooks command runs, so that they
 * never slow down the start of `status` or the cockpit.
 */

async function lib() {
  const [lint, lintErrors, load, match, schema, registry] = await Promise.all([
    import('../core/runbooks/lint.js'),
    import('../core/runbooks/lintErrors.js'),
    import('../core/runbooks/load.js'),
    import('../core/runbooks/match.js'),
    import('../core/runbooks/schema.js'),
    import('../core/actions/registry.js'),
  ]);
  return {
    ...lint,
    ...lintErrors,
    ...load,
    ...match,
    ...schema,
    REMEDIATIONS: registry.REMEDIATIONS as ReadonlySet<string>,
  };
}
type Lib = Awaited<ReturnType<typeof lib>>;

/** Paths under the working directory are shown relative to it, as compilers do. */
function display(file: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function shown(e: LintError): LintError {
  return { ...e, file: display(e.file) };
}

/** The shipped runbooks and the team's folders from the configuration. */
async function loadConfigured(L: Lib, io: Io): Promise<RunbookSet> {
  const dirs = ((await readConfig(io.env)).effective.runbooks?.dirs ?? []).map((d) => L.resolveRunbookDir(d, io.env));
  const shipped = L.shippedRunbooksDir();
  const set = L.loadRunbooks({ shipped: shipped ?? false, dirs });
  if (shipped) return set;
  const missing: LintError = {
    file: 'runbooks',
    line: 0,
    column: 0,
    field: 'shipped',
    message: 'the shipped runbooks are missing from this installation (reinstall vitascope-oncall)',
  };
  return { ...set, errors: [missing, ...set.errors] };
}

function lintPath(L: Lib, target: string): RunbookSet | string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return `no such folder: ${target}`;
  }
  if (stat.isFile()) {
    const linted = L.lintFiles([L.parseRunbookText(target, fs.readFileSync(target, 'utf8'), 'user')]);
    return { ...linted, files: 1 };
  }
  let files: string[];
  try {
    files = L.listRunbookFiles(target);
  } catch (error) {
    return error instanceof L.RunbookDirError ? error.message : String(error);
  }
  if (files.length === 0) return `${target} holds no runbooks (*.yaml or *.yml files)`;
  return L.loadRunbooks({ shipped: false, dirs: [target] });
}

export async function runLint(dir: string | undefined, io: Io): Promise<number> {
  const L = await lib();
  const set = dir === undefined ? await loadConfigured(L, io) : lintPath(L, dir);
  if (typeof set === 'string') {
    io.stderr.write(`vitascope-oncall: runbooks lint: ${inertLine(set)}\n`);
    return EXIT.usage;
  }
  for (const e of set.errors) io.stdout.write(`${L.formatLintError(shown(e))}\n`);
  const where = dir ?? 'the shipped and configured runbooks';
  if (set.errors.length) {
    const files = new Set(set.errors.map((e) => e.file)).size;
    io.stderr.write(
      `${set.errors.length} error${set.errors.length === 1 ? '' : 's'} in ${files} of ${set.files} file${set.files === 1 ? '' : 's'} (${inertLine(where)})\n`,
    );
    return 1;
  }
  io.stdout.write(
    `${set.files} file${set.files === 1 ? '' : 's'}, ${set.runbooks.length} runbook${set.runbooks.length === 1 ? '' : 's'}, no errors (${inertLine(where)})\n`,
  );
  return 0;
}

/** The one-line warning list and show give when some runbooks could not be loaded. */
function warnErrors(set: RunbookSet, io: Io): number {
  if (set.errors.length === 0) return 0;
  io.stderr.write(
    `vitascope-oncall: ${set.errors.length} runbook error${set.errors.length === 1 ? '' : 's'}; the runbooks concerned are left out (details: vitascope-oncall runbooks lint)\n`,
  );
  return EXIT.config;
}

function listJson(rb: LoadedRunbook): object {
  return {
    id: rb.runbook.id,
    title: rb.runbook.title,
    priority: rb.runbook.priority,
    matches: rb.runbook.matches,
    file: display(rb.file),
    origin: rb.origin,
    ...(rb.overrides ? { overrides: display(rb.overrides) } : {}),
  };
}

export async function runList(options: { json?: boolean }, io: Io): Promise<number> {
  const L = await lib();
  const set = await loadConfigured(L, io);
  const runbooks = [...set.runbooks].sort((a, b) => a.runbook.id.localeCompare(b.runbook.id));
  if (options.json) {
    io.stdout.write(`${jsonText(runbooks.map(listJson), 2)}\n`);
  } else {
    const team = runbooks.some((r) => r.origin === 'user');
    const rows = runbooks.map((r) => [
      r.runbook.id,
      r.runbook.priority,
      r.runbook.title,
      L.describeMatches(r.runbook),
      ...(team ? [r.overrides ? 'team (replaces shipped)' : r.origin === 'user' ? 'team' : 'shipped'] : []),
    ]);
    const columns = [
      { header: 'ID' },
      { header: 'PRIO' },
      { header: 'TITLE', shrink: true },
      { header: 'MATCHES', shrink: true },
      ...(team ? [{ header: 'FROM' }] : []),
    ];
    io.stdout.write(
      `${renderTable(
        columns,
        rows.map((r) => r.map(inertLine)),
        { maxWidth: io.stdout.isTTY ? io.stdout.columns : undefined },
      )}\n`,
    );
  }
  return warnErrors(set, io);
}

function describeWhen(when: When): string {
  return (Array.isArray(when) ? when : [when as Condition]).map(describeCondition).join(' and ');
}

function describeCondition(w: Condition): string {
  const globs = (g: string | readonly string[]) => (typeof g === 'string' ? g : g.join(' or '));
  if (w.var !== undefined)
    return `${w.var}${w.is !== undefined ? ` is ${globs(w.is)}` : ''}${w.not !== undefined ? ` is not ${globs(w.not)}` : ''}`;
  if (w.result !== undefined) return `check ${w.step} ${resultText(w.result)}`;
  return `decision ${w.step} chose ${typeof w.chose === 'string' ? w.chose : (w.chose ?? []).join(' or ')}`;
}

function argvText(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./{}-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

type MetricRef = NonNullable<Extract<Step, { kind: 'check' }>['metric']>;

function metricText(m: MetricRef): string {
  return `${m.namespace} ${m.name}${
    Object.keys(m.dimensions).length
      ? ` {${Object.entries(m.dimensions)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}}`
      : ''
  }`;
}

function checkDetail(step: Extract<Step, { kind: 'check' }>): string {
  const cmp = step.op !== undefined ? ` ${step.op} ${step.value}` : '';
  if (step.alarm !== undefined) return `alarm ${step.alarm} is ${step.state ?? 'OK'}`;
  if (step.metric) return `${metricText(step.metric)}${cmp}`;
  if (step.rule !== undefined)
    return `rule ${step.rule}${step.resource ? ` on ${step.resource}` : ''}${cmp || ' evaluates OK'}`;
  return `service ${step.service}: ${step.condition}${step.within ? ` (within ${step.within})` : ''}`;
}

/** How an action step proves it worked (runner.ts verifyFor: remediations verify the alarm by default). */
function verifyText(step: Extract<Step, { kind: 'action' }>, remediations: ReadonlySet<string>): string | undefined {
  const v = step.verify;
  if (v === false) return 'verify: off (the checks after it judge)';
  const within = v?.timeout ? ` within ${v.timeout}` : '';
  if (v?.alarm) return `verify: alarm ${v.alarm} is ${v.state ?? 'OK'}${within}`;
  if (v?.metric && v.op && v.value !== undefined) return `verify: ${metricText(v.metric)} ${v.op} ${v.value}${within}`;
  return remediations.has(step.action) ? `verify: alarm {{alarm.name}} is OK${within}` : undefined;
}

/** What a step does, in a line or two under its title. */
function stepDetail(step: Step, remediations: ReadonlySet<string>): string {
  switch (step.kind) {
    case 'check':
      return `${checkDetail(step)}${step.wait ? `  (waits up to ${step.wait})` : ''}`;
    case 'query': {
      const what =
        step.query !== undefined
          ? `query ${step.query}`
          : step.promql !== undefined
            ? `promql ${step.promql}`
            : `${step.metric!.namespace} ${step.metric!.name}`;
      return `${what} over ${step.range} (${step.show})`;
    }
    case 'action': {
      const params = Object.entries(step.with).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
      const verify = verifyText(step, remediations);
      return `${step.action}${params.length ? ` ${params.join(' ')}` : ''}${verify ? `\n${verify}` : ''}`;
    }
    case 'command':
      return `$ ${argvText(step.command)}  (timeout ${step.timeout})`;
    case 'note':
      return step.required ? 'your notes (required)' : 'your notes';
    case 'decision':
      return step.options
        .map(
          (o) =>
            `→ ${o.id}: ${o.label} (go to ${o.goto}${o.when ? `; when ${describeWhen(o.when)}` : ''}${o.default ? '; the default' : ''})`,
        )
        .join('\n');
    case 'link':
      return step.url;
    case 'logs':
      return `logs of ${step.service}${step.groups ? ` (${step.groups.join(', ')})` : ''}${step.filter ? ` containing ${JSON.stringify(step.filter)}` : ''}: patterns of the last ${step.window} against the ${step.window} before`;
    case 'traces':
      return `traces of ${step.service}: the last ${step.window} against the ${step.window} before (the span that changed, the slowest and failing requests)`;
  }
}

function showText(L: Lib, rb: LoadedRunbook): string {
  const r: Runbook = rb.runbook;
  const out: string[] = [];
  out.push(`${r.id} · ${r.priority} · ${r.title}`);
  out.push(`matches: ${L.describeMatches(r)}`);
  out.push(
    `file: ${display(rb.file)} (${rb.origin === 'user' ? (rb.overrides ? 'team, replaces the shipped one' : 'team') : 'shipped'})`,
  );
  if (r.description)
    out.push(
      '',
      ...r.description
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  const params = Object.entries(r.params);
  if (params.length)
    out.push('', `params: ${params.map(([k, v]) => `${k}=${v === null ? '(asked)' : String(v)}`).join(', ')}`);
  L.PHASES.forEach((phase, p) => {
    const steps = r.phases[phase];
    out.push('', `${p + 1}. ${phase.toUpperCase()}${steps.length ? '' : ' (no steps)'}`);
    steps.forEach((step, i) => {
      out.push(`   ${p + 1}.${i + 1} [${step.kind}] ${step.title}  (${step.id})`);
      if (step.when) out.push(`        when ${describeWhen(step.when)}`);
      for (const l of stepDetail(step, L.REMEDIATIONS).split('\n')) out.push(`        ${l}`);
      if (step.description) for (const l of step.description.trimEnd().split('\n')) out.push(`        ${l}`);
    });
  });
  return `${out.map((l) => inertLine(l)).join('\n')}\n`;
}

export async function runShow(id: string, options: { json?: boolean }, io: Io): Promise<number> {
  const L = await lib();
  const set = await loadConfigured(L, io);
  const found = set.runbooks.find((r) => r.runbook.id === id);
  if (!found) {
    const why = set.errors.length ? ' loaded (some runbooks have errors: vitascope-oncall runbooks lint)' : '';
    io.stderr.write(
      `vitascope-oncall: no runbook with id ${inert(JSON.stringify(id))}${why}; vitascope-oncall runbooks list shows them\n`,
    );
    return EXIT.usage;
  }
  if (options.json)
    io.stdout.write(
      `${jsonText({ ...listJson(found), description: found.runbook.description ?? null, params: found.runbook.params, phases: found.runbook.phases }, 2)}\n`,
    );
  else io.stdout.write(showText(L, found));
  return warnErrors(set, io);
}
