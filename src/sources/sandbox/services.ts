import type { Deployment, RolloutState, Service, ServiceEvent } from '../../core/model.js';
import { CLUSTER, MINUTE, REGION, ACCOUNT, type ServiceSpec } from './topology.js';

/** How long a Fargate task takes from launch to passing its health check. */
export const TASK_START_MS = 2 * MINUTE;
/**
 * How long a task whose container never answers its health check lives: a minute to start, the
 * target group's 60 s grace period, then three failed checks 20 s apart before ECS stops it.
 */
export const HEALTH_CHECK_FAIL_MS = 3 * MINUTE;
const EVENTS_KEPT = 50;
const TARGET_GROUP = (service: string) =>
  `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${service}-tg/6d0ecf831eec9f09`;

export interface Task {
  readonly id: string;
  readonly revision: number;
  readonly deploymentId: string;
  /** When it passes its health checks and takes traffic; Infinity for a task that never will. */
  readonly readyAt: number;
  /** When ECS stops it for failing its health checks (tasks of a broken revision). */
  readonly failsAt?: number;
}

export interface DeploymentState {
  readonly id: string;
  readonly revision: number;
  status: 'PRIMARY' | 'ACTIVE';
  rolloutState: RolloutState;
  rolloutReason?: string;
  /** Tasks of this deployment that failed while it rolled out (the circuit breaker's count). */
  failedTasks: number;
  readonly createdAt: number;
  updatedAt: number;
}

/** One ECS service as the sandbox runs it: tasks, deployments, events and its scalable target. */
export interface ServiceState {
  readonly spec: ServiceSpec;
  readonly arn: string;
  desired: number;
  scaling: { min: number; max: number };
  tasks: Task[];
  deployments: DeploymentState[];
  events: ServiceEvent[];
  /** Revisions deployed so far, oldest first; the last is the one running now. */
  revisions: number[];
  /** Revisions whose containers never pass their health check (a crash on start). */
  readonly failing: Set<number>;
  seq: number;
  lastScaleOutAt: number;
  lastScaleInAt: number;
  /** Since when CPU has stayed well under the target (for scale-in), or undefined. */
  lowCpuSince?: number;
}

