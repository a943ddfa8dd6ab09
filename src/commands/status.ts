import { jsonText } from '../core/sanitize.js';
import { collectStatus, exitCodeFor } from '../core/status.js';
import { statusToJson } from '../core/statusJson.js';
import { formatDuration } from '../core/time.js';
import { renderStatus } from '../output/statusText.js';
import { colourWanted, createStyle } from '../output/style.js';
import { configFor, openSources, type GlobalOptions, type Io } from './context.js';

/** `status`: one snapshot of alarms, services, incidents and on-call; the exit code is the worst health. */
export async function runStatus(globals: GlobalOptions & { json?: boolean }, io: Io): Promise<number> {
  const config = await configFor(globals, io);
  const { sources, sandbox } = await openSources(globals, config, io, { headless: true });
  try {
    const snapshot = await collectStatus(sources, config.policy);
    if (globals.json) {
      io.stdout.write(`${jsonText(statusToJson(snapshot), 2)}\n`);
    } else {
      const style = createStyle(colourWanted(io.stdout, io.env, globals.color === false));
      const context = sandbox ? `scenario ${sandbox.scenario} · seed ${sandbox.seed} · +${formatDuration(globals.at ?? 0)} simulated` : undefined;
      io.stdout.write(renderStatus(snapshot, style, { width: io.stdout.isTTY ? io.stdout.columns : undefined, context }));
    }
    return exitCodeFor(snapshot);
  } finally {
    await sources.close();
  }
}
