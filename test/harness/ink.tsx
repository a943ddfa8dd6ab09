import React from 'react';
import { render } from 'ink-testing-library';
import { App, type AppProps } from '../../src/ui/App.js';
import { LiveModel } from '../../src/core/live/model.js';
import { DEFAULT_POLICY } from '../../src/core/policy/overrides.js';
import { createSandbox, type Sandbox } from '../../src/sources/sandbox/sandbox.js';
import { resolveBindings } from '../../src/ui/keys.js';
import { createTheme } from '../../src/ui/theme.js';
import type { Sources } from '../../src/sources/ports.js';
import { CockpitServices } from '../../src/core/live/services.js';
import { simulatedClock } from '../../src/core/actions/clock.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const KEYS = {
  enter: '\r',
  escape: '\u001b',
  down: '\u001b[B',
  up: '\u001b[A',
  backspace: '\u007f',
  ctrlC: '\u0003',
} as const;

/** Waits until the last frame satisfies a predicate (never a fixed sleep). */
export async function waitForFrame(
  lastFrame: () => string | undefined,
  predicate: (frame: string) => boolean,
  what = 'frame',
  timeoutMs = 5000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${frame}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function sandboxAt(scenario: string, minutes: number): Sandbox {
  return createSandbox({
    seed: 1,
    scenario,
    speed: 1,
    startOffsetMs: minutes * 60_000,
    policy: DEFAULT_POLICY,
    user: { id: 'local', name: 'Test Responder' },
    frozen: true,
  });
}

/** The whole cockpit on given sources, with pollers that only refresh when asked (tests control time). */
/** The cockpit's services on a journal of the test's own; waits advance the frozen sandbox. */
export function testServices(
  sources: Sources,
  options: { readonly?: boolean; journalFile?: string } = {},
): CockpitServices {
  const journalFile =
    options.journalFile ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vo-ui-')), 'journal-sandbox.db');
  const sandbox = sources as Partial<Sandbox>;
  return new CockpitServices({
    sources,
    policy: DEFAULT_POLICY,
    user: { id: 'local', name: 'Test Responder' },
    readonly: options.readonly ?? false,
    journalFile,
    runbookDirs: [],
    env: {},
    speed: 1,
    sandboxTag: 'test-1',
    ...(sandbox.advance
      ? { clock: simulatedClock({ now: () => sources.now(), advance: (ms) => sandbox.advance!(ms) }) }
      : {}),
  });
}

export async function renderCockpit(
  sources: Sources,
  options: Partial<AppProps> & { readonly?: boolean; journalFile?: string } = {},
) {
  const live = new LiveModel(sources, { alarms: 3600, services: 3600, incidents: 3600, onCall: 3600, metrics: 3600 });
  await live.refreshAll();
  const readonly = options.readonly ?? false;
  const services = options.services ?? testServices(sources, { readonly, journalFile: options.journalFile });
  const ui = render(
    <App
      live={live}
      sources={sources}
      policy={DEFAULT_POLICY}
      bindings={resolveBindings(undefined, readonly)}
      readonly={readonly}
      theme={createTheme(false)}
      wallClock={() => Date.now()}
      services={services}
      {...options}
    />,
  );
  await waitForFrame(
    ui.lastFrame,
    (f) => f.includes('SANDBOX') || f.includes('ALARMS') || f.includes('サンドボックス'),
    'first frame',
  );
  // useInput attaches after the first render (TESTING.md).
  await new Promise((r) => setTimeout(r, 20));
  const press = async (keys: string) => {
    for (const k of keys.length > 1 && !keys.startsWith('\u001b') ? [...keys] : [keys]) {
      ui.stdin.write(k);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return {
    ...ui,
    live,
    services,
    press,
    frame: () => ui.lastFrame() ?? '',
    wait: (p: (f: string) => boolean, what?: string, timeoutMs?: number) =>
      waitForFrame(ui.lastFrame, p, what, timeoutMs),
  };
}
