import React from 'react';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { Alarm, Database, Incident, Service } from '../../src/core/model.js';
import { DEFAULT_POLICY } from '../../src/core/policy/overrides.js';
import { Table, firstVisible } from '../../src/ui/components/Table.js';
import { DialogBox, dialogKey, type Dialog } from '../../src/ui/components/Dialog.js';
import { Banner, Footer, freshness } from '../../src/ui/components/Chrome.js';
import { Chart, chartLines, Sparkline, sparkline } from '../../src/ui/components/Charts.js';
import { ALARM_COLUMNS, alarmCells, rowHealth } from '../../src/ui/render/alarms.js';
import { databaseRow, sortDatabaseRows } from '../../src/ui/render/databases.js';
import { createTheme } from '../../src/ui/theme.js';
import { AlarmDetailView } from '../../src/ui/views/AlarmDetailView.js';
import { ServiceDetailView } from '../../src/ui/views/ServiceDetailView.js';
import { IncidentDetailView } from '../../src/ui/views/IncidentDetailView.js';
import { OnCallView } from '../../src/ui/views/OnCallView.js';
import { HelpView } from '../../src/ui/views/HelpView.js';
import { ListView } from '../../src/ui/views/ListView.js';
import { OverviewView } from '../../src/ui/views/OverviewView.js';
import { resolveBindings, keyName, commandFor, hints, flattenKeyConfig, KeyOverrideError } from '../../src/ui/keys.js';
import { commandLine, compileFilter, INITIAL_STATE, reduce, scopesFor } from '../../src/ui/state.js';
import { LiveModel } from '../../src/core/live/model.js';
import { sandboxAt } from '../harness/ink.js';

const theme = createTheme(false);
const NOW = Date.UTC(2026, 0, 5, 2, 0);
const ok = { state: 'ok' as const, fetchedAt: NOW, failures: 0 };

function alarm(i: number, over: Partial<Alarm> = {}): Alarm {
  return {
    id: `arn:${i}`,
    name: `vitascope-svc${i}-high-cpu-warning`,
    kind: 'metric',
    state: i % 3 === 0 ? 'ALARM' : 'OK',
    level: 'warning',
    threshold: 70,
    unit: 'percent',
    value: 50 + (i % 40),
    stateSince: NOW - i * 60_000,
    actions: [],
    metric: { namespace: 'AWS/ECS', name: 'CPUUtilization', dimensions: { ClusterName: 'c', ServiceName: `svc${i}` } },
    ...over,
  };
}

const ESC = '\u001b';
const evil = alarm(1, {
  name: `evil${ESC}[2J${ESC}]0;pwned\u0007-alarm`,
  description: `desc ${ESC}[31mred${ESC}[0m`,
  reason: `reason${ESC}[H`,
});

describe('Table', () => {
  it('renders only the rows that fit, of 10,000', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => alarm(i));
    const { lastFrame, unmount } = render(
      <Table
        columns={ALARM_COLUMNS}
        items={items}
        cells={(a) => alarmCells(a, NOW)}
        health={rowHealth}
        selected={5000}
        height={21}
        width={140}
        theme={theme}
      />,
    );
    const lines = lastFrame()!.split('\n');
    expect(lines).toHaveLength(21);
    expect(lastFrame()).toContain('› ');
    expect(lastFrame()).toContain('vitascope-svc5000-');
    expect(lastFrame()).not.toContain('vitascope-svc4980-');
    unmount();
  });

  it('keeps the selected row in view and near the middle', () => {
    expect(firstVisible(0, 100, 10)).toBe(0);
    expect(firstVisible(50, 100, 10)).toBe(45);
    expect(firstVisible(99, 100, 10)).toBe(90);
    expect(firstVisible(3, 5, 10)).toBe(0);
  });

  it('aligns Japanese text by display width and shows outside text inert', () => {
    const items = [alarm(1, { name: 'API 応答時間アラーム' }), alarm(2), evil];
    const { lastFrame, unmount } = render(
      <Table
        columns={ALARM_COLUMNS}
        items={items}
        cells={(a) => alarmCells(a, NOW)}
        selected={0}
        height={10}
        width={100}
        theme={theme}
      />,
    );
    const frame = lastFrame()!;
    expect(frame).not.toContain(ESC);
    expect(frame).toContain('evil␛[2J␛]0;pwned␇-alarm');
    const lines = frame.split('\n').slice(1, 4);
    const stateColumn = lines.map((l) => stringWidth(l.slice(0, l.search(/ (OK|ALARM) /))));
    expect(new Set(stateColumn).size).toBe(1);
    unmount();
  });
});

