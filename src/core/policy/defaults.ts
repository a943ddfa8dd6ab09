import { DEFAULT_ESCALATION, DEFAULT_PRIORITIES } from './priorities.js';
import { DEFAULT_RULES } from './rules.js';
import type { Policy } from './types.js';

/**
 * The policy as shipped, before any override from the configuration. Kept apart from overrides.ts
 * (the zod schema of the overrides) so that what only needs the defaults never loads zod.
 */
export const DEFAULT_POLICY: Policy = {
  rules: DEFAULT_RULES,
  priorities: DEFAULT_PRIORITIES,
  escalation: DEFAULT_ESCALATION,
  workingHours: { timeZone: 'Asia/Tokyo', start: 9, end: 18 },
};
