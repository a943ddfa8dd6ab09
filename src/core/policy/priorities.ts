import type { EscalationLevelDef, PriorityDef } from './types.js';

/**
 * The strategy's incident priorities (緊急度レベル). "Immediately" is given a 15-minute target so that a
 * countdown can be shown; P4 ("next sprint") has no clock.
 */
export const DEFAULT_PRIORITIES: readonly PriorityDef[] = [
  {
    name: 'P1',
    label: { en: 'urgent', ja: '緊急' },
    description: {
      en: 'Service outage, data leak: needs action now',
      ja: 'サービス停止、データ漏洩など即時対応が必要な問題',
    },
    responseTargetMinutes: 15,
    responseTarget: { en: 'immediately (24/7)', ja: '即時（24 時間）' },
    aroundTheClock: true,
    channels: ['phone', 'email', 'chat'],
    urgency: 'high',
  },
  {
    name: 'P2',
    label: { en: 'high', ja: '高' },
    description: { en: 'A feature down, degraded performance: large business impact', ja: '特定機能の障害、性能劣化' },
    responseTargetMinutes: 240,
    responseTarget: { en: 'within 4 hours (24/7)', ja: '4 時間以内' },
    aroundTheClock: true,
    channels: ['email', 'chat'],
    urgency: 'high',
  },
  {
    name: 'P3',
    label: { en: 'medium', ja: '中' },
    description: { en: 'Non-critical: part of a feature affected', ja: '非クリティカルな問題、一部機能に影響' },
    responseTargetMinutes: 1440,
    responseTarget: { en: 'within 24 hours', ja: '24 時間以内' },
    aroundTheClock: false,
    channels: ['email', 'chat'],
    urgency: 'low',
  },
  {
    name: 'P4',
    label: { en: 'low', ja: '低' },
    description: { en: 'Minor: no immediate action needed', ja: '軽微な問題、即時対応不要' },
    responseTarget: { en: 'next sprint', ja: '次のスプリント' },
    aroundTheClock: false,
    channels: ['ticket'],
    urgency: 'low',
  },
];

/** Primary → secondary → engineering manager, 30 minutes each (the strategy's PagerDuty policy). */
export const DEFAULT_ESCALATION: readonly EscalationLevelDef[] = [
  { level: 1, role: 'primary', delayMinutes: 30 },
  { level: 2, role: 'secondary', delayMinutes: 30 },
  { level: 3, role: 'manager', delayMinutes: 30 },
];
