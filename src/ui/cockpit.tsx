import { render } from 'ink';
import React from 'react';
import type { LiveModel } from '../core/live/model.js';
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
  /** The live model (not started yet): started with the screen, stopped when it closes. */
  readonly live: LiveModel;
  /** The journal, runbooks, actions and incident rooms. */
  readonly services?: CockpitServices;
  /** `y`'s clipboard through the terminal (OSC 52); absent under --no-links or an unknown terminal. */
  readonly clipboard?: { readonly write: (sequence: string) => void; readonly links: boolean };
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
  const live = o.live;
  const emitWarning = process.emitWarning;
  // Warnings (the AWS SDK's Node-version notice…) would print over the screen.
  process.emitWarning = (() => undefined) as typeof process.emitWarning;
  let restored = false;
  // The terminal went away (an SSH connection dropped, the tmux server killed): nothing may be written
  // to it any more, and the program closes as it would on q.
  let terminalGone = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    live.stop();
    if (!terminalGone) o.stdout.write(SHOW_CURSOR + LEAVE);
    process.emitWarning = emitWarning;
  };
  let closing = false;
  /**
   * SIGTERM, SIGHUP, a terminal that fails: the journal gets what a quit gives it (the evidence of the
   * run's incidents, the end of a sandbox run, room leases let go), within a few seconds, then the
   * program exits.
   */
  const shutdown = (code: number) => {
    if (closing) return;
    closing = true;
    try {
      instance.unmount();
    } catch {
      // Ink writing to a terminal that is gone.
    }
    restore();
    // Node resets the terminal's modes on the way out and aborts when the terminal is gone (node::ResetStdio
    // asserts on EIO): with the journal closed, a process whose terminal is gone ends without that step.
    const finish = () => (terminalGone ? process.kill(process.pid, 'SIGKILL') : process.exit(code));
    const deadline = setTimeout(finish, 3_000);
    deadline.unref();
    void Promise.resolve(o.services?.close())
      .catch(() => undefined)
      .then(() => o.sources.close())
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(deadline);
        finish();
      });
  };
  const onSignal = () => shutdown(130);
  const onTerminalError = () => {
    terminalGone = true;
    shutdown(1);
  };
  o.stdout.on('error', onTerminalError);
  o.stdin.on('error', onTerminalError);
  o.stdout.write(ENTER);
  live.start();
  const instance = render(
    <App
      live={live}
      sources={o.sources}
      policy={o.policy}
      bindings={o.bindings}
      readonly={o.readonly}
      theme={createTheme(o.colour)}
      context={o.context}
      services={o.services}
      {...(o.clipboard ? { clipboard: o.clipboard } : {})}
    />,
    {
      stdout: o.stdout,
      stdin: o.stdin,
      stderr: o.stderr,
      exitOnCtrlC: false,
      patchConsole: true,
      maxFps: 60,
      incrementalRendering: true,
    },
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
    o.stdout.off('error', onTerminalError);
    o.stdin.off('error', onTerminalError);
    await o.services?.close();
    await o.sources.close();
  }
}
