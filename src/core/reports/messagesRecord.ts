/**
 * The reports' words for what the record says about recovery, mitigation, notes by section, proposed
 * follow-ups, chart marks, read-only checks, the hand-over and the figures' limits (forecast, threshold
 * suggestions, SLA downtime). English and Japanese side by side; part of the catalogue in messages.ts
 * (`m.record`), kept apart so that neither file grows past what one reads at once.
 */
export interface RecordMessages {
  readonly readOnlyChecks: (n: string, one: boolean) => string;
  readonly readOnlyChecksDry: (n: string, one: boolean) => string;
  readonly conciseTimeline: string;
  readonly timelineAction: (action: string, target: string, outcome: string, evidence: string | undefined) => string;
  readonly timelineDecision: (question: string, label: string) => string;
  readonly mitigated: (at: string, action: string, target: string, who: string | undefined) => string;
  readonly notMitigated: string;
  readonly recoveredAlarm: (at: string) => string;
  readonly recoveredResolution: (at: string) => string;
  readonly notRecovered: string;
  /** Resolved, but an alarm that fired through its remediation's outage is still in ALARM. */
  readonly notRecoveredOutage: string;
  readonly fromRoom: string;
  readonly findings: string;
  /** Heading of the logs and traces findings, and one finding's line: what was read, of which window. */
  readonly evidence: string;
  readonly evidenceFound: (
    kind: 'logs' | 'traces',
    service: string,
    from: string,
    to: string,
    who: string | undefined,
  ) => string;
  readonly evidencePartial: string;
  readonly prevention: string;
  readonly monitoring: string;
  readonly decisions: string;
  readonly recordedFollowUps: string;
  readonly noRecordedFollowUps: string;
  readonly proposedFollowUps: string;
  readonly proposedFrom: (who: string, at: string, kind: 'note' | 'decision') => string;
  readonly recordHint: string;
  readonly colProposed: string;
  readonly colFrom: string;
  readonly mark: Readonly<Record<'acknowledged' | 'mitigated' | 'recovered', string>>;
  readonly chartLegend: (items: string) => string;
  readonly hint: {
    readonly credited: (action: string, target: string, after: string) => string;
    readonly recoveredBeforeAction: (action: string, target: string, after: string) => string;
    readonly recoveredAfterVerification: (action: string, target: string, after: string) => string;
    readonly recoveredWithoutAction: (at: string) => string;
    readonly recoveredAtResolution: (at: string, recovered: number, still: string) => string;
  };
  readonly handover: (outgoing: string, incoming: string, at: string | undefined) => string;
  readonly staysOnCall: (person: string, at: string | undefined) => string;
  readonly handoverFrom: Readonly<
    Record<'schedule' | 'acknowledgements' | 'handoff-note' | 'handoff-acknowledgement', string>
  >;
  readonly notEnoughHistory: (span: string, needed: string) => string;
  readonly colIncidentDowntime: string;
  readonly suggestion: {
    readonly notEnoughData: (span: string, needed: string) => string;
    readonly wouldCrossNext: (next: string) => string;
    readonly notNumeric: string;
    readonly oneFiring: string;
  };
  readonly footer: {
    readonly recovery: string;
    readonly concise: string;
    readonly followUps: string;
  };
}

