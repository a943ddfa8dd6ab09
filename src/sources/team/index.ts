import type { Config } from '../../config/schema.js';
import type { Journal } from '../../core/journal/index.js';
import { claimName, Replicator } from '../../core/team/replicator.js';
import { deadlinesFor } from '../deadlines.js';
import { teamConnection, type TeamConnection } from './connect.js';
import { PostgresTeamLog } from './postgres.js';

/** The team server's connection, when `team.url` is configured (undefined otherwise: nothing changes). */
export function teamConnectionFor(config: Config, env: NodeJS.ProcessEnv): TeamConnection | undefined {
  const t = config.team;
  if (!t?.url || !t.id) return undefined;
  const d = deadlinesFor(config);
  return teamConnection({ url: t.url, id: t.id, ...(t.schema ? { schema: t.schema } : {}) }, env, { connectMs: d.connectMs, requestMs: d.requestMs });
}

/** A replicator for this journal through the configured team server, or undefined without `team.url`. */
export function openTeam(config: Config, env: NodeJS.ProcessEnv, journal: Journal, options: { readonly pollMs?: number } = {}): Replicator | undefined {
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
