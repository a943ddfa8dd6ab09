/**
 * The source deadline of headless commands (status, the reports): every read of a source is given at most
 * `sourceMs` in all (its requests, retries, pages and rate-limit waits), then abandoned and reported as
 * "no answer within …", whether or not the adapter heeds the abort signal. A server that missed a deadline
 * is not asked again in the same command (by any of its ports), so a report that reads one server many
 * times still waits at most about one deadline for it. Capability ports (actions) are not wrapped: an action is never abandoned
 * half-way by this layer; its own requests have their deadlines.
 */
import type { Sources } from './ports.js';
import { DeadlineError, withDeadline, type Deadlines } from './deadlines.js';

/** Read methods per port, and the argument index of each one's AbortSignal (when it takes one). */
const READS: Readonly<Record<string, Readonly<Record<string, number | undefined>>>> = {
  alarms: { listAlarms: 0, alarmHistory: undefined },
  alerts: { listAlarms: 0, alarmHistory: undefined },
  metrics: { getSeries: undefined },
  services: { listServices: 0 },
  databases: { listDatabases: 0 },
  incidents: { listIncidents: 1, getIncident: undefined, timeline: undefined },
  onCall: { onCallNow: 0, rotation: undefined, escalationPolicies: undefined },
};

/** What each port is called in messages ("CloudWatch: no answer within 20 s"); the port's name by default. */
export type SourceLabels = Partial<Record<keyof typeof READS, string>>;

/** Whether a server (by its label) already missed a deadline in this command. */
interface Missed {
  value: boolean;
}

function bounded<T extends object>(
  port: T,
  label: string,
  ms: number,
  methods: Readonly<Record<string, number | undefined>>,
  state: Missed,
): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof key !== 'string' || !(key in methods) || typeof value !== 'function') return value;
      const at = methods[key];
      return (...args: unknown[]) => {
        if (state.value) return Promise.reject(new DeadlineError(label, ms, true));
        const outer = at === undefined ? undefined : (args[at] as AbortSignal | undefined);
        return withDeadline(
          label,
          ms,
          (signal) => {
            const call = [...args];
            if (at !== undefined) {
              while (call.length < at) call.push(undefined);
              call[at] = signal;
            }
            return (value as (...a: unknown[]) => Promise<unknown>).apply(target, call);
          },
          outer,
        ).catch((error: unknown) => {
          if (error instanceof DeadlineError) state.value = true;
          throw error;
        });
      };
    },
  });
}

/** The sources with every read bounded by `deadlines.sourceMs` (see the file comment). */
export function withSourceDeadlines<S extends Sources>(
  sources: S,
  deadlines: Pick<Deadlines, 'sourceMs'>,
  labels: SourceLabels = {},
): S {
  const out: Record<string, unknown> = {};
  // Ports of one server (PagerDuty's incidents and on-call; CloudWatch's alarms and metrics) share the verdict.
  const missed = new Map<string, Missed>();
  for (const [port, methods] of Object.entries(READS)) {
    const p = (sources as unknown as Record<string, object | undefined>)[port];
    if (!p) continue;
    const label = labels[port as keyof SourceLabels] ?? port;
    if (!missed.has(label)) missed.set(label, { value: false });
    out[port] = bounded(p, label, deadlines.sourceMs, methods, missed.get(label)!);
  }
  return new Proxy(sources, {
    get(target, key, receiver) {
      return typeof key === 'string' && key in out ? out[key] : Reflect.get(target, key, receiver);
    },
  });
}
