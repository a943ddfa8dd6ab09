import { jsonText } from '../core/sanitize.js';
import http from 'node:http';
import { scenarios } from '../sources/sandbox/scenarios.js';
import { CLUSTER, DATABASE, DEPENDENCIES, LAMBDA, QUEUE, SERVICES } from '../sources/sandbox/topology.js';
import { renderTable } from '../output/table.js';
import { configFor, DEFAULT_SEED, openSources, type GlobalOptions, type Io } from './context.js';
import type { Sandbox } from '../sources/sandbox/sandbox.js';

function describeRemedy(r: NonNullable<ReturnType<typeof scenarios>[number]['remedy']>): string {
  switch (r.kind) {
    case 'scaling-limits':
      return `autoscaling ${r.service} min ${r.min} / max ${r.max}`;
    case 'desired-count':
      return `scale ${r.service} to ${r.desired} tasks`;
    case 'reboot-database':
      return `reboot ${r.database}${r.failover ? ' with failover' : ''}`;
    case 'rollback':
      return `roll back ${r.service} to its previous task definition`;
    case 'force-deployment':
      return `force a new deployment of ${r.service}`;
    case 'block-address':
      return `block ${r.address}`;
  }
}

/** Serves the sandbox's app metrics in the Prometheus text format on 127.0.0.1 until interrupted. */
async function serveMetrics(port: number, globals: GlobalOptions, io: Io): Promise<number> {
  const config = await configFor({ ...globals, demo: true }, io);
  const { sources } = await openSources({ ...globals, demo: true }, config, io, { headless: false });
  const sandbox = sources as Sandbox;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) {
      const at = sandbox.now();
      sandbox.world.advanceTo(at);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(sandbox.world.exposition.render(at));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: the sandbox serves /metrics\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  io.stdout.write(
    `serving sandbox metrics on http://127.0.0.1:${actual}/metrics (scenario ${sandbox.scenario.name}, speed ${globals.speed ?? 1}×); Ctrl-C stops\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** `sandbox [--json]`, `sandbox --serve-metrics PORT`: the scenarios; the app metrics for a real Prometheus. */
export async function runSandbox(
  options: { serveMetrics?: number; json?: boolean },
  globals: GlobalOptions,
  io: Io,
): Promise<number> {
  if (options.serveMetrics !== undefined) return serveMetrics(options.serveMetrics, globals, io);
  const list = scenarios(globals.seed ?? DEFAULT_SEED);
  if (options.json) {
    io.stdout.write(
      `${jsonText(
        list.map((s) => ({
          name: s.name,
          title: s.title,
          summary: s.summary,
          fires: s.fires,
          firesByMinute: s.firesBy,
          remedy: s.remedy ?? null,
          remedyAction: s.remedyAction ?? null,
          exercises: s.exercises,
        })),
        2,
      )}\n`,
    );
    return 0;
  }
  io.stdout.write(
    `The sandbox: ${CLUSTER} with ${SERVICES.map((s) => s.name).join(' and ')}, ${DATABASE.id} (${DATABASE.engine}, max_connections ${DATABASE.maxConnections}),\n` +
      `${QUEUE.name}, ${LAMBDA.name}, dependencies ${DEPENDENCIES.map((d) => d.name).join(', ')}; a weekly on-call rotation and PagerDuty-style incidents.\n\n`,
  );
  io.stdout.write(
    `${renderTable(
      [{ header: 'SCENARIO' }, { header: 'ALARMS BY', align: 'right' }, { header: 'REMEDY' }],
      list.map((s) => [
        s.name,
        s.firesBy ? `${s.firesBy}m` : '–',
        s.remedy
          ? describeRemedy(s.remedy)
          : s.remedyAction
            ? `${s.remedyAction.id} ${Object.entries(s.remedyAction.params)
                .map(([k, v]) => `${k}=${v}`)
                .join(' ')}`
            : '–',
      ]),
    )}\n\n`,
  );
  for (const s of list) io.stdout.write(`${s.name}: ${s.summary}\n`);
  io.stdout.write('\nTry: vitascope-oncall status --demo --scenario api-cpu-spike --at 15m\n');
  return 0;
}
