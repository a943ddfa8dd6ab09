import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatedClock, type Clock } from '../../../src/core/actions/clock.js';
import { resolveBindings } from '../../../src/core/cockpit/bindings.js';
import { CockpitSession, type SessionSnapshot } from '../../../src/core/cockpit/session.js';
import { LiveModel } from '../../../src/core/live/model.js';
import { CockpitServices } from '../../../src/core/live/services.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { createSandbox, type Sandbox } from '../../../src/sources/sandbox/sandbox.js';
import { LIST_SPECS } from '../../../src/ui/listSpecs.js';

/** Key names of the table that are not characters typed. */
const NAMED = new Set([
  'return',
  'escape',
  'up',
  'down',
  'left',
  'right',
  'pageup',
  'pagedown',
  'home',
  'end',
  'tab',
  'backspace',
  'delete',
  'space',
]);

/**
 * A cockpit session on a frozen sandbox, with no terminal: keys go to `session.dispatch` one by one, and
 * what they did is read back from the sandbox, the journal and the session's snapshot. `clock: 'held'`
 * makes every wait of a runbook last until it is skipped or stopped (to catch the room waiting).
 */
export async function rig(
  scenario: string,
  minutes: number,
  o: { clock?: 'held'; readonly?: boolean; clipboard?: { write: (sequence: string) => void; links: boolean } } = {},
) {
  const sources: Sandbox = createSandbox({
    seed: 1,
    scenario,
    speed: 1,
    startOffsetMs: minutes * 60_000,
    policy: DEFAULT_POLICY,
    user: { id: 'local', name: 'Test Responder' },
    frozen: true,
  });
  // How often the alarms were asked for: app.refresh's ground truth.
  let alarmReads = 0;
  const listAlarms = sources.alarms!.listAlarms.bind(sources.alarms);
  (sources.alarms! as { listAlarms: typeof listAlarms }).listAlarms = (...a) => (alarmReads++, listAlarms(...a));
  const live = new LiveModel(sources, { alarms: 3600, services: 3600, incidents: 3600, onCall: 3600, metrics: 3600 });
  await live.refreshAll();
  const held: Clock = {
    now: () => sources.now(),
    pollMs: 60_000,
    wait: (_ms, signal) =>
      new Promise<void>((_, reject) =>
        signal?.addEventListener('abort', () => reject(new Error('the wait was stopped')), { once: true }),
      ),
  };
  const readonly = o.readonly ?? false;
  const services = new CockpitServices({
    sources,
    policy: DEFAULT_POLICY,
    user: { id: 'local', name: 'Test Responder' },
    readonly,
    journalFile: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vo-session-')), 'journal-sandbox.db'),
    runbookDirs: [],
    env: {},
    speed: 1,
    sandboxTag: 'test-1',
    clock:
      o.clock === 'held' ? held : simulatedClock({ now: () => sources.now(), advance: (ms) => sources.advance(ms) }),
  });
  let quits = 0;
  const session = new CockpitSession({
    live,
    sources,
    policy: DEFAULT_POLICY,
    bindings: resolveBindings(undefined, readonly),
    readonly,
    services,
    lists: LIST_SPECS,
    onQuit: () => (quits += 1),
    ...(o.clipboard ? { clipboard: o.clipboard } : {}),
  });
  session.setRows(30);

  /** Presses keys by their table names ("j", "return", "ctrl+r"); any other string is typed character by character. */
  const press = (...keys: string[]): void => {
    for (const k of keys) {
      if (NAMED.has(k) || k.startsWith('ctrl+')) session.dispatch({ name: k, input: k === 'space' ? ' ' : '' });
      else for (const ch of k) session.dispatch({ name: ch, input: ch });
    }
  };
  const until = async (
    p: (s: SessionSnapshot) => boolean | undefined,
    what: string,
    timeoutMs = 10_000,
  ): Promise<SessionSnapshot> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = session.snapshot();
      if (p(s)) return s;
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; state: ${JSON.stringify({ screen: s.state.screen, dialog: s.state.dialog, flash: s.state.flash, room: s.state.room, pending: s.roomView?.pending?.kind })}`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const close = async () => {
    session.close();
    live.stop();
    await services.close();
  };
  return {
    sources,
    live,
    services,
    session,
    press,
    until,
    close,
    quits: () => quits,
    alarmReads: () => alarmReads,
    snap: () => session.snapshot(),
  };
}

export type Rig = Awaited<ReturnType<typeof rig>>;
