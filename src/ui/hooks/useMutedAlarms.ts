import { useMemo, useSyncExternalStore } from 'react';
import type { DisabledActions } from '../../core/live/alarmActionsTimer.js';
import type { CockpitServices } from '../../core/live/services.js';
import type { MutedAlarms } from '../render/alarms.js';

const NONE: readonly DisabledActions[] = [];
const noSubscription = () => () => undefined;

/** The CloudWatch alarms whose actions the journal says are disabled, and until when, by name. */
export function useMutedAlarms(services: CockpitServices | undefined): MutedAlarms {
  const timer = services?.alarmActionsTimer();
  const list = useSyncExternalStore(
    timer ? (l) => timer.subscribe(l) : noSubscription,
    timer ? () => timer.snapshot() : () => NONE,
  );
  return useMemo(() => new Map(list.map((d) => [d.alarm, d])), [list]);
}
