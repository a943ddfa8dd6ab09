/**
 * Bundled and run by test/bench/cockpit.mjs (production React): the cockpit with 10,000 alarms and
 * 500 services, driven through a fake terminal. Prints JSON: keypress-to-frame latencies, resident
 * memory, and CPU while nothing changes; then a service's logs screen holding 10,000 lines (issue 17),
 * scrolled with j/k, and the resident memory again with those lines held.
 */
import { EventEmitter } from 'node:events';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Writable } from 'node:stream';
import React from 'react';
import { render } from 'ink';
import { App } from '../../src/ui/App.js';
import { LiveModel } from '../../src/core/live/model.js';
import { DEFAULT_POLICY } from '../../src/core/policy/defaults.js';
import { resolveBindings } from '../../src/ui/keys.js';
import { createTheme } from '../../src/ui/theme.js';
import { tuneHeapForCockpit } from '../../src/ui/heap.js';
import type { Alarm, Service } from '../../src/core/model.js';
import type { Sources } from '../../src/sources/ports.js';
import type { LogEvent } from '../../src/sources/logPorts.js';

// As the cockpit command does first thing, before its sources deliver anything (src/ui/heap.ts).
tuneHeapForCockpit();

const ALARMS = Number(process.env.ALARMS ?? 10_000);
const SERVICES = Number(process.env.SERVICES ?? 500);
const PRESSES = Number(process.env.PRESSES ?? 300);
const NOW = Date.UTC(2026, 0, 5, 1, 0);

function alarm(i: number): Alarm {
  const level = i % 7 === 0 ? 'critical' : i % 3 === 0 ? 'info' : 'warning';
  return {
    id: `arn:aws:cloudwatch:ap-northeast-1:1:alarm:svc-${i}-${level}`,
    name: `vitascope-svc${i}-high-cpu-${level}`,
    kind: 'metric',
    state: i % 11 === 0 ? 'ALARM' : i % 97 === 0 ? 'INSUFFICIENT_DATA' : 'OK',
    level,
    description: `サービス svc${i} の CPU 使用率`,
    threshold: level === 'critical' ? 90 : 70,
    unit: 'percent',
    value: (i * 37) % 100,
    stateSince: NOW - (i % 5000) * 60_000,
    actions: [],
    metric: {
      namespace: 'AWS/ECS',
      name: 'CPUUtilization',
      dimensions: { ClusterName: `cluster-${i % 9}`, ServiceName: `svc${i}` },
    },
    ruleId: 'cpu-utilization',
  };
}

function service(i: number): Service {
  return {
    id: `arn:aws:ecs:ap-northeast-1:1:service/cluster-${i % 9}/svc${i}`,
    name: `svc${i}`,
    cluster: `cluster-${i % 9}`,
    status: 'ACTIVE',
    desired: 2 + (i % 3),
    running: 2 + (i % 3) - (i % 41 === 0 ? 1 : 0),
    pending: 0,
    taskDefinition: `arn:aws:ecs:ap-northeast-1:1:task-definition/svc${i}:${10 + (i % 20)}`,
    deployments: [
      {
        id: `d${i}`,
        status: 'PRIMARY',
        taskDefinition: `svc${i}:${10 + (i % 20)}`,
        desired: 2,
        running: 2,
        pending: 0,
        rolloutState: 'COMPLETED',
        createdAt: NOW - 86_400_000,
        updatedAt: NOW - 86_000_000,
      },
    ],
    events: [{ id: `e${i}`, at: NOW - 3_600_000, message: `(service svc${i}) has reached a steady state.` }],
  };
}

const alarms = Array.from({ length: ALARMS }, (_, i) => alarm(i));
const services = Array.from({ length: SERVICES }, (_, i) => service(i));
const LOG_LINES = Number(process.env.LOG_LINES ?? 10_000);
/**
 * A service's last 30 min as a busy API writes them: requests, slow queries, refused sign-ins. Made
 * when the logs screen first asks, so that the first memory reading (alarms and services only, as the
 * load was before the logs screen existed) holds none of them.
 */
const makeLogLines = (): LogEvent[] =>
  Array.from({ length: LOG_LINES }, (_, i) => ({
    timestamp: NOW - 30 * 60_000 + i * Math.floor((30 * 60_000) / LOG_LINES),
    group: '/ecs/svc0',
    stream: `ecs/api/${(i % 7).toString(16).padStart(32, 'a')}`,
    message:
      i % 13 === 0
        ? `WARNING login failed reason=bad_password user=${10_000 + ((i * 7919) % 90_000)} client=203.0.113.${i % 250}`
        : i % 5 === 0
          ? `SLOW query SELECT * FROM readings WHERE device_id=${i % 1000} took ${100 + (i % 900)}ms`
          : `INFO GET /api/v1/devices/${i % 4000}/readings 200 ${5 + (i % 40)}ms request_id=${(i * 2654435761).toString(16)}`,
  }));
