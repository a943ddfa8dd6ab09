/**
 * Findings as evidence in the incident report and the postmortem: a logs step run on the sandbox's brute
 * force, journaled as the room journals it, appears under "Evidence" naming the address the world's attacker
 * uses (the ground truth), with the pattern and its counts; a report of an incident without findings has none.
 */
import { describe, expect, it } from 'vitest';
import type { Who } from '../../../src/core/journal/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { mergeTransitions, transitionsFromJournal } from '../../../src/core/reports/alarms.js';
import { buildIncidentReport, type IncidentInput } from '../../../src/core/reports/incident.js';
import { buildPostmortem } from '../../../src/core/reports/postmortem.js';
import { renderIncidentMarkdown } from '../../../src/core/reports/renderIncident.js';
import { renderPostmortem } from '../../../src/core/reports/renderPostmortem.js';
import { runFindingStep } from '../../../src/core/runbooks/steps/findingStep.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { attackerAddress } from '../../../src/sources/sandbox/scenarios.js';
import { tempJournal } from '../journal/helpers.js';

const MIN = 60_000;
const ID = 'PSB1001';
const aiko: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };

async function journaled(withFinding: boolean) {
  const sb = createSandbox({
    seed: 9,
    scenario: 'auth-bruteforce',
    speed: 1,
    startOffsetMs: 0,
    policy: DEFAULT_POLICY,
    user: { id: 'aiko', name: 'Aiko Tanaka' },
    frozen: true,
  });
  sb.advance((sb.scenario.firesBy + 2) * MIN);
  const now = sb.now();
  const j = tempJournal();
  j.append({
    kind: 'incident.created',
    at: now - 5 * MIN,
    who: aiko,
    incidentId: ID,
    payload: { title: 'Login brute force', priority: 'P3', source: 'sandbox' },
  });
  if (withFinding) {
    const r = await runFindingStep(
      { id: 'failures-in-logs', kind: 'logs', title: 'Failed logins', service: 'vitascope-api', window: '15m' },
      {},
      { sources: sb, now },
    );
    j.append({
      kind: 'step.finding',
      at: now,
      who: aiko,
      incidentId: ID,
      payload: { runbookId: 'auth-failures', stepId: 'failures-in-logs', title: 'Failed logins', finding: r.record! },
    });
  }
  await sb.close();
  const events = j.query({ incidentId: ID });
  const input: IncidentInput = {
    incident: {
      id: ID,
      title: 'Login brute force',
      priority: 'P3',
      status: 'triggered',
      createdAt: now - 5 * MIN,
      alarmNames: [],
      assignees: [],
      origins: ['journal'],
    },
    now: now + MIN,
    policy: DEFAULT_POLICY,
    environment: 'SANDBOX',
    events,
    logEntries: [],
    logOrigin: 'sandbox',
    transitions: mergeTransitions(transitionsFromJournal(events), []),
    alarms: [],
    series: new Map(),
    followUps: [],
    gaps: [],
  };
  return buildIncidentReport(input);
}

describe('evidence in reports', () => {
  it("the incident report and the postmortem show what the logs step found: the attacker's address, the pattern, its counts", async () => {
    const report = await journaled(true);
    expect(report.evidence).toHaveLength(1);
    const md = renderIncidentMarkdown(report, 'en');
    const evidence = md.slice(md.indexOf('### Evidence'));
    expect(evidence).toContain(`Logs of vitascope-api`);
    expect(evidence).toContain(attackerAddress(9));
    expect(evidence).toContain('`WARNING login failed reason=bad_password user=<num> client=<ip>`');
    const pm = renderPostmortem(
      buildPostmortem({ report, policy: DEFAULT_POLICY, impactSeries: {}, changes: [], latencyTargetMs: 500 }),
      'en',
    ).markdown;
    const rootCause = pm.slice(pm.indexOf('## 5.'), pm.indexOf('## 6.'));
    expect(rootCause).toContain('### Evidence');
    expect(rootCause).toContain(attackerAddress(9));
    const ja = renderIncidentMarkdown(report, 'ja');
    expect(ja).toContain('### 証拠');
  });

  it('no finding, no evidence section', async () => {
    const report = await journaled(false);
    expect(report.evidence).toEqual([]);
    expect(renderIncidentMarkdown(report, 'en')).not.toContain('### Evidence');
  });
});
