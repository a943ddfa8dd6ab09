import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal, journalPath } from '../../src/core/journal/index.js';
import { isolatedEnv, runCli } from '../harness/cli.js';
import { findAll, parseXml } from '../unit/reports/xml.js';

/**
 * The report and journal commands end to end through the built binary, on the sandbox: a drill fills the
 * sandbox journal with a real incident, then handoff, report, postmortem and summary are written from it,
 * and note/followup add to it. Figures are checked against the journal's own timestamps.
 */

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

function env(): NodeJS.ProcessEnv {
  const e = isolatedEnv({ VITASCOPE_ONCALL_DATA_DIR: tempDir('vo-reports-') });
  made.push(e.HOME!);
  return e;
}

function incidentsOf(e: NodeJS.ProcessEnv) {
  const j = openJournal(journalPath(e, 'sandbox'));
  try {
    return {
      incidents: j.incidents(),
      followUps: j.followUps({ status: 'all' }),
      notes: j.query({ kinds: ['note'] }),
      steps: j.query({ kinds: ['step.started', 'step.done', 'step.skipped'] }),
    };
  } finally {
    j.close();
  }
}

describe('reports from a drill', () => {
  const e = env();
  let incidentId = '';

  beforeAll(async () => {
    const r = await runCli(['--scenario', 'db-connections', 'drill', '--yes'], e);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const { incidents } = incidentsOf(e);
    expect(incidents.length).toBeGreaterThanOrEqual(1);
    incidentId = incidents[incidents.length - 1]!.id;
  }, 120_000);

  it("writes the handoff with the drill's incident, MTTA and MTTR as the journal timed them", async () => {
    const { incidents } = incidentsOf(e);
    const acked = incidents.filter((i) => i.acknowledgedAt !== undefined).map((i) => i.acknowledgedAt! - i.createdAt);
    const resolved = incidents
      .filter((i) => i.status === 'resolved' && i.resolvedAt !== undefined)
      .map((i) => i.resolvedAt! - i.createdAt);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

    const json = await runCli(['--demo', 'handoff', '--since', '1d', '--format', 'json'], e);
    expect(json.code, json.stderr).toBe(0);
    const h = JSON.parse(json.stdout) as Record<string, any>;
    expect(h.incidents.map((i: { id: string }) => i.id)).toContain(incidentId);
    expect(h.totals.incidents).toBe(incidents.length);
    expect(h.totals.mtta.count).toBe(acked.length);
    expect(h.totals.mtta.meanMs).toBe(mean(acked));
    expect(h.totals.mttr.count).toBe(resolved.length);
    expect(h.totals.mttr.meanMs).toBe(mean(resolved));
    expect(
      h.actions.some(
        (a: { actionId: string; outcome: string }) => a.actionId === 'rds.reboot' && a.outcome === 'verified',
      ),
    ).toBe(true);
    expect(h.alarms.mostFired.map((a: { alarmName: string }) => a.alarmName)).toContain(
      'vitascope-db-connections-warning',
    );
    // The drill's read-only commands are evidence, counted, not action rows.
    const j = openJournal(journalPath(e, 'sandbox'));
    const commandRuns = new Set(
      j
        .query({ kinds: ['action.planned'] })
        .flatMap((x) => (x.kind === 'action.planned' && x.payload.actionId === 'command.run' ? [x.payload.runId] : [])),
    );
    j.close();
    expect(commandRuns.size).toBeGreaterThan(0);
    expect(h.actions.filter((a: { category: string }) => a.category === 'check')).toEqual([]);
    // The sandbox runs no command: they are recorded as dry runs, and counted as such (no evidence).
    expect(h.readOnlyChecks).toBe(0);
    expect(
      h.readOnlyChecksDry + h.actions.filter((a: { actionId: string }) => a.actionId === 'command.run').length,
    ).toBe(commandRuns.size);
    // Outgoing and incoming come from two different shifts of the rotation.
    expect(h.people.outgoing).toBeTruthy();
    expect(h.people.incoming).toBeTruthy();
    expect(h.people.incoming).not.toBe(h.people.outgoing);

    const md = await runCli(['--demo', 'handoff', '--since', '1d'], e);
    expect(md.code).toBe(0);
    for (const heading of [
      '## 1. On call',
      '## 2. Incidents',
      '## 3. Still open',
      '## 4. Actions taken',
      '## 5. Alarms',
      '## 6. Pages outside working hours',
      '## 7. Notes',
      '## 8. Next week',
      '## About this report',
    ]) {
      expect(md.stdout).toContain(heading);
    }
    expect(md.stdout).toContain('| `rds.reboot` | vitascope-db |');

    const ja = await runCli(['--demo', 'handoff', '--since', '1d', '--lang', 'ja'], e);
    expect(ja.code).toBe(0);
    expect(ja.stdout).toContain('# オンコール引き継ぎ');
    expect(ja.stdout).toContain('## 4. 実施した対応');
  });

  it("writes the incident report with one merged timeline and the reboot's evidence", async () => {
    const r = await runCli(['--demo', '--scenario', 'db-connections', 'report', incidentId, '--format', 'json'], e);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as Record<string, any>;
    expect(rep.incident.id).toBe(incidentId);
    expect(rep.detection.alarmName).toBe('vitascope-db-connections-warning');
    const reboot = rep.actions.find((a: { actionId: string }) => a.actionId === 'rds.reboot');
    expect(reboot.outcome).toBe('verified');
    expect(reboot.before).toBeTruthy();
    expect(reboot.after).toBeTruthy();
    const times = rep.timeline.map((t: { at: string }) => Date.parse(t.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // The sandbox pager's record of the same incident is merged in: its trigger is not a second entry.
    expect(
      rep.timeline.filter((t: { kind: string }) => t.kind === 'incident.created' || t.kind === 'incident.triggered'),
    ).toHaveLength(1);
    const md = await runCli(['--demo', 'report', incidentId], e);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`# Incident report: ${incidentId}`);
    expect(md.stdout).not.toMatch(/&lt;|&gt;/);
    // Concise by default; every runbook step with --verbose.
    const concise = JSON.parse((await runCli(['--demo', 'report', incidentId, '--format', 'json'], e)).stdout) as {
      timeline: { kind: string }[];
      timelineDetail: string;
    };
    const verbose = JSON.parse(
      (await runCli(['--demo', 'report', incidentId, '--format', 'json', '--verbose'], e)).stdout,
    ) as typeof concise;
    expect(concise.timelineDetail).toBe('concise');
    expect(concise.timeline.some((t) => t.kind.startsWith('step.'))).toBe(false);
    const steps = incidentsOf(e).steps.filter((x) => x.incidentId === incidentId).length;
    expect(verbose.timeline.filter((t) => t.kind.startsWith('step.'))).toHaveLength(steps);
    expect(concise.timeline.length).toBeLessThan(verbose.timeline.length);
  });

  it('writes the postmortem draft with well-formed SVG charts beside it', async () => {
    const out = tempDir('vo-pm-');
    // The charts are the metric evidence the drill captured into the journal (no replay is read).
    const cpu = env();
    const drilled = await runCli(['--scenario', 'api-cpu-spike', 'drill', '--yes'], cpu);
    expect(drilled.code, drilled.stderr).toBe(0);
    const cpuIncident = incidentsOf(cpu).incidents.find((i) => i.title.includes('cpu'))!;
    const r = await runCli(['--demo', 'postmortem', cpuIncident.id, '--out', out], cpu);
    expect(r.code, r.stderr).toBe(0);
    const files = r.stdout.trim().split('\n');
    const md = fs.readFileSync(files[0]!, 'utf8');
    expect(md).toContain(`# Postmortem (draft): ${cpuIncident.id}`);
    const svgs = files.filter((f) => f.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThanOrEqual(1);
    let withThreshold = 0;
    for (const f of svgs) {
      expect(md).toContain(`](${path.basename(f)})`);
      const doc = parseXml(fs.readFileSync(f, 'utf8'));
      expect(doc.name).toBe('svg');
      // Alarms compared with a baseline (call rate, traffic) have no fixed threshold to draw.
      if (findAll(doc, (x) => x.name === 'line' && x.attributes.class === 'threshold').length) withThreshold += 1;
    }
    expect(withThreshold).toBeGreaterThanOrEqual(1);
    expect(
      fs.readFileSync(
        svgs.find((f) => f.includes('cpuutilization'))!,
        'utf8',
      ),
    ).toContain('class="threshold"');
    const drill = await runCli(['--demo', 'postmortem', incidentId, '--out', out], e);
    expect(drill.code, drill.stderr).toBe(0);
    expect(fs.readFileSync(drill.stdout.trim().split('\n')[0]!, 'utf8')).toContain('## 11. Action items');
  });

  it('adds notes and follow-ups headlessly; reports carry them, redacted unless --no-redact', async () => {
    const note = await runCli(
      ['--demo', 'note', incidentId, 'Reporter', 'kenji@example.com', 'saw', 'glucose', '180', 'mg/dL', 'fail'],
      e,
    );
    expect(note.code, note.stderr).toBe(0);
    expect(note.stdout).toMatch(/^note #\d+ recorded on /);
    const fu = await runCli(
      [
        '--demo',
        'followup',
        incidentId,
        'Put',
        'RDS',
        'Proxy',
        'in',
        'front',
        '--owner',
        'Kenji Sato',
        '--due',
        '2026-01-09',
      ],
      e,
    );
    expect(fu.code, fu.stderr).toBe(0);
    const id = /#(\d+)/.exec(fu.stdout)![1]!;

    const redacted = await runCli(['--demo', 'report', incidentId], e);
    expect(redacted.stdout).toContain('Reporter [REDACTED:email] saw glucose [REDACTED:health] fail');
    expect(redacted.stdout).toMatch(/Redaction: \d+ items redacted \(.*\d+ e-mail address.*\d+ health value/);
    const raw = await runCli(['--demo', 'report', incidentId, '--no-redact'], e);
    expect(raw.stdout).toContain('kenji@example.com');
    expect(raw.stdout).toContain('Redaction: OFF');

    const open = JSON.parse(
      (await runCli(['--demo', 'handoff', '--since', '1d', '--format', 'json'], e)).stdout,
    ) as Record<string, any>;
    expect(open.openFollowUps.map((f: { id: number; owner: string }) => [f.id, f.owner])).toContainEqual([
      Number(id),
      'Kenji Sato',
    ]);
    const close = await runCli(['--demo', 'followup', 'close', id, '--resolution', 'done'], e);
    expect(close.code, close.stderr).toBe(0);
    expect(incidentsOf(e).followUps.find((f) => f.id === Number(id))!.status).toBe('closed');
    const again = await runCli(['--demo', 'followup', 'close', id], e);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain('already closed');
  });

  it('opens $EDITOR with an argument array and journals the final version', async () => {
    const dir = tempDir('vo edit ');
    const script = path.join(dir, 'edit me.mjs');
    fs.writeFileSync(
      script,
      "import fs from 'node:fs';\nconst f = process.argv[process.argv.length - 1];\nfs.appendFileSync(f, '\\nEDITED: root cause was the reporting job\\n');\n",
    );
    const out = path.join(dir, 'out');
    // The folder does not exist yet: --mkdir creates it (without it, the command refuses).
    const r = await runCli(['--demo', 'postmortem', incidentId, '--out', out, '--mkdir', '--edit'], {
      ...e,
      EDITOR: `"${process.execPath}" '${script}'`,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('journaled the final version');
    const notes = incidentsOf(e)
      .notes.filter((n) => n.kind === 'note' && n.incidentId === incidentId)
      .map((n) => (n.kind === 'note' ? n.payload.text : ''));
    expect(
      notes.some((t) => t.startsWith('Postmortem (final,') && t.includes('EDITED: root cause was the reporting job')),
    ).toBe(true);
    const failing = await runCli(['--demo', 'postmortem', incidentId, '--out', out, '--edit'], {
      ...e,
      EDITOR: 'false',
    });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('nothing was journaled');
  });

  it('writes the executive summary', async () => {
    const r = await runCli(['--demo', 'summary', '--period', '14d'], e);
    expect(r.code, r.stderr).toBe(0);
    for (const h of ['## 1. SLA achievement', '## 2. Incidents', '## 3. Alarm volume', '## 4. Capacity trend'])
      expect(r.stdout).toContain(h);
    const ja = await runCli(['--demo', 'summary', '--period', '14d', '--lang', 'ja', '--format', 'json'], e);
    expect(JSON.parse(ja.stdout).sla.map((s: { service: string }) => s.service)).toEqual([
      'vitascope-api',
      'vitascope-worker',
    ]);
  });
});

describe('bad input to the report commands', () => {
  it('gets one clear line and exit 2', async () => {
    const e = env();
    const cases: [string[], RegExp][] = [
      [['--demo', 'handoff', '--since', '7d', '--from', '2026-01-01'], /--since and --from cannot be used together/],
      [['--demo', 'handoff', '--from', '2026-01-09', '--to', '2026-01-02'], /--from must be before --to/],
      [['--demo', 'handoff', '--from', 'yesterday'], /expected an ISO 8601 date or time/],
      [['--demo', 'handoff', '--format', 'xml'], /expected md or json/],
      [['--demo', 'report', 'NOPE', '--lang', 'fr'], /expected en or ja/],
      [['--demo', 'report', 'NOPE'], /no incident "NOPE" in the sandbox journal/],
      [['--demo', 'note', 'NOPE', 'hello'], /no incident "NOPE"/],
      [['--demo', 'followup', 'NOPE', 'x'], /needs an owner/],
      [['--demo', 'followup', 'close', 'abc'], /expected a follow-up id/],
      [['--demo', 'postmortem', 'NOPE', '--edit'], /--edit needs an editor/],
    ];
    for (const [args, expected] of cases) {
      const r = await runCli(args, { ...e, EDITOR: '', VISUAL: '' });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n').length, r.stderr).toBeLessThanOrEqual(2);
      expect(r.stderr, args.join(' ')).toMatch(expected);
    }
  });

  it('a broken configuration is exit 3', async () => {
    const e = env();
    fs.mkdirSync(e.VITASCOPE_ONCALL_CONFIG_DIR!, { recursive: true });
    fs.writeFileSync(path.join(e.VITASCOPE_ONCALL_CONFIG_DIR!, 'config.json'), '{ not json');
    const r = await runCli(['handoff'], e);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^vitascope-oncall: configuration: /);
  });

  it('text from outside never reaches the terminal raw', async () => {
    const e = env();
    await runCli(['--scenario', 'auth-bruteforce', 'drill', '--yes'], e);
    const [incident] = incidentsOf(e).incidents;
    const evil = await runCli(['--demo', 'note', incident!.id, 'look \u001b[2J\u001b[31mred\u0007'], e);
    expect(evil.code, evil.stderr).toBe(0);
    const r = await runCli(['--demo', 'report', incident!.id], e);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stdout).toContain('look ␛[2J␛[31mred␇');

    // The drill blocked the attacker at the WAF, in its own run's world, which ended with the drill: the block
    // is in place nowhere, so the handoff lists none (a real account's blocks are: test/unit/reports/blocks.test.ts).
    const handoff = JSON.parse(
      (await runCli(['--demo', 'handoff', '--since', '1d', '--format', 'json'], e)).stdout,
    ) as { next: { risks: { kind: string }[] }; actions: { actionId: string; outcome: string }[] };
    expect(handoff.actions.some((a) => a.actionId === 'waf.block-address' && a.outcome === 'verified')).toBe(true);
    expect(handoff.next.risks.filter((k) => k.kind === 'active-block')).toEqual([]);
  }, 120_000);
});

describe('the disk evidence of a disk-fill drill', () => {
  // The storage alarm is computed (share used, from free bytes and the allocation at that time); its
  // captured evidence is the free space itself, and the report says it in GiB, never "227510000000 %".
  it('reports the free space in GiB, its lowest the lowest the journal captured, no threshold in another unit', async () => {
    const e = env();
    const r = await runCli(['--scenario', 'disk-fill', 'drill', '--yes'], e);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const id = incidentsOf(e).incidents.at(-1)!.id;
    const j = openJournal(journalPath(e, 'sandbox'));
    const captured = j.query({ incidentId: id, kinds: ['metrics.captured'] });
    j.close();
    const free = captured
      .flatMap((ev) => (ev.payload as { series: { id: string; points: [number, number][] }[] }).series)
      .filter((s) => s.id.includes('disk-usage'))
      .flatMap((s) => s.points.map(([, v]) => v));
    expect(free.length).toBeGreaterThan(0);
    const report = await runCli(['--scenario', 'disk-fill', 'report', id], e);
    expect(report.code, report.stderr).toBe(0);
    const row = report.stdout.split('\n').find((l) => l.startsWith('| Free storage space (FreeStorageSpace'));
    expect(row, report.stdout).toBeDefined();
    const [, , shown, , threshold] = row!.split('|').map((c) => c.trim());
    // The window the report reads is part of what was captured: its lowest is no lower than the capture's.
    const gib = Number(/^([\d.]+) GiB$/.exec(shown!)![1]);
    expect(gib).toBeGreaterThanOrEqual(Math.floor((Math.min(...free) / 1024 ** 3) * 100) / 100);
    expect(gib).toBeLessThan(Math.max(...free) / 1024 ** 3);
    expect(threshold).toBe('–');
    expect(report.stdout).not.toMatch(/\d{5,} %/);
  }, 120_000);
});