export const enRecord: RecordMessages = {
  readOnlyChecks: (n, one) =>
    `${n} read-only ${one ? 'check was' : 'checks were'} run as evidence (commands that only read; not listed as actions).`,
  readOnlyChecksDry: (n, one) =>
    `${n} read-only ${one ? 'check was' : 'checks were'} recorded as ${one ? 'a dry run' : 'dry runs'}: not run, so ${one ? 'it is' : 'they are'} no evidence.`,
  conciseTimeline: 'Runbook steps and the stages of each action are left out; `--verbose` lists every recorded event.',
  timelineAction: (action, target, outcome, evidence) =>
    `${action} on ${target}: ${outcome}${evidence ? ` (${evidence})` : ''}`,
  timelineDecision: (question, label) => `${question} → ${label}`,
  mitigated: (at, action, target, who) =>
    `Mitigated: ${at}, ${action} on ${target}${who ? ` by ${who}` : ''} (the first verified remediation)`,
  notMitigated: 'Mitigated: no verified remediation was recorded.',
  recoveredAlarm: (at) =>
    `Recovered: ${at}, when the incident's alarms, and those that fired through its remediation's outage, were all back to OK`,
  recoveredResolution: (at) => `Recovered: ${at}, the incident's resolution (no alarm recovery was recorded)`,
  notRecovered: "Not recovered yet: the incident's alarms are not all back to OK and it is not resolved.",
  notRecoveredOutage:
    "Not recovered yet: the incident is resolved, but an alarm that fired through its remediation's outage is still in ALARM.",
  fromRoom: 'What the responder wrote:',
  findings: 'Findings',
  evidence: 'Evidence',
  evidenceFound: (kind, service, from, to, who) =>
    `${kind === 'logs' ? 'Logs' : 'Traces'} of ${service}, ${from} – ${to} (against the same length before)${who ? `, read by ${who}` : ''}:`,
  evidencePartial: '(a partial read: counts are lower bounds)',
  prevention: 'Prevention',
  monitoring: 'Monitoring',
  decisions: 'Decisions',
  recordedFollowUps: 'Recorded follow-ups',
  noRecordedFollowUps: 'No follow-ups recorded yet.',
  proposedFollowUps: 'Proposed follow-ups (named in the incident room, not recorded yet)',
  proposedFrom: (who, at, kind) => `${kind === 'decision' ? 'decision' : 'note'} by ${who}, ${at}`,
  recordHint: 'Record one with `vitascope-oncall followup INCIDENT TEXT --owner NAME --due DATE`.',
  colProposed: 'Proposed follow-up',
  colFrom: 'From',
  mark: { acknowledged: 'acknowledged', mitigated: 'mitigated', recovered: 'recovered' },
  chartLegend: (items) => `Marks: ${items}`,
  hint: {
    credited: (action, target, after) =>
      `${action} on ${target} was applied ${after} before the alarms recovered, within its verification`,
    recoveredBeforeAction: (action, target, after) =>
      `${action} on ${target} came ${after} after the alarms had already recovered`,
    recoveredAfterVerification: (action, target, after) =>
      `${action} on ${target} was verified, but the alarms recovered only ${after} after its verification: the recovery is not credited to it`,
    recoveredWithoutAction: (at) => `The alarms recovered at ${at} with no verified remediation before it`,
    recoveredAtResolution: (at, recovered, still) =>
      recovered === 0
        ? `No alarm recovery was recorded; the incident was resolved at ${at}`
        : `Not all of its alarms had recovered when the incident was resolved at ${at}${still ? ` (still in ALARM as last recorded: ${still})` : ''}`,
  },
  handover: (o, i, at) => `Outgoing: **${o}** → incoming: **${i}**${at ? `, at ${at}` : ''}`,
  staysOnCall: (p, at) => `**${p}** stays on call for the next shift${at ? ` (from ${at})` : ''}`,
  handoverFrom: {
    schedule: 'the rotation',
    acknowledgements: "who acknowledged the period's incidents",
    'handoff-note': 'who wrote the handoff note',
    'handoff-acknowledgement': 'who acknowledged the handoff note',
  },
  notEnoughHistory: (span, needed) => `not enough history (${span}) to forecast; ${needed} needed`,
  colIncidentDowntime: 'P1/P2 downtime',
  suggestion: {
    notEnoughData: (span, needed) => `not enough metric history (${span}; ${needed} needed) to suggest a threshold`,
    oneFiring: 'one unanswered firing is not a pattern: no change suggested',
    wouldCrossNext: (next) =>
      `a threshold above the unanswered peaks would reach the next level (${next}): tune the duration instead`,
    notNumeric: 'a state alarm (up or down): there is no threshold to move',
  },
  footer: {
    recovery:
      'Recovered: when the last of the incident\'s alarms went back to OK, and not before the alarms that fired since it opened and were in ALARM through a verified remediation\'s own outage (its apply to its verification) are OK again; where no alarm recovery was recorded, when the incident was resolved. Mitigated: the first verified remediation — a change to the system made for real (not paging bookkeeping such as acknowledge, note or resolve, not a read-only command, not a dry run). "What went well" credits a remediation with the recovery only when the alarms recovered after it and within its verification.',
    concise:
      "Timeline: alarm transitions, the incident's state changes, decisions, actions with their before → after, and notes; `--verbose` adds every runbook step and each stage of each action. Read-only commands are evidence: counted, not listed as actions.",
    followUps:
      'Proposed follow-ups: lines of notes and decisions that name an owner ("owner: Kenji", "@kenji", "担当: 佐藤", "Kenji by 2026-12-10") or a due date after by/due/until/期限/まで, and notes written for a follow-up step; a recorded follow-up with the same owner and day covers one.',
  },
};

