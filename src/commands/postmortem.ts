import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EXIT } from '../core/status.js';
import { inertLine } from '../core/sanitize.js';
import type { GlobalOptions, Io } from './context.js';
import { checkOut, guarded, openReportContext, reportExit, UsageError, writeFileOrFail } from './reportContext.js';
import { incidentArgument } from './incidentArg.js';

/**
 * `postmortem INCIDENT`: the postmortem draft as Markdown with its SVG charts beside it (in --out, default
 * the working directory). With --edit, $VISUAL or $EDITOR opens the draft (split like a shell would split
 * it, run with an argument array, never through a shell) and the final text is journaled as a note on the
 * incident (once per distinct text).
 */
export interface PostmortemOptions {
  readonly out?: string;
  readonly edit?: boolean;
  readonly lang?: 'en' | 'ja';
  readonly redact?: boolean;
  /** Every journal event in the timeline (runbook steps, each stage of each action). */
  readonly verbose?: boolean;
  readonly mkdir?: boolean;
  /** The sandbox run whose incident a number means (every run numbers from #1042 again). */
  readonly run?: string;
}

/**
 * Splits an editor command ("code --wait", "'/Applications/My Editor.app/x' -w") into words: whitespace
 * separates, single quotes keep everything, double quotes keep everything but \" and \\, a backslash
 * outside quotes keeps the next character. No variables, globs or command substitution: nothing is run
 * through a shell.
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && (command[i + 1] === '"' || command[i + 1] === '\\')) word += command[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`the editor command has an unclosed ${quote} quote: ${command}`);
  if (inWord) words.push(word);
  return words;
}

export async function runPostmortem(
  incidentId: string,
  globals: GlobalOptions & PostmortemOptions,
  io: Io,
): Promise<number> {
  return guarded(io, 'postmortem', async () => {
    const editor = globals.edit ? splitCommand(io.env.VISUAL?.trim() || io.env.EDITOR?.trim() || '') : undefined;
    if (editor && !editor.length)
      throw new UsageError('--edit needs an editor: set $EDITOR (or $VISUAL), e.g. EDITOR="code --wait"');
    checkOut(globals.out, globals.mkdir, 'folder');
    const rc = await openReportContext(globals, io);
    try {
      const id = incidentArgument('postmortem', rc.journal, incidentId, globals.run, io);
      if (typeof id === 'number') return id;
      const { producePostmortem, slug } = await import('../core/reports/index.js');
      const produced = await producePostmortem(rc.ctx, id, {
        lang: globals.lang ?? 'en',
        redact: globals.redact !== false,
        verbose: globals.verbose === true,
      });
      if (!produced) {
        io.stderr.write(
          `vitascope-oncall: postmortem: no incident ${inertLine(JSON.stringify(incidentId))} in the ${rc.sandbox ? 'sandbox ' : ''}journal${rc.sources.incidents ? ' or the incident source' : ''}\n`,
        );
        return EXIT.usage;
      }
      const dir = globals.out ?? '.';
      const md = path.join(dir, `postmortem-${slug(produced.report.report.incident.id)}.md`);
      writeFileOrFail(md, produced.text);
      for (const f of produced.files) writeFileOrFail(path.join(dir, f.name), f.content);
      io.stdout.write(`${[md, ...produced.files.map((f) => path.join(dir, f.name))].map(inertLine).join('\n')}\n`);
      const written = reportExit(io, 'postmortem', produced.report.report.footer.gaps);
      if (!editor) return written;

      const { execa } = await import('execa');
      const result = await execa(editor[0]!, [...editor.slice(1), md], { stdio: 'inherit', reject: false });
      if (result.failed) {
        const why =
          result.exitCode !== undefined
            ? `exited with code ${result.exitCode}`
            : (result.shortMessage ?? 'could not be started');
        io.stderr.write(
          `vitascope-oncall: postmortem: the editor ${inertLine(editor[0]!)} ${inertLine(why)}; the draft is kept in ${inertLine(md)}, nothing was journaled\n`,
        );
        return 1;
      }
      const final = fs.readFileSync(md, 'utf8');
      const sha = createHash('sha256').update(final).digest('hex');
      const at = rc.recordAt();
      const e = rc.journal.append({
        kind: 'note',
        who: rc.who,
        incidentId: produced.report.report.incident.id,
        key: `postmortem:${produced.report.report.incident.id}:${sha}`,
        ...(at !== undefined ? { at } : {}),
        payload: { text: `Postmortem (final, ${path.basename(md)}, sha256 ${sha.slice(0, 12)}):\n\n${final}` },
      });
      io.stderr.write(
        `vitascope-oncall: postmortem: ${e.duplicate ? 'this version was already journaled' : `journaled the final version as note #${e.seq}`}\n`,
      );
      return written;
    } finally {
      await rc.close();
    }
  });
}