describe('dialogs', () => {
  const run = async () => 'done';
  const confirm: Dialog = {
    kind: 'confirm',
    title: 'Reboot vitascope-db',
    target: 'vitascope-db',
    lines: ['3 minutes of errors'],
    typed: false,
    value: '',
    danger: true,
    run,
  };

  it('confirm: names the target; y runs, n and Esc cancel', () => {
    const { lastFrame, unmount } = render(<DialogBox dialog={confirm} theme={theme} width={100} />);
    expect(lastFrame()).toContain('Apply to vitascope-db? y yes · n / Esc no');
    unmount();
    expect(dialogKey(confirm, { name: 'y', input: 'y' }).run).toBe(run);
    expect(dialogKey(confirm, { name: 'n', input: 'n' }).close).toBe(true);
    expect(dialogKey(confirm, { name: 'escape', input: '' }).close).toBe(true);
    expect(dialogKey(confirm, { name: 'x', input: 'x' }).next).toBe(confirm);
  });

  it('typed confirm: runs only when the target is typed exactly', () => {
    let d: Dialog = { ...confirm, typed: true };
    const { lastFrame, unmount } = render(<DialogBox dialog={d} theme={theme} width={100} />);
    expect(lastFrame()).toContain('Type vitascope-db to confirm');
    unmount();
    expect(dialogKey(d, { name: 'y', input: 'y' }).run).toBeUndefined();
    for (const ch of 'vitascope-db') d = dialogKey(d, { name: ch, input: ch }).next!;
    expect(dialogKey(d, { name: 'return', input: '' }).run).toBe(run);
    d = dialogKey(d, { name: 'backspace', input: '' }).next!;
    expect(dialogKey(d, { name: 'return', input: '' }).run).toBeUndefined();
  });

  it('input, select, busy and message dialogs render and take keys', () => {
    const input: Dialog = { kind: 'input', title: 'Note', prompt: 'What?', value: 'ab', submit: async (v) => v };
    expect(render(<DialogBox dialog={input} theme={theme} width={80} />).lastFrame()).toContain('> ab');
    expect(dialogKey(input, { name: 'return', input: '' }).run).toBeDefined();
    expect(dialogKey({ ...input, value: '  ' }, { name: 'return', input: '' }).run).toBeUndefined();
    const select: Dialog = {
      kind: 'select',
      title: 'Level',
      options: [
        { label: 'level 2', value: '2' },
        { label: 'level 3', value: '3' },
      ],
      index: 0,
      choose: async (v) => v,
    };
    expect(render(<DialogBox dialog={select} theme={theme} width={80} />).lastFrame()).toContain('› level 2');
    const moved = dialogKey(select, { name: 'down', input: '' }).next!;
    expect(moved.kind === 'select' && moved.index).toBe(1);
    expect(
      render(<DialogBox dialog={{ kind: 'busy', title: 'Working' }} theme={theme} width={80} />).lastFrame(),
    ).toContain('working…');
    const message: Dialog = { kind: 'message', title: 'That did not work', lines: ['HTTP 503'], level: 'critical' };
    expect(render(<DialogBox dialog={message} theme={theme} width={80} />).lastFrame()).toContain('HTTP 503');
    expect(dialogKey(message, { name: 'return', input: '' }).close).toBe(true);
  });
});

