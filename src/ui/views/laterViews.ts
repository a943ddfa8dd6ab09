/**
 * The views no first frame shows (the incident room, the handoff, a service's logs and traces), with the
 * core code only they use (reports' Markdown, log charts, room phases): loaded after the first frame, so
 * that the cockpit's start does not wait for them (the bench's first frame, `npm run bench`). ScreenBody
 * starts the load once it has drawn; by the time a key opens one of these screens it is there, and until
 * then the screen says it is loading.
 */
import { useEffect, useState } from 'react';

export interface LaterViews {
  readonly RoomView: typeof import('./RoomView.js').RoomView;
  readonly HandoffView: typeof import('./HandoffView.js').HandoffView;
  readonly LogsView: typeof import('./LogsView.js').LogsView;
  readonly TracesView: typeof import('./TracesView.js').TracesView;
}

let loaded: LaterViews | undefined;
let loading: Promise<LaterViews> | undefined;

export function loadLaterViews(): Promise<LaterViews> {
  loading ??= Promise.all([
    import('./RoomView.js'),
    import('./HandoffView.js'),
    import('./LogsView.js'),
    import('./TracesView.js'),
  ]).then(([room, handoff, logs, traces]) => {
    loaded = {
      RoomView: room.RoomView,
      HandoffView: handoff.HandoffView,
      LogsView: logs.LogsView,
      TracesView: traces.TracesView,
    };
    return loaded;
  });
  return loading;
}

/** The later views once loaded (undefined before), starting their load after the first render. */
export function useLaterViews(): LaterViews | undefined {
  const [views, setViews] = useState(loaded);
  useEffect(() => {
    if (views) return;
    let live = true;
    void loadLaterViews().then((v) => live && setViews(v));
    return () => {
      live = false;
    };
  }, [views]);
  return views;
}
