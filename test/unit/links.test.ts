import { describe, expect, it } from 'vitest';
import {
  alarmConsoleUrl,
  grafanaUrl,
  incidentUrl,
  osc52,
  osc8,
  serviceConsoleUrl,
  terminalLinks,
} from '../../src/core/links.js';

describe('links built from validated parts only', () => {
  it('links an alarm and a service to the console of their own region, names encoded', () => {
    expect(
      alarmConsoleUrl({ id: 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:vitascope-api-high-cpu-critical' }),
    ).toBe(
      'https://ap-northeast-1.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1#alarmsV2:alarm/vitascope-api-high-cpu-critical',
    );
    expect(alarmConsoleUrl({ id: 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:a b/#?\u001b]8;;x' })).toBe(
      'https://ap-northeast-1.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1#alarmsV2:alarm/a%20b%2F%23%3F%1B%5D8%3B%3Bx',
    );
    expect(
      serviceConsoleUrl({ id: 'arn:aws:ecs:us-east-1:123456789012:service/vitascope-cluster/vitascope-api' }),
    ).toBe(
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/vitascope-cluster/services/vitascope-api/health?region=us-east-1',
    );
    // Not an ARN, or a region that is not one: no link rather than a guessed one.
    expect(alarmConsoleUrl({ id: 'vitascope-api-high-cpu' })).toBeUndefined();
    expect(alarmConsoleUrl({ id: 'arn:aws:cloudwatch:evil.example.com:123456789012:alarm:x' })).toBeUndefined();
    expect(serviceConsoleUrl({ id: 'arn:aws:ecs:us-east-1:123456789012:service/c/../../x' })).toBeUndefined();
  });

  it('takes an incident URL only on pagerduty.com over https', () => {
    expect(incidentUrl({ url: 'https://vitascope.pagerduty.com/incidents/PT4KHLK' })).toBe(
      'https://vitascope.pagerduty.com/incidents/PT4KHLK',
    );
    expect(incidentUrl({ url: 'https://pagerduty.com.evil.example/incidents/1' })).toBeUndefined();
    expect(incidentUrl({ url: 'http://vitascope.pagerduty.com/incidents/1' })).toBeUndefined();
    expect(incidentUrl({ url: 'https://user:pw@vitascope.pagerduty.com/x' })).toBeUndefined();
    expect(incidentUrl({ url: 'https://vitascope.pagerduty.com/x\u0007y' })).toBeUndefined();
    expect(incidentUrl({})).toBeUndefined();
    expect(grafanaUrl('https://grafana.example.com/', '/d/ops/operations')).toBe(
      'https://grafana.example.com/d/ops/operations',
    );
    expect(grafanaUrl('http://grafana.example.com', '/d/ops')).toBeUndefined();
    expect(grafanaUrl('https://grafana.example.com', '/d/../admin')).toBeUndefined();
  });

  it('detects terminals that show links conservatively: never in tmux or screen, never without a terminal', () => {
    expect(terminalLinks({ TERM_PROGRAM: 'iTerm.app' }, true)).toBe(true);
    expect(terminalLinks({ WT_SESSION: 'x' }, true)).toBe(true);
    expect(terminalLinks({ VTE_VERSION: '7200' }, true)).toBe(true);
    expect(terminalLinks({ VTE_VERSION: '4800' }, true)).toBe(false);
    expect(terminalLinks({ TERM_PROGRAM: 'iTerm.app', TMUX: '/tmp/tmux-0/default,1,0' }, true)).toBe(false);
    expect(terminalLinks({ TERM_PROGRAM: 'WezTerm', TERM: 'screen-256color' }, true)).toBe(false);
    expect(terminalLinks({ TERM_PROGRAM: 'WezTerm' }, false)).toBe(false);
    expect(terminalLinks({ TERM: 'xterm-256color' }, true)).toBe(false);
  });

  it('writes sequences nothing in the text can end early', () => {
    expect(osc8('alarm', 'https://a.example/x')).toBe('\u001b]8;;https://a.example/x\u001b\\alarm\u001b]8;;\u001b\\');
    expect(osc8('alarm', 'https://a.example/\u001b\\x')).toBe('alarm');
    const seq = osc52('https://a.example/é\u0007');
    expect(seq).toMatch(/^\u001b\]52;c;[A-Za-z0-9+/=]+\u0007$/);
    expect(Buffer.from(seq.slice(7, -1), 'base64').toString('utf8')).toBe('https://a.example/é\u0007');
  });
});
