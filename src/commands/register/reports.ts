import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Io } from '../context.js';
import { durationOption, formatOption, instantOption, langOption } from '../options.js';
import type { Run } from './index.js';

/** handoff, report, postmortem, summary: the reports from the journal. */
export function registerHandoff(program: Command, io: Io, run: Run): void {
  program
    .command('handoff')
    .description('the on-call handoff report: incidents, MTTA/MTTR, open items, actions, noisy alarms, next week')
    .addOption(
      new Option('--since <duration>', 'the period: this long before --to or now (default 7d, at most 400d)').argParser(
        durationOption,
      ),
    )
    .addOption(
      new Option('--from <time>', 'start of the period (ISO 8601, e.g. 2026-01-05T10:00+09:00)').argParser(
        instantOption,
      ),
    )
    .addOption(new Option('--to <time>', 'end of the period (default now)').argParser(instantOption))
    .addOption(new Option('--format <format>', 'md or json').argParser(formatOption).default('md'))
    .addOption(new Option('--lang <lang>', 'en or ja').argParser(langOption).default('en'))
    .option('--out <file>', 'write the report to a file instead of stdout (its folder must exist)')
    .option('--mkdir', 'create the folder of --out when it does not exist')
    .option(
      '--no-redact',
      'do NOT redact personal data and health values (secrets are removed all the same; the report must not leave your machine)',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 written, 2 bad arguments, 3 bad configuration, 4 a source failed (the report is still written, its footer names what is missing).',
    )
    .action(async (_options, command: Command) => {
      await run(async () => (await import('../handoff.js')).runHandoff(command.optsWithGlobals(), io));
    });
}

/** A sandbox run's tag as the journal names it ("mx3k9a"; drills and tests may add dashes). */
function runTag(v: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v))
    throw new InvalidArgumentError('expected a sandbox run tag such as mx3k9a.');
  return v;
}

export function registerReport(program: Command, io: Io, run: Run): void {
  program
    .command('report')
    .description('the report of one incident: impact, detection, merged timeline, actions and evidence, status')
    .argument('<incident>', 'the incident: its id (PABC123, PSB1001.mx3k9a) or the number the cockpit shows (1042)')
    .option('--run <tag>', 'the sandbox run whose incident the number is (each run numbers from #1042 again)', runTag)
    .addOption(new Option('--format <format>', 'md or json').argParser(formatOption).default('md'))
    .addOption(new Option('--lang <lang>', 'en or ja').argParser(langOption).default('en'))
    .option('--out <file>', 'write the report to a file instead of stdout (its folder must exist)')
    .option('--mkdir', 'create the folder of --out when it does not exist')
    .option('--no-redact', 'do NOT redact personal data and health values (secrets are removed all the same)')
    .option('--verbose', 'the timeline with every recorded event: runbook steps, each stage of each action')
    .addHelpText(
      'after',
      '\nExit codes: 0 written, 2 bad arguments, an unknown incident, or a number several sandbox runs share (give --run), 3 bad configuration, 4 a source failed (the report is still written, its footer names what is missing).',
    )
    .action(async (incident: string, _options, command: Command) => {
      await run(async () => (await import('../report.js')).runReport(incident, command.optsWithGlobals(), io));
    });
}

export function registerPostmortem(program: Command, io: Io, run: Run): void {
  program
    .command('postmortem')
    .description('a postmortem draft of one incident: Markdown plus SVG charts of its key metrics')
    .argument('<incident>', 'the incident: its id (PABC123, PSB1001.mx3k9a) or the number the cockpit shows (1042)')
    .option('--run <tag>', 'the sandbox run whose incident the number is (each run numbers from #1042 again)', runTag)
    .option('--out <dir>', 'the folder for the Markdown and the charts (default: the working directory; it must exist)')
    .option('--mkdir', 'create the --out folder when it does not exist')
    .option('--edit', 'open the draft in $VISUAL/$EDITOR, then journal the final version')
    .addOption(new Option('--lang <lang>', 'en or ja').argParser(langOption).default('en'))
    .option('--no-redact', 'do NOT redact personal data and health values (secrets are removed all the same)')
    .option('--verbose', 'the timeline with every recorded event: runbook steps, each stage of each action')
    .addHelpText(
      'after',
      '\nPrints the files written, one per line.\nExit codes: 0 written, 1 the editor failed, 2 bad arguments or unknown incident, 3 bad configuration, 4 a source failed (the draft is still written).',
    )
    .action(async (incident: string, _options, command: Command) => {
      await run(async () => (await import('../postmortem.js')).runPostmortem(incident, command.optsWithGlobals(), io));
    });
}

export function registerSummary(program: Command, io: Io, run: Run): void {
  program
    .command('summary')
    .description('the executive summary: SLA achievement, incidents and MTTR by week, alarm volume, capacity trend')
    .addOption(new Option('--period <duration>', 'how far back (default 30d, at most 400d)').argParser(durationOption))
    .addOption(new Option('--format <format>', 'md or json').argParser(formatOption).default('md'))
    .addOption(new Option('--lang <lang>', 'en or ja').argParser(langOption).default('en'))
    .option('--out <file>', 'write the summary to a file instead of stdout (its folder must exist)')
    .option('--mkdir', 'create the folder of --out when it does not exist')
    .option('--no-redact', 'do NOT redact personal data and health values (secrets are removed all the same)')
    .addHelpText(
      'after',
      '\nExit codes: 0 written, 2 bad arguments, 3 bad configuration, 4 a source failed (the summary is still written, its footer names what is missing).',
    )
    .action(async (_options, command: Command) => {
      await run(async () => (await import('../summary.js')).runSummary(command.optsWithGlobals(), io));
    });
}

/** note and followup: adding to the journal headlessly. */
export function registerNote(program: Command, io: Io, run: Run): void {
  program
    .command('note')
    .description('add a note to an incident in the journal (mirrored to PagerDuty when configured)')
    .argument('<incident>', 'the incident id')
    .argument('<text...>', 'the note')
    .action(async (incident: string, text: string[], _options, command: Command) => {
      await run(async () => (await import('../note.js')).runNote(incident, text, command.optsWithGlobals(), io));
    });

  const followup = program
    .command('followup')
    .description('add a follow-up with an owner to an incident, or close one: followup close ID')
    .argument('<incident>', 'the incident id')
    .argument('<text...>', 'what needs doing')
    .option('--owner <name>', 'who will do it (required)')
    .option('--due <date>', 'when it is due (ISO 8601)', instantOption)
    .action(async (incident: string, text: string[], _options, command: Command) => {
      await run(async () => (await import('../note.js')).runFollowUp(incident, text, command.optsWithGlobals(), io));
    });
  followup
    .command('close')
    .description('close a follow-up')
    .argument('<id>', 'the follow-up id (#12 in reports)')
    .option('--resolution <text>', 'what was done')
    .action(async (id: string, _options, command: Command) => {
      await run(async () =>
        (await import('../note.js')).runFollowUpClose(id.replace(/^#/, ''), command.optsWithGlobals(), io),
      );
    });
}