describe('chrome and charts', () => {
  it('the banner says SANDBOX or names the production account', () => {
    const counts = { critical: 1, warning: 2, info: 0 };
    expect(
      render(
        <Banner
          environment={{ kind: 'sandbox', label: 'SANDBOX', production: false }}
          now={NOW}
          theme={theme}
          counts={counts}
          readonly={false}
        />,
      ).lastFrame(),
    ).toMatch(/ SANDBOX .*✗ 1 ▲ 2/);
    const prod = render(
      <Banner
        environment={{
          kind: 'aws',
          label: 'vitascope',
          account: '123456789012',
          region: 'ap-northeast-1',
          production: true,
        }}
        now={NOW}
        theme={theme}
        counts={counts}
        readonly
      />,
    ).lastFrame()!;
    expect(prod).toContain('PRODUCTION vitascope · 123456789012 · ap-northeast-1');
    expect(prod).toContain('READ-ONLY');
  });

  it('freshness reads ok, error with age, stale', () => {
    expect(freshness({ state: 'ok', fetchedAt: NOW - 3000, failures: 0 }, NOW).text).toBe('ok 3s');
    expect(
      freshness({ state: 'error', fetchedAt: NOW - 20_000, error: 'HTTP 503', errorAt: NOW - 5000, failures: 2 }, NOW),
    ).toEqual({ text: 'error 5s ago: HTTP 503 (data 20s old)', level: 'warning' });
    expect(
      freshness(
        {
          state: 'stale',
          fetchedAt: NOW - 600_000,
          staleSince: NOW - 300_000,
          error: 'down',
          errorAt: NOW - 1000,
          failures: 9,
        },
        NOW,
      ).level,
    ).toBe('critical');
    expect(freshness({ state: 'unconfigured', source: 'database', failures: 0 }, NOW)).toEqual({
      text: 'not configured',
      level: 'info',
    });
  });

  it('the footer shows hints, or the editor, or a result', () => {
    expect(render(<Footer hints={[{ key: 'q', label: 'quit' }]} theme={theme} />).lastFrame()).toBe('<q> quit');
    // The cursor is a reversed space, one column wide in every locale (█ is ambiguous: two columns in CJK terminals).
    expect(
      render(<Footer hints={[]} editing={{ kind: 'filter', value: 'cpu' }} theme={theme} />).lastFrame(),
    ).toContain('/cpu  ⏎ apply');
    const palette = render(
      <Footer hints={[]} editing={{ kind: 'command', value: 'inc' }} theme={theme} />,
    ).lastFrame()!;
    expect(palette).toContain(':inc');
    expect(palette).toContain('→ incidents');
    expect(
      render(
        <Footer hints={[{ key: 'q', label: 'quit' }]} flash={{ text: 'Acknowledged #1', level: 'ok' }} theme={theme} />,
      ).lastFrame(),
    ).toBe('Acknowledged #1');
  });

  it('sparklines and charts scale to the threshold and draw it', () => {
    expect(sparkline([0, 50, 100], 100)).toBe('▁▅█');
    const lines = chartLines([10, 20, 90, 100], 4, 50);
    expect(lines).toHaveLength(4);
    expect(lines.join('\n')).toContain('┄');
    const { lastFrame } = render(
      <Chart
        points={[1, 2, 3, 4].map((v, i) => ({ t: i, v: v * 300 }))}
        threshold={1000}
        unit="milliseconds"
        width={40}
        height={4}
        theme={theme}
      />,
    );
    expect(lastFrame()).toContain('threshold 1 s');
    expect(
      render(
        <Sparkline
          label="p95"
          points={[{ t: 0, v: 1200 }]}
          unit="milliseconds"
          warning={500}
          critical={1000}
          width={20}
          theme={theme}
        />,
      ).lastFrame(),
    ).toContain('p95 1.2 s  (warn 500 ms, crit 1 s)');
  });
});

