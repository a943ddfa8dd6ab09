import type { Deployment, ScalingLimits, Service } from '../model.js';
import type { ActionParams } from './catalogue.js';
import { ActionPlanError } from './errors.js';
import {
  arrow,
  findService,
  plural,
  requirePort,
  taskDefinitionName,
  type ActionContext,
  type ActionHandler,
  type PlanDraft,
} from './handler.js';
import type { Change } from './types.js';

/**
 * The ECS remediations: set the desired count, force a new deployment, roll back to the previous task
 * definition. Each reads the service (with its autoscaling limits) and plans from it alone.
 */

/** An ECS service as a plan sees it. */
export interface ServiceTarget {
  readonly service: Service;
  /** Its Application Auto Scaling limits, when it has a scalable target. */
  readonly scaling?: ScalingLimits;
}

export interface RollbackTarget extends ServiceTarget {
  /** The task definition to go back to: the one named, or the one the service ran before. */
  readonly previous?: string;
}

function primary(s: Service): Deployment | undefined {
  return s.deployments.find((d) => d.status === 'PRIMARY') ?? s.deployments[0];
}

async function readService(
  action: 'ecs.set-desired-count' | 'ecs.force-new-deployment' | 'ecs.rollback',
  ref: string,
  ctx: ActionContext,
): Promise<ServiceTarget> {
  const service = await findService(ctx.sources, action, ref);
  const scaling =
    service.scaling ??
    (ctx.sources.autoScalable
      ? await ctx.sources.autoScalable.getScalingLimits(service.id).catch(() => undefined)
      : undefined);
  return scaling ? { service, scaling } : { service };
}

/** What someone else changed on a service since the plan read it. */
export function serviceConflicts(before: ServiceTarget, now: ServiceTarget): string[] {
  const a = before.service;
  const b = now.service;
  const out: string[] = [];
  if (a.desired !== b.desired)
    out.push(
      `the desired count of ${b.name} changed from ${a.desired} to ${b.desired} since the plan (someone else, or autoscaling)`,
    );
  if (a.taskDefinition !== b.taskDefinition) {
    out.push(
      `${b.name} now runs ${taskDefinitionName(b.taskDefinition)}, not ${taskDefinitionName(a.taskDefinition)} as when the plan was made`,
    );
  }
  const ids = (s: Service) =>
    s.deployments
      .map((d) => d.id)
      .sort()
      .join(',');
  if (ids(a) !== ids(b) && a.taskDefinition === b.taskDefinition) {
    out.push(
      `the deployments of ${b.name} changed since the plan (now ${b.deployments.map((d) => `${d.id} ${d.status} ${d.rolloutState}`).join('; ')})`,
    );
  }
  const lim = (l?: ScalingLimits) => (l ? `${l.min}–${l.max}` : 'none');
  if (lim(before.scaling) !== lim(now.scaling))
    out.push(
      `the autoscaling limits of ${b.name} changed from ${lim(before.scaling)} to ${lim(now.scaling)} since the plan`,
    );
  return out;
}

function inProgress(s: Service): string[] {
  return s.deployments.length > 1 || primary(s)?.rolloutState === 'IN_PROGRESS'
    ? [
        `a deployment of ${s.name} is in progress (${s.deployments.map((d) => `${taskDefinitionName(d.taskDefinition)} ${d.status.toLowerCase()}`).join(', ')})`,
      ]
    : [];
}

/** Pure: ecs.set-desired-count. */
export function planSetDesiredCount(p: ActionParams<'ecs.set-desired-count'>, t: ServiceTarget): PlanDraft {
  const s = t.service;
  const want = p.desired;
  if (want === s.desired) {
    return {
      target: s.name,
      summary: `${s.name}: the desired count is already ${want}; nothing to change`,
      changes: [],
      blastRadius: [],
    };
  }
  const blast: string[] = [];
  if (want > s.desired) {
    blast.push(
      `starts ${plural(want - s.desired, 'task')} of ${taskDefinitionName(s.taskDefinition)}; new tasks take a few minutes to pass their health checks before they take traffic`,
    );
  } else if (want === 0) {
    blast.push(`stops every task of ${s.name} (${s.running} running): the service stops serving entirely`);
  } else {
    blast.push(
      `stops ${plural(s.desired - want, 'task')} (${s.running} running now); requests in flight on them are cut off`,
    );
  }
  if (t.scaling) {
    const { min, max } = t.scaling;
    if (want > max) {
      blast.push(
        `${want} is above the autoscaling maximum of ${max}: Application Auto Scaling pulls the desired count back to ${max} at its next scaling activity; raise the limits (autoscaling.set-limits) to keep ${want}`,
      );
    } else if (want < min) {
      blast.push(
        `${want} is below the autoscaling minimum of ${min}: Application Auto Scaling pulls the desired count back up to ${min} at its next scaling activity; lower the limits (autoscaling.set-limits) to keep ${want}`,
      );
    } else {
      blast.push(
        `within the autoscaling limits ${min}–${max}: autoscaling may move it again when CPU crosses its target`,
      );
    }
  }
  blast.push(...inProgress(s));
  return {
    target: s.name,
    summary: `${s.name}: desired count ${arrow(s.desired, want)}`,
    changes: [{ what: 'desired count', from: s.desired, to: want }],
    blastRadius: blast,
  };
}

