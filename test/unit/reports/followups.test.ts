import { describe, expect, it } from 'vitest';
import { isReadOnlyCommand } from '../../../src/core/reports/actions.js';
import { markLine, sparklineOver } from '../../../src/core/reports/charts.js';
import { dueIn, followUpCandidates, ownerIn, zonedMidnight } from '../../../src/core/reports/followups.js';
import { code, quote, text } from '../../../src/core/reports/markdown.js';
import type { ReportNote } from '../../../src/core/reports/types.js';

const MIN = 60_000;
const TOKYO = 'Asia/Tokyo';
/** Wed 2026-01-07 03:00 in Tokyo. */
const WRITTEN = Date.UTC(2026, 0, 6, 18, 0);
const tokyo = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) - 9 * 60 * MIN;

describe('owners and due dates named in notes', () => {
  it('recognises an owner however the responder wrote it', () => {
    expect(ownerIn('Cap the pool. owner: Kenji Sato, due 12/10')).toBe('Kenji Sato');
    expect(ownerIn('Owner - Maya Chen (platform)')).toBe('Maya Chen');
    expect(ownerIn('ask @kenji.sato to review the limits')).toBe('kenji.sato');
    expect(ownerIn('assigned to Maya')).toBe('Maya');
    expect(ownerIn('Kenji by 2026-12-10: lower the limits again')).toBe('Kenji');
    expect(ownerIn('容量の見直し。担当: 佐藤')).toBe('佐藤');
    expect(ownerIn('担当者：田中さん、期限：12月10日')).toBe('田中');
  });

  it("does not take a sentence's first word or an address for a person", () => {
    expect(ownerIn('Review by Friday whether the limits can come down')).toBeUndefined();
    expect(ownerIn('mail kenji@example.com about it')).toBeUndefined();
    expect(ownerIn('The partner job retried without back-off')).toBeUndefined();
  });

  it("reads a due date only after a word that makes it one, as a day in the team's time zone", () => {
    expect(dueIn('owner: Kenji, due 12/10', WRITTEN, TOKYO)).toEqual({ dueAt: tokyo(2026, 12, 10), due: 'due 12/10' });
    expect(dueIn('Kenji by 2026-12-10', WRITTEN, TOKYO)?.dueAt).toBe(tokyo(2026, 12, 10));
    expect(dueIn('until 15 Feb', WRITTEN, TOKYO)?.dueAt).toBe(tokyo(2026, 2, 15));
    expect(dueIn('deadline: March 3rd 2027', WRITTEN, TOKYO)?.dueAt).toBe(tokyo(2027, 3, 3));
    // A month/day without a year is the next one: 1/5 written on 7 January is next year's.
    expect(dueIn('by 1/5', WRITTEN, TOKYO)?.dueAt).toBe(tokyo(2027, 1, 5));
    // A weekday: the next one on or after the day it was written (Wed 7 Jan → Fri 9 Jan).
    expect(dueIn('by Friday', WRITTEN, TOKYO)?.dueAt).toBe(tokyo(2026, 1, 9));
    expect(dueIn('期限: 1月20日', WRITTEN, TOKYO)?.dueAt).toBe(tokyo(2026, 1, 20));
    expect(dueIn('2026年2月1日までに対応', WRITTEN, TOKYO)?.dueAt).toBe(tokyo(2026, 2, 1));
    expect(dueIn('12/24まで', WRITTEN, TOKYO)?.dueAt).toBe(tokyo(2026, 12, 24));
  });

  it('leaves dates that are not deadlines, and impossible dates, alone', () => {
    expect(dueIn('deployed 2026-01-05 10:00', WRITTEN, TOKYO)).toBeUndefined();
    expect(dueIn('1/2 tasks running since 02:57', WRITTEN, TOKYO)).toBeUndefined();
    expect(dueIn('by when?', WRITTEN, TOKYO)).toBeUndefined();
    expect(dueIn('by 2/30', WRITTEN, TOKYO)).toBeUndefined();
    expect(dueIn('by Monitoring the queue', WRITTEN, TOKYO)).toBeUndefined();
  });

  it("puts midnight where the team's calendar has it, across zones and daylight saving", () => {
    expect(zonedMidnight(2026, 12, 10, 'Asia/Tokyo')).toBe(Date.UTC(2026, 11, 9, 15));
    expect(zonedMidnight(2026, 7, 1, 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 4));
    expect(zonedMidnight(2026, 1, 15, 'America/New_York')).toBe(Date.UTC(2026, 0, 15, 5));
    expect(zonedMidnight(2026, 3, 1, 'Asia/Kolkata')).toBe(Date.UTC(2026, 1, 28, 18, 30));
  });

  it("proposes one follow-up per line that names them, and a follow-up step's note as a whole", () => {
    const note = (text: string, extra: Partial<ReportNote> = {}): ReportNote => ({
      at: WRITTEN,
      who: 'Aiko',
      text,
      origin: 'journal',
      ...extra,
    });
    const found = followUpCandidates(
      [
        note('Keep min 4 until the review. owner: Kenji, due 12/10\nNothing else to add.'),
        note('Rate limits: Maya by 2026-02-15. Client back-off: @ren by 2026-03-01.'),
        note('Decide whether to lower the limits again', { section: 'follow-up' }),
        note('The partner job retried without back-off.'),
      ],
      [
        {
          at: WRITTEN + MIN,
          who: 'Aiko',
          stepId: 'keep',
          question: 'Keep the block?',
          label: 'Keep it; review owner: Maya',
        },
      ],
      [],
      TOKYO,
    );
    expect(found.map((f) => [f.text, f.owner, f.dueAt])).toEqual([
      ['Keep min 4 until the review. owner: Kenji, due 12/10', 'Kenji', tokyo(2026, 12, 10)],
      ['Rate limits: Maya by 2026-02-15.', 'Maya', tokyo(2026, 2, 15)],
      ['Client back-off: @ren by 2026-03-01.', 'ren', tokyo(2026, 3, 1)],
      ['Decide whether to lower the limits again', undefined, undefined],
      ['Keep the block?: Keep it; review owner: Maya', 'Maya', undefined],
    ]);
  });
});

