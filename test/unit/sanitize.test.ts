import { describe, expect, it } from 'vitest';
import {
  hclString,
  jsonText,
  markdownText,
  safe,
  screenBlock,
  screenLine,
  svgText,
  terminalBlock,
  terminalLine,
  terminalShown,
  type Safe,
} from '../../src/core/sanitize.js';

// Hostile input: every class of the one rule set, each with what a terminal or viewer would do with it.
const ESC_CSI = '\u001b[2J\u001b[31m'; // clears the screen, turns text red
const OSC = '\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007\u001b]2;PWN\u001b\\'; // hyperlink, window title
const C1_CSI = '\u009b2J'; // one-byte CSI
const BIDI = 'user\u202eexe.txt\u2066x\u2069\u200f'; // right-to-left override, isolates, a mark
const CR = 'harmless\roverwritten';
const NUL = 'a\u0000b';
const LONE = 'half \ud83d and \ude00 half; whole \ud83d\ude00';
const SEPARATORS = 'line\u2028para\u2029end';
const ALL = [ESC_CSI, OSC, C1_CSI, BIDI, CR, NUL, LONE, SEPARATORS].join(' | ');

/** Characters the rule set refuses, as a terminal would meet them: none may survive a terminal variant. */
const RAW =
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const RAW_BUT_BREAKS = new RegExp(RAW.source.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b-\\u001f'));

describe('one sanitiser, named variants', () => {
  it('terminalLine: nothing a terminal acts on survives, on one line; breaks and tabs become spaces', () => {
    const out = terminalLine(ALL);
    expect(out).not.toMatch(RAW);
    expect(out).not.toContain('\n');
    expect(terminalLine(ESC_CSI)).toBe('␛[2J␛[31m');
    expect(terminalLine(C1_CSI)).toBe('\\u009b2J');
    expect(terminalLine(BIDI)).toBe('user\\u202eexe.txt\\u2066x\\u2069\\u200f');
    expect(terminalLine(CR)).toBe('harmless overwritten');
    expect(terminalLine('a\r\nb\tc\nd')).toBe('a b c d');
    expect(terminalLine(NUL)).toBe('a␀b');
    // Half a character becomes U+FFFD; a whole one (an emoji) is kept.
    expect(terminalLine(LONE)).toBe('half \ufffd and \ufffd half; whole \ud83d\ude00');
    expect(terminalLine(SEPARATORS)).toBe('line para end');
    // Ordinary text, Japanese included, is the same string.
    expect(terminalLine('API CPU使用率が70%を超えています')).toBe('API CPU使用率が70%を超えています');
  });

  it('terminalBlock keeps \\n and \\t and shows a lone CR; terminalShown shows every break too', () => {
    expect(terminalBlock(`one\r\ntwo\tcols\n${CR}`)).toBe('one\ntwo\tcols\nharmless␍overwritten');
    expect(terminalBlock(ALL)).not.toMatch(RAW_BUT_BREAKS);
    expect(terminalShown('a\nb\u001b[0m')).toBe('a␊b␛[0m');
    expect(terminalShown(ALL)).not.toMatch(RAW);
  });

  it('screenBlock keeps line breaks as breaks, tabs as spaces, shows every other control, and is bounded', () => {
    expect(screenBlock('select 1;\n\tfrom x\r\nend', 100)).toBe('select 1;\n  from x\nend');
    expect(screenBlock(ALL, 10_000)).not.toMatch(RAW_BUT_BREAKS);
    expect(screenBlock('a'.repeat(50), 10)).toBe('a'.repeat(10));
  });

  it("markdownText keeps the document's lines, shows the rest", () => {
    expect(markdownText(`# t\n\n${OSC}`)).toBe('# t\n\n␛]8;;https://evil.example␇link␛]8;;␇␛]2;PWN␛\\');
    expect(markdownText(ALL)).not.toMatch(RAW_BUT_BREAKS);
  });

  it('svgText: well-formed XML text, entities escaped, nothing XML forbids', () => {
    const out = svgText(`<script>alert("x")</script> & 'q' ${ALL} \ufffe`);
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos;');
    expect(out).not.toMatch(RAW);
    expect(out).not.toMatch(/[\ufffe\uffff<>"]/);
  });

  it('hclString: one valid HCL literal; escapes, not symbols; templates disarmed', () => {
    expect(hclString('say "hi"\\n\n${var.x} %{if}')).toBe('"say \\"hi\\"\\\\n\\n$${var.x} %%{if}"');
    const out = hclString(ALL);
    expect(out).not.toMatch(RAW);
    expect(out).toContain('\\u001b[2J');
    expect(out).toContain('\\u202e'); // a bidi override in a .tf file would reorder the code around it
    expect(out).toContain('\\ufffd'); // half a character
    expect(hclString(CR)).toBe('"harmless\\roverwritten"');
  });

  it('jsonText: the same value, with nothing raw a terminal or viewer acts on', () => {
    const value = { name: ALL, n: 3 };
    const out = jsonText(value);
    expect(out).not.toMatch(RAW);
    expect(JSON.parse(jsonText(value, 2))).toEqual(value);
    // JSON.stringify writes lone surrogates as \u escapes itself: the value reads back the same.
    expect(JSON.parse(out)).toEqual(value);
  });

  it('100 KB of hostile text is handled, in time linear in its length', () => {
    const big = (ESC_CSI + BIDI + LONE + 'x'.repeat(200)).repeat(Math.ceil(100_000 / 260)).slice(0, 100_000);
    for (const f of [terminalLine, terminalBlock, terminalShown, markdownText, svgText, hclString]) {
      const out = f(big);
      expect(out).not.toMatch(RAW_BUT_BREAKS);
      expect(out.length).toBeGreaterThanOrEqual(big.length * 0.9);
    }
    expect(screenLine(big).length).toBeLessThanOrEqual(512 * 6);
  });

  it("the safe tag sanitises what is interpolated, never the program's own literal", () => {
    const name = 'api\u001b[2J';
    const label: Safe = safe`  alarm ${name} (${3} in ALARM)`;
    expect(label).toBe('  alarm api␛[2J (3 in ALARM)');
    // A Safe value goes through unchanged: the sanitiser is idempotent.
    expect(safe`${terminalLine(name)}`).toBe(terminalLine(name));
  });
});
