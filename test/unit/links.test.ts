import { describe, expect, it } from 'vitest';
import {
  alarmConsoleUrl,
  grafanaUrl,
  incidentUrl,
  hyperlink,
  linkUrl,
  osc52,
  serviceConsoleUrl,
  terminalLinks,
} from '../../src/core/links.js';
import stringWidth from 'string-width';
import { terminalLine } from '../../src/core/sanitize.js';

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
    // The rest of the known list, each on its own.
    for (const env of [
      { TERM_PROGRAM: 'WezTerm' },
      { TERM_PROGRAM: 'vscode' },
      { TERM_PROGRAM: 'ghostty' },
      { KITTY_WINDOW_ID: '1' },
      { TERM: 'xterm-kitty' },
      { TERM: 'foot' },
      { KONSOLE_VERSION: '230804' },
      { VTE_VERSION: '5000' },
    ])
      expect(terminalLinks(env, true), JSON.stringify(env)).toBe(true);
    expect(terminalLinks({ VTE_VERSION: '4999' }, true)).toBe(false);
    expect(terminalLinks({ TERM_PROGRAM: 'Apple_Terminal' }, true)).toBe(false);
    expect(terminalLinks({ TERM_PROGRAM: 'iTerm.app', TERM: 'dumb' }, true)).toBe(false);
    expect(terminalLinks({ TERM_PROGRAM: 'tmux', TERM: 'tmux-256color' }, true)).toBe(false);
    expect(terminalLinks({ KITTY_WINDOW_ID: '1', STY: '1234.pts-0' }, true)).toBe(false);
    // NO_COLOR is about colour: a link adds none, so it stays (--no-links is the switch).
    expect(terminalLinks({ TERM_PROGRAM: 'iTerm.app', NO_COLOR: '1' }, true)).toBe(true);
  });

  it('takes only https URLs without userinfo or anything a terminal acts on', () => {
    expect(linkUrl('https://a.example/x?y=1#z')).toBe('https://a.example/x?y=1#z');
    for (const bad of [
      'http://a.example/x',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://u:p@a.example/',
      'https://a.example/\u0007x',
      'https://a.example/\u001b\\x',
      'https://a.example/\u009bx',
      'https://a.example/ x',
      'https://a.example/é',
      'not a url',
      '',
      undefined,
      `https://a.example/${'x'.repeat(3000)}`,
    ])
      expect(linkUrl(bad), JSON.stringify(bad)).toBeUndefined();
  });

  it('writes sequences nothing in the text can end early', () => {
    const url = linkUrl('https://a.example/x')!;
    const linked = hyperlink(terminalLine('alarm'), url);
    // BEL-ended: the form Ink's tokenizer carries like a colour (see hyperlink's comment).
    expect(linked).toBe('\u001b]8;;https://a.example/x\u0007alarm\u001b]8;;\u0007');
    expect(stringWidth(linked)).toBe(5);
    // A label from outside is sanitised first: whatever it held cannot end the link or start another.
    const label = terminalLine('a\u0007b\u001b]8;;https://evil.example\u0007c');
    const outside = hyperlink(label, url);
    expect(outside.match(/\u001b/g)).toHaveLength(2);
    expect(outside.match(/\u0007/g)).toHaveLength(2);
    expect(stringWidth(outside)).toBe(stringWidth(label));
    const seq = osc52('https://a.example/é\u0007');
    expect(seq).toMatch(/^\u001b\]52;c;[A-Za-z0-9+/=]+\u0007$/);
    expect(Buffer.from(seq.slice(7, -1), 'base64').toString('utf8')).toBe('https://a.example/é\u0007');
  });
});
