/**
 * The session's snapshot is made of slices that stay the same objects until they change, so that a view
 * memoised on a slice re-renders only what a key changed (the keypress budget depends on it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rig, type Rig } from './rig.js';

let open: Rig[] = [];
afterEach(async () => {
  for (const r of open) await r.close();
  open = [];
});

describe('the session snapshot', () => {
  it('a cursor move changes the state and nothing else: lists, counts, hints and the live data stay the same objects', async () => {
    const r = await rig('api-cpu-spike', 15);
    open.push(r);
    r.press('2');
    const before = r.snap();
    expect(r.snap()).toBe(before);
    r.press('j');
    const after = r.snap();
    expect(after).not.toBe(before);
    expect(after.state.lists.alarms.selected).toBe(1);
    expect(after.lists).toBe(before.lists);
    expect(after.lists.alarms.items).toBe(before.lists.alarms.items);
    expect(after.counts).toBe(before.counts);
    expect(after.hints).toBe(before.hints);
    expect(after.live).toBe(before.live);
    expect(after.muted).toBe(before.muted);
    // Lists the key did not touch keep their state object too.
    expect(after.state.lists.services).toBe(before.state.lists.services);
  });

  it('a key that changes nothing notifies nobody (k on the first row, a key no layer uses)', async () => {
    const r = await rig('api-cpu-spike', 15);
    open.push(r);
    r.press('2');
    let notified = 0;
    const off = r.session.subscribe(() => (notified += 1));
    const before = r.snap();
    r.press('k', '%');
    expect(notified).toBe(0);
    expect(r.snap()).toBe(before);
    // One key, one notification, even when it changes several things (a filter edits the line and the list).
    r.press('/');
    notified = 0;
    r.press('a');
    expect(notified).toBe(1);
    off();
  });

  it('new data from a source recomputes that list and the counts, and keeps the cursor where it was', async () => {
    const r = await rig('api-cpu-spike', 15);
    open.push(r);
    r.press('2', 'j', 'j');
    const before = r.snap();
    r.sources.advance(5 * 60_000);
    await r.live.alarms.refresh();
    const after = await r.until((s) => s.live !== before.live, 'the new alarm data');
    expect(after.lists.alarms).not.toBe(before.lists.alarms);
    expect(after.lists.services).toBe(before.lists.services);
    expect(after.state.lists.alarms.selected).toBe(2);
    expect(after.lists.alarms.items.length).toBe((await r.sources.alarms!.listAlarms()).length);
  });
});
