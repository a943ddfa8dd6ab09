/**
 * The child process of the durability tests, bundled with esbuild by the test and killed with SIGKILL.
 *
 *   node child.mjs append <journal> <round>   appends events forever; prints "<seq> <text>" for each event
 *                                             only after append/appendMany has returned (it is durable)
 *   node child.mjs mirror <journal> <notes>   mirrors one pending batch: the note service appends the note to
 *                                             <notes> (fsynced), prints "sent", and never answers
 */
import fs from 'node:fs';
import { openJournal } from '../../../src/core/journal/index.js';

const [mode, file, arg] = process.argv.slice(2);
if (!mode || !file || !arg) throw new Error('usage: child.mjs append|mirror <journal> <round|notes>');
const who = { kind: 'local', id: 'child' } as const;
const say = (line: string) => fs.writeSync(1, `${line}\n`);

if (mode === 'append') {
  const journal = openJournal(file, { mirror: true });
  journal.upsertIncident({
    id: 'PD-1',
    title: 'durability',
    status: 'acknowledged',
    source: 'pagerduty',
    createdAt: 0,
  });
  for (let i = 0; ; i++) {
    const text = `r${arg}-${i}`;
    const at = Date.now();
    if (i % 10 === 9) {
      // A burst in one transaction: a follow-up, a step and a note, all or none.
      const recorded = journal.appendMany([
        { kind: 'followup.added', at, who, incidentId: 'PD-1', payload: { text: `${text}a`, owner: 'child' } },
        {
          kind: 'step.done',
          at,
          who,
          incidentId: 'PD-1',
          payload: { runbookId: 'r', stepId: text, output: 'ok\n'.repeat(50) },
        },
        { kind: 'note', at, who, incidentId: 'PD-1', payload: { text: `${text}c` } },
      ]);
      say(`${recorded[0]!.seq} followup.added ${text}a`);
      say(`${recorded[1]!.seq} step.done ${text}`);
      say(`${recorded[2]!.seq} note ${text}c`);
    } else {
      const e = journal.append({ kind: 'note', at, who, incidentId: 'PD-1', payload: { text } });
      say(`${e.seq} note ${text}`);
    }
  }
} else if (mode === 'mirror') {
  const journal = openJournal(file, { mirror: true });
  void journal.mirrorPending(async (incidentId, text) => {
    const fd = fs.openSync(arg, 'a');
    fs.writeSync(fd, `${JSON.stringify({ incidentId, text })}\n`);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    say('sent');
    await new Promise(() => {});
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}
