/**
 * The small part of CloudWatch metric math the policy's rules use, evaluated the same way in the
 * sandbox (its alarms) and checked before an expression is exported: numbers, identifiers (a rule's
 * input metrics, and a resource's capacity limits such as allocated_storage_gib), + - * /, parentheses,
 * and MAX([a, b, …]) / MIN([…]). No eval: a small recursive-descent parser.
 */

type Token = { kind: 'num'; value: number } | { kind: 'id'; name: string } | { kind: 'op'; op: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/(),[\]]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new Error(`metric math: cannot read ${JSON.stringify(text.slice(at, at + 12))}`);
    at = re.lastIndex;
    if (m[1] !== undefined) out.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ kind: 'id', name: m[2] });
    else out.push({ kind: 'op', op: m[3]! });
  }
  return out;
}

type Node =
  | { kind: 'num'; value: number }
  | { kind: 'id'; name: string }
  | { kind: 'bin'; op: string; a: Node; b: Node }
  | { kind: 'neg'; a: Node }
  | { kind: 'fn'; fn: 'MAX' | 'MIN'; args: Node[] };

function parse(text: string): Node {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const isOp = (op: string) => peek()?.kind === 'op' && (peek() as { op: string }).op === op;
  const expect = (op: string) => {
    if (!isOp(op)) throw new Error(`metric math: expected ${op} in ${text}`);
    i++;
  };
  const primary = (): Node => {
    const t = peek();
    if (!t) throw new Error(`metric math: ${text} ends too early`);
    if (t.kind === 'num') return (i++, { kind: 'num', value: t.value });
    if (t.kind === 'id') {
      i++;
      const upper = t.name.toUpperCase();
      if ((upper === 'MAX' || upper === 'MIN') && isOp('(')) {
        expect('(');
        expect('[');
        const args = [expr()];
        while (isOp(',')) {
          i++;
          args.push(expr());
        }
        expect(']');
        expect(')');
        return { kind: 'fn', fn: upper, args };
      }
      return { kind: 'id', name: t.name };
    }
    if (isOp('-')) return (i++, { kind: 'neg', a: primary() });
    if (isOp('(')) {
      i++;
      const e = expr();
      expect(')');
      return e;
    }
    throw new Error(`metric math: unexpected ${t.op} in ${text}`);
  };
  const term = (): Node => {
    let a = primary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[i++] as { op: string }).op;
      a = { kind: 'bin', op, a, b: primary() };
    }
    return a;
  };
  const expr = (): Node => {
    let a = term();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[i++] as { op: string }).op;
      a = { kind: 'bin', op, a, b: term() };
    }
    return a;
  };
  const root = expr();
  if (i !== tokens.length) throw new Error(`metric math: unexpected text after ${text.slice(0, 40)}`);
  return root;
}

function names(n: Node, out: Set<string>): Set<string> {
  if (n.kind === 'id') out.add(n.name);
  else if (n.kind === 'bin') names(n.a, names(n.b, out));
  else if (n.kind === 'neg') names(n.a, out);
  else if (n.kind === 'fn') for (const a of n.args) names(a, out);
  return out;
}

/** The identifiers an expression uses (inputs and limits); throws on text it cannot read. */
export function expressionIdentifiers(text: string): string[] {
  return [...names(parse(text), new Set())].sort();
}

/** The value of an expression; undefined when an identifier has no value or a division is by zero. */
export function evaluateExpression(text: string, valueOf: (name: string) => number | undefined): number | undefined {
  const walk = (n: Node): number | undefined => {
    switch (n.kind) {
      case 'num':
        return n.value;
      case 'id':
        return valueOf(n.name);
      case 'neg': {
        const a = walk(n.a);
        return a === undefined ? undefined : -a;
      }
      case 'fn': {
        const vs = n.args.map(walk);
        if (vs.some((v) => v === undefined)) return undefined;
        return n.fn === 'MAX' ? Math.max(...(vs as number[])) : Math.min(...(vs as number[]));
      }
      case 'bin': {
        const a = walk(n.a);
        const b = walk(n.b);
        if (a === undefined || b === undefined) return undefined;
        if (n.op === '+') return a + b;
        if (n.op === '-') return a - b;
        if (n.op === '*') return a * b;
        return b === 0 ? undefined : a / b;
      }
    }
  };
  const v = walk(parse(text));
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

/** The expression with some identifiers replaced by numbers (a resource's limits, for CloudWatch). */
export function substituteIdentifiers(text: string, values: Readonly<Record<string, number>>): string {
  return text.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (id) => (Object.hasOwn(values, id) ? String(values[id]) : id));
}

/**
 * The expression as PromQL: identifiers become the series `render` gives (undefined: a constant given in
 * `constants`), numbers stay, and MAX([a, b]) becomes `(a >= b) or b` (PromQL has no pairwise max of two
 * vectors; `or` brings in b where a is smaller). MIN likewise. Throws on an identifier it cannot render.
 */
export function toPromQL(
  text: string,
  render: (id: string) => string | undefined,
  constants: Readonly<Record<string, number>> = {},
): string {
  const walk = (n: Node): string => {
    switch (n.kind) {
      case 'num':
        return String(n.value);
      case 'id': {
        const r = render(n.name);
        if (r !== undefined) return r;
        if (Object.hasOwn(constants, n.name)) return String(constants[n.name]);
        throw new Error(`metric math: no value for ${n.name}`);
      }
      case 'neg':
        return `-(${walk(n.a)})`;
      case 'bin':
        return `(${walk(n.a)} ${n.op} ${walk(n.b)})`;
      case 'fn': {
        const cmp = n.fn === 'MAX' ? '>=' : '<=';
        return n.args.map(walk).reduce((a, b) => `((${a} ${cmp} ${b}) or ${b})`);
      }
    }
  };
  return walk(parse(text));
}