export function serviceArn(name: string): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/${name}`;
}

export function taskDefinitionArn(family: string, revision: number): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;
}

export function createService(spec: ServiceSpec, origin: number): ServiceState {
  const revision = spec.revisions[spec.revisions.length - 1]!;
  const deployedAt = origin - 3 * 24 * 60 * MINUTE;
  const svc: ServiceState = {
    spec,
    arn: serviceArn(spec.name),
    desired: spec.desired,
    scaling: { ...spec.scaling },
    tasks: [],
    deployments: [],
    events: [],
    revisions: [...spec.revisions],
    failing: new Set(),
    seq: 0,
    lastScaleOutAt: -Infinity,
    lastScaleInAt: -Infinity,
  };
  const deployment = newDeployment(svc, revision, deployedAt);
  deployment.rolloutState = 'COMPLETED';
  svc.deployments.push(deployment);
  for (let i = 0; i < spec.desired; i++) svc.tasks.push(newTask(svc, deployment, deployedAt - TASK_START_MS));
  event(svc, deployedAt + TASK_START_MS, `(service ${spec.name}) has reached a steady state.`);
  return svc;
}

function hex(svc: ServiceState, n: number): string {
  // Deterministic task and deployment ids, shaped like ECS's.
  let h = (n * 2654435761 + svc.spec.name.length * 40503) >>> 0;
  let out = '';
  for (let i = 0; i < 8; i++) {
    out += (h & 0xf).toString(16);
    h = (Math.imul(h, 1103515245) + 12345) >>> 0;
  }
  return out;
}

function newDeployment(svc: ServiceState, revision: number, at: number): DeploymentState {
  svc.seq += 1;
  return {
    id: `ecs-svc/${hex(svc, svc.seq)}`,
    revision,
    status: 'PRIMARY',
    rolloutState: 'IN_PROGRESS',
    failedTasks: 0,
    createdAt: at,
    updatedAt: at,
  };
}

function newTask(svc: ServiceState, deployment: DeploymentState, at: number): Task {
  svc.seq += 1;
  const id = hex(svc, svc.seq) + hex(svc, svc.seq + 7919);
  if (svc.failing.has(deployment.revision))
    return {
      id,
      revision: deployment.revision,
      deploymentId: deployment.id,
      readyAt: Infinity,
      failsAt: at + HEALTH_CHECK_FAIL_MS,
    };
  return { id, revision: deployment.revision, deploymentId: deployment.id, readyAt: at + TASK_START_MS };
}

/**
 * The deployment circuit breaker's threshold: half the desired count, at least 3 and at most 200
 * failed tasks (ECS's formula).
 */
export function circuitBreakerThreshold(desired: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desired)));
}

export function event(svc: ServiceState, at: number, message: string): void {
  svc.seq += 1;
  svc.events.unshift({ id: hex(svc, svc.seq), at, message });
  if (svc.events.length > EVENTS_KEPT) svc.events.length = EVENTS_KEPT;
}

export function primary(svc: ServiceState): DeploymentState {
  return svc.deployments[0]!;
}

export function currentRevision(svc: ServiceState): number {
  return primary(svc).revision;
}

export function runningTasks(svc: ServiceState, at: number): Task[] {
  return svc.tasks.filter((t) => t.readyAt <= at);
}

/** Starts a rolling deployment of a revision (a new deployment of the same one when forced). */
export function startDeployment(svc: ServiceState, revision: number, at: number, why: string): void {
  for (const d of svc.deployments) d.status = 'ACTIVE';
  const deployment = newDeployment(svc, revision, at);
  svc.deployments.unshift(deployment);
  if (svc.revisions[svc.revisions.length - 1] !== revision) svc.revisions.push(revision);
  event(
    svc,
    at,
    `(service ${svc.spec.name}) ${why}: deployment ${deployment.id} of ${svc.spec.family}:${revision} started.`,
  );
  reconcile(svc, at);
}

/** Sets the desired count, as UpdateService does; tasks start or stop at once. */
export function setDesired(svc: ServiceState, desired: number, at: number, why: string): void {
  if (desired === svc.desired) return;
  event(svc, at, `(service ${svc.spec.name}) desired count changed from ${svc.desired} to ${desired} (${why}).`);
  svc.desired = desired;
  reconcile(svc, at);
}

/**
 * Stops tasks that failed (a health check, out of memory). A failure while the task's deployment is
 * rolling out counts towards the deployment circuit breaker (enabled, without automatic rollback):
 * at the threshold the deployment is marked FAILED and launches no more tasks.
 */
export function taskFailed(svc: ServiceState, failed: readonly Task[], at: number, message?: string): void {
  if (failed.length === 0) return;
  const ids = new Set(failed.map((t) => t.id));
  svc.tasks = svc.tasks.filter((t) => !ids.has(t.id));
  event(
    svc,
    at,
    message ??
      `(service ${svc.spec.name}) has stopped ${failed.length} running tasks: ${failed.map((t) => `(task ${t.id})`).join(' ')}.`,
  );
  for (const t of failed) {
    const dep = svc.deployments.find((d) => d.id === t.deploymentId);
    if (dep?.rolloutState === 'IN_PROGRESS') dep.failedTasks += 1;
  }
  for (const dep of svc.deployments) {
    if (dep.rolloutState !== 'IN_PROGRESS' || dep.failedTasks < circuitBreakerThreshold(svc.desired)) continue;
    dep.rolloutState = 'FAILED';
    dep.rolloutReason = 'ECS deployment circuit breaker: tasks failed to start.';
    dep.updatedAt = at;
    event(svc, at, `(service ${svc.spec.name}) (deployment ${dep.id}) deployment failed: tasks failed to start.`);
  }
}

/** Pending (and never-ready) tasks first, then the most recently ready. */
function newestFirst(a: Task, b: Task): number {
  return a.readyAt === b.readyAt ? 0 : a.readyAt > b.readyAt ? -1 : 1;
}

/** Tasks of a broken revision whose health checks have failed long enough: ECS stops them. */
function stopUnhealthy(svc: ServiceState, at: number): void {
  const failed = svc.tasks.filter((t) => t.failsAt !== undefined && t.failsAt <= at);
  if (failed.length === 0) return;
  event(
    svc,
    at,
    `(service ${svc.spec.name}) (port 8080) is unhealthy in (target-group ${TARGET_GROUP(svc.spec.name)}) due to (reason Health checks failed with these codes: [502]).`,
  );
  taskFailed(svc, failed, at);
}

/**
 * Brings tasks in line with the desired count and moves deployments along: the primary deployment
 * launches its tasks; once they all pass health checks the older deployments' tasks are stopped and
 * the rollout completes (ECS's rolling update with 100 % minimum healthy, 200 % maximum). A FAILED
 * deployment launches nothing: the older deployment's tasks keep serving, as minimum healthy 100 %
 * never let them be stopped for tasks that did not become healthy.
 */
export function reconcile(svc: ServiceState, at: number): void {
  stopUnhealthy(svc, at);
  const dep = primary(svc);
  const mine = svc.tasks.filter((t) => t.deploymentId === dep.id);
  if (dep.rolloutState === 'FAILED') {
    // Only scale-in reaches a failed service: the surplus is taken from the old deployment's tasks.
    const surplus = svc.tasks.length - svc.desired;
    if (surplus > 0) {
      const order = [
        ...svc.tasks.filter((t) => t.deploymentId === dep.id),
        ...svc.tasks.filter((t) => t.deploymentId !== dep.id).sort(newestFirst),
      ];
      const stop = new Set(order.slice(0, surplus).map((t) => t.id));
      svc.tasks = svc.tasks.filter((t) => !stop.has(t.id));
      event(
        svc,
        at,
        `(service ${svc.spec.name}) has stopped ${stop.size} running tasks: ${[...stop].map((id) => `(task ${id})`).join(' ')}.`,
      );
    }
    return;
  }
  if (mine.length < svc.desired) {
    const started: Task[] = [];
    for (let i = mine.length; i < svc.desired; i++) started.push(newTask(svc, dep, at));
    svc.tasks.push(...started);
    event(
      svc,
      at,
      `(service ${svc.spec.name}) has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`,
    );
  } else if (mine.length > svc.desired) {
    // Stop pending tasks first, then the oldest running ones.
    const order = [...mine].sort(newestFirst);
    const stop = new Set(order.slice(0, mine.length - svc.desired).map((t) => t.id));
    svc.tasks = svc.tasks.filter((t) => !stop.has(t.id));
    event(
      svc,
      at,
      `(service ${svc.spec.name}) has stopped ${stop.size} running tasks: ${[...stop].map((id) => `(task ${id})`).join(' ')}.`,
    );
  }
  const ready = svc.tasks.filter((t) => t.deploymentId === dep.id && t.readyAt <= at).length;
  if (svc.deployments.length > 1 && ready >= svc.desired) {
    const old = svc.tasks.filter((t) => t.deploymentId !== dep.id);
    svc.tasks = svc.tasks.filter((t) => t.deploymentId === dep.id);
    svc.deployments = [dep];
    if (old.length > 0) {
      event(
        svc,
        at,
        `(service ${svc.spec.name}) has stopped ${old.length} running tasks: ${old.map((t) => `(task ${t.id})`).join(' ')}.`,
      );
    }
  }
  if (dep.rolloutState === 'IN_PROGRESS' && svc.deployments.length === 1 && ready >= svc.desired) {
    dep.rolloutState = 'COMPLETED';
    dep.updatedAt = at;
    event(svc, at, `(service ${svc.spec.name}) deployment ${dep.id} deployment completed.`);
    event(svc, at, `(service ${svc.spec.name}) has reached a steady state.`);
  }
}

/** The service as the ServiceSource port reports it. */
export function toService(svc: ServiceState, at: number): Service {
  const deployments: Deployment[] = svc.deployments.map((d) => {
    const tasks = svc.tasks.filter((t) => t.deploymentId === d.id);
    const running = tasks.filter((t) => t.readyAt <= at).length;
    return {
      id: d.id,
      status: d.status,
      taskDefinition: taskDefinitionArn(svc.spec.family, d.revision),
      // An older deployment keeps the tasks it still has until the primary's replace them.
      desired: d.status === 'PRIMARY' ? svc.desired : tasks.length,
      running,
      pending: tasks.length - running,
      rolloutState: d.rolloutState,
      rolloutReason: d.rolloutReason,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
  });
  const running = svc.tasks.filter((t) => t.readyAt <= at).length;
  return {
    id: svc.arn,
    name: svc.spec.name,
    cluster: CLUSTER,
    status: 'ACTIVE',
    desired: svc.desired,
    running,
    pending: svc.tasks.length - running,
    taskDefinition: taskDefinitionArn(svc.spec.family, currentRevision(svc)),
    deployments,
    events: svc.events.filter((e) => e.at <= at),
    scaling: { ...svc.scaling },
  };
}

/**
 * Application Auto Scaling's target tracking on CPU: scale out quickly (3-minute cooldown) when CPU is
 * over the target, scale in slowly (after 15 minutes well under it), always within min and max.
 */
export function autoscale(svc: ServiceState, cpu: number, at: number): void {
  const target = svc.spec.cpuTarget;
  if (target === undefined) return;
  const running = Math.max(1, runningTasks(svc, at).length);
  const want = Math.min(svc.scaling.max, Math.max(svc.scaling.min, Math.ceil((running * cpu) / target)));
  if (cpu > target && want > svc.desired && at - svc.lastScaleOutAt >= 3 * MINUTE) {
    svc.lastScaleOutAt = at;
    setDesired(svc, want, at, `Application Auto Scaling: CPU ${Math.round(cpu)} % over the target ${target} %`);
    return;
  }
  if (cpu < target * 0.75) svc.lowCpuSince ??= at;
  else svc.lowCpuSince = undefined;
  const lowLongEnough = svc.lowCpuSince !== undefined && at - svc.lowCpuSince >= 15 * MINUTE;
  if (lowLongEnough && want < svc.desired && at - svc.lastScaleInAt >= 5 * MINUTE) {
    svc.lastScaleInAt = at;
    svc.lowCpuSince = undefined;
    setDesired(svc, want, at, `Application Auto Scaling: CPU ${Math.round(cpu)} % under the target ${target} %`);
  }
}

/** RegisterScalableTarget: new limits; a desired count outside them moves to the nearest one. */
export function setScaling(svc: ServiceState, min: number, max: number, at: number): void {
  svc.scaling = { min, max };
  event(svc, at, `(service ${svc.spec.name}) scalable target registered: min ${min}, max ${max}.`);
  const clamped = Math.min(max, Math.max(min, svc.desired));
  if (clamped !== svc.desired) {
    svc.lastScaleOutAt = at;
    setDesired(svc, clamped, at, `Application Auto Scaling: capacity brought within ${min}–${max}`);
  }
}
