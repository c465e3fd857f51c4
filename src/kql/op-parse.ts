/**
 * `parse` (simple and `kind=regex`) → one regular expression, anchored at the start, with a capture
 * group per extracted column: a column is `(.*?)` (the last element, when it is a column, takes the rest:
 * `(.*)`), `*` skips `.*?`, and a string constant is matched literally (simple) or as a regex (regex
 * kind). The pattern travels as a parameter. A row that does not match gets "" for string columns and
 * null for the others; typed columns are converted with TRY_CAST, so a bad value is null.
 */
import type { Column, Compiler, Relation } from './context.js';
import { asString, constant, rowScope, scalar } from './expr.js';
import type { KNode } from './kusto.js';
import { operatorKind } from './op-join.js';
import { projectItems, type Item } from './relation.js';
import { ident } from './sql.js';
import { dialect } from './dialect.js';

const quote = (text: string) => text.replace(/[\\^$.|?*+()[\]{}]/g, (ch) => `\\${ch}`);

export function parse(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  const kind = operatorKind(op) ?? 'simple';
  if (kind !== 'simple' && kind !== 'regex') return c.fail(op, `parse kind=${kind}`);
  if (op.list('Parameters').some((p) => p.node('Name')?.simpleName?.toLowerCase() === 'flags'))
    c.fail(op, 'parse flags');
  const env = { c, scope: rowScope(), aggregate: false };
  const subjectNode = op.node('Expression')!;
  const subject = asString(scalar(subjectNode, env), subjectNode, env);
  const patterns = op.list('Patterns');
  const groups: string[] = [];
  let regex = '^';
  patterns.forEach((p, i) => {
    if (p.kind === 'StarExpression') regex += '.*?';
    else if (p.kind === 'NameDeclaration' || p.kind === 'NameAndTypeDeclaration') {
      const name = p.kind === 'NameDeclaration' ? p.simpleName : p.node('Name')?.simpleName;
      if (!name) c.fail(p, 'parse column without a name');
      groups.push(name!);
      regex += i === patterns.length - 1 ? '(.*)' : '(.*?)';
    } else {
      const k = constant(p, c);
      if (typeof k?.value !== 'string') return c.fail(p, 'parse pattern element');
      // in regex kind the constant is a regex: make its own groups non-capturing so ours keep their numbers
      regex += kind === 'regex' ? k.value.replace(/\((?!\?)/g, '(?:') : quote(k.value);
    }
  });
  const pattern = c.params.add(regex, 'string');
  const extracted = new Map(
    groups.map((name, i) => [name, `regexp_extract(${subject}, ${pattern}, ${i + 1})`]),
  );
  const items: Item[] = out.map(({ name, type }) => {
    const sql = extracted.get(name);
    if (!sql) return { name, type, sql: ident(name), passthrough: name };
    if (type === 'string') return { name, type, sql };
    const duck = dialect.type(type) ?? 'VARCHAR';
    return { name, type, sql: `TRY_CAST(nullif(${sql}, '') AS ${duck})` };
  });
  return projectItems(input, items, c, (d) => c.fail(op, d));
}