let logLines: LogEvent[] | undefined;
const sources: Sources = {
  environment: {
    kind: 'aws',
    label: 'load test',
    account: '000000000000',
    region: 'ap-northeast-1',
    production: false,
  },
  now: () => NOW,
  alarms: { listAlarms: async () => alarms, alarmHistory: async () => [] },
  services: { listServices: async () => services },
  incidents: { listIncidents: async () => [], getIncident: async () => undefined, timeline: async () => [] },
  onCall: { onCallNow: async () => [], rotation: async () => [], escalationPolicies: async () => [] },
  metrics: {
    getSeries: async (qs) =>
      qs.map((q) => ({
        id: q.id,
        points: Array.from({ length: 60 }, (_, k) => ({ t: NOW - (60 - k) * 60_000, v: 200 + (k % 7) * 10 })),
      })),
  },
  logs: {
    query: async () => ({ events: (logLines ??= makeLogLines()), complete: true, via: 'bench' }),
    tail: async () => ({ events: [], complete: true, via: 'bench' }),
  },
  close: async () => undefined,
};

class Terminal extends Writable {
  isTTY = true;
  columns = 140;
  rows = 45;
  lastWriteAt = 0;
  writes = 0;
  /** The last few KB written: to check the screen measured is the one meant. */
  tail = '';
  override _write(chunk: unknown, _enc: string, done: () => void): void {
    this.tail = (this.tail + String(chunk)).slice(-8192);
    this.lastWriteAt = performance.now();
    this.writes += 1;
    done();
  }
}

class Keyboard extends EventEmitter {
  isTTY = true;
  private buffer: string[] = [];
  setRawMode(): this {
    return this;
  }
  setEncoding(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  read(): string | null {
    return this.buffer.shift() ?? null;
  }
  press(key: string): void {
    this.buffer.push(key);
    this.emit('readable');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function liveHeapUsed(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const live = new LiveModel(sources, { alarms: 3600, services: 3600, incidents: 3600, onCall: 3600, metrics: 3600 });
  await live.refreshAll();
  const out = new Terminal();
  const keys = new Keyboard();
  const app = render(
    <App
      live={live}
      sources={sources}
      policy={DEFAULT_POLICY}
      bindings={resolveBindings(undefined, false)}
      readonly={false}
      theme={createTheme(true)}
    />,
    {
      stdout: out as unknown as NodeJS.WriteStream,
      stdin: keys as unknown as NodeJS.ReadStream,
      stderr: out as unknown as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 60,
      incrementalRendering: true,
    },
  );
  await sleep(200);
  const latencies: Record<string, number[]> = {};
  async function measure(label: string, key: string, count: number): Promise<void> {
    const list = (latencies[label] ??= []);
    for (let i = 0; i < count; i++) {
      const before = out.writes;
      const start = performance.now();
      keys.press(key);
      // A frame is written synchronously or on the next turns; wait for it, then for the throttle window.
      const deadline = start + 500;
      while (out.writes === before && performance.now() < deadline) await new Promise((r) => setImmediate(r));
      list.push(out.writes === before ? 500 : out.lastWriteAt - start);
      await sleep(20);
    }
  }
  keys.press('2');
  await sleep(300);
  await measure('alarms: j (next row)', 'j', PRESSES);
  await measure('alarms: k (previous row)', 'k', Math.floor(PRESSES / 3));
  keys.press('3');
  await sleep(300);
  await measure('services: j (next row)', 'j', PRESSES);
  // The load as it was before the logs screen existed: 10,000 alarms and 500 services, no log lines.
  const memory = process.memoryUsage();
  const rss = memory.rss;
  // BENCH_LIVE_HEAP=1 (a diagnosis, off by default: it changes what follows): the heap still used after a
  // full collection, to tell live data from garbage waiting for the collector in the reading above.
  const liveHeap = process.env.BENCH_LIVE_HEAP ? liveHeapUsed() : undefined;
  // The first service's logs (l): 10,000 lines held, the view at their end; k scrolls back, j forward.
  keys.press('g');
  await sleep(100);
  keys.press('l');
  for (let i = 0; i < 100 && !out.tail.includes('10,000 held'); i++) await sleep(50);
  if (!out.tail.includes('10,000 held')) throw new Error('the logs screen did not show its 10,000 lines');
  await measure('logs, 10,000 lines held: k (line back)', 'k', PRESSES);
  await measure('logs, 10,000 lines held: j (line on)', 'j', PRESSES);
  // And with the logs screen's 10,000 lines held as well.
  const logsMemory = process.memoryUsage();
  keys.press('escape');
  await sleep(200);
  keys.press('1');
  await sleep(500);
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  await sleep(Number(process.env.IDLE_MS ?? 5000));
  const cpu = process.cpuUsage(cpuStart);
  const idleCpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - wallStart)) * 100;
  app.unmount();
  live.stop();
  process.stdout.write(`${JSON.stringify({ latencies, rss, idleCpuPercent, memory, logsMemory, liveHeap })}\n`);
  process.exit(0);
}

void main();
