import type { Deployment, RolloutState, Service, ServiceEvent } from '../../core/model.js';
import { CLUSTER, MINUTE, REGION, ACCOUNT, type ServiceSpec } from './topology.js';

/** How long a Fargate task takes from launch to passing its health check. */
export const TASK_START_MS = 2 * MINUTE;
const EVENTS_KEPT = 50;

export interface Task {
  readonly id: string;
  readonly revision: number;
  readonly deploymentId: string;
  readonly readyAt: number;
}

export interface DeploymentState {
  readonly id: string;
  readonly revision: number;
  status: 'PRIMARY' | 'ACTIVE';
  rolloutState: RolloutState;
  rolloutReason?: string;
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
  return { id: `ecs-svc/${hex(svc, svc.seq)}`, revision, status: 'PRIMARY', rolloutState: 'IN_PROGRESS', createdAt: at, updatedAt: at };
}

function newTask(svc: ServiceState, deployment: DeploymentState, at: number): Task {
  svc.seq += 1;
  return { id: hex(svc, svc.seq) + hex(svc, svc.seq + 7919), revision: deployment.revision, deploymentId: deployment.id, readyAt: at + TASK_START_MS };
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
  event(svc, at, `(service ${svc.spec.name}) ${why}: deployment ${deployment.id} of ${svc.spec.family}:${revision} started.`);
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
 * Brings tasks in line with the desired count and moves deployments along: the primary deployment
 * launches its tasks; once they all pass health checks the older deployments' tasks are stopped and
 * the rollout completes (ECS's rolling update with 100 % minimum healthy, 200 % maximum).
 */
export function reconcile(svc: ServiceState, at: number): void {
  const dep = primary(svc);
  const mine = svc.tasks.filter((t) => t.deploymentId === dep.id);
  if (mine.length < svc.desired) {
    const started: Task[] = [];
    for (let i = mine.length; i < svc.desired; i++) started.push(newTask(svc, dep, at));
    svc.tasks.push(...started);
    event(svc, at, `(service ${svc.spec.name}) has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`);
  } else if (mine.length > svc.desired) {
    // Stop pending tasks first, then the oldest running ones.
    const order = [...mine].sort((a, b) => b.readyAt - a.readyAt);
    const stop = new Set(order.slice(0, mine.length - svc.desired).map((t) => t.id));
    svc.tasks = svc.tasks.filter((t) => !stop.has(t.id));
    event(svc, at, `(service ${svc.spec.name}) has stopped ${stop.size} running tasks: ${[...stop].map((id) => `(task ${id})`).join(' ')}.`);
  }
  const ready = svc.tasks.filter((t) => t.deploymentId === dep.id && t.readyAt <= at).length;
  if (svc.deployments.length > 1 && ready >= svc.desired) {
    const old = svc.tasks.filter((t) => t.deploymentId !== dep.id);
    svc.tasks = svc.tasks.filter((t) => t.deploymentId === dep.id);
    svc.deployments = [dep];
    if (old.length > 0) {
      event(svc, at, `(service ${svc.spec.name}) has stopped ${old.length} running tasks: ${old.map((t) => `(task ${t.id})`).join(' ')}.`);
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
      desired: d.status === 'PRIMARY' ? svc.desired : 0,
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