describe('views', () => {
  it('alarm detail: description, reason, dimensions, graph, history, runbook; all inert', () => {
    const detail = {
      name: 'detail',
      health: ok,
      data: {
        history: [{ at: NOW - 60_000, from: 'OK' as const, to: 'ALARM' as const, reason: `crossed${ESC}[5m` }],
        series: [
          { t: 0, v: 40 },
          { t: 1, v: 95 },
        ],
        threshold: 70,
        unit: 'percent',
      },
    };
    const { lastFrame } = render(
      <AlarmDetailView
        alarm={evil}
        detail={detail}
        runbook="cpu-utilization — API CPU"
        now={NOW}
        width={100}
        height={40}
        theme={theme}
      />,
    );
    const f = lastFrame()!;
    expect(f).not.toContain(ESC);
    for (const text of [
      'desc ␛[31mred␛[0m',
      'reason: reason␛[H',
      'ServiceName=svc1',
      'last 3 hours',
      'threshold 70 %',
      'OK → ALARM',
      'crossed␛[5m',
      'cpu-utilization — API CPU',
    ])
      expect(f).toContain(text);
  });

  it('service, incident, on-call and help views', async () => {
    const sb = sandboxAt('latency-regression', 8);
    const services = await sb.services!.listServices();
    const api = services.find((s) => s.name === 'vitascope-api') as Service;
    const s = render(
      <ServiceDetailView service={api} now={sb.now()} width={120} height={30} theme={theme} />,
    ).lastFrame()!;
    expect(s).toMatch(/PRIMARY\s+completed\s+vitascope-api:42/);
    expect(s).toContain('deployment completed');
    sb.advance(10 * 60_000);
    const incident = (await sb.incidents!.listIncidents())[0] as Incident;
    const timeline = { name: 'timeline', health: ok, data: await sb.incidents!.timeline(incident.id) };
    const i = render(
      <IncidentDetailView
        incident={incident}
        timeline={timeline}
        policy={DEFAULT_POLICY}
        now={sb.now()}
        height={30}
        theme={theme}
      />,
    ).lastFrame()!;
    expect(i).toContain('respond within 4 hours (24/7)');
    expect(i).toMatch(/triggered\s+Triggered through CloudWatch/);
    const live = new LiveModel(sb, { alarms: 60, services: 60, incidents: 60, onCall: 60, metrics: 60 });
    await live.refreshAll();
    const o = render(<OnCallView onCall={live.snapshot().onCall} now={sb.now()} theme={theme} />).lastFrame()!;
    expect(o).toMatch(/level 1\s+primary\s+Aiko Tanaka/);
    expect(o).toContain('next week');
    expect(o).toContain('after 30 min without acknowledgement');
    const ov = render(
      <OverviewView
        live={live.snapshot()}
        policy={DEFAULT_POLICY}
        theme={theme}
        width={120}
        height={40}
        wallNow={Date.now()}
      />,
    ).lastFrame()!;
    expect(ov).toContain('vitascope-api-high-latency-critical');
    expect(ov).toMatch(/vitascope-db\s+✓ OK available\s+\d+ %\s+storage \d+(\.\d)? % of \d+ GiB/);
    expect(ov).toMatch(/databases ok/);
    const h = render(
      <HelpView bindings={resolveBindings(undefined, false)} readonly={false} theme={theme} width={120} height={50} />,
    ).lastFrame()!;
    expect(h).toContain('acknowledge the incident');
    expect(h).toContain('incident.ack');
    const list = render(
      <ListView
        title="ALARMS"
        items={[evil]}
        total={5}
        state={INITIAL_STATE.lists.alarms}
        sortLabel="level"
        columns={ALARM_COLUMNS}
        cells={(a: Alarm) => alarmCells(a, NOW)}
        source={{
          name: 'alarms',
          health: { state: 'error', error: 'HTTP 503', errorAt: NOW, fetchedAt: NOW - 60_000, failures: 1 },
        }}
        wallNow={NOW}
        width={120}
        height={10}
        theme={theme}
      />,
    ).lastFrame()!;
    expect(list).toContain('ALARMS 1 of 5');
    expect(list).toContain('error 0s ago: HTTP 503 (data 1m old)');
  });

  it('a PagerDuty-only overview: unconfigured sources are told by their tag, and alarms are unknown, never 0', async () => {
    const sb = sandboxAt('calm', 10);
    // Only incidents and on-call: every AWS port is missing, as openRealSources leaves it without AWS.
    const sources = {
      environment: sb.environment,
      now: () => sb.now(),
      incidents: sb.incidents,
      onCall: sb.onCall,
      close: async () => {},
    };
    const live = new LiveModel(sources, { alarms: 60, services: 60, incidents: 60, onCall: 60, metrics: 60 });
    await live.refreshAll();
    const snap = live.snapshot();
    expect(snap.alarms.health).toMatchObject({ state: 'unconfigured', source: 'alarm' });
    const ov = render(
      <OverviewView live={snap} policy={DEFAULT_POLICY} theme={theme} width={120} height={40} wallNow={Date.now()} />,
    ).lastFrame()!;
    expect(ov).toContain('unknown: no alarm source is configured');
    expect(ov).not.toMatch(/nothing in ALARM/);
    // The SOURCES line lists what is configured and nothing else.
    const sourcesLine = ov.split('\n').find((l) => l.includes('incidents ok'))!;
    expect(sourcesLine).toContain('on-call ok');
    expect(sourcesLine).not.toMatch(/alarms|services|databases|metrics/);
    const o = render(
      <OnCallView
        onCall={{ name: 'on-call', health: { state: 'unconfigured', source: 'on-call', failures: 0 } }}
        now={sb.now()}
        theme={theme}
      />,
    ).lastFrame()!;
    expect(o).toContain('unavailable: no on-call source configured');
  });
});

