import type { AlarmState, Person } from '../../core/model.js';
import type { Policy } from '../../core/policy/types.js';
import { cidrOf, coveringEntries, sameRange } from '../../core/net.js';
import { AlarmBook } from './alarms.js';
import type { MinuteValues } from './catalogue.js';
import { MetricHistory } from './history.js';
import { Exposition } from './exposition.js';
import { Pager } from './pager.js';
import { simulateMinute } from './physics.js';
import type { RevisionEffect, Scenario, ScenarioWorld } from './scenarios.js';
import {
  autoscale,
  createService,
  currentRevision,
  reconcile,
  runningTasks,
  setDesired,
  setScaling,
  startDeployment,
  taskFailed,
  type ServiceState,
  type Task,
} from './services.js';
import { Audience } from './audience.js';
import { SimDatabase } from './database.js';
import { DEPENDENCIES, MINUTE, SERVICES } from './topology.js';
import { uniform } from './noise.js';
import { keyOf } from './load.js';
import { ActivityLog, type MinuteActivity } from './activity.js';

/** Minutes for messages in flight to work through the Lambda's retries (visibility timeout × receives). */
const POISON_MINUTES = 3;

const BASE_WORKER_MEMORY = 52;
const OOM_AT = 99;

/**
 * The simulated production, advanced one minute at a time. Scenarios change it through
 * ScenarioWorld; the responder changes it through the capability methods; everything it measures
 * goes into the metric history, which the alarms evaluate and the pager listens to.
 */
export class World implements ScenarioWorld {
  /** Minutes simulated so far; the world's data is complete up to origin + minute minutes. */
  minute = 0;
  readonly services = new Map<string, ServiceState>();
  readonly database = new SimDatabase();
  readonly audience: Audience;
  readonly history: MetricHistory;
  readonly alarms: AlarmBook;
  readonly pager: Pager;
  readonly exposition: Exposition;
  readonly blocked = new Set<string>();
  /** What each minute's logs and traces tell (the sandbox's log and trace sources read it). */
  readonly activity: ActivityLog;
  last?: MinuteValues;
  private queueDepth = 0;
  private demandFactor: (minute: number) => number = () => 1;
  private attack?: { address: string; perMinute: number };
  private scrape?: { address: string; perMinute: (minute: number) => number };
  /** Share of Lambda invocations failing on messages a bad revision produced (they retry a while). */
  private lambdaPoison = 0;
  private poisonRevision?: number;
  private readonly down = new Set<string>();
  private readonly effects = new Map<string, RevisionEffect>();

  constructor(
    readonly seed: number,
    readonly origin: number,
    readonly policy: Policy,
    private readonly scenario: Scenario,
    /** Makes incident ids unique to this run ("PSB1001.k7q2x1"); none keeps the bare ids (tests). */
    run?: string,
  ) {
    for (const spec of SERVICES) this.services.set(spec.name, createService(spec, origin));
    this.history = new MetricHistory(seed, origin);
    this.pager = new Pager(policy, run);
    this.alarms = new AlarmBook(
      policy,
      this.history,
      origin,
      (group, alarm, _from, at) => {
        // An alarm whose actions are disabled changes state and notifies nobody (neither ALARM nor OK).
        if (alarm.actionsEnabled) this.pager.onAlarm(group, alarm, at);
      },
      (kind): Record<string, number> =>
        kind === 'rds-instance' ? { allocated_storage_gib: this.database.allocatedGiB } : {},
    );
    this.exposition = new Exposition(origin);
    this.audience = new Audience(origin);
    const api = this.service(SERVICES[0]!.name);
    const worker = this.service(SERVICES[1]!.name);
    this.activity = new ActivityLog(
      seed,
      origin,
      runningTasks(api, origin).map((t) => ({ id: t.id, revision: t.revision, slowMs: 0, poison: false })),
      runningTasks(worker, origin).map((t) => ({ id: t.id, revision: t.revision, memory: BASE_WORKER_MEMORY })),
    );
  }