describe('read-only commands', () => {
  it('knows a command that only reads from its argument array, and says no when unsure', () => {
    for (const argv of [
      ['aws', 'ecs', 'describe-services', '--cluster', 'c'],
      ['aws', 'logs', 'tail', '/ecs/api', '--since', '30m'],
      ['/usr/local/bin/aws', '--region', 'ap-northeast-1', 'sqs', 'get-queue-attributes'],
      ['aws', 'application-autoscaling', 'describe-scaling-activities'],
      ['kubectl', 'get', 'pods'],
      ['dig', 'api.example.com'],
    ]) {
      expect(isReadOnlyCommand(argv), argv.join(' ')).toBe(true);
    }
    for (const argv of [
      ['aws', 'lambda', 'update-alias', '--name', 'live'],
      ['aws', 'ecs', 'update-service', '--force-new-deployment'],
      ['aws', '--profile', 'describe-me', 'rds', 'reboot-db-instance'],
      ['aws'],
      ['kubectl', 'delete', 'pod', 'x'],
      ['psql', '-c', 'select 1'],
      ['sh', '-c', 'cat /etc/passwd'],
    ]) {
      expect(isReadOnlyCommand(argv), argv.join(' ')).toBe(false);
    }
  });
});

describe('Markdown escaping', () => {
  it('neutralises markup with backslashes, never with HTML entities', () => {
    expect(text('CPU < 70 & <b>bold</b> &amp; done')).toBe('CPU \\< 70 & \\<b\\>bold\\</b\\> \\&amp; done');
    expect(text('plain text, nothing to do')).toBe('plain text, nothing to do');
    expect(code('a < b')).toBe('`a < b`');
    expect(quote('line <1>\nline 2')).toBe('> line \\<1\\>\n> line 2');
  });
});

describe('text sparklines over time', () => {
  it('slices the span evenly, blank where there is no data, and puts each mark under its slice', () => {
    const from = 0;
    const to = 40 * MIN;
    const points = [
      { t: 0, v: 1 },
      { t: 10 * MIN, v: 5 },
      { t: 39 * MIN, v: 9 },
    ];
    const line = sparklineOver(points, from, to, 40);
    expect(line).toHaveLength(40);
    expect(line[0]).toBe('▁');
    expect(line[10]).not.toBe(' ');
    expect(line[39]).toBe('█');
    expect(line.slice(1, 10).trim()).toBe('');
    // Two marks in one slice: the second goes to the next free one.
    expect(
      markLine(
        [
          { at: 5 * MIN, letter: 'A' },
          { at: 5 * MIN + 10_000, letter: 'M' },
          { at: 20 * MIN, letter: 'R' },
        ],
        from,
        to,
        40,
      ),
    ).toBe(`${' '.repeat(5)}AM${' '.repeat(13)}R`);
    // A mark outside the span is left out.
    expect(markLine([{ at: to + MIN, letter: 'R' }], from, to, 40)).toBe('');
  });
});
