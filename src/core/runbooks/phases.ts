// The runbook's phases and step kinds, apart from the zod schema (schema.ts): the cockpit's key router
// reads them (marks.ts) at start, and building the schema is work its first frame need not wait for.
export const PHASES = ['detect', 'triage', 'investigate', 'resolve', 'postmortem'] as const;
export type Phase = (typeof PHASES)[number];

export const STEP_KINDS = ['check', 'query', 'action', 'command', 'note', 'decision', 'link', 'logs', 'traces'] as const;
export type StepKind = (typeof STEP_KINDS)[number];
