/**
 * The key router's layers, in priority order: dialog → room → text entry → screen → global. A key a
 * higher layer takes never reaches a lower one; a key a layer does not use falls through.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LAYERS } from '../../../src/core/cockpit/router.js';
import { rig, type Rig } from './rig.js';

let open: Rig[] = [];
afterEach(async () => {
  for (const r of open) await r.close();
  open = [];
});
async function start(scenario = 'db-connections', minutes = 30): Promise<Rig> {
  const r = await rig(scenario, minutes);
  open.push(r);
  return r;
}

describe('the key router', () => {
  it('has five layers', () => {
    expect(LAYERS).toHaveLength(5);
  });

  it('a dialog takes every key: q and 2 do not quit or switch screens; Esc closes it; Ctrl-C still quits', async () => {
    const r = await start();
    r.press('4', 'R');
    await r.until((s) => s.state.dialog?.kind === 'confirm', 'the resolve plan');
    r.press('q', '2', 'j');
    expect(r.quits()).toBe(0);
    expect(r.snap().state.screen).toBe('incidents');
    expect(r.snap().state.dialog?.kind).toBe('confirm');
    r.press('escape');
    expect(r.snap().state.dialog).toBeUndefined();
    expect((await r.sources.incidents!.getIncident('PSB1001'))!.status).toBe('triggered');
    r.press('R');
    await r.until((s) => s.state.dialog?.kind === 'confirm', 'the resolve plan again');
    r.press('ctrl+c');
    expect(r.quits()).toBe(1);
  });

  it('a line being edited takes every key as text: q, 1 and s are letters of the filter', async () => {
    const r = await start('api-cpu-spike', 15);
    r.press('2', '/', 'q1s');
    expect(r.snap().state.lists.alarms.filter).toBe('q1s');
    expect(r.quits()).toBe(0);
    expect(r.snap().state.screen).toBe('alarms');
    r.press('backspace', 'backspace', 'backspace', 'escape', 'j');
    expect(r.snap().state.editing).toBeUndefined();
    expect(r.snap().state.lists.alarms.selected).toBe(1);
  });

  it('the room takes its keys (n declines, not the incident note), typed text is text, and global keys fall through', async () => {
    const r = await start();
    r.press('4', 'r');
    await r.until((s) => s.roomView?.pending?.kind === 'confirm', 'the acknowledgement');
    r.press('n');
    await r.until((s) => s.roomView?.pending?.kind === 'note', 'the first note');
    expect(r.snap().state.dialog).toBeUndefined();
    // Typing a note: q and 2 are text.
    r.press('q2');
    expect(r.snap().state.room?.input.text).toBe('q2');
    expect(r.quits()).toBe(0);
    r.press('escape');
    expect(r.snap().state.room).toBeUndefined();
    expect(r.snap().state.screen).toBe('incidents');
  });

  it('the screen layer comes before the global one; keys no layer uses change nothing', async () => {
    const r = await start();
    r.press('4');
    const before = r.snap().state;
    r.press('%', 'F');
    expect(r.snap().state).toBe(before);
    // `a` on the incidents screen is the incident's acknowledgement; on the handoff screen, the handoff's.
    r.press('a');
    await r.until(
      (s) => s.state.dialog?.kind === 'confirm' && s.state.dialog.title.startsWith('Acknowledge the incident'),
      'the incident ack',
    );
  });
});
