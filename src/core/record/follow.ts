import type { LiveModel } from '../live/model.js';
import type { Observation, TimelineRecorder } from './recorder.js';

/**
 * Keeps the timeline recorder in step with a live model: every time a source's data changes (a new
 * object: the pollers keep the same one while nothing changed), that data is looked at once. Data kept
 * from before a failed refresh is the same object, so a failing source records nothing new.
 * Returns the unsubscribe function.
 */
export function follow(model: LiveModel, recorder: TimelineRecorder): () => void {
  let alarms: unknown;
  let alerts: unknown;
  let incidents: unknown;
  const look = () => {
    const seen: { -readonly [K in keyof Observation]: Observation[K] } = {};
    const a = model.alarms.snapshot().data;
    const b = model.alerts?.snapshot().data;
    const i = model.incidents.snapshot().data;
    if (a && a !== alarms) {
      seen.alarms = a;
      alarms = a;
    }
    if (b && b !== alerts) {
      seen.alerts = b;
      alerts = b;
    }
    if (i && i !== incidents) {
      seen.incidents = i;
      incidents = i;
    }
    if (seen.alarms || seen.alerts || seen.incidents) void recorder.observe(seen);
  };
  const off = model.subscribe(look);
  look();
  return off;
}
