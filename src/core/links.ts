/**
 * Links to where an item lives (the AWS console for an alarm or a service, PagerDuty for an incident)
 * and the terminal sequences that carry them: OSC 8 (a clickable link) and OSC 52 (copy to the
 * clipboard). A URL is built only from parts that were validated (a region and names read from the
 * item's ARN, percent-encoded); a URL given by a source (PagerDuty's html_url) is used only when it is
 * https on pagerduty.com. Where a part does not validate there is no link, never a guessed one.
 */
import type { Alarm, Incident, Service } from './model.js';
import type { Safe } from './sanitize.js';

declare const linkUrlBrand: unique symbol;
/**
 * A URL that may go inside an OSC 8 sequence: https, no userinfo, only printable ASCII (nothing that
 * could end the sequence early or move the cursor). Made only by linkUrl() (and the builders below, which
 * call it), so a URL that skipped the check is a type error where a link is drawn.
 */
export type LinkUrl = string & { readonly [linkUrlBrand]: true };

declare const linkedBrand: unique symbol;
/**
 * A sanitised label wrapped in an OSC 8 link by hyperlink(): the one kind of terminal sequence besides
 * Ink's own colours that the cockpit writes into a frame. The UI's <Text> accepts it beside Safe.
 */
export type Linked = string & { readonly [linkedBrand]: true };

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** ARNs: arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME, arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME. */
const ALARM_ARN = /^arn:aws:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.{1,255})$/;
const SERVICE_ARN = /^arn:aws:ecs:([a-z0-9-]+):(\d{12}):service\/([A-Za-z0-9_-]{1,255})\/([A-Za-z0-9_-]{1,255})$/;
/** Nothing that could end the sequence or move the cursor inside a URL. */
const PLAIN = /^[\x21-\x7e]+$/;

/** `raw` as a LinkUrl when it is https, has no userinfo and holds only printable ASCII; else undefined. */
export function linkUrl(raw: string | undefined): LinkUrl | undefined {
  if (!raw || raw.length > 2048 || !PLAIN.test(raw)) return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'https:' || u.username || u.password) return undefined;
    // The parsed form, checked again: URL() may percent-encode but never adds a control character.
    return PLAIN.test(u.href) ? (u.href as LinkUrl) : undefined;
  } catch {
    return undefined;
  }
}

function consoleHost(region: string): string {
  return `https://${region}.console.aws.amazon.com`;
}

/** The CloudWatch console page of an alarm, from its ARN. */
export function alarmConsoleUrl(alarm: Pick<Alarm, 'id'>): LinkUrl | undefined {
  const m = ALARM_ARN.exec(alarm.id);
  if (!m || !REGION.test(m[1]!)) return undefined;
  const region = m[1]!;
  return linkUrl(`${consoleHost(region)}/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(m[3]!)}`);
}

/** The ECS console page of a service, from its ARN. */
export function serviceConsoleUrl(service: Pick<Service, 'id'>): LinkUrl | undefined {
  const m = SERVICE_ARN.exec(service.id);
  if (!m || !REGION.test(m[1]!)) return undefined;
  const region = m[1]!;
  return linkUrl(
    `${consoleHost(region)}/ecs/v2/clusters/${encodeURIComponent(m[3]!)}/services/${encodeURIComponent(m[4]!)}/health?region=${region}`,
  );
}

/** PagerDuty's page of an incident, when the source gave one on pagerduty.com over https. */
export function incidentUrl(incident: Pick<Incident, 'url'>): LinkUrl | undefined {
  const url = linkUrl(incident.url);
  if (!url) return undefined;
  const host = new URL(url).hostname;
  return host === 'pagerduty.com' || host.endsWith('.pagerduty.com') ? url : undefined;
}

/** A Grafana dashboard under the configured Grafana URL (config grafana.url): https or loopback http only. */
export function grafanaUrl(base: string | undefined, dashboardPath: string): string | undefined {
  if (!base || !/^\/d\/[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9_-]{1,128})?$/.test(dashboardPath)) return undefined;
  try {
    const u = new URL(base);
    const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
    if (u.username || u.password || !(u.protocol === 'https:' || (u.protocol === 'http:' && loopback)))
      return undefined;
    return `${u.origin}${u.pathname.replace(/\/$/, '')}${dashboardPath}`;
  } catch {
    return undefined;
  }
}

export type LinkedItem =
  | { readonly list: 'alarms'; readonly item: Alarm }
  | { readonly list: 'services'; readonly item: Service }
  | { readonly list: 'incidents'; readonly item: Incident };

/** What `y` copies: the item's link when it has one, else its id (a name for an alarm or service). */
export function copyTextFor(
  target: LinkedItem,
  withLinks: boolean,
): { readonly text: string; readonly what: 'link' | 'id' } {
  const url = !withLinks
    ? undefined
    : target.list === 'alarms'
      ? alarmConsoleUrl(target.item)
      : target.list === 'services'
        ? serviceConsoleUrl(target.item)
        : incidentUrl(target.item);
  if (url) return { text: url, what: 'link' };
  return { text: target.list === 'incidents' ? target.item.id : target.item.name, what: 'id' };
}

/**
 * Whether the terminal shows OSC 8 links (and takes OSC 52), judged conservatively from its
 * environment: terminals known to, and not inside tmux or screen (tmux before 3.4 drops OSC 8, and 3.4
 * passes it on only with `terminal-features …:hyperlinks` set, which cannot be seen from here; screen
 * drops it), not on a dumb terminal, not without a terminal. Known: iTerm2, WezTerm, VS Code, Ghostty,
 * Hyper, Tabby, Rio, Windows Terminal, Konsole, kitty, foot, Alacritty, and VTE ≥ 0.50 (GNOME Terminal,
 * Tilix…: VTE_VERSION 5000). NO_COLOR does not turn links off: it is about colour, and a link adds none
 * (the terminal draws the text as it is); `--no-links` / display.links is the switch.
 */
export function terminalLinks(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (!isTTY || env.TERM === 'dumb' || env.TMUX || env.STY || /^(screen|tmux)/.test(env.TERM ?? '')) return false;
  const program = env.TERM_PROGRAM ?? '';
  if (['iTerm.app', 'WezTerm', 'vscode', 'ghostty', 'Hyper', 'Tabby', 'rio'].includes(program)) return true;
  if (
    env.WT_SESSION ||
    env.KONSOLE_VERSION ||
    env.KITTY_WINDOW_ID ||
    env.TERM === 'xterm-kitty' ||
    env.TERM === 'foot' ||
    env.TERM === 'alacritty'
  )
    return true;
  return Number(env.VTE_VERSION ?? 0) >= 5000;
}

/**
 * A sanitised label as a clickable link (OSC 8). Ended with BEL, not ST: Ink's tokenizer
 * (@alcalzone/ansi-tokenize) knows only the BEL form, and carries it per character like a colour, so
 * a cell Ink cuts or clips keeps a whole, closed link and its width; an ST-ended one it would count as
 * text and cut in the middle of the sequence. The label cannot hold BEL or ESC: it is Safe.
 */
export function hyperlink(label: Safe, url: LinkUrl): Linked {
  return `\u001b]8;;${url}\u0007${label}\u001b]8;;\u0007` as Linked;
}

/** Copies `text` to the clipboard through the terminal (OSC 52, base64: nothing in it can escape). */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}