describe('databases on the overview', () => {
  const db = (over: Partial<Database>): Database => ({
    id: 'vitascope-db',
    engine: 'postgres',
    instanceClass: 'db.r6g.large',
    status: 'available',
    connections: 100,
    maxConnections: 400,
    multiAz: true,
    ...over,
  });

  it("judges connections by the policy's share and at the limit, and the status", () => {
    expect(databaseRow(db({}), 0.8)).toEqual({
      cells: [
        'vitascope-db',
        '✓ OK available',
        '25 %',
        'storage no data · 100/400 conn · postgres db.r6g.large Multi-AZ',
      ],
      health: 'ok',
    });
    expect(databaseRow(db({ connections: 319 }), 0.8).health).toBe('ok');
    expect(databaseRow(db({ connections: 320 }), 0.8).health).toBe('warning');
    expect(databaseRow(db({ connections: 400 }), 0.8).health).toBe('critical');
    expect(databaseRow(db({ status: 'rebooting', connections: 0 }), 0.8).health).toBe('warning');
    expect(databaseRow(db({ status: 'storage-full' }), 0.8).health).toBe('critical');
    expect(databaseRow(db({ connections: undefined, multiAz: false }), 0.8)).toEqual({
      cells: ['vitascope-db', '✓ OK available', '–', 'storage no data · connections no data · postgres db.r6g.large'],
      health: 'ok',
    });
    // Names from outside are made inert.
    expect(databaseRow(db({ id: 'db\u001b[31m' }), 0.8).cells[0]).not.toContain('\u001b');
  });

  it('says the level in a word and a symbol, and storage apart from connections', () => {
    const disk = { warning: 80, critical: 90 };
    // The row: 91 % of connections is a warning in words, not only in colour.
    expect(databaseRow(db({ connections: 365 }), 0.8, disk).cells.slice(1, 3)).toEqual(['▲ WARN available', '91 %']);
    // A disk at 90 % with few connections: critical, and the storage is said as storage.
    const full = databaseRow(db({ connections: 70, storageUsedPercent: 90, allocatedGiB: 200 }), 0.8, disk);
    expect(full.health).toBe('critical');
    expect(full.cells[1]).toBe('✗ CRIT available');
    expect(full.cells[2]).toBe('18 %');
    expect(full.cells[3]).toContain('storage 90 % of 200 GiB');
    expect(databaseRow(db({ allocatedGiB: 200 }), 0.8, disk).cells[3]).toContain('storage ? of 200 GiB (no data)');
  });

  it('lists the worst first', () => {
    const rows = sortDatabaseRows([
      databaseRow(db({ id: 'b' }), 0.8),
      databaseRow(db({ id: 'a', connections: 390 }), 0.8),
      databaseRow(db({ id: 'c', status: 'failed' }), 0.8),
    ]);
    expect(rows.map((r) => r.cells[0])).toEqual(['c', 'a', 'b']);
  });
});

