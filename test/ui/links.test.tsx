import React from 'react';
import { render } from 'ink-testing-library';
import { Box } from 'ink';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { Alarm, Incident, Service } from '../../src/core/model.js';
import { DEFAULT_POLICY } from '../../src/core/policy/overrides.js';
import { createTheme } from '../../src/ui/theme.js';
import { AlarmDetailView } from '../../src/ui/views/AlarmDetailView.js';
import { IncidentDetailView } from '../../src/ui/views/IncidentDetailView.js';
import { ServiceDetailView } from '../../src/ui/views/ServiceDetailView.js';
import { sandboxAt } from '../harness/ink.js';
import { StepRow } from '../../src/ui/views/room/StepRow.js';
import { ScrollBox, type ScrollLayout } from '../../src/ui/components/ScrollBox.js';
import type { StepView } from '../../src/core/runbooks/progress.js';

const theme = createTheme(false);
const NOW = Date.UTC(2026, 0, 5, 2, 0);
const ok = { state: 'ok' as const, fetchedAt: NOW, failures: 0 };
const ESC = '\u001b';
// Every OSC 8 opener or closer, BEL-ended (core/links.ts hyperlink).

const OSC8 = /\u001b\]8;;([^\u0007]*)\u0007/g;

/** The frame as seen: the link sequences taken out, nothing else. */
const seen = (frame: string) => frame.replace(OSC8, '');
const opened = (frame: string) => [...frame.matchAll(OSC8)].map((m) => m[1]).filter((u) => u !== '');

const ALARM_ARN = 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:vitascope-api-high-cpu-critical';
const ALARM_URL =
  'https://ap-northeast-1.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1#alarmsV2:alarm/vitascope-api-high-cpu-critical';

function alarm(over: Partial<Alarm> = {}): Alarm {
  return {
    id: ALARM_ARN,
    name: 'vitascope-api-high-cpu-critical',
    kind: 'metric',
    state: 'ALARM',
    level: 'critical',
    threshold: 90,
    unit: 'percent',
    value: 97,
    stateSince: NOW - 5 * 60_000,
    actions: [],
    metric: {
      namespace: 'AWS/ECS',
      name: 'CPUUtilization',
      dimensions: { ClusterName: 'vitascope', ServiceName: 'vitascope-api' },
    },
    ...over,
  };
}

const detail = {
  name: 'detail',
  health: ok,
  data: {
    history: [],
    series: [
      { t: 0, v: 40 },
      { t: 1, v: 97 },
    ],
    threshold: 90,
    unit: 'percent',
  },
};

function alarmFrame(a: Alarm, width: number, links: boolean): string {
  const { lastFrame, unmount } = render(
    <Box width={width}>
      <AlarmDetailView alarm={a} detail={detail} now={NOW} width={width} height={30} theme={theme} links={links} />
    </Box>,
  );
  const frame = lastFrame()!;
  unmount();
  return frame;
}