  /** The simulated time up to which the world is complete. */
  get time(): number {
    return this.origin + this.minute * MINUTE;
  }

  /** Simulates every whole minute that ends at or before `t`, then lets escalations catch up to `t`. */
  advanceTo(t: number): void {
    while (this.origin + (this.minute + 1) * MINUTE <= t) this.step();
    this.pager.tick(t);
  }

  private step(): void {
    const m = this.minute;
    const start = this.origin + m * MINUTE;
    for (const e of this.scenario.events) if (e.minute === m) e.apply(this);
    const db = this.database;
    db.tick(m, start);
    for (const svc of this.services.values()) {
      this.killOutOfMemory(svc, start);
      reconcile(svc, start);
    }

    const api = this.service(SERVICES[0]!.name);
    const worker = this.service(SERVICES[1]!.name);
    const apiTasks = runningTasks(api, start);
    const share = (has: (e: RevisionEffect) => unknown) =>
      apiTasks.length ? apiTasks.filter((t) => has(this.effect(api, t))).length / apiTasks.length : 0;
    const slow = apiTasks.filter((t) => (this.effect(api, t).slowMs ?? 0) > 0);
    const failing = apiTasks.map((t) => this.effect(api, t).failingEndpoint).find((f) => f !== undefined);
    const poison = apiTasks.map((t) => this.effect(api, t).lambdaPoison).find((p) => p !== undefined) ?? 0;
    this.lambdaPoison +=
      (poison * share((e) => e.lambdaPoison) - this.lambdaPoison) * (1 - Math.exp(-1 / POISON_MINUTES));
    const signInBroken = share((e) => e.breaksMobileSignIn);
    this.audience.step(m, signInBroken);
    const dbAvailable = !db.rebooting;
    const result = simulateMinute({
      seed: this.seed,
      minute: m,
      start,
      demandFactor: this.demandFactor(m),
      apiRunning: apiTasks.length,
      apiSlowShare: apiTasks.length ? slow.length / apiTasks.length : 0,
      apiSlowMs: slow.length ? (this.effect(api, slow[0]!).slowMs ?? 0) : 0,
      workerRunning: runningTasks(worker, start).length,
      workerMemory: this.workerMemory(worker, start),
      dbAvailable,
      dbLeaked: db.leaked,
      dbAllocatedGiB: db.allocatedGiB,
      dbUsedGiB: db.usedGiB(m),
      queueDepth: this.queueDepth,
      attackPerMinute: this.attack && !this.isBlocked(this.attack.address) ? this.attack.perMinute : 0,
      scrapePerMinute: this.scrape && !this.isBlocked(this.scrape.address) ? this.scrape.perMinute(m) : 0,
      wearablesDown: this.down.has(DEPENDENCIES[0].name),
      pushDown: this.down.has(DEPENDENCIES[1].name),
      signInFailing: this.audience.failing,
      sessionLoss: this.audience.sessionLoss,
      dauLoss: this.audience.dauLoss,
      failingEndpoint: failing ? { ...failing, share: failing.share * share((e) => e.failingEndpoint) } : undefined,
      lambdaPoison: this.lambdaPoison < 1e-4 ? 0 : this.lambdaPoison,
    });
    const poisonTask = apiTasks.find((t) => (this.effect(api, t).lambdaPoison ?? 0) > 0);
    if (poisonTask !== undefined) this.poisonRevision = poisonTask.revision;
    this.activity.record(this.activityOf(m, start, apiTasks, worker, result.values, result.detail, dbAvailable));
    const values = { ...result.values };
    // Container Insights' counts: desired, running, and deployments not yet done (a failed rollout stays).
    Object.assign(values, this.counts('api', api, start), this.counts('worker', worker, start));
    this.queueDepth = result.queueDepthAfter;
    this.history.record(values);
    this.exposition.add(values, result.detail, start + MINUTE);
    this.last = values;
    this.minute += 1;
    const end = start + MINUTE;
    autoscale(api, values.apiCpu, end);
    this.alarms.evaluateMinute(m);
    this.pager.tick(end);
  }

