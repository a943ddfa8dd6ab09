import { demandShape } from './load.js';
import { MINUTE } from './topology.js';

/**
 * The users behind the business metrics, for what changes them slowly: sign-in failing for the
 * mobile apps. Sessions are lost as access tokens expire and fail to refresh, and come back as
 * people sign in again; daily active users (a rolling 24-hour count) fall only as the broken hours
 * fill that window, and recover only as they leave it.
 */

/** Share of users on the mobile apps (the rest use the web app). */
export const MOBILE_SHARE = 0.85;
/** Minutes for sessions to follow a change in who can sign in (token lifetime, people reopening the app). */
const SESSION_MINUTES = 20;
const WINDOW = 1440;

/**
 * Users differ in how often they open the app: a few times a day, about daily, now and then
 * (share of users, sessions per day). A user counts towards DAU with at least one session in the
 * last 24 hours; with sessions at random times that is 1 − e^(−rate × usable share of the window).
 */
const COHORTS = [
  { share: 0.35, perDay: 4 },
  { share: 0.4, perDay: 1 },
  { share: 0.25, perDay: 0.3 },
] as const;
const ACTIVE_NORMALLY = COHORTS.reduce((s, c) => s + c.share * (1 - Math.exp(-c.perDay)), 0);

/** The share of affected users' DAU lost when a demand-weighted share `x` of the last 24 h was unusable to them. */
export function dauDeficit(x: number): number {
  const lost = COHORTS.reduce((s, c) => s + c.share * (Math.exp(-c.perDay * (1 - x)) - Math.exp(-c.perDay)), 0);
  return lost / ACTIVE_NORMALLY;
}

export class Audience {
  /** Share of users who cannot sign in now. */
  failing = 0;
  /** Share of sessions lost (0–1), following the share of users who cannot sign in. */
  sessionLoss = 0;
  /** Share of daily active users lost (0–1). */
  dauLoss = 0;
  /** The last 24 h, minute by minute: demand weight, and demand weight × broken share; undefined while nothing broke. */
  private window?: { weight: Float64Array; broken: Float64Array; next: number; sumWeight: number; sumBroken: number };

  constructor(private readonly origin: number) {}

  /**
   * One minute in which a share `broken` (0–1) of mobile sign-ins fail: the share of users who
   * cannot sign in is MOBILE_SHARE × broken.
   */
  step(minute: number, broken: number): void {
    const failing = MOBILE_SHARE * broken;
    this.failing = failing;
    this.sessionLoss += (failing - this.sessionLoss) * (1 - Math.exp(-1 / SESSION_MINUTES));
    if (this.sessionLoss < 1e-6 && failing === 0) this.sessionLoss = 0;
    if (!this.window && broken === 0) return;
    const w = (this.window ??= this.openWindow(minute));
    const weight = demandShape(this.origin + minute * MINUTE);
    w.sumWeight += weight - w.weight[w.next]!;
    w.sumBroken += weight * broken - w.broken[w.next]!;
    w.weight[w.next] = weight;
    w.broken[w.next] = weight * broken;
    w.next = (w.next + 1) % WINDOW;
    const x = Math.min(1, Math.max(0, w.sumBroken / w.sumWeight));
    this.dauLoss = x < 1e-9 ? 0 : MOBILE_SHARE * dauDeficit(x);
  }

  /** The 24 h before `minute`, all usable (the past is calm). */
  private openWindow(minute: number): NonNullable<Audience['window']> {
    const weight = new Float64Array(WINDOW);
    let sumWeight = 0;
    for (let i = 0; i < WINDOW; i++) {
      weight[i] = demandShape(this.origin + (minute - WINDOW + i) * MINUTE);
      sumWeight += weight[i]!;
    }
    return { weight, broken: new Float64Array(WINDOW), next: 0, sumWeight, sumBroken: 0 };
  }
}
