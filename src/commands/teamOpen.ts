/**
 * The team timeline's composition: the core's replicator over the PostgreSQL adapter, for the configured
 * team (commands and the cockpit start it with the journal; without `team.url` nothing changes).
 */
import type { Config } from '../config/schema.js';
import type { Journal } from '../core/journal/index.js';
import { claimName, Replicator } from '../core/team/replicator.js';
import { PostgresTeamLog, teamConnectionFor } from '../sources/team/index.js';

/** A replicator for this journal through the configured team server, or undefined without `team.url`. */
export function openTeam(
  config: Config,
  env: NodeJS.ProcessEnv,
  journal: Journal,
  options: { readonly pollMs?: number } = {},
): Replicator | undefined {
  const connection = teamConnectionFor(config, env);
  if (!connection) return undefined;
  return new Replicator({
    journal,
    log: new PostgresTeamLog(connection),
    label: connection.label,
    name: claimName(config.user?.name),
    ...(config.team?.retainDays ? { retainDays: config.team.retainDays } : {}),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
  });
}
