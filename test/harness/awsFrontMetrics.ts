/**
 * GetMetricData for the AWS front (awsFront.ts), where moto falls short of AWS:
 * - more than 500 queries is a 400 (moto accepts any number); ids must match ^[a-z][a-zA-Z0-9_]*$ and
 *   be unique;
 * - metric-math expressions beyond a bare id (moto's only kind) are evaluated here over moto's series;
 * - answers can be cut into NextToken pages of a few datapoints (datapointsPerPage), as AWS does at
 *   MaxDatapoints (100,800 by default).
 */
import { decodeToken, encodeToken, jsonAnswer, jsonError, type Answer, type FrontRequest } from './awsFront.js';

type Json = Record<string, unknown>;
const answer = (value: unknown): Answer => jsonAnswer(200, value, 'application/x-amz-json-1.0');

export class MetricDataEmulation {
  reset(): void {
    this.datapointsPerPage = undefined;
  }

  async handle(r: FrontRequest): Promise<Answer | undefined> {
    const queries = (r.json.MetricDataQueries as Json[] | undefined) ?? [];
    if (queries.length > 500)
      return jsonError(
        'ValidationException',
        `1 validation error detected: Value at 'metricDataQueries' failed to satisfy constraint: Member must have length less than or equal to 500 (got ${queries.length})`,
      );
    const ids = new Set<string>();
    for (const q of queries) {
      const id = String(q.Id);
      if (!/^[a-z][a-zA-Z0-9_]*$/.test(id) || ids.has(id))
        return jsonError(
          'ValidationException',
          `The value ${id} for parameter MetricDataQueries.member.Id is invalid or repeated.`,
        );
      ids.add(id);
    }
    const offset = decodeToken(r.json.NextToken);
    if (offset === undefined) return jsonError('InvalidNextToken', 'The service returned an invalid NextToken.');
    const body = { ...r.json };
    delete body.NextToken;
    const math = queries.filter((q) => typeof q.Expression === 'string' && !ids.has(String(q.Expression)));
    let results: Json[];
    if (math.length === 0) {
      const res = await r.upstream(body);
      if (res.status !== 200) return res;
      results = ((JSON.parse(res.body) as Json).MetricDataResults as Json[]) ?? [];
    } else {
      // Ask moto for every metric (ReturnData true), then evaluate the expressions here.
      const stats = queries.filter((q) => q.MetricStat);
      const res = await r.upstream({ ...body, MetricDataQueries: stats.map((q) => ({ ...q, ReturnData: true })) });
      if (res.status !== 200) return res;
      const raw = ((JSON.parse(res.body) as Json).MetricDataResults as Json[]) ?? [];
      const series = new Map<string, Map<number, number>>();
      for (const x of raw) {
        const ts = x.Timestamps as number[];
        const vs = x.Values as number[];
        series.set(String(x.Id), new Map(ts.map((t, i) => [t, vs[i]!])));
      }
      results = raw.filter((x) => stats.find((q) => q.Id === x.Id)?.ReturnData !== false);
      for (const q of math)
        results.push({
          Id: q.Id,
          Label: q.Label ?? q.Id,
          StatusCode: 'Complete',
          ...evaluate(String(q.Expression), series),
        });
    }
    return answer(this.pageDatapoints(results, offset));
  }

  /**
   * Datapoints per GetMetricData answer: AWS stops at MaxDatapoints (100,800 by default) and hands a
   * NextToken for the rest, each query's points continuing where they stopped. Unset: one answer.
   */
  datapointsPerPage?: number;

  private pageDatapoints(results: Json[], offset: number): Json {
    const size = this.datapointsPerPage;
    if (!size) return { MetricDataResults: results, Messages: [] };
    let seen = 0;
    let total = 0;
    const page = results.map((x) => {
      const ts = x.Timestamps as number[];
      const vs = x.Values as number[];
      const from = Math.min(ts.length, Math.max(0, offset - seen));
      const to = Math.min(ts.length, Math.max(0, offset + size - seen));
      seen += ts.length;
      total += ts.length;
      return { ...x, Timestamps: ts.slice(from, to), Values: vs.slice(from, to) };
    });
    const more = offset + size < total;
    return {
      MetricDataResults: page.map((x) => ({ ...x, StatusCode: more ? 'PartialData' : 'Complete' })),
      Messages: [],
      ...(more ? { NextToken: encodeToken(offset + size) } : {}),
    };
  }
}

/**
 * Evaluates + - * / ( ) over numbers and series ids, MAX([…]) and MIN([…]), and FILL(id, number), per
 * timestamp present in every series used (a FILL'd series counts as present wherever another one is,
 * as AWS fills the gaps of a metric that publishes nothing for a period, such as a 5xx count of zero).
 */
export function evaluate(
  expression: string,
  series: ReadonlyMap<string, ReadonlyMap<number, number>>,
): { Timestamps: number[]; Values: number[] } {
  const tokens = expression.match(/\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/()[\],]/g) ?? [];
  const FUNCS = new Set(['FILL', 'MAX', 'MIN']);
  const filled = new Set<string>();
  tokens.forEach((t, i) => {
    if (t === 'FILL' && tokens[i + 1] === '(') filled.add(tokens[i + 2]!);
  });
  const used = [...new Set(tokens.filter((t, i) => /^[A-Za-z_]/.test(t) && !(FUNCS.has(t) && tokens[i + 1] === '(')))];
  const strict = used.filter((id) => !filled.has(id));
  const all = [...new Set(used.flatMap((id) => [...(series.get(id)?.keys() ?? [])]))];
  const times = all.filter((t) => strict.every((id) => series.get(id)?.has(t))).sort((a, b) => a - b);
  const Timestamps: number[] = [];
  const Values: number[] = [];
  for (const t of times) {
    let i = 0;
    const list = (): number[] => {
      i++; // [
      const out = [sum()];
      while (tokens[i] === ',') {
        i++;
        out.push(sum());
      }
      i++; // ]
      return out;
    };
    const atom = (): number => {
      const tok = tokens[i++]!;
      if (tok === '(') {
        const v = sum();
        i++;
        return v;
      }
      if (tok === '-') return -atom();
      if (FUNCS.has(tok) && tokens[i] === '(') {
        i++; // (
        let v: number;
        if (tok === 'FILL') {
          const id = tokens[i++]!;
          i++; // ,
          const fill = Number(tokens[i++]);
          v = series.get(id)?.get(t) ?? fill;
        } else {
          const vs = list();
          v = tok === 'MAX' ? Math.max(...vs) : Math.min(...vs);
        }
        i++; // )
        return v;
      }
      return /^\d/.test(tok) ? Number(tok) : series.get(tok)!.get(t)!;
    };
    const product = (): number => {
      let v = atom();
      while (tokens[i] === '*' || tokens[i] === '/') v = tokens[i++] === '*' ? v * atom() : v / atom();
      return v;
    };
    const sum = (): number => {
      let v = product();
      while (tokens[i] === '+' || tokens[i] === '-') v = tokens[i++] === '+' ? v + product() : v - product();
      return v;
    };
    const v = sum();
    if (Number.isFinite(v)) {
      Timestamps.push(t);
      Values.push(v);
    }
  }
  return { Timestamps, Values };
}
