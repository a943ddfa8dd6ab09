import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { safe, screenLine } from '../../src/core/sanitize.js';
import { Text } from '../../src/ui/components/SafeText.js';

// This file is compiled by `tsc -p tsconfig.json` (npm test's typecheck): each @ts-expect-error below
// fails the build if the line under it ever typechecks, i.e. if <Text> starts accepting raw strings.
const raw: string = 'alarm \u001b]2;PWN\u0007 \u001b[2J';

export function Refused(): React.ReactElement {
  return (
    <>
      {/* @ts-expect-error a raw string from outside is not Safe: it must go through the sanitiser */}
      <Text>{raw}</Text>
      {/* @ts-expect-error JSX text is a raw string too: the program's own labels are marked safe`…` */}
      <Text>plain label</Text>
      {/* @ts-expect-error a template literal is a plain string, whatever it interpolates */}
      <Text>{`  ${raw}`}</Text>
    </>
  );
}

describe('<Text> accepts only sanitised text', () => {
  it('renders Safe strings, numbers and elements; outside text shows its escapes, never acts on them', () => {
    const { lastFrame } = render(
      <Text>
        {safe`name: ${raw} · `}
        {3}
        <Text bold>{screenLine(raw)}</Text>
      </Text>,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toContain('name: alarm ␛]2;PWN␇ ␛[2J · 3alarm ␛]2;PWN␇ ␛[2J');
    expect(frame).not.toContain('\u0007');
  });
});
