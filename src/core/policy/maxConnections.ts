/**
 * max_connections of an RDS instance when the configuration does not say (config aws.maxConnections):
 * the engine's default parameter-group formula over the instance class's memory. RDS computes
 * DBInstanceClassMemory as the class memory minus what the OS and RDS processes reserve, so the real
 * default is somewhat lower than this estimate (db.t3.micro postgres: about 80, not 112); a custom
 * parameter group can set anything. That is why the configured value always wins.
 */

const GIB = 1024 ** 3;

/** Memory (GiB) by size, shared by the families listed with each table. */
const BURSTABLE: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, '2xlarge': 32 };
const GENERAL: Record<string, number> = {
  large: 8,
  xlarge: 16,
  '2xlarge': 32,
  '4xlarge': 64,
  '8xlarge': 128,
  '12xlarge': 192,
  '16xlarge': 256,
  '24xlarge': 384,
  '32xlarge': 512,
  '48xlarge': 768,
};
const MEMORY: Record<string, number> = Object.fromEntries(
  Object.entries(GENERAL).map(([size, gib]) => [size, gib * 2]),
);

const FAMILIES: readonly (readonly [readonly string[], Record<string, number>])[] = [
  [['t2', 't3', 't4g'], BURSTABLE],
  [['m5', 'm5d', 'm6g', 'm6gd', 'm6i', 'm6id', 'm7g', 'm7i'], GENERAL],
  [['r5', 'r5d', 'r6g', 'r6gd', 'r6i', 'r6id', 'r7g', 'r7i'], MEMORY],
];

/** The nominal memory of a DB instance class in bytes, or undefined for a class not in the table. */
export function classMemoryBytes(instanceClass: string): number | undefined {
  const m = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass);
  if (!m) return undefined;
  const [, family, size] = m;
  for (const [families, sizes] of FAMILIES)
    if (families.includes(family!) && sizes[size!] !== undefined) return sizes[size!]! * GIB;
  return undefined;
}

/** The default max_connections for an engine and class, or undefined when either is unknown. */
export function defaultMaxConnections(engine: string, instanceClass: string): number | undefined {
  const memory = classMemoryBytes(instanceClass);
  if (memory === undefined) return undefined;
  // postgres, aurora-postgresql: LEAST({DBInstanceClassMemory/9531392}, 5000)
  if (/^(postgres|aurora-postgresql)$/.test(engine)) return Math.min(Math.floor(memory / 9_531_392), 5000);
  // mysql, mariadb: {DBInstanceClassMemory/12582880}
  if (/^(mysql|mariadb)$/.test(engine)) return Math.floor(memory / 12_582_880);
  return undefined;
}

/**
 * The ONE place max_connections of a database comes from, for the RDS connections alarm (alarms
 * export/apply/audit), the cockpit and `status`, and the summary's capacity figures alike: the
 * configuration's aws.maxConnections.<db> when given (a custom parameter group can set anything), else
 * the engine's default formula over the instance class's memory. Undefined when neither says.
 */
export function maxConnectionsOf(
  db: { readonly id: string; readonly engine?: string; readonly instanceClass?: string },
  configured: Readonly<Record<string, number>> | undefined,
): { readonly value: number; readonly from: 'aws.maxConnections' | 'instance class' } | undefined {
  const given = configured?.[db.id];
  if (given !== undefined) return { value: given, from: 'aws.maxConnections' };
  const formula = db.engine && db.instanceClass ? defaultMaxConnections(db.engine, db.instanceClass) : undefined;
  return formula === undefined ? undefined : { value: formula, from: 'instance class' };
}
