import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';

/**
 * Where the journals live: the platform's data directory (~/.local/share/vitascope-oncall on Linux,
 * ~/Library/Application Support/vitascope-oncall on macOS, %LOCALAPPDATA%\vitascope-oncall\Data on
 * Windows), or VITASCOPE_ONCALL_DATA_DIR.
 *
 * The sandbox has its own file: drills and demos never mix with the record of real incidents, and the
 * handoff report of a real shift never shows a drill.
 */
export type JournalKind = 'sandbox' | 'live';

export const JOURNAL_FILES: Readonly<Record<JournalKind, string>> = {
  live: 'journal.db',
  sandbox: 'journal-sandbox.db',
};

/** The data directory: VITASCOPE_ONCALL_DATA_DIR when set (and not empty), else the platform's. */
export function dataDir(env: NodeJS.ProcessEnv): string {
  const override = env.VITASCOPE_ONCALL_DATA_DIR;
  if (override && override.trim()) return path.resolve(override);
  // env-paths reads process.env; on Linux and the BSDs the environment given here decides, so a caller
  // with its own HOME/XDG_DATA_HOME (a test, a wrapper) never writes into the user's real journal.
  if (process.platform !== 'darwin' && process.platform !== 'win32') {
    const base = env.XDG_DATA_HOME?.trim() || path.join(env.HOME?.trim() || os.homedir(), '.local', 'share');
    return path.resolve(base, 'vitascope-oncall');
  }
  return path.resolve(envPaths('vitascope-oncall', { suffix: '' }).data);
}

/** The journal file for the sandbox or for live sources. */
export function journalPath(env: NodeJS.ProcessEnv, kind: JournalKind): string {
  return path.join(dataDir(env), JOURNAL_FILES[kind]);
}
