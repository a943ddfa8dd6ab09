/**
 * Deterministic noise: the same (seed, key, index) always gives the same number, with no state, so
 * the simulated past (before the sandbox starts) and the simulated present agree without storing it.
 */

/** A 32-bit hash of a string, FNV-1a. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 finaliser: a well-mixed 32-bit value from any 32-bit input. */
function mix(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Uniform in [0, 1) for (seed, key, index). */
export function uniform(seed: number, key: number, index: number): number {
  return mix(mix(seed ^ key) ^ Math.imul(index | 0, 0x27d4eb2d)) / 4294967296;
}

/** Uniform in [-1, 1). */
export function jitter(seed: number, key: number, index: number): number {
  return uniform(seed, key, index) * 2 - 1;
}

/** A seeded generator for the few choices a scenario makes once (which address attacks, …). */
export function generator(seed: number): () => number {
  let i = 0;
  return () => uniform(seed, 0x5eed, i++);
}
