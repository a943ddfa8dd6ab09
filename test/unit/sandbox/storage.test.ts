/**
 * The sandbox's StorageResizable: vitascope-db's allocated storage, grown the way RDS grows it
 * (modifying, then storage-optimization with the new size usable; only up, by 10 % or more, once in
 * six hours), and what a full volume does.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { createSandbox, type Sandbox } from '../../../src/sources/sandbox/sandbox.js';

const MIN = 60_000;
const DB = 'vitascope-db';

function open(scenario = 'calm'): Sandbox {
  return createSandbox({
    seed: 1,
    scenario,
    speed: 1,
    startOffsetMs: 0,
    policy: DEFAULT_POLICY,
    user: { id: 'u', name: 'Test Responder' },
    frozen: true,
  });
}

const status = async (sb: Sandbox) => (await sb.databases!.listDatabases())[0]!.status;
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => (e as Error).message,
  );

describe('the sandbox database storage', () => {
  it('reports 200 GiB, about 63 % used, and no storage autoscaling', async () => {
    const sb = open();
    sb.advance(MIN);
    const storage = await sb.storageResizable!.getStorage(DB);
    expect(storage.allocatedGiB).toBe(200);
    expect(storage.usedPercent).toBeGreaterThan(62);
    expect(storage.usedPercent).toBeLessThan(64);
    expect(storage.maxAllocatedGiB).toBeUndefined();
    expect(await rejection(sb.storageResizable!.getStorage('other-db'))).toMatch(/no database other-db/);
  });

  it('grows after a few minutes of modifying; the utilisation halves', async () => {
    const sb = open();
    sb.advance(10 * MIN);
    await sb.storageResizable!.setAllocatedStorage(DB, 400);
    sb.advance(MIN);
    expect(await status(sb)).toBe('modifying');
    // The new size is reported at once (as RDS's pending modification); the room comes when the modification completes.
    const modifying = await sb.storageResizable!.getStorage(DB);
    expect(modifying.allocatedGiB).toBe(400);
    expect(modifying.usedPercent).toBeGreaterThan(62);
    sb.advance(4 * MIN);
    expect(await status(sb)).toBe('modifying');
    sb.advance(MIN);
    expect(await status(sb)).toBe('storage-optimization');
    const grown = await sb.storageResizable!.getStorage(DB);
    expect(grown.allocatedGiB).toBe(400);
    expect(grown.usedPercent).toBeGreaterThan(31);
    expect(grown.usedPercent).toBeLessThan(32);
    // Optimisation ends after two hours; the database stays available throughout.
    sb.advance(2 * 60 * MIN);
    expect(await status(sb)).toBe('available');
    expect((await sb.databases!.listDatabases())[0]!.connections).toBeGreaterThan(40);
  });

  it("follows RDS's rules: only up, by at least 10 %, whole GiB, within gp3's maximum, once in six hours", async () => {
    const sb = open();
    const grow = (gib: number) => rejection(sb.storageResizable!.setAllocatedStorage(DB, gib));
    expect(await grow(100)).toMatch(/storage can only grow: vitascope-db has 200 GiB/);
    expect(await grow(200)).toMatch(/can only grow/);
    expect(await grow(210)).toMatch(/at least 10 % \(to 220 GiB or more\)/);
    expect(await grow(250.5)).toMatch(/whole number/);
    expect(await grow(70_000)).toMatch(/65536 GiB/);
    expect(await rejection(sb.storageResizable!.setAllocatedStorage('other-db', 400))).toMatch(/no database other-db/);
    expect(await grow(220)).toBeUndefined();
    expect(await grow(400)).toMatch(/previous storage change is being optimized/);
    sb.advance(3 * 60 * MIN);
    expect(await grow(400)).toMatch(/previous storage change is being optimized/);
    sb.advance(3 * 60 * MIN);
    expect(await grow(400)).toBeUndefined();
  });

  it('cannot reboot while modifying, nor modify while rebooting', async () => {
    const sb = open();
    await sb.storageResizable!.setAllocatedStorage(DB, 300);
    expect(await rejection(sb.rebootable!.rebootDatabase(DB, { failover: false }))).toMatch(
      /InvalidDBInstanceState: vitascope-db is modifying/,
    );
    sb.advance(10 * MIN);
    await sb.rebootable!.rebootDatabase(DB, { failover: false });
    const other = open();
    await other.rebootable!.rebootDatabase(DB, { failover: true });
    expect(await rejection(other.storageResizable!.setAllocatedStorage(DB, 300))).toMatch(/rebooting/);
  });

  it('a full volume fails every write until it is grown', async () => {
    const sb = open();
    sb.world.startBackfill(4, 120);
    sb.advance(25 * MIN);
    expect(await status(sb)).toBe('storage-full');
    expect((await sb.storageResizable!.getStorage(DB)).usedPercent).toBe(100);
    sb.advance(5 * MIN);
    const firing = new Set((await sb.alarms!.listAlarms()).filter((a) => a.state === 'ALARM').map((a) => a.name));
    for (const name of [
      'vitascope-db-disk-usage-critical',
      'vitascope-api-error-rate-critical',
      'vitascope-sync-failures-warning',
      'vitascope-sync-processor-lambda-errors-critical',
    ]) {
      expect(firing.has(name), name).toBe(true);
    }
    await sb.storageResizable!.setAllocatedStorage(DB, 400);
    expect(await status(sb)).toBe('modifying');
    sb.advance(20 * MIN);
    expect(await status(sb)).toBe('storage-optimization');
    const after = new Map((await sb.alarms!.listAlarms()).map((a) => [a.name, a.state]));
    for (const name of [
      'vitascope-db-disk-usage-critical',
      'vitascope-db-disk-usage-warning',
      'vitascope-api-error-rate-critical',
      'vitascope-sync-failures-warning',
      'vitascope-sync-processor-lambda-errors-critical',
    ]) {
      expect(after.get(name), name).toBe('OK');
    }
    // The backfill finished once it had room: 126 + 120 GiB of 400.
    expect((await sb.storageResizable!.getStorage(DB)).usedPercent).toBeCloseTo(61.5, 0);
  });
});
