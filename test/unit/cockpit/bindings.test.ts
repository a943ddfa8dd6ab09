/**
 * Every binding of the keybinding table, driven key by key through the cockpit session (no Ink), with
 * each of its keys. What a key did is read back from the ground truth: the sandbox's own state, the
 * journal, the source being asked again; the session's state only where the state is the effect (a
 * cursor, a screen). `CASES` is typed by the command union, and the table is walked at run time: a new
 * binding without a case fails both the type check and this file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BINDINGS, type CommandId } from '../../../src/core/cockpit/bindings.js';
import { SCREEN_REGISTRY } from '../../../src/core/cockpit/screens.js';
import type { Alarm } from '../../../src/core/model.js';
import { attackerAddress } from '../../../src/sources/sandbox/scenarios.js';
import { rig, type Rig } from './rig.js';

let open: Rig[] = [];
afterEach(async () => {
  for (const r of open) await r.close();
  open = [];
});
async function start(scenario: string, minutes: number, o: Parameters<typeof rig>[2] = {}): Promise<Rig> {
  const r = await rig(scenario, minutes, o);
  open.push(r);
  return r;
}

/** The services screen, the cursor on `name`. */
async function onService(scenario: string, minutes: number, name = 'vitascope-api'): Promise<Rig> {
  const r = await start(scenario, minutes);
  r.press('3');
  const at = r.snap().lists.services.items.findIndex((s) => s.name === name);
  expect(at).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < at; i++) r.press('j');
  return r;
}

/** The logs screen of vitascope-api, its first read done. */
async function onLogs(scenario = 'auth-bruteforce', minutes = 20): Promise<Rig> {
  const r = await onService(scenario, minutes);
  r.press('l');
  await r.until((s) => s.service.logs?.state === 'ok', 'the first read of the logs');
  return r;
}

/** The sandbox's own lines of the last 30 minutes of vitascope-api (the ground truth of the logs screen). */
async function truthLines(r: Rig, contains?: string) {
  const end = r.sources.now();
  const read = await r.sources.logs!.query({
    groups: ['/ecs/vitascope-api'],
    start: end - 30 * 60_000,
    end: end + 1,
    limit: 10_000,
    ...(contains ? { contains } : {}),
  });
  return read.events;
}

type Case = (key: string) => Promise<void>;

const alarmsOf = async (r: Rig): Promise<readonly Alarm[]> => r.sources.alarms!.listAlarms();
const incident = async (r: Rig) => (await r.sources.incidents!.getIncident('PSB1001'))!;
const service = async (r: Rig, name = 'vitascope-api') =>
  (await r.sources.services!.listServices()).find((s) => s.name === name)!;

/** Confirms the plan the key opened (a y in its dialog) and waits for the result line. */
async function confirmPlan(r: Rig, title: string): Promise<void> {
  await r.until(
    (s) => s.state.dialog?.kind === 'confirm' && s.state.dialog.title.startsWith(title),
    `the plan "${title}"`,
  );
  r.press('y');
  await r.until(
    (s) => s.state.flash?.text.startsWith(title) === true && s.state.dialog === undefined,
    `the result of "${title}"`,
  );
}

/** The alarms screen, cursor on row `at`. */
async function onAlarms(at = 0): Promise<Rig> {
  const r = await start('api-cpu-spike', 15);
  r.press('2');
  for (let i = 0; i < at; i++) r.press('j');
  expect(r.snap().state.lists.alarms.selected).toBe(at);
  return r;
}

/**
 * The help screen, 40 lines taller than its window as its view measured it (the ScrollBox reports
 * this after drawing; test/ui/scroll.test.tsx checks the measuring against a real Ink frame), scrolled `at`.
 */
async function onPage(at = 0): Promise<Rig> {
  const r = await start('calm', 5);
  r.press('?');
  r.session.setScrollLayout({ max: 40, hits: [] });
  for (let i = 0; i < at; i++) r.press('j');
  expect(r.snap().state.scroll).toBe(at);
  return r;
}

/** The incident room of #1042 (db-connections), its first question (acknowledge) pending. */
async function inRoom(o: Parameters<typeof rig>[2] = {}): Promise<Rig> {
  const r = await start('db-connections', 30, o);
  r.press('4', 'r');
  await r.until((s) => s.roomView?.pending?.kind === 'confirm', 'the acknowledgement in the room');
  return r;
}

