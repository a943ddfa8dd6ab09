/**
 * The incident argument of `report` and `postmortem`: an id, or the number the cockpit shows. Every sandbox
 * run numbers its incidents from #1042 again, so a number several runs share is not picked silently: the
 * command names the candidates (run, scenario, title) and exits with the usage code unless --run chose one.
 */
import { chooseIncident, type IncidentCandidate } from '../core/reports/incidentChoice.js';
import type { Journal } from '../core/journal/index.js';
import { inertLine } from '../core/sanitize.js';
import { EXIT } from '../core/status.js';
import type { Io } from './context.js';

function candidateLine(c: IncidentCandidate): string {
  const run = c.run
    ? `run ${c.run}${c.scenario ? ` (${c.scenario}, seed ${c.seed})` : ''}${c.newest ? ', the newest' : ''}`
    : 'no sandbox run';
  return `  ${inertLine(c.id)}  ${inertLine(run)}  ${inertLine(c.title.slice(0, 120))}`;
}

/** The journal id the argument names, or the exit code after saying why it names none or several. */
export function incidentArgument(
  command: 'report' | 'postmortem',
  journal: Journal,
  given: string,
  run: string | undefined,
  io: Io,
): string | number {
  const choice = chooseIncident(journal, given, run);
  if (choice.kind === 'one') return choice.id;
  const lines = choice.candidates.map(candidateLine).join('\n');
  const example = choice.candidates[0]!;
  io.stderr.write(
    choice.kind === 'ambiguous'
      ? `vitascope-oncall: ${command}: #${choice.number} is the number of ${choice.candidates.length} incidents in the journal (every sandbox run numbers from #1042 again), newest run first:\n${lines}\ngive the id (vitascope-oncall ${command} ${inertLine(example.id)}) or the run (vitascope-oncall ${command} ${choice.number} --run ${inertLine(example.run)})\n`
      : `vitascope-oncall: ${command}: no incident #${choice.number} in run ${inertLine(JSON.stringify(choice.run))}; #${choice.number} is:\n${lines}\n`,
  );
  return EXIT.usage;
}
