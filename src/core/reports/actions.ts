import type { FollowUp, JournalEvent } from '../journal/index.js';
import type { ActionRun, FollowUpItem } from './types.js';

/**
 * Actions as the reports show them: one row per run (planned → confirmed → applied → verified, or failed),
 * folded from the journal's action events. The outcome is the furthest stage reached (a failure at any
 * stage is the outcome). Evidence, best first: `before`/`after` (or `evidence.before`/`evidence.after`) in
 * the action's parameters; the "before …, after …" line the remediation engine writes into a
 * verification's output; else the plan's `changes` ("desired 2 → 4") as the before and the
 * verification's first output line as the after.
 */

const STAGE = { planned: 0, confirmed: 1, applied: 2, verified: 3, failed: 4, declined: 4 } as const;

/**
 * What an action is, for the reports:
 * - remediation: a catalogue action that changes the system (ECS, autoscaling, RDS, WAF);
 * - bookkeeping: the incident's and the alerting's own record (pagerduty.*, alertmanager.silence): it
 *   changes who is paged and what the incident says, never the system's health;
 * - check: a command that only reads (`aws … describe-*|list-*|get-*`, `aws logs tail`, `kubectl get`,
 *   `dig`, …): evidence, not an action;
 * - command: any other command; what it changes is not known.
 */
export type ActionCategory = 'remediation' | 'bookkeeping' | 'check' | 'command';

/** aws operations that only read: describe-*, list-*, get-*, logs tail/filter-log-events, s3 ls, … */
const AWS_READ =
  /^(?:describe|list|get|batch-get|filter|lookup|search|query|scan|tail|ls|head|select|estimate|validate|test)(?:-|$)/;
const AWS_VALUED = new Set([
  '--region',
  '--profile',
  '--output',
  '--endpoint-url',
  '--query',
  '--color',
  '--ca-bundle',
  '--cli-read-timeout',
  '--cli-connect-timeout',
  '--cli-binary-format',
]);
const KUBECTL_READ = new Set(['get', 'describe', 'logs', 'top', 'explain', 'version', 'api-resources', 'auth']);
/** Programs that only look (name resolution, reachability, text inspection). */
const LOOKING = new Set([
  'dig',
  'nslookup',
  'host',
  'whois',
  'ping',
  'traceroute',
  'tracepath',
  'mtr',
  'cat',
  'head',
  'tail',
  'grep',
  'ls',
  'date',
  'uptime',
  'df',
  'du',
  'ps',
  'jq',
]);

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Whether a command only reads: decided from its argument array alone, conservatively (unknown is not read-only). */
export function isReadOnlyCommand(argv: readonly string[]): boolean {
  const program = argv[0] === undefined ? '' : basename(argv[0]);
  const words = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (program === 'aws') {
    // aws [global options] SERVICE OPERATION …: the global options that take a value are skipped with it.
    const positional: string[] = [];
    for (let i = 1; i < argv.length && positional.length < 2; i++) {
      const a = argv[i]!;
      if (a.startsWith('--')) {
        if (!a.includes('=') && AWS_VALUED.has(a)) i += 1;
      } else positional.push(a);
    }
    const [service, op] = positional;
    if (service === undefined || op === undefined) return false;
    if (
      service === 'logs' &&
      (op === 'tail' ||
        op.startsWith('describe') ||
        op.startsWith('get') ||
        op.startsWith('filter') ||
        op === 'start-query' ||
        op === 'get-query-results')
    )
      return true;
    return AWS_READ.test(op);
  }
  if (program === 'kubectl')
    return words[0] !== undefined && KUBECTL_READ.has(words[0]) && !(words[0] === 'auth' && words[1] !== 'can-i');
  return LOOKING.has(program);
}

