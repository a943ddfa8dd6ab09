import type { Sources } from '../../sources/ports.js';
import { ReadOnlyError } from './errors.js';

/** The capability ports: every one of them changes the world. */
const CAPABILITIES = [
  'scalable',
  'autoScalable',
  'redeployable',
  'rebootable',
  'storageResizable',
  'incidentActions',
  'silences',
  'alarmDrill',
  'alarmActions',
  'addressBlocker',
] as const satisfies readonly (keyof Sources)[];

/** Methods of capability ports that only read (they stay usable in read-only mode). */
const READS = new Set([
  'getScalingLimits',
  'previousTaskDefinition',
  'getStorage',
  'listSilences',
  'readActions',
  'blocked',
]);

/**
 * Sources whose capability ports refuse every changing call with ReadOnlyError, where the call happens:
 * for code that changes the world through the ports directly rather than through the action engine (a
 * live drill's SetAlarmState and DisableAlarmActions), read-only mode holds even if a check above it is
 * missed. Reads (the read ports, and the capability ports' own reads) pass through.
 */
export function readOnlySources(sources: Sources, what = 'this'): Sources {
  const guarded: Record<string, unknown> = {};
  for (const key of CAPABILITIES) {
    const port = sources[key] as Record<string, unknown> | undefined;
    if (!port) continue;
    guarded[key] = new Proxy(port, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function' || typeof prop !== 'string' || READS.has(prop))
          return typeof value === 'function' ? value.bind(target) : value;
        return () => Promise.reject(new ReadOnlyError(`${what} (${key}.${prop})`));
      },
    });
  }
  return { ...sources, ...guarded, now: () => sources.now(), close: () => sources.close() };
}