export const jaRecord: RecordMessages = {
  readOnlyChecks: (n) => `読み取りのみのコマンドを証跡として ${n} 件実行（対応としては記載していません）。`,
  readOnlyChecksDry: (n) =>
    `読み取りのみのコマンド ${n} 件はドライランとして記録（実行していないため証跡ではありません）。`,
  conciseTimeline: 'ランブックの各手順と対応の各段階は省略しています。すべての記録は `--verbose` で表示されます。',
  timelineAction: (action, target, outcome, evidence) =>
    `${target} への ${action}: ${outcome}${evidence ? `（${evidence}）` : ''}`,
  timelineDecision: (question, label) => `${question} → ${label}`,
  mitigated: (at, action, target, who) =>
    `緩和: ${at}、${target} への ${action}${who ? `（${who}）` : ''}（最初に効果確認できた対応）`,
  notMitigated: '緩和: 効果確認できた対応の記録はありません。',
  recoveredAlarm: (at) =>
    `復旧: ${at}（インシデントのアラームと、対応による停止中に発報していたアラームがすべて OK に戻った時刻）`,
  recoveredResolution: (at) => `復旧: ${at}（アラームの回復記録がないため、インシデントの解決時刻）`,
  notRecovered: '未復旧: インシデントのアラームがすべて OK には戻っておらず、未解決です。',
  notRecoveredOutage: '未復旧: インシデントは解決済みですが、対応による停止中に発報したアラームがまだ ALARM です。',
  fromRoom: '対応者の記録:',
  findings: '調査結果',
  evidence: '証拠',
  evidenceFound: (kind, service, from, to, who) =>
    `${service} の${kind === 'logs' ? 'ログ' : 'トレース'}、${from} – ${to}（直前の同じ長さの期間と比較）${who ? `、${who} が確認` : ''}:`,
  evidencePartial: '（一部のみ読み取り: 件数は下限です）',
  prevention: '再発防止',
  monitoring: '監視の改善',
  decisions: '判断',
  recordedFollowUps: '記録済みのフォローアップ',
  noRecordedFollowUps: 'フォローアップはまだ記録されていません。',
  proposedFollowUps: 'フォローアップ案（インシデントルームで挙がったもの、未記録）',
  proposedFrom: (who, at, kind) => `${who} の${kind === 'decision' ? '判断' : 'メモ'}（${at}）`,
  recordHint: '`vitascope-oncall followup INCIDENT TEXT --owner NAME --due DATE` で記録してください。',
  colProposed: 'フォローアップ案',
  colFrom: '出典',
  mark: { acknowledged: '受付', mitigated: '緩和', recovered: '復旧' },
  chartLegend: (items) => `印: ${items}`,
  hint: {
    credited: (action, target, after) =>
      `${target} への ${action} の実施から ${after} 後、効果確認の範囲内でアラームが回復`,
    recoveredBeforeAction: (action, target, after) => `${target} への ${action} はアラーム回復の ${after} 後に実施`,
    recoveredAfterVerification: (action, target, after) =>
      `${target} への ${action} は効果確認済みだが、アラームの回復は確認の ${after} 後: 復旧をこの対応の成果とはしない`,
    recoveredWithoutAction: (at) => `${at} にアラームが回復（それ以前に効果確認できた対応なし）`,
    recoveredAtResolution: (at, recovered, still) =>
      recovered === 0
        ? `アラームの回復は記録されていません。インシデントの解決は ${at}`
        : `${at} の解決時点で、すべてのアラームは回復していませんでした${still ? `（最後の記録で ALARM のまま: ${still}）` : ''}`,
  },
  handover: (o, i, at) => `前任: **${o}** → 後任: **${i}**${at ? `（交代 ${at}）` : ''}`,
  staysOnCall: (p, at) => `次のシフトも **${p}** が担当${at ? `（${at} から）` : ''}`,
  handoverFrom: {
    schedule: 'ローテーション',
    acknowledgements: '期間中のインシデントを受付した人',
    'handoff-note': '引き継ぎメモを書いた人',
    'handoff-acknowledgement': '引き継ぎメモを確認した人',
  },
  notEnoughHistory: (span, needed) => `予測には履歴が不足（${span}、必要 ${needed}）`,
  colIncidentDowntime: 'P1/P2 停止時間',
  suggestion: {
    notEnoughData: (span, needed) => `閾値の変更案を出すにはメトリクス履歴が不足（${span}、必要 ${needed}）`,
    oneFiring: '無応答の発火が 1 回だけのため、変更案は出しません',
    wouldCrossNext: (next) =>
      `対応不要だった発報のピークより上の閾値は次のレベル（${next}）に達するため、継続時間の条件で調整してください`,
    notNumeric: '状態のアラーム（正常か障害か）: 動かせる閾値はありません',
  },
  footer: {
    recovery:
      '復旧: インシデントのアラームのうち最後のものが OK に戻った時刻。ただし、インシデント発生後に発報し、効果確認できた対応の停止中（実行から効果確認まで）に ALARM だったアラームが OK に戻るまでは復旧としない。アラームの回復記録がなければインシデントの解決時刻。緩和: 最初に効果確認できた対応（実際にシステムを変更したもの。受付・メモ・解決などの呼び出しの記録、読み取りのみのコマンド、ドライランは含めない）。「うまくいったこと」で復旧を対応の成果とするのは、対応の後かつ効果確認の範囲内でアラームが回復した場合のみ。',
    concise:
      'タイムライン: アラームの状態遷移、インシデントの状態変化、判断、対応（前 → 後）、メモ。`--verbose` でランブックの各手順と対応の各段階も表示。読み取りのみのコマンドは証跡として件数のみ記載。',
    followUps:
      'フォローアップ案: メモや判断の行のうち担当者（「担当: 佐藤」「owner: Kenji」「@kenji」「Kenji by 2026-12-10」）や期限（期限・まで・by・due・until の後の日付）を挙げた文と、フォローアップ用の手順で書かれたメモ。担当者と日付が同じ記録済みのフォローアップがあれば除外。',
  },
};
