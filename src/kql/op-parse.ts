/**
 * `parse` and `parse-where` (kinds simple, regex and relaxed) → one regular expression, anchored at the
 * start, with a capture group per extracted column. Simple and relaxed kinds are non-greedy: a string
 * column is `(.*?)` (the last element, when it is a column, takes the rest: `(.*)`), `*` skips `.*?`,
 * a string constant matches literally. The regex kind is greedy (`.*`) unless `flags=U`, and its
 * constants are regexes. Typed columns match their type's text (an int / long `-?\d+`, a real a decimal
 * number); in the relaxed kind, when that text is not there, any text is taken and converts to null.
 *
 * A row that does not match gets "" for string columns and null for the others (parse), or is dropped
 * (parse-where, which also drops rows whose typed columns do not convert). The pattern travels as a
 * parameter; values are converted with TRY_CAST (datetimes as todatetime reads text).
 */
import type { Column, Compiler, Relation } from './context.js';
import { asString, constant, rowScope, scalar } from './expr.js';
import { datetimeOfText } from './functions-time.js';
import type { KNode } from './kusto.js';
import { operatorKind } from './op-join.js';
import { projectItems, type Item } from './relation.js';
import { ident } from './sql.js';
import { dialect } from './dialect.js';

const quote = (text: string) => text.replace(/[\\^$.|?*+()[\]{}]/g, (ch) => `\\${ch}`);

const TYPED_TEXT: Record<string, string> = {
  int: '-?\\d+',
  long: '-?\\d+',
  real: '-?\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?',
  decimal: '-?\\d+(?:\\.\\d*)?',
};

function parameter(op: KNode, name: string): string | undefined {
  for (const p of op.list('Parameters')) {
    const given = p.node('Name')?.simpleName ?? p.node('Name')?.text.trim();
    if (given?.toLowerCase() === name) return p.node('Expression')?.text.trim();
  }
  return undefined;
}

/** The regular expression of the patterns and the extracted column names, in group order. */
function regexOf(op: KNode, kind: string, out: Column[], c: Compiler): { regex: string; groups: string[] } {
  const flags = parameter(op, 'flags') ?? '';
  if (kind !== 'regex' && flags) c.fail(op, `parse flags with kind=${kind}`);
  if (!/^[imsU]*$/.test(flags)) c.fail(op, `parse flags=${flags}`);
  const greedy = kind === 'regex' && !flags.includes('U');
  const any = greedy ? '.*' : '.*?';
  const re2Flags = flags.replace('U', '');
  const patterns = op.list('Patterns');
  const groups: string[] = [];
  let regex = (re2Flags ? `(?${re2Flags})` : '') + '^';
  patterns.forEach((p, i) => {
    if (p.kind === 'StarExpression') regex += any;
    else if (p.kind === 'NameDeclaration' || p.kind === 'NameAndTypeDeclaration') {
      const name = p.kind === 'NameDeclaration' ? p.simpleName : p.node('Name')?.simpleName;
      if (!name) c.fail(p, 'parse column without a name');
      groups.push(name!);
      const type = out.find((col) => col.name === name)?.type ?? 'string';
      const text = i === patterns.length - 1 ? '.*' : any;
      const typed = TYPED_TEXT[type];
      // relaxed: the type's text when it is there, else any text (which then converts to null)
      regex += !typed ? `(${text})` : kind === 'relaxed' ? `(${typed}|${text})` : `(${typed})`;
    } else {
      const k = constant(p, c);
      if (typeof k?.value !== 'string') return c.fail(p, 'parse pattern element');
      // in regex kind the constant is a regex: make its own groups non-capturing so ours keep their numbers
      regex += kind === 'regex' ? k.value.replace(/\((?!\?)/g, '(?:') : quote(k.value);
    }
  });
  return { regex, groups };
}

/** Extracted text as a column of `type` (null when it does not convert). */
export function convert(text: string, type: string): string {
  if (type === 'string') return text;
  if (type === 'datetime') return datetimeOfText(`nullif(${text}, '')`);
  return `TRY_CAST(nullif(${text}, '') AS ${dialect.type(type) ?? 'VARCHAR'})`;
}

export function parse(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  const kind = operatorKind(op) ?? 'simple';
  if (kind !== 'simple' && kind !== 'regex' && kind !== 'relaxed') return c.fail(op, `parse kind=${kind}`);
  const env = { c, scope: rowScope(), aggregate: false };
  const subjectNode = op.node('Expression')!;
  const subject = asString(scalar(subjectNode, env), subjectNode, env);
  const { regex, groups } = regexOf(op, kind, out, c);
  const pattern = c.params.add(regex, 'string');
  const extracted = new Map(
    groups.map((name, i) => [name, `regexp_extract(${subject}, ${pattern}, ${i + 1})`]),
  );
  const typeOf = (name: string) => out.find((col) => col.name === name)?.type ?? 'string';
  let rows = input;
  if (op.kind === 'ParseWhereOperator') {
    const converted = groups
      .filter((name) => typeOf(name) !== 'string')
      .map((name) => `${convert(extracted.get(name)!, typeOf(name))} IS NOT NULL`);
    const condition = [`regexp_matches(${subject}, ${pattern})`, ...converted].join(' AND ');
    rows = { ...input, from: c.cte(`SELECT * FROM ${input.from} WHERE ${condition}`) };
  }
  const items: Item[] = out.map(({ name, type }) => {
    const sql = extracted.get(name);
    return sql
      ? { name, type, sql: convert(sql, type) }
      : { name, type, sql: ident(name), passthrough: name };
  });
  return projectItems(rows, items, c, (d) => c.fail(op, d));
}
