import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Alarm } from '../../core/model.js';
import type { CockpitServices } from '../../core/live/services.js';
import type { Room, RoomView } from '../../core/live/room.js';
import type { SortSpec } from '../render/alarms.js';
import { compileFilter } from '../state.js';

/** Filtered and sorted items of a list, recomputed only when the data, the filter or the sort change. */
export function useList<T>(items: readonly T[] | undefined, haystack: (t: T) => string, filter: string, sorts: readonly SortSpec<T>[], sortIndex: number, reverse: boolean) {
  const texts = useMemo(() => (items ?? []).map((t) => ({ t, text: haystack(t) })), [items, haystack]);
  return useMemo(() => {
    const f = compileFilter(filter);
    const kept = filter ? texts.filter((x) => f.test(x.text)).map((x) => x.t) : texts.map((x) => x.t);
    const sort = sorts[sortIndex % sorts.length]!;
    kept.sort(sort.compare);
    if (reverse) kept.reverse();
    return { items: kept, error: f.error, sortLabel: sort.label };
  }, [texts, filter, sorts, sortIndex, reverse]);
}

/** "id — title" of the runbook matching an alarm, once the runbooks are loaded. */
export function useRunbookLine(services: CockpitServices | undefined, alarm: Alarm | undefined): string | undefined {
  const [line, setLine] = useState<{ id?: string; text?: string }>({});
  const key = alarm?.id;
  useEffect(() => {
    if (!services || !alarm) return undefined;
    let live = true;
    services
      .runbookFor({ alarm })
      .then((r) => live && setLine({ id: key, text: r ? `${r.runbook.id} — ${r.runbook.title}` : undefined }))
      .catch(() => live && setLine({ id: key, text: undefined }));
    return () => {
      live = false;
    };
    // The alarm object changes every refresh; its id says when it is another alarm.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [services, key]);
  return line.id === key ? line.text : undefined;
}

const NO_ROOM = () => () => undefined;
/** The room's view, re-rendering as its runner moves. */
export function useRoomView(room: Room | undefined): RoomView | undefined {
  return useSyncExternalStore(room ? (cb) => room.subscribe(cb) : NO_ROOM, room ? () => room.view() : () => undefined);
}