describe('clickable links (OSC 8) in the detail views', () => {
  it("alarm detail: the name links to the alarm's console page; what is seen, and every width, unchanged", () => {
    for (const width of [120, 80, 24]) {
      const on = alarmFrame(alarm(), width, true);
      const off = alarmFrame(alarm(), width, false);
      expect(opened(on), `width ${width}`).toEqual([ALARM_URL]);
      expect(off).not.toContain(ESC);
      expect(seen(on)).toBe(off);
      // Every line as wide on screen as without the link (Ink measured the linked cell as its label).
      expect(on.split('\n').map((l) => stringWidth(l))).toEqual(off.split('\n').map((l) => stringWidth(l)));
      // Each opened link is closed on the same line: a cut cell never leaves a link open.
      for (const line of on.split('\n')) {
        const codes = [...line.matchAll(OSC8)].map((m) => m[1]);
        if (codes.length) expect(codes.at(-1), line).toBe('');
      }
    }
    // At 24 columns the name is cut, and the link still ends where the visible name does.
    const narrow = alarmFrame(alarm(), 24, true).split('\n')[0]!;
    expect(seen(narrow)).toMatch(/…$/);
    expect(stringWidth(narrow)).toBeLessThanOrEqual(24);
  });

  it('links nothing under --no-links, nothing without an ARN, and outside text stays inert inside a link', () => {
    expect(alarmFrame(alarm(), 100, false)).not.toContain(ESC);
    expect(alarmFrame(alarm({ id: 'vitascope-api-high-cpu-critical' }), 100, true)).not.toContain(ESC);
    const evil = alarmFrame(alarm({ name: `evil${ESC}]8;;https://evil.example\u0007x${ESC}[2J` }), 100, true);
    expect(opened(evil)).toEqual([ALARM_URL]);
    expect(seen(evil)).not.toContain(ESC);
    expect(seen(evil)).toContain('evil␛]8;;https://evil.example␇x␛[2J');
  });

  it('service detail links to ECS, incident detail to its PagerDuty page', async () => {
    const sb = sandboxAt('api-cpu-spike', 8);
    const api = (await sb.services!.listServices()).find((s) => s.name === 'vitascope-api') as Service;
    const real: Service = { ...api, id: 'arn:aws:ecs:us-east-1:123456789012:service/vitascope/vitascope-api' };
    const service = (s: Service, links: boolean) =>
      render(
        <ServiceDetailView service={s} now={sb.now()} width={100} height={30} theme={theme} links={links} />,
      ).lastFrame()!;
    expect(opened(service(real, true))).toEqual([
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/vitascope/services/vitascope-api/health?region=us-east-1',
    ]);
    expect(seen(service(real, true))).toBe(service(real, false));

    sb.advance(10 * 60_000);
    const incident = (await sb.incidents!.listIncidents())[0] as Incident;
    const timeline = { name: 'timeline', health: ok, data: [] };
    const pd: Incident = { ...incident, url: 'https://vitascope.pagerduty.com/incidents/PT4KHLK' };
    const view = (i: Incident, links: boolean) =>
      render(
        <IncidentDetailView
          incident={i}
          timeline={timeline}
          policy={DEFAULT_POLICY}
          now={sb.now()}
          width={100}
          height={30}
          theme={theme}
          links={links}
        />,
      ).lastFrame()!;
    expect(opened(view(pd, true))).toEqual(['https://vitascope.pagerduty.com/incidents/PT4KHLK']);
    expect(seen(view(pd, true))).toBe(view(pd, false));
    expect(view({ ...pd, url: 'https://evil.example/incidents/1' }, true)).not.toContain(ESC);
  });

  it("a runbook's dashboard link step is clickable in the room; a skipped one or an http URL is not", () => {
    const step = (over: Partial<StepView>): StepView =>
      ({
        phase: 'detect',
        index: 0,
        id: 'dashboard',
        kind: 'link',
        title: 'The API performance dashboard',
        status: 'done',
        output: 'https://grafana.example.com/d/vitascope-api',
        ...over,
      }) as StepView;
    const row = (s: StepView, links: boolean) => {
      const { lastFrame, unmount } = render(
        <Box width={100}>
          <StepRow step={s} current={false} theme={theme} links={links} />
        </Box>,
      );
      const f = lastFrame()!;
      unmount();
      return f;
    };
    const on = row(step({}), true);
    expect(opened(on)).toEqual(['https://grafana.example.com/d/vitascope-api']);
    expect(seen(on)).toBe(row(step({}), false));
    expect(seen(on)).toContain('The API performance dashboard — https://grafana.example.com/d/vitascope-api');
    expect(row(step({ status: 'skipped', reason: 'https://x.example/ not needed' }), true)).not.toContain(ESC);
    expect(row(step({ output: 'http://grafana.example.com/d/x' }), true)).not.toContain(ESC);
  });

  it("`/` search reads what is seen: a link's URL does not match, its label does", () => {
    const hits = (search: string) => {
      const layouts: ScrollLayout[] = [];
      const { unmount } = render(
        <Box width={100}>
          <ScrollBox offset={0} height={30} search={search} onLayout={(l) => layouts.push(l)} theme={theme}>
            <AlarmDetailView alarm={alarm()} detail={detail} now={NOW} width={100} height={30} theme={theme} links />
          </ScrollBox>
        </Box>,
      );
      unmount();
      return layouts.at(-1)?.hits ?? [];
    };
    expect(hits('console.aws')).toEqual([]);
    expect(hits('high-cpu-critical')).toContain(0);
  });
});
