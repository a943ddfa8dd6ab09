import { render } from 'ink';
import React from 'react';
import { defaultIntervals, LiveModel, type AppSignalPlan, type RefreshIntervals } from '../core/live/model.js';
import type { Policy } from '../core/policy/types.js';
import type { Sources } from '../sources/ports.js';
import type { CockpitServices } from '../core/live/services.js';
import { App } from './App.js';
import type { Binding } from './keys.js';
import { createTheme } from './theme.js';

export interface CockpitOptions {
  readonly sources: Sources;
  readonly policy: Policy;
  readonly bindings: readonly Binding[];
  readonly readonly: boolean;
  readonly colour: boolean;
  readonly context?: string;
  readonly intervals?: Partial<RefreshIntervals>;
  /** Where the app signals come from (Prometheus first when configured, CloudWatch as the fallback). */
  readonly signals?: AppSignalPlan;
  /** The journal, runbooks, actions and incident rooms. */
  readonly services?: CockpitServices;
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
}

// The alternate screen (like k9s, less, vim): the shell's scrollback is untouched and comes back on exit.
const ENTER = '\u001b[?1049h\u001b[H';
const LEAVE = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';

/**
 * Opens the cockpit and resolves when the responder quits. Whatever happens (q, Ctrl-C, SIGTERM, a
 * crash), the terminal is handed back as it was: main screen, cursor visible, raw mode off.
 */
export async function runCockpit(o: CockpitOptions): Promise<void> {
  const live = new LiveModel(o.sources, { ...defaultIntervals(o.sources.environment.kind), ...withoutUndefined(o.intervals) }, undefined, o.signals);
  const emitWarning = process.emitWarning;
  // Warnings (the AWS SDK's Node-version notice…) would print over the screen.
  process.emitWarning = (() => undefined) as typeof process.emitWarning;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    live.stop();
    o.stdout.write(SHOW_CURSOR + LEAVE);
    process.emitWarning = emitWarning;
  };
  const onSignal = () => {
    instance.unmount();
    restore();
    process.exit(130);
  };
  o.stdout.write(ENTER);
  live.start();
  // The one timeline: what the live model sees is journaled in core, not by a view.
  o.services?.record(live);
  const instance = render(
    <App live={live} sources={o.sources} policy={o.policy} bindings={o.bindings} readonly={o.readonly} theme={createTheme(o.colour)} context={o.context} services={o.services} />,
    { stdout: o.stdout, stdin: o.stdin, stderr: o.stderr, exitOnCtrlC: false, patchConsole: true, maxFps: 60, incrementalRendering: true },
  );
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  process.once('exit', restore);
  try {
    await instance.waitUntilExit();
  } finally {
    instance.cleanup();
    restore();
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('exit', restore);
    await o.services?.close();
    await o.sources.close();
  }
}

function withoutUndefined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
