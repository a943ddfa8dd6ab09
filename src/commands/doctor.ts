import { inertLine, jsonText } from '../core/sanitize.js';
import { EXIT } from '../core/status.js';
import { renderTable } from '../output/table.js';
import { colourWanted, createStyle } from '../output/style.js';
import { configFor, type GlobalOptions, type Io } from './context.js';

const MARK = { ok: '✓ ok', fail: '✗ FAIL', warn: '▲ warn', skip: '– skip' } as const;

/** `doctor`: every configured source, reachable, credentials valid, each permission the product reads with. */
export async function runDoctorCommand(globals: GlobalOptions & { json?: boolean }, io: Io): Promise<number> {
  const config = await configFor(globals, io);
  const [{ runDoctor }, { journalChecks }] = await Promise.all([
    import('../sources/doctor.js'),
    import('./doctorJournal.js'),
  ]);
  const journals = await journalChecks(io.env);
  const checks = [...(await runDoctor(config.effective, io.env)), ...journals];
  const failed = checks.filter((c) => c.result === 'fail').length;
  // A source that did not answer (unreachable, past its deadline, malformed) is exit 4, as for `status`.
  const unanswered = [...new Set(checks.filter((c) => c.sourceFailed).map((c) => c.source))];
  if (globals.json) {
    io.stdout.write(`${jsonText({ ok: failed === 0, unanswered, checks }, 2)}\n`);
  } else {
    const style = createStyle(colourWanted(io.stdout, io.env, globals.color === false));
    const level = { ok: 'ok', fail: 'critical', warn: 'warning', skip: 'info' } as const;
    io.stdout.write(
      `${renderTable(
        [
          { header: 'SOURCE' },
          { header: 'CHECK' },
          { header: 'RESULT' },
          { header: 'DETAIL / WHAT TO DO', shrink: true, max: 600 },
        ],
        checks.map((c) => [c.source, c.check, MARK[c.result], inertLine(c.fix ? `${c.detail} → ${c.fix}` : c.detail)]),
        {
          maxWidth: io.stdout.isTTY ? io.stdout.columns : undefined,
          header: style.dim,
          paint: (r, col, cell) => (col === 2 ? style.level(level[checks[r]!.result], cell) : cell),
        },
      )}\n`,
    );
    if (unanswered.length)
      io.stdout.write(
        `\nNo usable answer from ${unanswered.join(', ')}: unreachable, past the deadline or malformed (exit ${EXIT.source}).`,
      );
    io.stdout.write(
      failed
        ? `\n${failed} check(s) failed. Write actions (UpdateService, RebootDBInstance, …) are not tried; the README lists the permissions they need.\n`
        : '\nEvery configured source answers. Write permissions are not tried (that would change something); the README lists them.\n',
    );
  }
  const journalFailed = checks.some((c) => c.source === 'journal' && c.result === 'fail');
  return journalFailed ? EXIT.storage : unanswered.length ? EXIT.source : failed ? 1 : 0;
}