/** The room waiting on the acknowledgement's verification (every wait held until skipped). */
async function roomWaiting(): Promise<Rig> {
  const r = await inRoom({ clock: 'held' });
  // Answered as a responder would (y to a plan, a note, the suggested option) until the runbook waits.
  for (let i = 0; i < 200; i++) {
    const v = r.snap().roomView!;
    if (v.runner.waiting && !v.pending) return r;
    if (v.pending?.kind === 'confirm') r.press('y');
    else if (v.pending?.kind === 'note' || v.pending?.kind === 'param') r.press('seen', 'return');
    else if (v.pending?.kind === 'decision') r.press('return');
    await new Promise((x) => setTimeout(x, 20));
  }
  throw new Error('the room never waited');
}

/** The journal's events of these kinds about the acknowledgement, once there are any. */
async function ackEvents(r: Rig, kinds: string[]) {
  const journal = await r.services.journal();
  const read = () =>
    journal.query({ kinds }).filter((e) => (e.payload as { actionId?: string }).actionId === 'pagerduty.acknowledge');
  for (let i = 0; i < 200 && read().length === 0; i++) await new Promise((x) => setTimeout(x, 20));
  return read();
}

const CASES: Record<CommandId, Case> = {
  'app.quit': async (key) => {
    const r = await start('calm', 5);
    r.press('2', key);
    expect(r.quits()).toBe(1);
    expect(r.snap().quit).toBe(true);
  },
  'app.help': async (key) => {
    const r = await start('calm', 5);
    r.press(key);
    expect(r.snap().state.screen).toBe('help');
  },
  'app.command': async (key) => {
    const r = await start('calm', 5);
    r.press(key);
    expect(r.snap().state.editing).toEqual({ kind: 'command', value: '' });
    r.press('incidents', 'return');
    expect(r.snap().state.screen).toBe('incidents');
    r.press(key, 'nowhere', 'return');
    expect(r.snap().state.flash?.text).toContain('no screen, incident or alarm "nowhere"');
    // A prefix goes to its screen; Tab completes it in the line.
    r.press(key, 'inc', 'return');
    expect(r.snap().state.screen).toBe('incidents');
    r.press('1', key, 'ala', 'tab');
    expect(r.snap().state.editing?.value).toBe('alarms');
    r.press('escape');
  },
  'overview.up': async (key) => {
    const r = await start('api-cpu-spike', 15);
    // The cursor rests on the incident that pages (the last row here): up goes to the alarms above it.
    const rows = r.snap().overview;
    const triggered = (await r.sources.incidents!.listIncidents()).filter((i) => i.status === 'triggered');
    const paging = rows.findIndex((row) => row.list === 'incidents' && row.id === triggered[0]?.id);
    expect(paging).toBe(rows.length - 1);
    r.press(key);
    expect(r.snap().state.overview).toBe(paging - 1);
    for (let i = 0; i < rows.length + 3; i++) r.press(key);
    expect(r.snap().state.overview).toBe(0);
  },
  'overview.down': async (key) => {
    const r = await start('api-cpu-spike', 15);
    const alarms = await alarmsOf(r);
    const open = (await r.sources.incidents!.listIncidents()).filter((i) => i.status !== 'resolved');
    const rows = alarms.filter((a) => a.state === 'ALARM').length + open.length;
    expect(rows).toBeGreaterThan(2);
    for (let i = 0; i < rows; i++) r.press('k');
    expect(r.snap().state.overview).toBe(0);
    r.press(key);
    expect(r.snap().state.overview).toBe(1);
    for (let i = 0; i < rows + 3; i++) r.press(key);
    // The last row is the last open incident, read from the source.
    expect(r.snap().state.overview).toBe(rows - 1);
    expect(r.snap().overview[rows - 1]).toEqual({ list: 'incidents', id: open.at(-1)!.id });
  },
  'overview.bottom': async (key) => {
    const r = await start('api-cpu-spike', 15);
    const firing = (await alarmsOf(r)).filter((a) => a.state === 'ALARM');
    const open = (await r.sources.incidents!.listIncidents()).filter((i) => i.status !== 'resolved');
    expect(firing.length + open.length).toBeGreaterThan(2);
    r.press(key);
    // The last row, as in the lists: the last open incident, read from the source.
    expect(r.snap().state.overview).toBe(firing.length + open.length - 1);
    expect(r.snap().overview[r.snap().state.overview]).toEqual({ list: 'incidents', id: open.at(-1)!.id });
  },
  'overview.top': async (key) => {
    const r = await start('api-cpu-spike', 15);
    r.press('j', 'j', key);
    expect(r.snap().state.overview).toBe(0);
    const firing = (await alarmsOf(r)).filter((a) => a.state === 'ALARM');
    expect(r.snap().overview[0]!.list).toBe('alarms');
    expect(firing.map((a) => a.id)).toContain(r.snap().overview[0]!.id);
  },
  'app.back': async (key) => {
    const r = await start('calm', 5);
    // A screen reached by `:` (a prefix), then by a number key: Esc walks back through both.
    r.press('3', ':', 'inc', 'return');
    expect(r.snap().state.screen).toBe('incidents');
    r.press(key);
    expect(r.snap().state.screen).toBe('services');
    r.press(key);
    expect(r.snap().state.screen).toBe('overview');
    // Nowhere further back: it stays.
    r.press(key);
    expect(r.snap().state.screen).toBe('overview');
  },
  'overview.open': async (key) => {
    const r = await start('api-cpu-spike', 15);
    const firing = (await alarmsOf(r)).filter((a) => a.state === 'ALARM');
    const triggered = (await r.sources.incidents!.listIncidents()).filter((i) => i.status === 'triggered');
    // Untouched, the cursor rests on the incident that pages (read from the source): the key opens it.
    expect(triggered.length).toBe(1);
    r.press(key);
    expect(r.snap().state.screen).toBe('incidents');
    expect(r.snap().detail.incident?.id).toBe(triggered[0]!.id);
    r.press('escape');
    expect(r.snap().state.screen).toBe('overview');
    // Moved to the first row, an alarm in ALARM: the key opens that alarm.
    for (let i = 0; i < r.snap().overview.length; i++) r.press('k');
    r.press(key);
    const first = r.snap().overview[0]!;
    expect(firing.map((a) => a.id)).toContain(first.id);
    expect(r.snap().state.screen).toBe('alarms');
    expect(r.snap().detail.alarm?.name).toBe(firing.find((a) => a.id === first.id)!.name);
    r.press('escape');
    expect(r.snap().state.screen).toBe('overview');
  },
  'overview.room': async (key) => {
    const r = await start('db-connections', 30);
    const rows = r.snap().overview;
    const at = rows.findIndex((row) => row.list === 'incidents');
    for (let i = 0; i < rows.length; i++) r.press('k');
    for (let i = 0; i < at; i++) r.press('j');
    r.press(key);
    await r.until((s) => s.roomView !== undefined, 'the room');
    const rooms = r.services.openRooms();
    expect(rooms.length).toBe(1);
    expect(rooms[0]!.view().incident.id).toBe(rows[at]!.id);
    // Esc from the room returns to the overview it was opened from.
    r.press('escape');
    await r.until((s) => s.state.room === undefined, 'the room closed');
    expect(r.snap().state.screen).toBe('overview');
  },
  'view.up': async (key) => {
    const r = await onPage(10);
    r.press(key);
    expect(r.snap().state.scroll).toBe(9);
    for (let i = 0; i < 20; i++) r.press(key);
    expect(r.snap().state.scroll).toBe(0);
  },
  'view.down': async (key) => {
    const r = await onPage();
    r.press(key);
    expect(r.snap().state.scroll).toBe(1);
    for (let i = 0; i < 80; i++) r.press(key);
    expect(r.snap().state.scroll).toBe(40);
  },
  'view.pageUp': async (key) => {
    const r = await onPage(30);
    r.press(key);
    expect(r.snap().state.scroll).toBe(8);
  },
  'view.pageDown': async (key) => {
    const r = await onPage();
    r.press(key);
    expect(r.snap().state.scroll).toBe(22);
  },
  'view.top': async (key) => {
    const r = await onPage(12);
    r.press(key);
    expect(r.snap().state.scroll).toBe(0);
  },
  'view.bottom': async (key) => {
    const r = await onPage();
    r.press(key);
    expect(r.snap().state.scroll).toBe(40);
  },
  'view.search': async (key) => {
    const r = await onPage();
    r.press(key, 'room');
    expect(r.snap().state.editing).toEqual({ kind: 'search', value: 'room' });
    expect(r.snap().state.search).toBe('room');
    // The view reports the lines holding the text; the session scrolls to the first (one line of context above).
    r.session.setScrollLayout({ max: 40, hits: [17, 30], search: 'room' });
    expect(r.snap().state.scroll).toBe(16);
    r.press('return');
    expect(r.snap().state.search).toBe('room');
    r.press(key, 'escape');
    expect(r.snap().state.search).toBeUndefined();
  },
  'app.refresh': async (key) => {
    const r = await start('calm', 5);
    const before = r.alarmReads();
    r.press(key);
    expect(r.snap().state.flash?.text).toBe('refreshing every source');
    expect(r.alarmReads()).toBe(before + 1);
  },
  ...(Object.fromEntries(
    SCREEN_REGISTRY.filter((s) => 'key' in s).map((s) => [
      `screen.${s.id}`,
      async (key: string) => {
        const r = await start('calm', 5);
        // From another screen, so that the key is seen to move.
        r.press(s.id === 'alarms' ? '?' : '2', key);
        expect(r.snap().state.screen).toBe(s.id);
      },
    ]),
  ) as Record<`screen.${(typeof SCREEN_REGISTRY)[number]['id']}`, Case>),
  'handoff.note': async (key) => {
    const r = await start('calm', 5);
    r.press('6', key);
    await r.until((s) => s.state.dialog?.kind === 'input', 'the note dialog');
    r.press('db pool resized, watch it', 'return');
    await r.until((s) => s.state.flash?.text === 'Handoff note recorded', 'recorded');
    expect((await r.services.journal()).handoffs().map((h) => h.text)).toEqual(['db pool resized, watch it']);
  },
  'handoff.ack': async (key) => {
    const r = await start('calm', 5);
    await r.services.addHandoffNote('the queue is slow since 02:00');
    r.press('6', key);
    await r.until((s) => s.state.flash?.text === 'Acknowledged 1 handoff note', 'acknowledged');
    expect((await r.services.journal()).handoffs({ unacknowledged: true })).toEqual([]);
  },
  'nav.up': async (key) => {
    const r = await onAlarms(3);
    r.press(key);
    expect(r.snap().state.lists.alarms.selected).toBe(2);
    r.press(key, key, key, key);
    expect(r.snap().state.lists.alarms.selected).toBe(0);
  },
  'nav.down': async (key) => {
    const r = await onAlarms();
    const total = (await alarmsOf(r)).length;
    r.press(key);
    expect(r.snap().state.lists.alarms.selected).toBe(1);
    for (let i = 0; i < total + 5; i++) r.press(key);
    expect(r.snap().state.lists.alarms.selected).toBe(total - 1);
  },
  'nav.pageUp': async (key) => {
    const r = await onAlarms(25);
    r.press(key);
    // 30 rows: a page is what the table shows (30 - 8).
    expect(r.snap().state.lists.alarms.selected).toBe(3);
  },
  'nav.pageDown': async (key) => {
    const r = await onAlarms();
    r.press(key);
    expect(r.snap().state.lists.alarms.selected).toBe(22);
  },
  'nav.top': async (key) => {
    const r = await onAlarms(7);
    r.press(key);
    expect(r.snap().state.lists.alarms.selected).toBe(0);
  },
  'nav.bottom': async (key) => {
    const r = await onAlarms();
    r.press(key);
    expect(r.snap().state.lists.alarms.selected).toBe((await alarmsOf(r)).length - 1);
  },
  'nav.open': async (key) => {
    const r = await onAlarms(1);
    const row = r.snap().lists.alarms.items[1]!;
    r.press(key);
    expect(r.snap().state.detail).toEqual({ list: 'alarms', id: row.id });
    const truth = (await alarmsOf(r)).find((a) => a.id === row.id)!;
    expect(r.snap().detail.alarm?.name).toBe(truth.name);
    // The detail's own data is polled while it is open.
    await r.until((s) => s.alarmDetail.health.state === 'ok', "the alarm's history");
  },
  'detail.copy': async (key) => {
    // What the terminal received: OSC 52 sequences, decoded as the terminal would.
    const written: string[] = [];
    const decode = (seq: string) =>
      Buffer.from(/^\u001b\]52;c;([A-Za-z0-9+/=]*)\u0007$/.exec(seq)![1]!, 'base64').toString('utf8');
    for (const links of [false, true]) {
      const r = await start('api-cpu-spike', 15, { clipboard: { write: (s) => written.push(s), links } });
      r.press('2', 'return');
      const shown = r.snap().state.detail!;
      const alarm = (await alarmsOf(r)).find((a) => a.id === shown.id)!;
      r.press(key);
      const copied = decode(written.at(-1)!);
      if (!links) expect(copied).toBe(alarm.name);
      else {
        // The console of the alarm's own region and name, both read from its ARN (the source's ground truth).
        const [, , , region, , , ...name] = alarm.id.split(':');
        const url = new URL(copied);
        expect(url.host).toBe(`${region}.console.aws.amazon.com`);
        expect(decodeURIComponent(url.hash)).toBe(`#alarmsV2:alarm/${name.join(':')}`);
      }
      expect(r.snap().state.flash?.text).toContain('copied the');
    }
    // Links off: nothing is written, and the key says why.
    const off = await start('api-cpu-spike', 15);
    const before = written.length;
    off.press('2', 'return', key);
    expect(written.length).toBe(before);
    expect(off.snap().state.flash?.text).toMatch(/^copying is off/);
  },
  'nav.back': async (key) => {
    const r = await onAlarms(1);
    r.press('return');
    expect(r.snap().state.detail).toBeDefined();
    r.press(key);
    expect(r.snap().state.detail).toBeUndefined();
    expect(r.snap().state.screen).toBe('alarms');
    // Back goes where the responder came from: help opened on the incidents list returns there, not to the overview.
    r.press('4', '?', key);
    expect(r.snap().state.screen).toBe('incidents');
    // A detail opened from the overview returns to the overview.
    r.press('1', 'return');
    expect(r.snap().state.detail).toBeDefined();
    r.press(key);
    expect(r.snap().state.screen).toBe('overview');
    expect(r.snap().state.detail).toBeUndefined();
  },
  'list.filter': async (key) => {
    const r = await onAlarms();
    r.press(key, 'api-high-cpu-crit', 'return');
    const truth = (await alarmsOf(r)).filter((a) => /api-high-cpu-crit/i.test(a.name)).map((a) => a.name);
    expect(truth.length).toBeGreaterThan(0);
    expect(r.snap().lists.alarms.items.map((a) => a.name)).toEqual(truth);
    expect(r.snap().state.lists.alarms.filter).toBe('api-high-cpu-crit');
  },
  'list.sort': async (key) => {
    const r = await onAlarms();
    r.press(key);
    expect(r.snap().lists.alarms.sortLabel).toBe('name');
    const names = (await alarmsOf(r)).map((a) => a.name).sort((a, b) => a.localeCompare(b));
    expect(r.snap().lists.alarms.items.map((a) => a.name)).toEqual(names);
  },
  'list.reverse': async (key) => {
    const r = await onAlarms();
    const before = r.snap().lists.alarms.items.map((a) => a.id);
    r.press(key);
    expect(r.snap().lists.alarms.items.map((a) => a.id)).toEqual([...before].reverse());
  },
  'alarm.room': async (key) => {
    const r = await onAlarms();
    r.press('/', 'api-high-cpu-crit', 'return', key);
    const s = await r.until((x) => x.roomView !== undefined, 'the room');
    expect(s.roomView!.alarm?.name).toBe('vitascope-api-high-cpu-critical');
    expect((await r.services.journal()).incident(s.roomView!.incident.id)).toBeDefined();
  },
  'alarm.ownRunbook': async (key) => {
    const r = await onAlarms();
    r.press('/', 'api-high-cpu-crit', 'return', key);
    const s = await r.until((x) => x.roomView !== undefined, 'the room');
    const alarm = s.roomView!.alarm!;
    expect(alarm.name).toBe('vitascope-api-high-cpu-critical');
    // The room works the runbook the runbooks' own matching gives this alarm.
    const own = await r.services.runbookFor({ alarm });
    expect(s.roomView!.runbook.id).toBe(own!.runbook.id);
  },
  'alarm.silence': async (key) => {
    const r = await start('sync-failures', 40);
    await r.services.alarmActionsTimer()!.tick();
    r.press('2', '/', 'sync-failures-warning', 'return', key);
    await r.until((s) => s.state.dialog?.kind === 'select', 'the durations');
    r.press('return');
    await r.until((s) => s.state.dialog?.kind === 'input', 'the reason');
    r.press('vendor outage, ticket 4411', 'return');
    await confirmPlan(r, "Disable a CloudWatch alarm's actions");
    expect((await alarmsOf(r)).find((a) => a.name === 'vitascope-sync-failures-warning')!.actionsEnabled).toBe(false);
  },
  'incident.room': async (key) => {
    const r = await start('db-connections', 30);
    r.press('4', key);
    const s = await r.until((x) => x.roomView !== undefined, 'the room');
    expect(s.roomView!.incident.id).toBe('PSB1001');
  },
  'room.apply': async (key) => {
    const r = await inRoom();
    r.press(key);
    for (let i = 0; i < 100 && (await incident(r)).status !== 'acknowledged'; i++)
      await new Promise((x) => setTimeout(x, 20));
    expect((await incident(r)).status).toBe('acknowledged');
  },
  'room.dryRun': async (key) => {
    const r = await inRoom();
    r.press(key);
    await r.until((s) => s.roomView?.pending?.kind !== 'confirm', 'the next question');
    const applied = await ackEvents(r, ['action.applied']);
    expect(applied.map((e) => (e.payload as { dryRun?: boolean }).dryRun)).toEqual([true]);
    expect((await incident(r)).status).toBe('triggered');
  },
  'room.decline': async (key) => {
    const r = await inRoom();
    r.press(key);
    await r.until((s) => s.roomView?.pending?.kind !== 'confirm', 'the next question');
    const failed = await ackEvents(r, ['action.failed']);
    expect(failed.map((e) => (e.payload as { declined?: boolean }).declined)).toEqual([true]);
    expect((await incident(r)).status).toBe('triggered');
  },
  'room.skipWait': async (key) => {
    const r = await roomWaiting();
    const step = r.snap().roomView!.runner.waiting!.stepId;
    r.press(key);
    await r.until((s) => s.roomView?.runner.waiting?.stepId !== step, 'the wait skipped');
  },
  'room.stop': async (key) => {
    const r = await roomWaiting();
    r.press(key);
    await r.until((s) => s.roomView?.running === false, 'the room stopped');
    expect(r.snap().roomView!.runner.status).not.toBe('completed');
  },
  'room.go': async (key) => {
    const r = await roomWaiting();
    r.press('x');
    await r.until((s) => s.roomView?.running === false, 'the room stopped');
    r.press(key);
    await r.until((s) => s.roomView?.running === true, 'the room going again');
  },
  'room.retry': async (key) => {
    const r = await inRoom();
    const ackStep = r.snap().roomView!.pending!.stepId;
    r.press('n');
    const failed = await ackEvents(r, ['action.failed']);
    expect(failed).toHaveLength(1);
    expect((await incident(r)).status).toBe('triggered');
    // The room goes on; a note it asks next is text, so it is skipped first (keys are letters while typing).
    await r.until(
      (s) => s.roomView?.pending !== undefined && s.roomView.pending.stepId !== ackStep,
      'the next question',
    );
    if (r.snap().roomView!.pending!.kind === 'note' || r.snap().roomView!.pending!.kind === 'param') r.press('return');
    await r.until(
      (s) => s.roomView?.pending?.kind !== 'note' && s.roomView?.pending?.kind !== 'param',
      'past the note',
    );
    // The declined acknowledgement asked again, and this time applied: the pager's own state says so.
    r.press(key);
    await r.until(
      (s) => s.roomView?.pending?.kind === 'confirm' && s.roomView.pending.stepId === ackStep,
      'the acknowledgement asked again',
    );
    r.press('y');
    for (let i = 0; i < 200 && (await incident(r)).status === 'triggered'; i++)
      await new Promise((x) => setTimeout(x, 20));
    expect((await incident(r)).status).toBe('acknowledged');
  },
  'room.note': async (key) => {
    const r = await inRoom({ clock: 'held' });
    let skipped: string | undefined;
    for (let i = 0; i < 300 && !skipped; i++) {
      const v = r.snap().roomView!;
      if (v.pending?.kind === 'note') {
        skipped = v.pending.stepId;
        r.press('return'); // nothing typed: the note is skipped
      } else if (v.pending?.kind === 'confirm') r.press('y');
      else if (v.pending?.kind === 'param') r.press('return');
      else if (v.pending?.kind === 'decision') r.press('return');
      else if (v.runner.waiting) r.press('s');
      await new Promise((x) => setTimeout(x, 20));
    }
    expect(skipped, 'a note the runbook asks for').toBeDefined();
    await r.until((s) => s.roomView?.pending?.kind !== 'note', 'the note skipped');
    r.press(key);
    await r.until((s) => s.state.dialog?.kind === 'input', 'the note written now');
    r.press('l', 'a', 't', 'e', 'return');
    const journal = await r.services.journal();
    const notes = () =>
      journal
        .query({ kinds: ['note'] })
        .filter((e) => (e.payload as { step?: { stepId?: string } }).step?.stepId === skipped);
    for (let i = 0; i < 200 && notes().length === 0; i++) await new Promise((x) => setTimeout(x, 20));
    expect(notes().map((e) => (e.payload as { text: string }).text)).toEqual(['late']);
  },
  'room.fold': async (key) => {
    const r = await inRoom();
    r.press(key);
    await r.until((s) => s.state.room?.input.expanded === true, 'every phase unfolded');
    expect(r.snap().roomView?.pending?.kind).toBe('confirm');
    r.press(key);
    await r.until((s) => s.state.room?.input.expanded !== true, 'folded again');
  },
  'room.outputUp': async (key) => {
    const r = await inRoom();
    r.press(key, key);
    await r.until((s) => s.state.room?.input.outputScroll === 10, 'the output scrolled back');
  },
  'room.outputDown': async (key) => {
    const r = await inRoom();
    r.press('[', '[', key);
    await r.until((s) => s.state.room?.input.outputScroll === 5, 'the output scrolled forward');
    r.press(key, key);
    await r.until((s) => s.state.room?.input.outputScroll === 0, 'at the end, not past it');
  },
  'room.evidence': async (key) => {
    const r = await inRoom();
    r.press(key);
    await r.until((s) => s.state.room?.input.evidence === true, 'the evidence shown');
    // A display toggle: the question in front of the responder is still open, nothing answered it.
    expect(r.snap().roomView?.pending?.kind).toBe('confirm');
    r.press(key);
    await r.until((s) => s.state.room?.input.evidence !== true, 'the evidence hidden');
  },
  'service.scale': async (key) => {
    const r = await start('api-cpu-spike', 10);
    r.press('3', key);
    await r.until((s) => s.state.dialog?.kind === 'input', 'the count');
    r.press('6', 'return');
    await confirmPlan(r, 'Set the ECS service desired count');
    expect((await service(r)).desired).toBe(6);
  },
  'service.limits': async (key) => {
    const r = await start('api-cpu-spike', 10);
    r.press('3', key);
    await r.until((s) => s.state.dialog?.kind === 'input', 'the limits');
    r.press('4 8', 'return');
    await confirmPlan(r, 'Set the autoscaling min/max');
    expect((await service(r)).scaling).toMatchObject({ min: 4, max: 8 });
  },
  'service.redeploy': async (key) => {
    const r = await start('api-cpu-spike', 10);
    const before = (await service(r)).deployments.map((d) => d.id);
    r.press('3', key);
    await confirmPlan(r, 'Force a new ECS deployment');
    expect((await service(r)).deployments.map((d) => d.id)).not.toEqual(before);
  },
  'service.rollback': async (key) => {
    const r = await start('latency-regression', 15);
    const before = (await service(r)).taskDefinition;
    r.press('3', key);
    await confirmPlan(r, 'Roll back');
    expect((await service(r)).taskDefinition).not.toBe(before);
  },
  'incident.ack': async (key) => {
    const r = await start('db-connections', 30);
    r.press('4', key);
    await confirmPlan(r, 'Acknowledge the incident');
    expect((await incident(r)).status).toBe('acknowledged');
  },
  'incident.snooze': async (key) => {
    const r = await start('db-connections', 30);
    r.press('4', 'a');
    await confirmPlan(r, 'Acknowledge the incident');
    r.press(key);
    await r.until((s) => s.state.dialog?.kind === 'select', 'the durations');
    r.press('return');
    await confirmPlan(r, 'Snooze the incident');
    expect((await incident(r)).retriggersAt).toBe(r.sources.now() + 2 * 3_600_000);
  },
  'incident.resolve': async (key) => {
    const r = await start('db-connections', 30);
    r.press('4', key);
    await confirmPlan(r, 'Resolve the incident');
    expect((await incident(r)).status).toBe('resolved');
  },
  'incident.escalate': async (key) => {
    const r = await start('latency-regression', 15);
    r.press('4', key);
    await r.until((s) => s.state.dialog?.kind === 'select', 'the levels');
    r.press('return');
    await confirmPlan(r, 'Escalate the incident');
    expect((await incident(r)).escalationLevel).toBe(2);
  },
  'incident.reassign': async (key) => {
    const r = await start('latency-regression', 15);
    r.press('4', key);
    const s = await r.until((x) => x.state.dialog?.kind === 'select', 'the people');
    const dialog = s.state.dialog!;
    const chosen = dialog.kind === 'select' ? dialog.options[1] : undefined;
    r.press('down', 'return');
    await confirmPlan(r, 'Reassign the incident');
    expect((await incident(r)).assignees.map((p) => p.id)).toEqual([chosen!.value]);
  },
  'incident.note': async (key) => {
    const r = await start('latency-regression', 15);
    r.press('4', key);
    await r.until((s) => s.state.dialog?.kind === 'input', 'the note');
    r.press('rolling back to :41', 'return');
    await confirmPlan(r, 'Add a note to the incident');
    const log = await r.sources.incidents!.timeline('PSB1001');
    expect(log.some((e) => e.kind === 'note' && e.summary.includes('rolling back to :41'))).toBe(true);
  },
  'service.logs': async (key) => {
    const r = await onService('auth-bruteforce', 20);
    r.press(key);
    expect(r.snap().state.screen).toBe('logs');
    expect(r.snap().state.subject).toBe('vitascope-api');
    const s = await r.until((x) => x.service.logs?.state === 'ok', 'the first read of the logs');
    const truth = await truthLines(r);
    expect(truth.length).toBeGreaterThan(0);
    expect(s.service.logLines.length).toBe(truth.length);
    expect(s.service.logLines.at(-1)!.message).toBe(truth.at(-1)!.message);
    // Esc goes back to the services screen, and the tail stops.
    r.press('escape');
    expect(r.snap().state.screen).toBe('services');
    expect(r.snap().service.logs).toBeUndefined();
  },
  'service.traces': async (key) => {
    const r = await onService('latency-regression', 16);
    r.press(key);
    expect(r.snap().state.screen).toBe('traces');
    const s = await r.until((x) => x.service.traces.health.state === 'ok', 'the traces');
    const end = r.sources.now();
    const truth = await r.sources.traces!.summaries({
      service: 'vitascope-api',
      start: end - 30 * 60_000,
      end,
      limit: 300,
    });
    expect(s.service.traces.data!.traces).toBe(truth.summaries.length);
    const slowest = Math.max(...truth.summaries.map((t) => t.durationMs));
    expect(s.service.traces.data!.slowest[0]!.durationMs).toBe(slowest);
    r.press('escape');
    expect(r.snap().state.screen).toBe('services');
  },
  'logs.follow': async (key) => {
    const r = await onLogs();
    expect(r.snap().state.logView.follow).toBe(true);
    r.press(key);
    expect(r.snap().state.logView.follow).toBe(false);
    const before = r.snap().service.logLines.at(-1)!.timestamp;
    r.sources.advance(2 * 60_000);
    // Following again catches up at once with what the sandbox wrote meanwhile.
    r.press(key);
    expect(r.snap().state.logView.follow).toBe(true);
    const truth = (await truthLines(r)).filter((e) => e.timestamp > before);
    expect(truth.length).toBeGreaterThan(0);
    await r.until((s) => s.service.logLines.at(-1)?.timestamp === truth.at(-1)!.timestamp, 'the lines written since');
  },
  'logs.filter': async (key) => {
    const r = await onLogs();
    const address = attackerAddress(1);
    r.press(key, address, 'return');
    expect(r.snap().state.logView.filter).toBe(address);
    const truth = await truthLines(r, address);
    expect(truth.length).toBeGreaterThan(0);
    expect(r.snap().service.logLines.map((e) => e.message)).toEqual(truth.map((e) => e.message));
  },
  'logs.patterns': async (key) => {
    const r = await onLogs();
    r.press(key);
    expect(r.snap().state.logView.patterns).toBe(true);
    const s = await r.until((x) => x.service.patterns.health.state === 'ok', 'the patterns');
    // The sandbox's own attacker is the address behind the top pattern, which grew against the window before.
    const top = s.service.patterns.data!.analysis.comparisons[0]!;
    expect(top.pattern).toContain('login failed');
    expect(['new', 'more']).toContain(top.trend.kind);
    const ip = top.current!.placeholders.find((p) => p.kind === 'ip')!;
    expect(ip.top[0]!.value).toBe(attackerAddress(1));
    r.press(key);
    expect(r.snap().state.logView.patterns).toBe(false);
  },
};

