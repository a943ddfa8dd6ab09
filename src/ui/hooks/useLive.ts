import { useEffect, useState, useSyncExternalStore } from 'react';
import { useStdout } from 'ink';
import type { LiveModel, LiveSnapshot } from '../../core/live/model.js';
import { Poller, type Snapshot } from '../../core/live/poller.js';

/** The live model's current snapshot; re-renders when any source changes. */
export function useLiveSnapshot(live: LiveModel): LiveSnapshot {
  return useSyncExternalStore(
    (cb) => live.subscribe(cb),
    () => live.snapshot(),
  );
}

/** The terminal's size, following resizes. */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => terminalSize(stdout));
  useEffect(() => {
    const onResize = () => setSize(terminalSize(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

function terminalSize(stdout: NodeJS.WriteStream): { columns: number; rows: number } {
  return { columns: stdout.columns || 100, rows: stdout.rows || 30 };
}

/**
 * Data a detail view needs while it is open (an alarm's history, an incident's timeline): a poller of
 * its own, started when the key changes and stopped when the view closes.
 */
export function useDetail<T>(key: string | undefined, fetch: (() => Promise<T>) | undefined, intervalMs: number): { snapshot: Snapshot<T>; poller?: Poller<T> } {
  const [state, setState] = useState<{ key?: string; poller?: Poller<T>; snapshot: Snapshot<T> }>({ snapshot: { name: 'detail', health: { state: 'loading', failures: 0 } } });
  useEffect(() => {
    if (!key || !fetch) return undefined;
    const poller = new Poller<T>({ name: 'detail', fetch: () => fetch(), intervalMs });
    const off = poller.subscribe((snapshot) => setState({ key, poller, snapshot }));
    setState({ key, poller, snapshot: poller.snapshot() });
    poller.start();
    return () => {
      off();
      poller.stop();
    };
    // The fetcher is rebuilt every render; the key says when it really changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, intervalMs]);
  return state.key === key ? { snapshot: state.snapshot, poller: state.poller } : { snapshot: { name: 'detail', health: { state: 'loading', failures: 0 } } };
}

/** A re-render every `ms` (for ages and countdowns), and nothing more. */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return tick;
}