  private activityOf(
    m: number,
    start: number,
    apiTasks: readonly Task[],
    worker: ServiceState,
    values: MinuteValues,
    detail: MinuteActivity['detail'],
    dbAvailable: boolean,
  ): MinuteActivity {
    const api = this.service(SERVICES[0]!.name);
    const attack = this.attack;
    const scrape = this.scrape;
    const attackBlocked = attack !== undefined && this.isBlocked(attack.address);
    const scrapeBlocked = scrape !== undefined && this.isBlocked(scrape.address);
    return {
      minute: m,
      start,
      values,
      detail,
      api: apiTasks.map((t) => {
        const e = this.effect(api, t);
        const failing = e.failingEndpoint;
        return {
          id: t.id,
          revision: t.revision,
          slowMs: e.slowMs ?? 0,
          poison: (e.lambdaPoison ?? 0) > 0,
          ...(failing ? { failing: { method: failing.method, path: failing.path } } : {}),
        };
      }),
      worker: runningTasks(worker, start).map((t) => ({
        id: t.id,
        revision: t.revision,
        memory: this.taskMemory(worker, t, start),
      })),
      ...(attack
        ? {
            attack: { address: attack.address, attempts: attackBlocked ? 0 : attack.perMinute, blocked: attackBlocked },
          }
        : {}),
      ...(scrape
        ? {
            scrape: {
              address: scrape.address,
              requests: scrapeBlocked ? 0 : scrape.perMinute(m),
              blocked: scrapeBlocked,
            },
          }
        : {}),
      wearablesDown: this.down.has(DEPENDENCIES[0].name),
      pushDown: this.down.has(DEPENDENCIES[1].name),
      dbAvailable,
      lambdaPoison: this.lambdaPoison < 1e-4 ? 0 : this.lambdaPoison,
      ...(this.poisonRevision !== undefined ? { poisonRevision: this.poisonRevision } : {}),
    };
  }

  private service(name: string): ServiceState {
    const svc = this.services.get(name);
    if (!svc) throw new Error(`no service ${name} in the sandbox`);
    return svc;
  }

  private effect(svc: ServiceState, task: Task): RevisionEffect {
    return this.effects.get(`${svc.spec.family}:${task.revision}`) ?? {};
  }

  /** Memory of one task: a leaking revision grows with the task's age (each task a little differently). */
  private taskMemory(svc: ServiceState, task: Task, at: number): number {
    const leak = this.effect(svc, task).memoryLeakPerMinute ?? 0;
    const ageMin = Math.max(0, (at - task.readyAt) / MINUTE);
    const spread = 0.9 + 0.2 * uniform(this.seed, keyOf(task.id), 0);
    return BASE_WORKER_MEMORY + leak * spread * ageMin;
  }

  private workerMemory(svc: ServiceState, at: number): number {
    const tasks = runningTasks(svc, at);
    if (tasks.length === 0) return BASE_WORKER_MEMORY;
    return Math.min(100, tasks.reduce((s, t) => s + this.taskMemory(svc, t, at), 0) / tasks.length);
  }

  private killOutOfMemory(svc: ServiceState, at: number): void {
    const dead = runningTasks(svc, at).filter((t) => this.taskMemory(svc, t, at) >= OOM_AT);
    taskFailed(
      svc,
      dead,
      at,
      `(service ${svc.spec.name}) task ${dead.map((t) => t.id).join(', ')} stopped: OutOfMemoryError: Container killed due to memory usage.`,
    );
  }

  private counts(prefix: 'api' | 'worker', svc: ServiceState, at: number): Partial<MinuteValues> {
    return {
      [`${prefix}Desired`]: svc.desired,
      [`${prefix}RunningTasks`]: runningTasks(svc, at).length,
      [`${prefix}Deployments`]: svc.deployments.length,
    };
  }

  // ---- ScenarioWorld ----