describe('every binding of the table, key by key, through the session', () => {
  it('has a case for every command of the table, and none for a command it has not', () => {
    expect(Object.keys(CASES).sort()).toEqual(DEFAULT_BINDINGS.map((b) => b.id).sort());
  });
  for (const b of DEFAULT_BINDINGS) {
    for (const key of b.keys) {
      it(`${b.id} (${key}): ${b.description}`, async () => {
        await CASES[b.id](key);
      }, 20_000);
    }
  }
});

describe('the footer in the room', () => {
  it('offers the room commands at a plan, and none while a note is typed (every key is a letter then)', async () => {
    const r = await inRoom();
    expect(r.snap().hints.map((h) => h.label)).toContain('apply');
    r.press('y');
    await r.until((s) => s.roomView?.pending?.kind === 'note', 'the impact note');
    expect(r.snap().hints).toEqual([]);
    r.press('y');
    expect(r.snap().roomView?.pending?.kind).toBe('note');
    expect(r.snap().state.room?.input.text).toBe('y');
  }, 20_000);

  it('offers skipping a wait only while the room waits, and y/t/n only at a plan', async () => {
    const r = await inRoom();
    expect(r.snap().hints.map((h) => h.label)).not.toContain('skip wait');
    const waiting = await roomWaiting();
    const labels = waiting.snap().hints.map((h) => h.label);
    expect(labels).toContain('skip wait');
    expect(labels).not.toContain('apply');
    expect(labels).not.toContain('decline');
  }, 30_000);
});
