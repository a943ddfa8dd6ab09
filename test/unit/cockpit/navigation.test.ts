/**
 * Navigation like k9s, through the session with no terminal: the cursor follows its item when the list
 * re-sorts, Esc walks back the way the responder came, and `:` jumps to an incident or an alarm read
 * from the sandbox.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rig, type Rig } from './rig.js';

let open: Rig[] = [];
afterEach(async () => {
  for (const r of open) await r.close();
  open = [];
});
async function start(scenario: string, minutes: number): Promise<Rig> {
  const r = await rig(scenario, minutes);
  open.push(r);
  return r;
}

describe('navigation', () => {
  it('after `a` the incident re-sorts below the triggered ones and the cursor follows it, by id', async () => {
    const r = await start('dependency-outage', 30);
    const open = (await r.sources.incidents!.listIncidents()).filter((i) => i.status === 'triggered');
    expect(open.length).toBeGreaterThan(1);
    r.press('4');
    const before = r.snap().lists.incidents.items;
    // The first triggered incident: acknowledging it sorts it after every other triggered one.
    const id = before[0]!.id;
    r.press('a');
    await r.until((s) => s.state.dialog?.kind === 'confirm', 'the acknowledge plan');
    r.press('y');
    await r.until((s) => s.state.dialog === undefined && s.state.flash !== undefined, 'the result');
    await r.until(
      (s) => s.lists.incidents.items !== before && s.lists.incidents.items.findIndex((i) => i.id === id) > 0,
      'the list re-sorted',
    );
    const truth = (await r.sources.incidents!.getIncident(id))!;
    expect(truth.status).toBe('acknowledged');
    const s = r.snap();
    expect(s.lists.incidents.items[s.state.lists.incidents.selected]!.id).toBe(id);
    expect(s.state.lists.incidents.selected).toBeGreaterThan(0);
  });

  it('`:` jumps to an incident by number or id and to an alarm by name; Esc returns to where `:` was typed', async () => {
    const r = await start('db-connections', 30);
    const incidents = await r.sources.incidents!.listIncidents();
    const numbered = incidents.find((i) => i.number !== undefined)!;
    r.press('3', ':', String(numbered.number), 'return');
    expect(r.snap().state.screen).toBe('incidents');
    expect(r.snap().detail.incident?.title).toBe(numbered.title);
    r.press('escape');
    expect(r.snap().state.screen).toBe('services');
    r.press(':', incidents.at(-1)!.id, 'return');
    expect(r.snap().detail.incident?.id).toBe(incidents.at(-1)!.id);
    const alarm = (await r.sources.alarms!.listAlarms()).at(-1)!;
    r.press(':', alarm.name, 'return');
    expect(r.snap().state.screen).toBe('alarms');
    expect(r.snap().detail.alarm?.name).toBe(alarm.name);
    // Back through both jumps to the services list.
    r.press('escape', 'escape');
    expect(r.snap().state.screen).toBe('services');
    expect(r.snap().state.detail).toBeUndefined();
  });

  it("overview `r` on an alarm grouped into another alarm's incident: that incident's room, on the alarm's own runbook", async () => {
    const r = await start('api-cpu-spike', 30);
    const incidents = (await r.sources.incidents!.listIncidents()).filter((i) => i.status !== 'resolved');
    const alarms = await r.sources.alarms!.listAlarms();
    const incident = incidents[0]!;
    const opener = alarms.find((a) => a.name === incident.alarmNames[0])!;
    // A firing alarm the pager grouped into the incident whose own runbook is not the opener's.
    const openerBook = (await r.services.runbookFor({ alarm: opener }))!.runbook.id;
    let grouped: (typeof alarms)[number] | undefined;
    let ownBook = '';
    for (const a of alarms.filter(
      (x) => x.state === 'ALARM' && x.name !== opener.name && incident.alarmNames.includes(x.name),
    )) {
      const book = (await r.services.runbookFor({ alarm: a }))!.runbook.id;
      if (book !== openerBook) {
        grouped = a;
        ownBook = book;
        break;
      }
    }
    expect(grouped).toBeDefined();
    const rows = r.snap().overview;
    const go = (at: number) => {
      r.press('g');
      for (let i = 0; i < at; i++) r.press('j');
    };
    // The incident's row first: its room works the runbook of the alarm that opened it.
    go(rows.findIndex((row) => row.list === 'incidents' && row.id === incident.id));
    r.press('r');
    await r.until((s) => s.roomView !== undefined, 'the room');
    expect(r.services.openRooms()[0]!.view().runbook.id).toBe(openerBook);
    r.press('escape');
    await r.until((s) => s.state.room === undefined, 'back on the overview');
    // The grouped alarm's row: the same incident's room, now on that alarm's own runbook; the first is kept.
    go(rows.findIndex((row) => row.list === 'alarms' && row.id === grouped!.id));
    r.press('r');
    await r.until((s) => s.roomView?.runbook.id === ownBook, "the alarm's own runbook");
    const rooms = r.services.openRooms();
    expect(rooms.length).toBe(1);
    const view = rooms[0]!.view();
    expect(view.incident.id).toBe(incident.id);
    expect(view.alarm?.name).toBe(grouped!.name);
    expect(view.before?.map((b) => b.id)).toEqual([openerBook]);
  });
});
