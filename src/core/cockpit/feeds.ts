import { Poller, type Snapshot } from '../live/poller.js';

const LOADING = <T>(): Snapshot<T> => ({ name: 'detail', health: { state: 'loading', failures: 0 } });

/**
 * Data one screen needs while it is in view (an alarm's history, an incident's timeline, the handoff):
 * a poller of its own, started when its key changes and stopped when the screen closes. `sync` is called
 * on every change of the session; it does nothing unless the key changed.
 */
export class Feed<T> {
  private key?: string;
  private poller?: Poller<T>;
  private off?: () => void;
  private current: Snapshot<T> = LOADING<T>();

  constructor(private readonly onChange: () => void) {}

  sync(key: string | undefined, fetch: (() => () => Promise<T>) | undefined, intervalMs: number): void {
    if (key === this.key) return;
    this.stop();
    this.key = key;
    if (key === undefined || !fetch) return;
    const f = fetch();
    const poller = new Poller<T>({ name: 'detail', fetch: () => f(), intervalMs });
    this.poller = poller;
    this.off = poller.subscribe((snapshot) => {
      this.current = snapshot;
      this.onChange();
    });
    this.current = poller.snapshot();
    poller.start();
  }

  snapshot(): Snapshot<T> {
    return this.current;
  }

  /** Fetch again now (after an action changed what it shows). */
  async refresh(): Promise<void> {
    await this.poller?.refresh();
  }

  stop(): void {
    this.off?.();
    this.poller?.stop();
    this.off = undefined;
    this.poller = undefined;
    this.key = undefined;
    this.current = LOADING<T>();
  }
}

/** A value computed once per key (the runbook line of the alarm in view), by a promise. */
export class KeyedValue<T> {
  private key?: string;
  private value?: T;

  constructor(private readonly onChange: () => void) {}

  sync(key: string | undefined, load: (() => Promise<T | undefined>) | undefined): void {
    if (key === this.key) return;
    this.key = key;
    this.value = undefined;
    if (key === undefined || !load) return;
    load()
      .then((v) => {
        if (this.key !== key) return;
        this.value = v;
        this.onChange();
      })
      .catch(() => undefined);
  }

  get(): T | undefined {
    return this.value;
  }
}
