import type { Config } from '../../config/schema.js';
import { deadlinesFor } from '../deadlines.js';
import { teamConnection, type TeamConnection } from './connect.js';
export { PostgresTeamLog } from './postgres.js';

/** The team server's connection, when `team.url` is configured (undefined otherwise: nothing changes). */
export function teamConnectionFor(config: Config, env: NodeJS.ProcessEnv): TeamConnection | undefined {
  const t = config.team;
  if (!t?.url || !t.id) return undefined;
  const d = deadlinesFor(config);
  return teamConnection({ url: t.url, id: t.id, ...(t.schema ? { schema: t.schema } : {}) }, env, {
    connectMs: d.connectMs,
    requestMs: d.requestMs,
  });
}
