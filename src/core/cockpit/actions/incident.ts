import type { Incident, Person } from '../../model.js';
import { describeIncidentAction, runIncidentAction, type IncidentActionRequest } from '../../live/incidentActions.js';
import type { LiveSnapshot } from '../../live/model.js';
import type { CockpitServices } from '../../live/services.js';
import type { Policy } from '../../policy/types.js';
import type { Sources } from '../../../sources/ports.js';
import type { Dialog } from '../dialog.js';
import { planAndConfirm } from './engineDialogs.js';

export interface IncidentActionDeps {
  readonly sources: Sources;
  readonly services?: CockpitServices;
  readonly policy: Policy;
  readonly live: LiveSnapshot;
  readonly production: boolean;
  readonly readonly: boolean;
  readonly openDialog: (d: Dialog) => void;
  /** Called after an action has changed something, to refresh what shows it. */
  readonly afterChange: () => Promise<void>;
}

const ACTION_OF: Record<IncidentActionRequest['kind'], string> = {
  acknowledge: 'pagerduty.acknowledge',
  resolve: 'pagerduty.resolve',
  escalate: 'pagerduty.escalate',
  reassign: 'pagerduty.reassign',
  note: 'pagerduty.add-note',
  snooze: 'pagerduty.snooze',
};

/** The snooze lengths offered (PagerDuty allows up to a week; `act` takes any). */
export const SNOOZE_DURATIONS = ['1h', '2h', '4h', '8h', '24h'] as const;

function paramsOf(r: IncidentActionRequest): Record<string, unknown> {
  const base = { incident: r.incident.id };
  if (r.kind === 'escalate') return { ...base, level: r.level };
  if (r.kind === 'reassign') return { ...base, to: (r.people ?? []).map((p) => p.id) };
  if (r.kind === 'note') return { ...base, text: r.text };
  if (r.kind === 'snooze') return { ...base, duration: r.duration };
  return base;
}

/**
 * The incident actions' dialogs: choose (level, person, text) → confirm naming the target (typed for
 * dangerous ones in production) → run → refresh. With the cockpit's services, every action goes
 * through the remediation engine: planned from the incident and its log as they are now, journaled
 * (dry runs and refusals too), and checked for a colleague's change between plan and apply.
 */
export function incidentAction(d: IncidentActionDeps, command: string, incident: Incident): void {
  const { sources, services, policy, live, production, readonly, openDialog, afterChange } = d;

  const confirm = (request: IncidentActionRequest): void => {
    if (!services) {
      const plan = describeIncidentAction(request);
      openDialog({
        kind: 'confirm',
        title: plan.title,
        target: plan.target,
        lines: plan.lines,
        danger: plan.danger,
        typed: plan.danger && production,
        value: '',
        run: async () => {
          const result = await runIncidentAction(sources, request);
          await afterChange();
          return result;
        },
      });
      return;
    }
    openDialog({ kind: 'busy', title: 'Planning' });
    void (async () => {
      try {
        const engine = await services.engine(request.incident);
        await planAndConfirm(
          engine,
          { action: ACTION_OF[request.kind], params: paramsOf(request) },
          openDialog,
          afterChange,
        );
      } catch (error) {
        openDialog({
          kind: 'message',
          title: 'Cannot do that',
          lines: [error instanceof Error ? error.message : String(error)],
          level: 'warning',
        });
      }
    })();
  };

  if (readonly) return;
  switch (command) {
    case 'incident.ack':
      return confirm({ kind: 'acknowledge', incident });
    case 'incident.resolve':
      return confirm({ kind: 'resolve', incident });
    case 'incident.escalate': {
      const options = policy.escalation
        .filter((e) => e.level !== incident.escalationLevel)
        .map((e) => ({ label: `level ${e.level}: ${e.role}${onCallName(live, e.level)}`, value: String(e.level) }));
      return openDialog({
        kind: 'select',
        title: `Escalate ${incident.number !== undefined ? `#${incident.number}` : incident.id} to…`,
        options,
        index: 0,
        choose: async (value) => (confirm({ kind: 'escalate', incident, level: Number(value) }), ''),
      });
    }
    case 'incident.reassign': {
      const people = candidates(live);
      return openDialog({
        kind: 'select',
        title: `Reassign ${incident.number !== undefined ? `#${incident.number}` : incident.id} to…`,
        options: people.map((p) => ({ label: p.label, value: p.person.id })),
        index: 0,
        choose: async (value) => {
          const chosen = people.find((p) => p.person.id === value);
          if (chosen) confirm({ kind: 'reassign', incident, people: [chosen.person] });
          return '';
        },
      });
    }
    case 'incident.snooze':
      return openDialog({
        kind: 'select',
        title: `Snooze ${incident.number !== undefined ? `#${incident.number}` : incident.id} for…`,
        options: SNOOZE_DURATIONS.map((v) => ({ label: v, value: v })),
        index: 1,
        choose: async (duration) => (confirm({ kind: 'snooze', incident, duration }), ''),
      });
    case 'incident.note':
      return openDialog({
        kind: 'input',
        title: `Note for ${incident.number !== undefined ? `#${incident.number}` : incident.id}`,
        prompt: 'What did you see or do? (goes to the incident log)',
        value: '',
        submit: async (text) => (confirm({ kind: 'note', incident, text }), ''),
      });
  }
}

function onCallName(live: LiveSnapshot, level: number): string {
  const who = live.onCall.data?.now.find((o) => o.level === level);
  return who ? ` (${who.person.name})` : '';
}

/** People to reassign to: whoever is on call now, then the rest of the rotation. */
function candidates(live: LiveSnapshot): { label: string; person: Person }[] {
  const seen = new Map<string, { label: string; person: Person }>();
  for (const o of live.onCall.data?.now ?? [])
    seen.set(o.person.id, { label: `${o.person.name} (${o.role} now)`, person: o.person });
  for (const s of live.onCall.data?.rotation ?? [])
    if (!seen.has(s.person.id)) seen.set(s.person.id, { label: s.person.name, person: s.person });
  return [...seen.values()];
}