  setDemandFactor(factor: (minute: number) => number): void {
    this.demandFactor = factor;
  }

  deploy(service: string, revision: number, effect: RevisionEffect, why: string): void {
    const svc = this.service(service);
    this.effects.set(`${svc.spec.family}:${revision}`, effect);
    if (effect.failsHealthChecks) svc.failing.add(revision);
    startDeployment(svc, revision, this.time, why);
  }

  startConnectionLeak(perMinute: number): void {
    this.database.leakPerMinute = perMinute;
  }

  startBackfill(perMinuteGiB: number, totalGiB: number): void {
    this.database.startFill(perMinuteGiB, totalGiB);
  }

  startAttack(address: string, attemptsPerMinute: number): void {
    this.attack = { address, perMinute: attemptsPerMinute };
  }

  startScraper(address: string, requestsPerMinute: (minute: number) => number): void {
    this.scrape = { address, perMinute: requestsPerMinute };
  }

  setDependencyDown(name: string, down: boolean): void {
    if (down) this.down.add(name);
    else this.down.delete(name);
  }

  // ---- what the responder can do (the capability ports call these at simulated time `at`) ----

  setDesiredCount(service: string, desired: number, at: number, who: Person): void {
    if (!Number.isInteger(desired) || desired < 0)
      throw new Error(`desired count must be a whole number ≥ 0, not ${desired}`);
    setDesired(this.service(service), desired, at, `UpdateService by ${who.name}`);
  }

  setScalingLimits(service: string, min: number, max: number, at: number): void {
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min)
      throw new Error(`scaling limits must satisfy 0 ≤ min ≤ max, not ${min}–${max}`);
    setScaling(this.service(service), min, max, at);
  }

  forceNewDeployment(service: string, at: number, who: Person): void {
    const svc = this.service(service);
    startDeployment(svc, currentRevision(svc), at, `forced new deployment by ${who.name}`);
  }

  previousRevision(service: string): number | undefined {
    const svc = this.service(service);
    const current = currentRevision(svc);
    const earlier = svc.revisions.filter((r) => r !== current);
    return earlier[earlier.length - 1];
  }

  setRevision(service: string, revision: number, at: number, who: Person): void {
    const svc = this.service(service);
    if (!svc.revisions.includes(revision)) throw new Error(`${svc.spec.family}:${revision} was never registered`);
    startDeployment(svc, revision, at, `UpdateService to ${svc.spec.family}:${revision} by ${who.name}`);
  }

  rebootDatabase(failover: boolean, at: number): void {
    this.database.reboot(failover, at);
  }

  growStorage(allocatedGiB: number, at: number): void {
    this.database.growStorage(allocatedGiB, at);
  }

  /** Share of the allocated storage in use at `at`, in percent to one decimal. */
  storageUsedPercent(at: number): number {
    const used = Math.min(100, (100 * this.database.usedGiB(this.minute)) / this.database.allocatedAt(at));
    return Math.round(used * 10) / 10;
  }

  /** The instance status DescribeDBInstances would report now. */
  databaseStatus(at: number): string {
    return this.database.status(this.minute, at);
  }

  blockAddress(address: string): void {
    if (!this.isBlocked(address)) this.blocked.add(cidrOf(address));
  }

  unblockAddress(address: string): void {
    for (const entry of this.blocked) if (sameRange(entry, address)) this.blocked.delete(entry);
  }

  /** The blocked entries that cover the address, as a WAF IP set would judge it (a CIDR covers its addresses). */
  blockedBy(address: string): string[] {
    return this.blocked.size > 0 ? coveringEntries([...this.blocked], address) : [];
  }

  isBlocked(address: string): boolean {
    return this.blockedBy(address).length > 0;
  }

  setAlarmState(name: string, state: AlarmState, reason: string, at: number): void {
    if (!this.alarms.setState(name, state, reason, at)) throw new Error(`no alarm named ${name} in the sandbox`);
  }

  queueNow(): number {
    return this.last?.queueDepth ?? 0;
  }
}
