import type { Service } from '../../model.js';
import type { CockpitServices } from '../../live/services.js';
import { screenLine } from '../../sanitize.js';
import type { Dialog } from '../dialog.js';
import { planAndConfirm } from './engineDialogs.js';

export interface ServiceActionDeps {
  readonly services?: CockpitServices;
  readonly readonly: boolean;
  readonly openDialog: (d: Dialog) => void;
  /** Refreshes the services list after a change. */
  readonly afterChange: () => Promise<void>;
}

/** "4 8" or "4-8" or "4,8" → min and max; undefined when it is not two whole numbers. */
export function parseLimits(text: string): { min: number; max: number } | undefined {
  const m = /^\s*(\d+)\s*(?:[-,/ ]|\s+)\s*(\d+)\s*$/.exec(text);
  return m ? { min: Number(m[1]), max: Number(m[2]) } : undefined;
}

/**
 * The Services screen's remediations, k9s-style, outside any runbook: set the desired count, set the
 * autoscaling limits, force a new deployment, roll back to the previous task definition. Each goes
 * through the remediation engine (plan with its blast radius → confirm naming the service, typed in
 * production for the dangerous ones → apply → read back), journaled without an incident.
 */
export function serviceAction(d: ServiceActionDeps, command: string, service: Service): void {
  const { services, readonly, openDialog, afterChange } = d;

  const plan = (action: string, params: Record<string, unknown>): void => {
    if (!services) {
      openDialog({
        kind: 'message',
        title: 'Cannot do that here',
        lines: ['service actions need the journal, which this view has not got'],
        level: 'warning',
      });
      return;
    }
    openDialog({ kind: 'busy', title: 'Planning' });
    void (async () => {
      try {
        await planAndConfirm(await services.engine(), { action, params }, openDialog, afterChange);
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
  const ref = `${service.cluster}/${service.name}`;
  const name = screenLine(service.name);
  switch (command) {
    case 'service.scale':
      return openDialog({
        kind: 'input',
        title: `Desired count of ${name}`,
        prompt: `now ${service.desired} (running ${service.running})${service.scaling ? `; autoscaling ${service.scaling.min}–${service.scaling.max}` : ''}: how many tasks?`,
        value: '',
        submit: async (text) => {
          const desired = Number(text.trim());
          if (!/^\d+$/.test(text.trim()))
            throw new Error(`a whole number of tasks, not ${JSON.stringify(text.trim())}`);
          plan('ecs.set-desired-count', { service: ref, desired });
          return '';
        },
      });
    case 'service.limits':
      return openDialog({
        kind: 'input',
        title: `Autoscaling limits of ${name}`,
        prompt: `now ${service.scaling ? `${service.scaling.min}–${service.scaling.max}` : 'none registered'}: min and max, e.g. 4 8`,
        value: '',
        submit: async (text) => {
          const limits = parseLimits(text);
          if (!limits) throw new Error(`two whole numbers, min and max, not ${JSON.stringify(text.trim())}`);
          plan('autoscaling.set-limits', { service: ref, ...limits });
          return '';
        },
      });
    case 'service.redeploy':
      return plan('ecs.force-new-deployment', { service: ref });
    case 'service.rollback':
      return plan('ecs.rollback', { service: ref });
  }
}
