import { hclString } from '../sanitize.js';
import type { CloudWatchAlarmSpec, CloudWatchExport, NotExported } from './cloudwatch.js';

export { hclString };

/**
 * The CloudWatch alarms as Terraform `aws_cloudwatch_metric_alarm` resources (pure), laid out the
 * way `terraform fmt` does (two-space indents, `=` aligned within a run of attributes), with what
 * CloudWatch cannot express listed as comments at the end.
 */

type Value = string | number | boolean | readonly string[] | Readonly<Record<string, string>>;
type Line =
  | { readonly attr: string; readonly value: Value }
  | { readonly block: string; readonly body: readonly Line[] }
  | { readonly blank: true };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function key(k: string): string {
  return IDENTIFIER.test(k) ? k : hclString(k);
}

/** A Terraform resource name for an alarm name: letters, digits and underscores, not starting with a digit. */
export function resourceName(alarm: string): string {
  const s = alarm.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

function render(lines: readonly Line[], indent: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if ('blank' in line) {
      out.push('');
      i += 1;
    } else if ('block' in line) {
      out.push(`${indent}${line.block} {`, ...render(line.body, `${indent}  `), `${indent}}`);
      i += 1;
    } else {
      // A run of single-line attributes shares one alignment column; a multi-line value ends the run.
      const run: { attr: string; value: Value }[] = [];
      while (i < lines.length && 'attr' in lines[i]! && !isMap((lines[i] as { value: Value }).value))
        run.push(lines[i++] as { attr: string; value: Value });
      if (run.length === 0) {
        const { attr, value } = line;
        const map = value as Readonly<Record<string, string>>;
        const width = Math.max(0, ...Object.keys(map).map((k) => key(k).length));
        out.push(`${indent}${attr} = {`);
        for (const [k, v] of Object.entries(map)) out.push(`${indent}  ${key(k).padEnd(width)} = ${hclString(v)}`);
        out.push(`${indent}}`);
        i += 1;
        continue;
      }
      const width = Math.max(...run.map((r) => r.attr.length));
      for (const r of run) out.push(`${indent}${r.attr.padEnd(width)} = ${scalar(r.value)}`);
    }
  }
  return out;
}

function isMap(v: Value): boolean {
  return typeof v === 'object' && !Array.isArray(v);
}

function scalar(v: Value): string {
  if (typeof v === 'string') return hclString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((s: string) => hclString(s)).join(', ')}]`;
  throw new Error('a map is not a scalar');
}

function alarmLines(spec: CloudWatchAlarmSpec): Line[] {
  const lines: Line[] = [
    { attr: 'alarm_name', value: spec.name },
    { attr: 'alarm_description', value: spec.description },
    { attr: 'comparison_operator', value: spec.comparison },
    { attr: 'threshold', value: spec.threshold },
    { attr: 'evaluation_periods', value: spec.evaluationPeriods },
    { attr: 'datapoints_to_alarm', value: spec.datapointsToAlarm },
    { attr: 'treat_missing_data', value: spec.treatMissingData },
    { attr: 'actions_enabled', value: true },
    { attr: 'alarm_actions', value: spec.alarmActions },
    { attr: 'ok_actions', value: spec.okActions },
  ];
  const m = spec.metric;
  if (m.kind === 'metric') {
    lines.push(
      { blank: true },
      { attr: 'namespace', value: m.namespace },
      { attr: 'metric_name', value: m.name },
      { attr: 'statistic', value: m.statistic },
      { attr: 'period', value: spec.periodSeconds },
    );
    if (Object.keys(m.dimensions).length) lines.push({ attr: 'dimensions', value: m.dimensions });
  } else {
    for (const input of m.inputs) {
      const metric: Line[] = [
        { attr: 'namespace', value: input.namespace },
        { attr: 'metric_name', value: input.name },
        { attr: 'stat', value: input.stat },
        { attr: 'period', value: spec.periodSeconds },
      ];
      if (Object.keys(input.dimensions).length) metric.push({ attr: 'dimensions', value: input.dimensions });
      lines.push(
        { blank: true },
        {
          block: 'metric_query',
          body: [
            { attr: 'id', value: input.id },
            { attr: 'return_data', value: false },
            { blank: true },
            { block: 'metric', body: metric },
          ],
        },
      );
    }
    lines.push(
      { blank: true },
      {
        block: 'metric_query',
        body: [
          { attr: 'id', value: 'e1' },
          { attr: 'expression', value: m.expression },
          { attr: 'label', value: m.label },
          { attr: 'return_data', value: true },
        ],
      },
    );
  }
  lines.push(
    { blank: true },
    {
      attr: 'tags',
      value: {
        'vitascope:rule': spec.ruleId,
        'vitascope:level': spec.level,
        'vitascope:managed-by': 'vitascope-oncall',
      },
    },
  );
  return lines;
}

function comment(text: string, indent = ''): string[] {
  return text.split('\n').map((l) => `#${l ? ` ${indent}${l}` : ''}`);
}

function notExportedComments(items: readonly NotExported[]): string[] {
  if (items.length === 0) return [];
  const out = ['', ...comment('NOT EXPORTED: rules CloudWatch cannot express as written in the policy.')];
  for (const n of items) {
    out.push('#', ...comment(`${n.ruleId} (${n.names.join(', ')}):`), ...comment(n.reason, '  '));
    for (const a of n.alternatives ?? []) out.push(...comment(`alternative: ${a}`, '  '));
  }
  return out;
}

/** The Terraform text for an export. */
export function terraformAlarms(exported: CloudWatchExport, header: readonly string[] = []): string {
  const out: string[] = [...header.flatMap((h) => comment(h))];
  for (const spec of exported.alarms) {
    if (out.length) out.push('');
    out.push(
      `resource "aws_cloudwatch_metric_alarm" ${hclString(resourceName(spec.name))} {`,
      ...render(alarmLines(spec), '  '),
      '}',
    );
  }
  out.push(...notExportedComments(exported.notExported));
  return `${out.join('\n')}\n`;
}
