import { afterEach, describe, expect, it } from 'vitest';
import { KEYS, renderCockpit, sandboxAt } from '../harness/ink.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

async function open(scenario: string, minutes: number, options: { readonly?: boolean } = {}) {
  const sources = sandboxAt(scenario, minutes);
  const ui = await renderCockpit(sources, options);
  cleanup = () => {
    ui.unmount();
    ui.live.stop();
    void ui.services.close();
  };
  return { ...ui, sources };
}

describe('cockpit flows on the sandbox', () => {
  it('opens on the overview: banner, alarms by level, services, sparklines, incidents, on call, sources', async () => {
    const ui = await open('api-cpu-spike', 15);
    const f = ui.frame();
    expect(f).toContain(' SANDBOX ');
    expect(f).toMatch(/✗ CRIT 2/);
    expect(f).toContain('vitascope-api-high-cpu-critical');
    expect(f).toMatch(/vitascope-api\s+✓ steady\s+3\/3/);
    expect(f).toContain('p95 latency');
    expect(f).toContain('error rate');
    expect(f).toMatch(/P2\s+#1042\s+triggered/);
    expect(f).toContain('primary Aiko Tanaka');
    expect(f).toMatch(/alarms ok/);
  });

  it('filters alarms by regex, inverts with !, and opens a detail', async () => {
    const ui = await open('api-cpu-spike', 15);
    await ui.press('2');
    await ui.wait((f) => f.includes('ALARMS 31'));
    await ui.press('/');
    await ui.press('api-high-cpu-crit');
    await ui.wait((f) => f.includes('1 of 31'), 'filtered list');
    expect(ui.frame()).toContain('vitascope-api-high-cpu-critical');
    expect(ui.frame()).not.toContain('vitascope-api-high-latency-critical');
    await ui.press(KEYS.enter);
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('last 3 hours') && f.includes('state history'), 'alarm detail');
    expect(ui.frame()).toContain('reason: CPU utilisation');
    expect(ui.frame()).toContain('ClusterName=vitascope-cluster');
    await ui.wait((f) => f.includes('OK → ALARM'), 'state history');
    await ui.press(KEYS.escape);
    await ui.wait((f) => f.includes('1 of 31'));
    await ui.press('/');
    for (let i = 0; i < 17; i++) await ui.press(KEYS.backspace);
    await ui.press('!ok');
    await ui.wait((f) => /filter \/!ok/.test(f), 'inverted filter');
    expect(ui.frame()).not.toContain('✓ OK ');
  });

  it('acknowledges an incident after a confirmation that names it', async () => {
    const ui = await open('db-connections', 30);
    await ui.press('4');
    await ui.wait((f) => f.includes('INCIDENTS 1') && f.includes('#1042'));
    await ui.press('a');
    await ui.wait(
      (f) => f.includes('Acknowledge the incident: PSB1001') && f.includes('#1042') && f.includes('Apply to PSB1001?'),
      'confirmation',
    );
    await ui.press('y');
    await ui.wait((f) => f.includes('Acknowledge the incident: PSB1001 — verified'), 'result');
    await ui.wait((f) => /#1042\s+acknowledged/.test(f), 'refreshed list');
    const incident = await ui.sources.incidents!.getIncident('PSB1001');
    expect(incident!.status).toBe('acknowledged');
    expect(incident!.acknowledgedAt).toBeDefined();
  });

  it('snoozes an acknowledged incident: the list says for how long', async () => {
    const ui = await open('db-connections', 30);
    await ui.press('4');
    await ui.wait((f) => f.includes('#1042') && f.includes('<z> snooze'));
    await ui.press('z');
    await ui.wait((f) => f.includes('Snooze #1042 for…'), 'the durations');
    await ui.press(KEYS.enter);
    await ui.wait(
      (f) => f.includes('Cannot do that') && f.includes('only an acknowledged incident can be snoozed'),
      'refused while triggered',
    );
    await ui.press(KEYS.enter);
    await ui.press('a');
    await ui.wait((f) => f.includes('Apply to PSB1001?'));
    await ui.press('y');
    await ui.wait((f) => /#1042\s+acknowledged/.test(f), 'acknowledged');
    await ui.press('z');
    await ui.wait((f) => f.includes('Snooze #1042 for…'));
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('Snooze the incident: PSB1001') && f.includes('for 2h'), 'the plan');
    await ui.press('y');
    await ui.wait((f) => f.includes('Snooze the incident: PSB1001 — verified'), 'result');
    await ui.wait((f) => /#1042\s+acknowledged.*snoozed (2h|1h5\dm)/.test(f), 'the list shows the snooze');
    expect((await ui.sources.incidents!.getIncident('PSB1001'))!.retriggersAt).toBe(ui.sources.now() + 2 * 3_600_000);
  });

  it('cancels a dangerous action: nothing changes', async () => {
    const ui = await open('db-connections', 30);
    await ui.press('4');
    await ui.wait((f) => f.includes('#1042'));
    await ui.press('R');
    await ui.wait((f) => f.includes('Resolve the incident: PSB1001'), 'confirmation');
    await ui.press('n');
    await ui.wait((f) => !f.includes('Resolve the incident: PSB1001') && f.includes('INCIDENTS 1'));
    await ui.press('R');
    await ui.wait((f) => f.includes('Resolve the incident: PSB1001'));
    await ui.press(KEYS.escape);
    await ui.wait((f) => !f.includes('Resolve the incident: PSB1001'));
    expect((await ui.sources.incidents!.getIncident('PSB1001'))!.status).toBe('triggered');
  });

  it('escalates, reassigns and adds a note through their dialogs', async () => {
    const ui = await open('latency-regression', 15);
    await ui.press('4');
    await ui.wait((f) => f.includes('#1042'));
    await ui.press('e');
    await ui.wait((f) => f.includes('Escalate #1042 to…') && f.includes('level 2: secondary (Kenji Sato)'));
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('Escalate the incident: PSB1001') && f.includes('escalation level: 1 → 2'));
    await ui.press('y');
    await ui.wait((f) => f.includes('Escalate the incident: PSB1001 — verified'));
    await ui.press('o');
    await ui.wait((f) => f.includes('Reassign #1042 to…'));
    // Kenji Sato has it now (level 2); hand it to the manager.
    await ui.press(KEYS.down);
    await ui.press(KEYS.down);
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('Reassign the incident: PSB1001'));
    await ui.press('y');
    await ui.wait((f) => f.includes('Reassign the incident: PSB1001 — verified'));
    await ui.press('n');
    await ui.wait((f) => f.includes('Note for #1042'));
    await ui.press('rolling back to :41');
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('Add a note to the incident: PSB1001') && f.includes('rolling back to :41'));
    await ui.press('y');
    await ui.wait((f) => f.includes('Add a note to the incident: PSB1001 — verified'));
    const log = await ui.sources.incidents!.timeline('PSB1001');
    expect(log.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['incident.escalated', 'incident.reassigned', 'note']),
    );
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('timeline') && f.includes('rolling back to :41'), 'incident detail with the note');
  });

  it("sets a service's autoscaling limits and scales it from the Services screen, through the engine", async () => {
    const ui = await open('api-cpu-spike', 10);
    await ui.press('3');
    await ui.wait((f) => f.includes('SERVICES 2') && f.includes('<d> scale'), 'services with their action keys');
    await ui.press('m');
    await ui.wait(
      (f) => f.includes('Autoscaling limits of vitascope-api') && f.includes('now 2–3'),
      'the limits dialog',
    );
    await ui.press('4 8');
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('Set the autoscaling min/max: vitascope-api'), 'the limits plan');
    await ui.press('y');
    await ui.wait((f) => f.includes('Set the autoscaling min/max: vitascope-api — verified'), 'limits result');
    expect((await ui.sources.services!.listServices()).find((s) => s.name === 'vitascope-api')!.scaling).toMatchObject({
      min: 4,
      max: 8,
    });

    await ui.press('d');
    await ui.wait(
      (f) => f.includes('Desired count of vitascope-api') && f.includes('autoscaling 4–8'),
      'the desired count dialog',
    );
    await ui.press('many');
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('a whole number of tasks, not "many"'), 'bad input refused');
    await ui.press(KEYS.enter);
    await ui.press('d');
    await ui.wait((f) => f.includes('Desired count of vitascope-api'));
    await ui.press('6');
    await ui.press(KEYS.enter);
    await ui.wait(
      (f) => f.includes('Set the ECS service desired count: vitascope-api') && /desired count: \d+ → 6/.test(f),
      'the plan',
    );
    await ui.press('y');
    await ui.wait((f) => f.includes('Set the ECS service desired count: vitascope-api — verified'), 'result');
    expect((await ui.sources.services!.listServices()).find((s) => s.name === 'vitascope-api')!.desired).toBe(6);
    // Journaled without an incident, like every action.
    const journal = await ui.services.journal();
    const verified = journal.query({ kinds: ['action.verified'] });
    expect(verified.map((e) => (e.payload as { actionId: string }).actionId)).toEqual([
      'autoscaling.set-limits',
      'ecs.set-desired-count',
    ]);
    expect(verified.every((e) => e.incidentId === undefined)).toBe(true);
  });

  it('mutes a CloudWatch alarm: its actions off for a chosen time (what stops its page), said in the plan, then on again', async () => {
    const ui = await open('sync-failures', 40);
    // The re-enabling timer is driven by hand here (its loop would wait on the test's simulated clock).
    const timer = ui.services.alarmActionsTimer()!;
    await timer.tick();
    await ui.press('2');
    await ui.wait((f) => f.includes('ALARMS 31') && f.includes('<m> mute'), 'alarms with the mute key');
    await ui.press('/');
    await ui.press('sync-failures-warning');
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('1 of 31'), 'filtered to the alarm');
    await ui.press('m');
    await ui.wait(
      (f) => f.includes("Disable vitascope-sync-failures-warning's actions (its page) for…") && f.includes('2h'),
      'the durations',
    );
    await ui.press(KEYS.down);
    await ui.press(KEYS.enter);
    await ui.wait(
      (f) => f.includes("Disable vitascope-sync-failures-warning's actions for 4h") && f.includes('Why?'),
      'the reason',
    );
    await ui.press('wearables provider outage, vendor ticket 4411');
    await ui.press(KEYS.enter);
    // The plan says what stops (its SNS topic, and who that reaches) and what does not.
    await ui.wait(
      (f) =>
        f.includes('stops: CloudWatch runs none of') &&
        f.includes('keeps: vitascope-sync-failures-warning still changes state'),
      'the plan',
    );
    expect(ui.frame()).toContain('SNS vitascope-pagerduty');
    expect(ui.frame()).not.toContain('not sent to anyone');
    await ui.press('y');
    await ui.wait((f) => f.includes('vitascope-sync-failures-warning — verified'), 'result');
    // Read back from the sandbox's CloudWatch: actions off, and the journal knows until when.
    const [state] = await ui.sources.alarmActions!.readActions(['vitascope-sync-failures-warning']);
    expect(state!.enabled).toBe(false);
    const applied = (await ui.services.journal()).query({
      kinds: ['action.applied'],
      actionIds: ['cloudwatch.disable-alarm-actions'],
    });
    expect(applied.map((e) => (e.payload as { params?: unknown }).params)).toEqual([
      {
        alarm: 'vitascope-sync-failures-warning',
        duration: '4h',
        reason: 'wearables provider outage, vendor ticket 4411',
      },
    ]);
    await ui.wait((f) => f.includes('actions off'), 'the row says its actions are off');
    // The timer reads the journal: the row says until when, and nothing is due yet.
    expect(await timer.tick()).toBe(ui.sources.now() + 4 * 3_600_000);
    await ui.wait((f) => f.includes('off 4h'), 'for how much longer');
    // m again offers to enable them now.
    await ui.press('m');
    await ui.wait((f) => f.includes('its actions are off') && f.includes('enable its actions now'), 'the offer');
    await ui.press(KEYS.enter);
    await ui.wait(
      (f) => f.includes('Enable a CloudWatch alarm') && f.includes('disabled → enabled'),
      'the plan to enable',
    );
    await ui.press('y');
    await ui.wait((f) => f.includes('— verified'), 'enabled');
    expect((await ui.sources.alarmActions!.readActions(['vitascope-sync-failures-warning']))[0]!.enabled).toBe(true);
  });

  it('read-only mode removes every action', async () => {
    const ui = await open('db-connections', 30, { readonly: true });
    expect(ui.frame()).toContain('READ-ONLY');
    await ui.press('4');
    await ui.wait((f) => f.includes('#1042'));
    expect(ui.frame()).not.toContain('<a> ack');
    await ui.press('a');
    await ui.press('R');
    await new Promise((r) => setTimeout(r, 50));
    expect(ui.frame()).not.toContain('Acknowledge the incident');
    expect(ui.frame()).not.toContain('Resolve the incident');
    await ui.press('?');
    await ui.wait((f) => f.includes('KEYS'));
    expect(ui.frame()).not.toContain('acknowledge the incident');
    expect(ui.frame()).not.toContain('set the desired count');
    expect(ui.frame()).not.toContain('mute: stop this alarm paging');
    expect(ui.frame()).toContain('filter by regex');
    expect(ui.frame()).toContain('Read-only');
  });

  it('visits every screen by number and by :name, and sorts', async () => {
    const ui = await open('calm', 5);
    for (const [key, marker] of [
      ['2', 'ALARMS 31'],
      ['3', 'SERVICES 2'],
      ['4', 'INCIDENTS 0'],
      ['5', 'ON CALL NOW'],
      ['?', 'KEYS'],
      ['1', 'SOURCES'],
    ] as const) {
      await ui.press(key);
      await ui.wait((f) => f.includes(marker), marker);
    }
    await ui.press(':');
    await ui.press('services');
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('SERVICES 2'));
    await ui.press('s');
    await ui.wait((f) => f.includes('sorted by name'));
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('deployments') && f.includes('recent events'));
    await ui.press(':');
    await ui.press('nowhere');
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('no screen, incident or alarm "nowhere"'));
  });
});