function categoryOf(actionId: string, params: Record<string, unknown> | undefined): ActionCategory {
  if (actionId.startsWith('pagerduty.') || actionId === 'alertmanager.silence') return 'bookkeeping';
  if (actionId === 'command.run') {
    const argv = params?.argv;
    return Array.isArray(argv) && argv.every((a) => typeof a === 'string') && isReadOnlyCommand(argv as string[])
      ? 'check'
      : 'command';
  }
  return 'remediation';
}
type Stage = keyof typeof STAGE;

interface Draft {
  runId: string;
  actionId: string;
  target: string;
  incidentId?: string;
  /** The sandbox run it acted in ('' for real sources). */
  run: string;
  who?: string;
  /** The first event's time: when the action was planned. */
  plannedAt: number;
  outcome: Stage;
  /** When the furthest stage (the outcome) was reached. */
  outcomeAt: number;
  dryRun: boolean;
  plan?: string;
  changes: string[];
  failedStage?: string;
  error?: string;
  before?: string;
  after?: string;
  applyOutput?: string;
  verifyOutput?: string;
  verifiedAt?: number;
  appliedAt?: number;
  params?: Record<string, unknown>;
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function evidenceOf(params: Record<string, unknown> | undefined): { before?: string; after?: string } {
  if (!params) return {};
  const ev =
    params.evidence !== null && typeof params.evidence === 'object' ? (params.evidence as Record<string, unknown>) : {};
  const before = text(params.before ?? ev.before);
  const after = text(params.after ?? ev.after);
  return { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
}

/**
 * Evidence in a verification's output, as the remediation engine writes it:
 * "alarm X OK: before ALARM (95 percent), after OK (0 percent), 1m after the change".
 */
export function evidenceFromOutput(output: string | undefined): { before: string; after: string } | undefined {
  if (!output) return undefined;
  for (const line of output.split(/\r?\n/)) {
    const m = /^(?:(.*?):\s*)?before (.+?), after (.+?)(?:, (\d.*))?$/.exec(line.trim());
    if (m) {
      const subject = m[1] ? `${m[1]}: ` : '';
      return { before: `${subject}${m[2]}`, after: `${subject}${m[3]}${m[4] ? ` (${m[4]})` : ''}` };
    }
  }
  return undefined;
}

function firstLine(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = s.trim();
  if (!t) return undefined;
  const line = t.split(/\r?\n/, 1)[0]!;
  return line.length < t.length ? `${line} …` : line;
}

/** Action runs from journal events (any order; they are sorted by time). */
export function actionRuns(events: readonly JournalEvent[]): ActionRun[] {
  const runs = new Map<string, Draft>();
  for (const e of events) {
    if (
      e.kind !== 'action.planned' &&
      e.kind !== 'action.confirmed' &&
      e.kind !== 'action.applied' &&
      e.kind !== 'action.verified' &&
      e.kind !== 'action.failed'
    )
      continue;
    const p = e.payload;
    let d = runs.get(p.runId);
    if (!d) {
      d = {
        runId: p.runId,
        actionId: p.actionId,
        target: p.target,
        run: p.run ?? '',
        plannedAt: e.at,
        outcome: 'planned',
        outcomeAt: e.at,
        dryRun: false,
        changes: [],
      };
      runs.set(p.runId, d);
    }
    d.plannedAt = Math.min(d.plannedAt, e.at);
    if (e.incidentId !== undefined) d.incidentId ??= e.incidentId;
    if (p.dryRun) d.dryRun = true;
    if (p.params) d.params ??= p.params;
    const ev = evidenceOf(p.params);
    if (ev.before !== undefined) d.before ??= ev.before;
    if (ev.after !== undefined) d.after = ev.after;
    // A decline is the responder's choice, not a failure of the action.
    const stage = (
      e.kind === 'action.failed' && e.payload.declined ? 'declined' : e.kind.slice('action.'.length)
    ) as Stage;
    if (STAGE[stage] >= STAGE[d.outcome]) {
      // The outcome's time is the first event of the furthest stage (the events come in any order).
      if (STAGE[stage] > STAGE[d.outcome] || e.at < d.outcomeAt) d.outcomeAt = e.at;
      d.outcome = stage;
    }
    if (stage !== 'planned' || !d.who) d.who = e.who.name ?? e.who.id;
    switch (e.kind) {
      case 'action.planned':
        d.plan = e.payload.plan.summary;
        d.changes = [...(e.payload.plan.changes ?? [])];
        break;
      case 'action.applied':
        d.applyOutput = e.payload.output;
        d.appliedAt ??= e.at;
        break;
      case 'action.verified':
        d.verifyOutput = e.payload.output;
        d.verifiedAt = e.at;
        break;
      case 'action.failed':
        d.failedStage = e.payload.stage;
        d.error = e.payload.error;
        break;
      default:
        break;
    }
  }
  return [...runs.values()]
    .map((d): ActionRun => {
      const measured = evidenceFromOutput(d.verifyOutput);
      const after =
        d.after ??
        measured?.after ??
        firstLine(d.verifyOutput) ??
        (d.outcome === 'applied' ? firstLine(d.applyOutput) : undefined);
      const before = d.before ?? measured?.before ?? (d.changes.length ? d.changes.join('; ') : undefined);
      return {
        runId: d.runId,
        actionId: d.actionId,
        target: d.target,
        run: d.run,
        ...(d.incidentId !== undefined ? { incidentId: d.incidentId } : {}),
        ...(d.who ? { who: d.who } : {}),
        // When it happened: the change's apply, else the outcome (a failure, a decline, or only a plan).
        at: d.appliedAt ?? d.outcomeAt,
        plannedAt: d.plannedAt,
        outcome: d.outcome,
        dryRun: d.dryRun,
        category: categoryOf(d.actionId, d.params),
        ...(d.plan ? { plan: d.plan } : {}),
        changes: d.changes,
        ...(d.failedStage ? { failedStage: d.failedStage } : {}),
        ...(d.error ? { error: firstLine(d.error)! } : {}),
        ...(before !== undefined ? { before } : {}),
        ...(after !== undefined ? { after } : {}),
        ...(d.appliedAt !== undefined ? { appliedAt: d.appliedAt } : {}),
        ...(d.verifiedAt !== undefined ? { verifiedAt: d.verifiedAt } : {}),
      };
    })
    .sort((a, b) => a.at - b.at || a.runId.localeCompare(b.runId));
}

/** Whether an action changed (or tried to change) something: planned or confirmed only does not count. */
export function acted(run: ActionRun): boolean {
  return run.outcome === 'applied' || run.outcome === 'verified' || run.outcome === 'failed';
}

/** A read-only command (run or dry run): evidence the responder gathered, not an action on anything. */
export function isCheck(run: ActionRun): boolean {
  return run.category === 'check';
}

/** A change to the system that was made for real and verified: what can have mitigated an incident. */
export function isVerifiedRemediation(run: ActionRun): boolean {
  return run.outcome === 'verified' && !run.dryRun && (run.category === 'remediation' || run.category === 'command');
}

/** When the action's change was made: its apply, else its outcome (ActionRun.at). */
export function changedAt(run: ActionRun): number {
  return run.appliedAt ?? run.at;
}

export function followUpItem(f: FollowUp, now: number): FollowUpItem {
  return {
    id: f.id,
    ...(f.incidentId !== undefined ? { incidentId: f.incidentId } : {}),
    text: f.text,
    owner: f.owner,
    createdAt: f.createdAt,
    ...(f.dueAt !== undefined ? { dueAt: f.dueAt } : {}),
    overdue: f.status === 'open' && f.dueAt !== undefined && f.dueAt < now,
    status: f.status,
    ...(f.closedAt !== undefined ? { closedAt: f.closedAt } : {}),
    ...(f.resolution !== undefined ? { resolution: f.resolution } : {}),
  };
}
