/**
 * What `logs` and `traces` share: the service named on the command line (checked against the configured
 * ones before any source is opened), the window ending now, and the sources' log or trace port — a source
 * that lacks it is said plainly (exit 4), never shown as an empty window.
 */
import { EXIT } from '../core/status.js';
import { inertLine } from '../core/sanitize.js';
import { deadlinesFor } from '../sources/deadlines.js';
import { findService, logGroupsFor, traceServicesFor } from '../sources/logGroups.js';
import type { Sources } from '../sources/ports.js';
import { configFor, openSources, type GlobalOptions, type Io } from './context.js';

export interface Window {
  readonly start: number;
  readonly end: number;
}

export interface Opened {
  readonly service: string;
  readonly groups: readonly string[];
  readonly sources: Sources;
  /** Milliseconds a read may take in all (the configuration's timeouts.source). */
  readonly deadlineMs: number;
  readonly sandbox: boolean;
}

/** The window of `since` ms ending at the sources' now. */
export function windowEndingNow(sources: Sources, since: number): Window {
  const end = sources.now();
  return { start: end - since, end };
}

/**
 * Opens the sources for `command` on `name`; on a bad service name writes one line naming the known ones
 * and returns the usage exit code.
 */
export async function openFor(
  command: 'logs' | 'traces',
  name: string,
  globals: GlobalOptions,
  io: Io,
): Promise<Opened | number> {
  const config = await configFor(globals, io);
  const found = findService(
    name,
    command === 'traces' ? traceServicesFor(config.effective) : logGroupsFor(config.effective),
  );
  if (found.kind === 'unknown') {
    // Each command names the key that adds a service to it: log groups for logs, X-Ray names for traces.
    const adds = command === 'traces' ? 'traces.services' : 'logs.groups';
    io.stderr.write(
      `vitascope-oncall: ${command}: unknown service "${inertLine(name.slice(0, 200))}"; known: ${found.known.join(', ')} (${adds} in the configuration adds others)\n`,
    );
    return EXIT.usage;
  }
  const { sources, sandbox } = await openSources(globals, config, io, { headless: true });
  return {
    service: found.service,
    groups: found.groups,
    sources,
    deadlineMs: deadlinesFor(config.effective).sourceMs,
    sandbox: sandbox !== undefined,
  };
}

/** The line for a source without the port: which source would hold it and how to get it. */
export function unavailable(command: 'logs' | 'traces', opened: Opened, io: Io): number {
  const what = command === 'logs' ? 'logs (CloudWatch Logs)' : 'traces (X-Ray)';
  io.stderr.write(
    `vitascope-oncall: ${command}: ${opened.sandbox ? `the sandbox has no ${command} source` : `no source of ${what}: AWS is not configured (aws.region with credentials, or aws.profile)`}\n`,
  );
  return EXIT.source;
}

/** A failure of the source, in one line. */
export function failed(command: 'logs' | 'traces', error: unknown, io: Io): number {
  io.stderr.write(
    `vitascope-oncall: ${command}: ${inertLine((error instanceof Error ? error.message : String(error)).slice(0, 500))}\n`,
  );
  return EXIT.source;
}
