import type { Config } from '../config/schema.js';
import type { AlarmsSection } from '../core/alarms/inventory.js';
import type { PolicyRule } from '../core/policy/types.js';
import { maxConnectionsOf } from '../core/policy/maxConnections.js';
import { readDatabaseFacts } from '../sources/alarmStores.js';

/**
 * The databases' limits the alarms need, from their one authority each:
 * - max_connections: aws.maxConnections.<db>, else the instance class's formula (read from RDS when AWS
 *   is configured) — what `status` and `summary` use too (core/policy/maxConnections.ts). A resources
 *   file may not give its own: two numbers for one limit is how an alarm came to say 400 while the
 *   summary said 1802.
 * - allocated_storage_gib: RDS's AllocatedStorage when AWS is configured; the file's value otherwise.
 */
export interface LimitsResult {
  readonly section: AlarmsSection;
  /** A refusal: a second source for max_connections (the field's path and the message). */
  readonly problem?: { readonly path: readonly (string | number)[]; readonly message: string };
  readonly warnings: readonly string[];
}

export async function withDatabaseLimits(
  section: AlarmsSection,
  o: {
    readonly config: Config;
    readonly env: NodeJS.ProcessEnv;
    readonly rules: readonly PolicyRule[];
    readonly userGiven: boolean;
  },
): Promise<LimitsResult> {
  const warnings: string[] = [];
  const list = section.resources?.['rds-instance'];
  if (!list?.length) return { section, warnings };
  if (o.userGiven) {
    const at = list.findIndex((r) => r.limits?.max_connections !== undefined);
    if (at >= 0) {
      const id = list[at]!.dimensions.DBInstanceIdentifier ?? list[at]!.token;
      return {
        section,
        warnings,
        problem: {
          path: ['resources', 'rds-instance', at, 'limits', 'max_connections'],
          message: `max_connections has one source, the same for alarms, status and summary: set it with \`vitascope-oncall config set aws.maxConnections.${id} N\` (or leave it to the instance class's formula) and remove it here`,
        },
      };
    }
  }
  const ids = list.map((r) => r.dimensions.DBInstanceIdentifier).filter((id): id is string => !!id);
  const rds = await readDatabaseFacts(o.config, o.env, o.rules, ids, warnings);
  const configuredMax = o.config.aws?.maxConnections;
  const resources = list.map((r) => {
    const id = r.dimensions.DBInstanceIdentifier;
    if (!id) return r;
    const facts = rds.get(id);
    const max = facts?.maxConnections ?? maxConnectionsOf({ id }, configuredMax)?.value ?? r.limits?.max_connections;
    const fileGiB = r.limits?.allocated_storage_gib;
    if (facts?.allocatedGiB !== undefined && fileGiB !== undefined && fileGiB !== facts.allocatedGiB)
      warnings.push(`${id}: RDS says ${facts.allocatedGiB} GiB allocated, the resources say ${fileGiB}: using RDS's`);
    const allocated = facts?.allocatedGiB ?? fileGiB;
    const limits = {
      ...r.limits,
      ...(max !== undefined ? { max_connections: max } : {}),
      ...(allocated !== undefined ? { allocated_storage_gib: allocated } : {}),
    };
    return Object.keys(limits).length ? { ...r, limits } : r;
  });
  return { section: { ...section, resources: { ...section.resources, 'rds-instance': resources } }, warnings };
}
