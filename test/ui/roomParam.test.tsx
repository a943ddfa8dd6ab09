/**
 * The disk-fill room in the whole cockpit: the storage size is asked when the grow step needs it, with the
 * allocation now and a suggestion; a stray `y` is refused (never a size), Enter on nothing takes the
 * suggestion, and the sandbox's storage is what was suggested (read back from the sandbox).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/policy/overrides.js';
import { createSandbox } from '../../src/sources/sandbox/sandbox.js';
import { KEYS, renderCockpit } from '../harness/ink.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe('the room asks for a value with its context', () => {
  it('disk-fill: a stray y is refused as a disk size; Enter takes the suggestion, which the sandbox then holds', async () => {
    const sb = createSandbox({
      seed: 1,
      scenario: 'disk-fill',
      speed: 1,
      startOffsetMs: 0,
      policy: DEFAULT_POLICY,
      user: { id: 'local', name: 'Test Responder' },
      frozen: true,
    });
    for (
      let i = 0;
      i < 24 * 6 &&
      !(await sb.alarms!.listAlarms()).some((a) => a.ruleId === 'disk-utilization' && a.state === 'ALARM');
      i++
    )
      sb.advance(10 * 60_000);
    const before = await sb.storageResizable!.getStorage('vitascope-db');
    const ui = await renderCockpit(sb);
    cleanup = () => {
      ui.unmount();
      ui.live.stop();
      void ui.services.close();
    };
    await ui.press('4');
    await ui.wait((f) => /#\d+/.test(f), 'the incident');
    await ui.press('r');
    await ui.wait((f) => f.includes('INCIDENT ROOM'), 'the room');
    let f = '';
    for (let i = 0; i < 120; i++) {
      f = ui.frame();
      if (f.includes('Give the new allocated storage')) break;
      if (/Apply to .*\? y apply/.test(f)) await ui.press('y');
      else if (f.includes('⏎ take it')) await ui.press(KEYS.enter);
      else if (f.includes('⏎ record it')) {
        await ui.press('noted');
        await ui.press(KEYS.enter);
      }
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(f).toContain('Give the new allocated storage');
    expect(f).toContain(`Now: vitascope-db has ${before.allocatedGiB} GiB allocated`);
    expect(f).toContain(`Suggested: ${before.allocatedGiB * 2} — double the current allocation`);
    await ui.press('y');
    await ui.wait((x) => x.includes('✗ a number is needed'), 'the refusal as typed');
    await ui.press(KEYS.enter);
    await ui.wait(
      (x) => x.includes('Give the new allocated storage') && x.includes('a number is needed'),
      'still asking after a refused y',
    );
    // The refused text is gone from the line once answered; clear whatever is left, then Enter on nothing.
    await ui.press(KEYS.backspace);
    await ui.press(KEYS.enter);
    await ui.wait(
      (x) => /Apply to .*\? y apply/.test(x) && x.includes(`${before.allocatedGiB * 2}`),
      'the grow plan with the suggested size',
    );
    await ui.press('y');
    const deadline = Date.now() + 10_000;
    while (
      (await sb.storageResizable!.getStorage('vitascope-db')).allocatedGiB !== before.allocatedGiB * 2 &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 50));
    expect((await sb.storageResizable!.getStorage('vitascope-db')).allocatedGiB).toBe(before.allocatedGiB * 2);
  }, 60_000);
});
