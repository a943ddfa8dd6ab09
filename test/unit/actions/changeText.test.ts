import { describe, expect, it } from 'vitest';
import { changeText } from '../../../src/core/actions/types.js';

describe('a change in words', () => {
  it('says what changes from what to what, and a command that runs without "null →"', () => {
    expect(changeText({ what: 'desired count', from: 2, to: 6 })).toBe('desired count: 2 → 6');
    expect(changeText({ what: 'runs', from: null, to: 'aws ecs describe-services' })).toBe(
      'runs: aws ecs describe-services',
    );
    expect(changeText({ what: 'enabled', from: false, to: true })).toBe('enabled: false → true');
  });
});
