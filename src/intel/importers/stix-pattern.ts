/**
 * The slice of the STIX 2.1 patterning language that carries indicators: observation expressions
 * `[ … ]` joined by AND/OR/FOLLOWEDBY, each a boolean tree of comparisons `object:path op value`.
 * Qualifiers (`WITHIN`, `START … STOP`, `REPEATS`) are read and ignored: they narrow when a match counts,
 * not what is matched. The result is per observation, a list of OR-ed alternatives, each an AND-ed set
 * of equality comparisons — what an importer needs to turn `[network-traffic:dst_ref.value = '…' AND
 * network-traffic:dst_port = 3778]` into one ip:port indicator.
 */

export interface Comparison {
  /** `ipv4-addr`, `file`, `network-traffic`… */
  object: string;
  /** `value`, `hashes.SHA-256`, `dst_ref.value`, `dst_port` (quotes removed). */
  path: string;
  /** Only `=` and `IN` name values; other operators are kept so the caller can say what it skipped. */
  op: string;
  values: Array<string | number>;
}

/** Alternatives (OR) of conjunctions (AND) of comparisons. */
export type Dnf = Comparison[][];

type Token = { kind: 'str' | 'num' | 'word' | 'punct'; text: string; value?: string | number };

const TOKEN =
  /\s+|'((?:\\.|[^'\\])*)'|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w-]*(?::[\w.'-]+(?:\[\*?\d*\])?(?:\.[\w'-]+)*)?)|(<=|>=|!=|[=<>()[\],])/gy;

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < pattern.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(pattern);
    if (!m) throw new Error(`pattern: unexpected ${JSON.stringify(pattern.slice(at, at + 12))} at ${at}`);
    if (m[1] !== undefined) tokens.push({ kind: 'str', text: m[0], value: m[1].replace(/\\(.)/g, '$1') });
    else if (m[2] !== undefined) tokens.push({ kind: 'num', text: m[0], value: Number(m[2]) });
    else if (m[3] !== undefined) tokens.push({ kind: 'word', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'punct', text: m[4] });
  }
  return tokens;
}

const AND = (a: Dnf, b: Dnf): Dnf => a.flatMap((x) => b.map((y) => [...x, ...y]));

/** Parses a STIX pattern into one DNF per observation expression. Throws on syntax it cannot read. */
export function parseStixPattern(pattern: string): Dnf[] {
  const tokens = tokenize(pattern);
  let k = 0;
  const peek = () => tokens[k];
  const isWord = (w: string) => peek()?.kind === 'word' && peek()!.text.toUpperCase() === w;
  const expect = (text: string) => {
    if (peek()?.text !== text) throw new Error(`pattern: expected '${text}' at token ${k + 1}`);
    k++;
  };

  const value = (): string | number => {
    const t = tokens[k++];
    if (!t) throw new Error('pattern: value expected');
    if (t.kind === 'str' || t.kind === 'num') return t.value!;
    if (t.kind === 'word' && /^(true|false)$/i.test(t.text)) return t.text.toLowerCase();
    // t'…' timestamps, h'…' hex, b'…' binary are a word followed by a string.
    if (t.kind === 'word' && /^[thb]$/.test(t.text) && peek()?.kind === 'str') return tokens[k++]!.value!;
    throw new Error(`pattern: unexpected ${JSON.stringify(t.text)} where a value belongs`);
  };

  const comparison = (): Dnf => {
    if (peek()?.text === '(') {
      k++;
      const inner = orExpr();
      expect(')');
      return inner;
    }
    const left = tokens[k++];
    if (left?.kind !== 'word' || !left.text.includes(':')) throw new Error('pattern: object path expected');
    const [object, ...rest] = left.text.split(':');
    const path = rest.join(':').replace(/'/g, '');
    let negated = false;
    if (isWord('NOT')) {
      negated = true;
      k++;
    }
    const opToken = tokens[k++];
    if (!opToken) throw new Error('pattern: operator expected');
    let op = opToken.text.toUpperCase();
    let values: Array<string | number>;
    if (op === 'IN') {
      expect('(');
      values = [value()];
      while (peek()?.text === ',') {
        k++;
        values.push(value());
      }
      expect(')');
    } else if (['=', '!=', '<', '>', '<=', '>=', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'].includes(op)) {
      values = [value()];
    } else throw new Error(`pattern: unknown operator ${JSON.stringify(opToken.text)}`);
    if (negated) op = `NOT ${op}`;
    return [[{ object: object!, path, op, values }]];
  };

  const andExpr = (): Dnf => {
    let left = comparison();
    while (isWord('AND')) {
      k++;
      left = AND(left, comparison());
    }
    return left;
  };
  const orExpr = (): Dnf => {
    let left = andExpr();
    while (isWord('OR')) {
      k++;
      left = [...left, ...andExpr()];
    }
    return left;
  };

  const observations: Dnf[] = [];
  const observation = () => {
    if (peek()?.text === '(') {
      k++;
      observationList();
      expect(')');
    } else {
      expect('[');
      observations.push(orExpr());
      expect(']');
    }
    // Qualifiers: WITHIN n SECONDS, START t'…' STOP t'…', REPEATS n TIMES.
    for (;;) {
      if (isWord('WITHIN')) k += 3;
      else if (isWord('REPEATS')) k += 3;
      else if (isWord('START')) {
        k++;
        value();
        if (isWord('STOP')) {
          k++;
          value();
        }
      } else break;
    }
  };
  const observationList = () => {
    observation();
    while (isWord('AND') || isWord('OR') || isWord('FOLLOWEDBY')) {
      k++;
      observation();
    }
  };
  observationList();
  if (k < tokens.length)
    throw new Error(`pattern: unexpected ${JSON.stringify(tokens[k]!.text)} after the expression`);
  return observations;
}
