/**
 * The session's side effects, as the command handlers ask for them (context.ts): a dialog that runs
 * work, opening an incident room, an item's world-changing action through the action engine, the
 * handoff's note and acknowledgement through the journal, and copying an item's link.
 */
import { copyTextFor, osc52 } from '../links.js';
import { screenLine } from '../sanitize.js';
import type { Translate } from '../i18n/index.js';
import type { Alarm, Health, Incident } from '../model.js';
import { itemAction } from './actions/index.js';
import type { ListItem } from './context.js';
import type { DetailFeeds } from './detailFeeds.js';
import type { Dialog } from './dialog.js';
import { EMPTY_INPUT } from './roomKeys.js';
import type { SessionOptions } from './sessionOptions.js';
import type { CockpitAction } from './state.js';

/** The session's own moves the effects make (batched: one frame for a change of several parts). */
export interface EffectsHost {
  update(action: CockpitAction): void;
  flash(text: string, level: Health): void;
  openDialog(dialog: Dialog): void;
  batch(fn: () => void): void;
  /** The cockpit's own words in the session's language. */
  readonly t: Translate;
}

export class SessionEffects {
  constructor(
    private readonly o: SessionOptions,
    private readonly feeds: DetailFeeds,
    private readonly host: EffectsHost,
  ) {}

  copyItem(target: ListItem): void {
    const clip = this.o.clipboard;
    if (!clip) {
      this.host.flash(this.host.t('session.copyOff'), 'warning');
      return;
    }
    const { text, what } = copyTextFor(target, clip.links);
    clip.write(osc52(text));
    this.host.flash(
      this.host.t(what === 'link' ? 'session.copiedLink' : 'session.copiedId', { text: screenLine(text) }),
      'info',
    );
  }

  runDialog(run: () => Promise<string>): void {
    const h = this.host;
    h.update({ type: 'dialog', dialog: { kind: 'busy', title: h.t('session.working') } });
    run()
      .then((message) => {
        if (!message) return;
        h.batch(() => {
          h.update({ type: 'dialog', dialog: undefined });
          h.flash(message, 'ok');
        });
      })
      .catch((error: unknown) =>
        h.openDialog({
          kind: 'message',
          title: h.t('session.failed'),
          lines: [error instanceof Error ? error.message : String(error)],
          level: 'critical',
        }),
      );
  }

  openRoom(target: { alarm?: Alarm; incident?: Incident }, opts: { readonly ownRunbook?: boolean } = {}): void {
    const h = this.host;
    const services = this.o.services;
    if (!services) return h.flash(h.t('session.roomsNeedJournal'), 'warning');
    h.flash(h.t('session.openingRoom'), 'info');
    const live = this.o.live.snapshot();
    services
      .openRoom(target, { incidents: live.incidents.data ?? [], alarms: live.alarms.data ?? [] }, opts)
      .then((r) =>
        h.batch(() => {
          h.update({ type: 'flash', flash: undefined });
          h.update({ type: 'room', room: { id: r.id, input: EMPTY_INPUT } });
        }),
      )
      .catch((e: unknown) =>
        h.openDialog({
          kind: 'message',
          title: h.t('session.cannotOpenRoom'),
          lines: [e instanceof Error ? e.message : String(e)],
          level: 'warning',
        }),
      );
  }

  itemAction(command: string, target: ListItem): void {
    const live = this.o.live;
    itemAction(
      {
        sources: this.o.sources,
        services: this.o.services,
        policy: this.o.policy,
        live: live.snapshot(),
        readonly: this.o.readonly,
        openDialog: this.host.openDialog,
        afterAlarmChange: async () => void (await live.refreshAll()),
        afterServiceChange: async () => void (await live.services.refresh()),
        afterIncidentChange: async () =>
          void (await Promise.all([live.incidents.refresh(), this.feeds.timeline.refresh()])),
      },
      command,
      target,
    );
  }

  handoffNote(): void {
    const services = this.o.services;
    if (!services) return;
    this.host.openDialog({
      kind: 'input',
      title: this.host.t('session.handoffNote'),
      prompt: this.host.t('session.handoffPrompt'),
      value: '',
      submit: async (text) => {
        await services.addHandoffNote(text);
        await this.feeds.handoff.refresh();
        return this.host.t('session.handoffRecorded');
      },
    });
  }

  handoffAck(): void {
    const services = this.o.services;
    if (!services) return;
    this.runDialog(async () => {
      const n = await services.acknowledgeHandoffs();
      await this.feeds.handoff.refresh();
      return n ? `Acknowledged ${n} handoff note${n > 1 ? 's' : ''}` : 'Nothing to acknowledge';
    });
  }
}
