import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir, journalPath } from '../../../src/core/journal/paths.js';

// The environment handed in decides where the journal goes: a test or wrapper with its own HOME must
// never write into the real user's journal (env-paths alone reads the process's environment).
describe.skipIf(process.platform === 'darwin' || process.platform === 'win32')('the data directory', () => {
  it('follows the given HOME, not the process', () => {
    const home = path.join(os.tmpdir(), 'someone-else');
    expect(dataDir({ HOME: home })).toBe(path.join(home, '.local/share/vitascope-oncall'));
    expect(dataDir({ HOME: home })).not.toBe(dataDir({ HOME: os.homedir() }));
  });
  it('takes XDG_DATA_HOME before HOME, and the override before both', () => {
    expect(dataDir({ HOME: '/h', XDG_DATA_HOME: '/x/data' })).toBe('/x/data/vitascope-oncall');
    expect(dataDir({ HOME: '/h', XDG_DATA_HOME: '/x', VITASCOPE_ONCALL_DATA_DIR: '/d' })).toBe('/d');
    expect(journalPath({ HOME: '/h' }, 'sandbox')).toBe('/h/.local/share/vitascope-oncall/journal-sandbox.db');
  });
});