/** Pure: ecs.force-new-deployment. */
export function planForceNewDeployment(_p: ActionParams<'ecs.force-new-deployment'>, t: ServiceTarget): PlanDraft {
  const s = t.service;
  const td = taskDefinitionName(s.taskDefinition);
  const current = primary(s);
  return {
    target: s.name,
    summary: `${s.name}: a new deployment of ${td} replaces every task`,
    changes: [
      {
        what: 'deployment',
        from: current ? `${current.id} (${taskDefinitionName(current.taskDefinition)})` : null,
        to: `a new deployment of ${td}`,
      },
    ],
    blastRadius: [
      `replaces every task of ${s.name} (${s.running} running) with a fresh one of ${td}: a rolling deployment, new tasks start first and old ones stop once the new pass their health checks`,
      'memory, caches and connections of the old tasks are lost; it does not fix a bad revision (roll back for that)',
      ...inProgress(s),
    ],
  };
}

/** Pure: ecs.rollback. */
export function planRollback(p: ActionParams<'ecs.rollback'>, t: RollbackTarget): PlanDraft {
  const s = t.service;
  const current = taskDefinitionName(s.taskDefinition);
  if (!t.previous) {
    throw new ActionPlanError(
      'ecs.rollback',
      `no task definition of ${s.name} before ${current} is known; name one with taskDefinition`,
      'refused',
    );
  }
  const previous = taskDefinitionName(t.previous);
  if (t.previous === s.taskDefinition || previous === current) {
    return {
      target: s.name,
      summary: `${s.name} already runs ${current}; nothing to roll back`,
      changes: [],
      blastRadius: [],
    };
  }
  return {
    target: s.name,
    summary: `${s.name}: roll back ${arrow(current, previous)}`,
    changes: [{ what: 'task definition', from: current, to: previous }],
    blastRadius: [
      `goes back to ${previous}${p.taskDefinition ? '' : ' (the task definition it ran before)'}: a rolling deployment replaces every task (${s.running} running) with ${previous}`,
      `${current} stays registered: keep it for the postmortem; whatever it changed outside the service (data, schema) is not rolled back`,
      ...inProgress(s),
    ],
  };
}

function effectOfService(s: Service): string {
  const d = primary(s);
  return `${s.name}: desired ${s.desired}, running ${s.running}, pending ${s.pending}, ${taskDefinitionName(s.taskDefinition)}${d ? ` (deployment ${d.id} ${d.rolloutState})` : ''}`;
}

export const setDesiredCount: ActionHandler<'ecs.set-desired-count', ServiceTarget> = {
  id: 'ecs.set-desired-count',
  target: (p) => p.service,
  read: (p, ctx) => readService('ecs.set-desired-count', p.service, ctx),
  plan: (p, t) => planSetDesiredCount(p, t),
  conflicts: (a, b) => serviceConflicts(a, b),
  async apply(p, t, ctx) {
    await requirePort(
      ctx.sources.scalable,
      'ecs.set-desired-count',
      'ECS UpdateService (Scalable)',
      ctx.sources,
    ).setDesiredCount(t.service.id, p.desired);
    return `UpdateService ${t.service.name}: desiredCount ${p.desired} (was ${t.service.desired})`;
  },
  effect: (p, _b, after) => ({ ok: after.service.desired === p.desired, evidence: effectOfService(after.service) }),
};

export const forceNewDeployment: ActionHandler<'ecs.force-new-deployment', ServiceTarget> = {
  id: 'ecs.force-new-deployment',
  target: (p) => p.service,
  read: (p, ctx) => readService('ecs.force-new-deployment', p.service, ctx),
  plan: (p, t) => planForceNewDeployment(p, t),
  conflicts: (a, b) => serviceConflicts(a, b),
  async apply(_p, t, ctx) {
    await requirePort(
      ctx.sources.redeployable,
      'ecs.force-new-deployment',
      'ECS UpdateService (Redeployable)',
      ctx.sources,
    ).forceNewDeployment(t.service.id);
    return `UpdateService ${t.service.name}: forceNewDeployment of ${taskDefinitionName(t.service.taskDefinition)}`;
  },
  effect(_p, before, after) {
    const was = primary(before.service)?.id;
    const now = primary(after.service)?.id;
    return { ok: now !== undefined && now !== was, evidence: effectOfService(after.service) };
  },
};

