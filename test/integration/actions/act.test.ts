/**
 * `act` (the built binary) against moto behind the enforcing front, where the account counts as
 * production (the default for real accounts): a dangerous action needs the target named. --yes is
 * refused before anything changes, --confirm with the wrong name is refused, the right name applies;
 * on a terminal, typing the name confirms and anything else declines. Every run is in the live journal.
 */
import path from 'node:path';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { journalPath, openJournal } from '../../../src/core/journal/index.js';
import { motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';
import { isolatedEnv, runCli } from '../../harness/cli.js';
import { ensureBuilt } from '../../harness/prometheus.js';
import { answerInTmux, Tmux } from '../../harness/tmux.js';

const skip = motoSkipReason();

describe.skipIf(skip)('act against AWS in production (moto)', () => {
  const suite = useAwsSuite();
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-act-live-'));
  afterAll(() => fs.rmSync(data, { recursive: true, force: true }));
  const env = () =>
    isolatedEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', VITASCOPE_ONCALL_DATA_DIR: data });
  const act = (args: readonly string[]) =>
    runCli(
      [
        '--endpoint-url',
        suite.front.url,
        '--region',
        'us-east-1',
        'act',
        'ecs.set-desired-count',
        'service=vitascope-api',
        ...args,
      ],
      env(),
    );

  async function seed(): Promise<void> {
    ensureBuilt();
    const ecs = new ECSClient(suite.config());
    await ecs.send(new CreateClusterCommand({ clusterName: 'vitascope-cluster' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'vitascope-api',
        containerDefinitions: [{ name: 'api', image: 'vitascope/api:41', memory: 512 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'vitascope-cluster',
        serviceName: 'vitascope-api',
        taskDefinition: 'vitascope-api',
        desiredCount: 2,
      }),
    );
    ecs.destroy();
    suite.front.clearCalls();
  }

  async function desired(): Promise<number | undefined> {
    const ecs = new ECSClient(suite.config());
    try {
      return (
        await ecs.send(new DescribeServicesCommand({ cluster: 'vitascope-cluster', services: ['vitascope-api'] }))
      ).services?.[0]?.desiredCount;
    } finally {
      ecs.destroy();
    }
  }

  const journaled = () => {
    const j = openJournal(journalPath({ VITASCOPE_ONCALL_DATA_DIR: data }, 'live'));
    try {
      return j
        .query({ kinds: ['action.planned', 'action.confirmed', 'action.applied', 'action.verified', 'action.failed'] })
        .map((e) => e.kind);
    } finally {
      j.close();
    }
  };

  it('needs the target named: --yes and a wrong name change nothing; the right name applies', async () => {
    await seed();
    const yes = await act(['desired=4', '--yes']);
    expect(yes.code).toBe(2);
    expect(yes.stdout).toContain('  ecs.set-desired-count on vitascope-api · dangerous · PRODUCTION\n');
    expect(yes.stderr).toBe(
      'vitascope-oncall: act: ecs.set-desired-count on vitascope-api is dangerous in production: confirm it by naming the target, --confirm vitascope-api (--yes is not enough)\n',
    );
    const wrong = await act(['desired=4', '--confirm', 'vitascope-worker']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/the name typed \("vitascope-worker"\) is not vitascope-api: nothing was done/);
    expect(suite.front.count('UpdateService')).toBe(0);
    expect(await desired()).toBe(2);

    const right = await act(['desired=4', '--confirm', 'vitascope-api']);
    expect(right.stderr).toBe('');
    expect(right.code).toBe(0);
    expect(suite.front.count('UpdateService')).toBe(1);
    expect(await desired()).toBe(4);
    // The refused and the wrong confirmation are journaled as failed runs before the one that applied.
    expect(journaled()).toEqual([
      'action.planned',
      'action.failed',
      'action.planned',
      'action.failed',
      'action.planned',
      'action.confirmed',
      'action.applied',
      'action.verified',
    ]);
  });

  it.skipIf(!Tmux.available())(
    'on a terminal: typing the target confirms, anything else declines (exit 1)',
    async () => {
      await seed();
      const command = (tag: string, n: number) =>
        `${process.execPath} ${path.resolve('bin/vitascope-oncall.js')} --endpoint-url ${suite.front.url} --region us-east-1 act ecs.set-desired-count service=vitascope-api desired=${n}; echo ${tag}=$?; sleep 60`;
      const answered = (tag: string, n: number, answer: string) =>
        answerInTmux({
          command: command(tag, n),
          env: env(),
          tag,
          answer,
          question: /type vitascope-api to confirm \(anything else declines\):\s*$/m,
        });
      const declined = await answered('DECLINED', 5, 'y');
      expect(declined).toMatch(/DECLINED=1/);
      expect(declined).toMatch(/declined: /);
      expect(await desired()).toBe(2);
      const applied = await answered('APPLIED', 5, 'vitascope-api');
      expect(applied).toMatch(/APPLIED=0/);
      expect(applied).toMatch(/verified: UpdateService vitascope-api/);
      expect(await desired()).toBe(5);
    },
  );
});
