/**
 * Tolerant readers for PagerDuty's JSON. What comes back is parsed leniently: some of PagerDuty's own
 * examples do not validate against its schemas (TESTING.md), and a missing optional field must never
 * crash a refresh. Every reader returns undefined (or an empty array) for anything unexpected.
 */
import type { Person, PriorityName } from '../../core/model.js';

export type Raw = Readonly<Record<string, unknown>>;

export function obj(value: unknown): Raw | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : undefined;
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A finite integer, or undefined (numeric strings are accepted). */
export function int(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/** An ISO-8601 time as epoch ms, or undefined. */
export function time(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

/** A reference ({ id, summary } or a full object with name): its id and display name. */
export function ref(value: unknown): { id: string; name: string } | undefined {
  const r = obj(value);
  const id = str(r?.id);
  if (!r || !id) return undefined;
  return { id, name: str(r.summary) ?? str(r.name) ?? id };
}

/** A user reference (or full user) as a Person. */
export function person(value: unknown): Person | undefined {
  const r = ref(value);
  if (!r) return undefined;
  const email = str(obj(value)?.email);
  return email ? { ...r, email } : r;
}

/** People without duplicates (by id), in first-seen order. */
export function uniquePeople(people: readonly (Person | undefined)[]): Person[] {
  const seen = new Map<string, Person>();
  for (const p of people) if (p && !seen.has(p.id)) seen.set(p.id, p);
  return [...seen.values()];
}

/** PagerDuty priority names the strategy knows (P1–P4); others (P5, custom names) map to undefined. */
export function priorityName(value: unknown): PriorityName | undefined {
  const name = str(value)?.trim().toUpperCase();
  return name === 'P1' || name === 'P2' || name === 'P3' || name === 'P4' ? name : undefined;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
