import { compareLintErrors, describe, formatField, formatLintError, fromIssues, type Located } from './lintErrors.js';
import { Checker, isObj, isStr } from './lintRules.js';
import { STEP_RULES } from './lintStepRules.js';
import { PHASES, runbookSchema, type Runbook } from './schema.js';
import type { LintError, LoadedRunbook, ParsedFile } from './types.js';

/**
 * Validation of runbook files, reporting EVERY problem, one per line, as
 *
 *     file:line:column: field: what was expected
 *
 * where field is the dotted/indexed path (phases.resolve[2].with.min). Schema errors come from zod and
 * are reworded (lintErrors.ts); the rest are rules the schema cannot express (lintRules.ts, and each
 * step kind's in lintStepRules.ts): known action ids and their parameters (validated against the
 * catalogue after templating with sample values), known template variables, unique runbook and step
 * ids, decision targets that exist and lie ahead (a runbook is walked forward, so a loop is
 * impossible), conditions on steps that come earlier, at most one default answer per decision, and
 * commands that are argument arrays rather than shell strings. A runbook with any error is not loaded;
 * the others still are.
 */

/** One file's errors, and its runbook when it has none. */
export function lintFile(parsed: ParsedFile): { runbook?: Runbook; errors: LintError[] } {
  if (parsed.syntaxErrors.length) return { errors: [...parsed.syntaxErrors] };
  const place = (l: Located): LintError => {
    const pos = parsed.locate(l.path, l.key);
    return { file: parsed.file, line: pos.line, column: pos.column, field: formatField(l.path), message: l.message };
  };
  const data = parsed.data;
  if (data === undefined || data === null) {
    return { errors: [place({ path: [], message: 'the file is empty: expected a runbook (id, title, priority, matches, phases)' })] };
  }
  if (!isObj(data)) return { errors: [place({ path: [], message: `expected a mapping with id, title, priority, matches and phases, got ${describe(data)}` })] };
  const found: Located[] = [];
  const result = runbookSchema.safeParse(data);
  if (!result.success) found.push(...fromIssues(result.error.issues, data, runbookSchema));
  const checker = new Checker(data);
  checker.run(STEP_RULES);
  found.push(...checker.found);
  const seen = new Set<string>();
  const errors = found
    .map(place)
    .filter((e) => {
      const k = formatLintError(e);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort(compareLintErrors);
  return errors.length === 0 && result.success ? { runbook: result.data, errors } : { errors };
}

/**
 * Lints a set of files together: each one on its own, then runbook ids across files. Within the
 * shipped runbooks, and within the team's, an id is unique; a team runbook with a shipped runbook's id
 * replaces it (that is how a team adapts a shipped runbook without forking the package).
 */
export function lintFiles(files: readonly ParsedFile[]): { runbooks: LoadedRunbook[]; errors: LintError[] } {
  const errors: LintError[] = [];
  const firstOf = new Map<string, { file: ParsedFile; where: string }>();
  const byId = new Map<string, LoadedRunbook>();
  for (const file of files) {
    const linted = lintFile(file);
    errors.push(...linted.errors);
    const id = isObj(file.data) && isStr(file.data.id) ? file.data.id : undefined;
    let duplicate = false;
    if (id !== undefined) {
      const pos = file.locate(['id']);
      const where = `${file.file}:${pos.line}:${pos.column}`;
      const key = `${file.origin}:${id}`;
      const first = firstOf.get(key);
      if (first) {
        duplicate = true;
        errors.push({ file: file.file, line: pos.line, column: pos.column, field: 'id', message: `duplicate runbook id ${JSON.stringify(id)}: also ${first.where}` });
      } else firstOf.set(key, { file, where });
    }
    if (linted.runbook && !duplicate) {
      const shipped = byId.get(linted.runbook.id);
      const overrides = file.origin === 'user' && shipped?.origin === 'shipped' ? shipped.file : undefined;
      byId.set(linted.runbook.id, { runbook: linted.runbook, file: file.file, origin: file.origin, ...(overrides ? { overrides } : {}) });
    }
  }
  // A handover names another runbook: one that is not loaded is a dead end at 3 a.m., so it is an error now.
  for (const file of files) {
    const loaded = [...byId.values()].find((r) => r.file === file.file);
    if (!loaded) continue;
    for (const phase of PHASES) {
      (loaded.runbook.phases[phase] ?? []).forEach((step, i) => {
        if (step.kind !== 'decision') return;
        step.options.forEach((o, j) => {
          if (o.handover === undefined || byId.has(o.handover)) return;
          const pos = file.locate(['phases', phase, i, 'options', j, 'handover']);
          errors.push({ file: file.file, line: pos.line, column: pos.column, field: `phases.${phase}[${i}].options[${j}].handover`, message: `no runbook ${JSON.stringify(o.handover)} is loaded: hand over to one of ${[...byId.keys()].sort().join(', ')}` });
        });
      });
    }
  }
  return { runbooks: [...byId.values()], errors: errors.sort(compareLintErrors) };
}