export const rollback: ActionHandler<'ecs.rollback', RollbackTarget> = {
  id: 'ecs.rollback',
  target: (p) => p.service,
  async read(p, ctx) {
    const t = await readService('ecs.rollback', p.service, ctx);
    const port = requirePort(
      ctx.sources.redeployable,
      'ecs.rollback',
      'ECS task definitions (Redeployable)',
      ctx.sources,
    );
    const previous = p.taskDefinition ?? (await port.previousTaskDefinition(t.service.id));
    return previous ? { ...t, previous } : t;
  },
  plan: (p, t) => planRollback(p, t),
  conflicts: (a, b) => serviceConflicts(a, b),
  async apply(_p, t, ctx) {
    const port = requirePort(ctx.sources.redeployable, 'ecs.rollback', 'ECS UpdateService (Redeployable)', ctx.sources);
    await port.setTaskDefinition(t.service.id, t.previous!);
    return `UpdateService ${t.service.name}: taskDefinition ${taskDefinitionName(t.previous!)} (was ${taskDefinitionName(t.service.taskDefinition)})`;
  },
  effect(_p, before, after) {
    const want = before.previous ? taskDefinitionName(before.previous) : undefined;
    return {
      ok: want !== undefined && taskDefinitionName(after.service.taskDefinition) === want,
      evidence: effectOfService(after.service),
    };
  },
};

/** Application Auto Scaling's view of a service: its limits. */
export interface LimitsTarget extends ServiceTarget {
  readonly limits?: ScalingLimits;
}

/** Pure: autoscaling.set-limits, and what the new limits do to the desired count at once. */
export function planSetLimits(p: ActionParams<'autoscaling.set-limits'>, t: LimitsTarget): PlanDraft {
  const s = t.service;
  const was = t.limits;
  const changes: Change[] = [];
  if (was?.min !== p.min) changes.push({ what: 'autoscaling minimum', from: was?.min ?? null, to: p.min });
  if (was?.max !== p.max) changes.push({ what: 'autoscaling maximum', from: was?.max ?? null, to: p.max });
  if (changes.length === 0) {
    return {
      target: s.name,
      summary: `${s.name}: the autoscaling limits are already ${p.min}–${p.max}; nothing to change`,
      changes,
      blastRadius: [],
    };
  }
  const blast: string[] = [];
  if (!was)
    blast.push(
      `registers a scalable target for ${s.name} (it had none): Application Auto Scaling starts managing its desired count`,
    );
  const clamped = Math.min(p.max, Math.max(p.min, s.desired));
  if (clamped > s.desired) {
    blast.push(
      `the desired count ${s.desired} is below the new minimum: Application Auto Scaling raises it to ${clamped} right away, starting ${plural(clamped - s.desired, 'task')}`,
    );
  } else if (clamped < s.desired) {
    blast.push(
      `the desired count ${s.desired} is above the new maximum: Application Auto Scaling lowers it to ${clamped} right away, stopping ${plural(s.desired - clamped, 'running task')}`,
    );
  } else {
    blast.push(
      `the desired count (${s.desired}) is within ${p.min}–${p.max}: nothing moves now; autoscaling scales between them when CPU crosses its target`,
    );
  }
  if (was && p.max < was.max)
    blast.push(`autoscaling can no longer scale ${s.name} past ${p.max} tasks (it could reach ${was.max})`);
  if (was && p.min > was.min)
    blast.push(
      `at least ${p.min} tasks run from now on, also at night: remember to lower it again (it costs money every hour)`,
    );
  return {
    target: s.name,
    summary: `${s.name}: autoscaling min ${arrow(was?.min, p.min)}, max ${arrow(was?.max, p.max)}`,
    changes,
    blastRadius: blast,
  };
}

export const setLimits: ActionHandler<'autoscaling.set-limits', LimitsTarget> = {
  id: 'autoscaling.set-limits',
  target: (p) => p.service,
  async read(p, ctx) {
    const service = await findService(ctx.sources, 'autoscaling.set-limits', p.service);
    const port = requirePort(
      ctx.sources.autoScalable,
      'autoscaling.set-limits',
      'Application Auto Scaling (AutoScalable)',
      ctx.sources,
    );
    const limits = await port.getScalingLimits(service.id);
    return limits ? { service, scaling: limits, limits } : { service };
  },
  plan: (p, t) => planSetLimits(p, t),
  conflicts: (a, b) => serviceConflicts(a, b),
  async apply(p, t, ctx) {
    await requirePort(
      ctx.sources.autoScalable,
      'autoscaling.set-limits',
      'Application Auto Scaling (AutoScalable)',
      ctx.sources,
    ).setScalingLimits(t.service.id, { min: p.min, max: p.max });
    return `RegisterScalableTarget ${t.service.name}: min ${p.min}, max ${p.max} (was ${t.limits ? `${t.limits.min}–${t.limits.max}` : 'no scalable target'})`;
  },
  effect: (p, _b, after) => ({
    ok: after.limits?.min === p.min && after.limits?.max === p.max,
    evidence: `${after.service.name}: autoscaling ${after.limits ? `${after.limits.min}–${after.limits.max}` : 'none'}, desired ${after.service.desired}, running ${after.service.running}`,
  }),
};