describe('keys and state', () => {
  it('names keys, resolves commands by scope, and builds hints from the table', () => {
    expect(keyName('', { upArrow: true })).toBe('up');
    expect(keyName('r', { ctrl: true })).toBe('ctrl+r');
    expect(keyName('G', {})).toBe('G');
    const b = resolveBindings(undefined, false);
    expect(commandFor(b, 'j', ['list', 'global'])).toBe('nav.down');
    expect(commandFor(b, 'a', ['incidents', 'list', 'global'])).toBe('incident.ack');
    expect(commandFor(b, 'a', ['list', 'global'])).toBeUndefined();
    expect(hints(b, ['incidents'])).toEqual(expect.arrayContaining([{ key: 'a', label: 'ack' }]));
  });

  it('takes user overrides and refuses unknown commands', () => {
    const b = resolveBindings(flattenKeyConfig({ incident: { ack: ['A'] }, 'nav.down': 'n' }), false);
    expect(commandFor(b, 'A', ['incidents'])).toBe('incident.ack');
    expect(commandFor(b, 'a', ['incidents'])).toBeUndefined();
    expect(commandFor(b, 'n', ['list'])).toBe('nav.down');
    expect(() => resolveBindings({ 'incident.nuke': 'x' }, false)).toThrow(KeyOverrideError);
    expect(resolveBindings(undefined, true).some((x) => x.action)).toBe(false);
  });

  it('filters are regexes, ! inverts, broken ones match literally', () => {
    expect(compileFilter('cpu|mem').test('high-memory')).toBe(true);
    expect(compileFilter('!cpu').test('high-cpu')).toBe(false);
    const broken = compileFilter('cpu(');
    expect(broken.error).toMatch(/not a regex/);
    expect(broken.test('x cpu( y')).toBe(true);
  });

  it('the reducer moves, clamps, opens, goes back, sorts', () => {
    let s = reduce(INITIAL_STATE, { type: 'goto', screen: 'alarms' });
    s = reduce(s, { type: 'move', list: 'alarms', to: 50, count: 10 });
    expect(s.lists.alarms.selected).toBe(9);
    s = reduce(s, { type: 'open', list: 'alarms', id: 'x' });
    expect(s.detail).toEqual({ list: 'alarms', id: 'x' });
    s = reduce(s, { type: 'back' });
    expect(s.detail).toBeUndefined();
    s = reduce(s, { type: 'sort', list: 'alarms', sorts: 4 });
    expect(s.lists.alarms.sortIndex).toBe(1);
    s = reduce(s, { type: 'filter', list: 'alarms', filter: 'x' });
    expect(s.lists.alarms.selected).toBe(0);
  });

  it('scopes follow the screen: incident keys only on incidents, room keys only in the room', () => {
    const incidents = reduce(INITIAL_STATE, { type: 'goto', screen: 'incidents' });
    expect(scopesFor(incidents)).toEqual(['incidents', 'list', 'global']);
    expect(scopesFor(reduce(incidents, { type: 'open', list: 'incidents', id: 'i' }))).toEqual([
      'detail',
      'incidents',
      'scroll',
      'global',
    ]);
    expect(scopesFor(reduce(INITIAL_STATE, { type: 'goto', screen: 'handoff' }))).toEqual([
      'handoff',
      'scroll',
      'global',
    ]);
    const services = reduce(INITIAL_STATE, { type: 'goto', screen: 'services' });
    expect(scopesFor(services)).toEqual(['services', 'list', 'global']);
    expect(scopesFor(reduce(services, { type: 'open', list: 'services', id: 's' }))).toEqual([
      'detail',
      'services',
      'scroll',
      'global',
    ]);
    expect(scopesFor({ ...incidents, room: { id: 'r', input: { text: '' } } })).toEqual(['room', 'global']);
  });

  it('the command line goes to screens by name or alias, quits, and names the screens when it cannot', () => {
    const none = { incidents: [], alarms: [] };
    expect(commandLine(':on-call', none)).toEqual({ type: 'goto', screen: 'oncall' });
    expect(commandLine(' Alarms ', none)).toEqual({ type: 'goto', screen: 'alarms' });
    expect(commandLine('q', none)).toBe('quit');
    expect(commandLine('inc', none)).toEqual({ type: 'goto', screen: 'incidents' });
    const miss = commandLine('pods', none);
    expect(miss).toMatchObject({ type: 'flash', flash: { level: 'warning' } });
    expect(JSON.stringify(miss)).toContain('no screen, incident or alarm \\"pods\\"');
  });
});
