/**
 * `project-by-names "a", "C*", dynamic([…]), column_names_of(T)`: the input's columns named by constant
 * strings (a `*` is a wildcard), in the order the names are given; a name no column has is ignored.
 * The columns come from the rows themselves, not the binder: a function's tabular parameter is declared
 * with fewer columns than the table it is called with.
 */
import type { Column, Compiler, Relation } from './context.js';
import type { KNode } from './kusto.js';
import { projectItems, type Item } from './relation.js';
import { ident } from './sql.js';

/** `column_names_of(T)` of a table the query binds (a `let`, or a function's tabular parameter). */
function columnNamesOf(e: KNode, c: Compiler): string[] | undefined {
  if (e.kind !== 'FunctionCallExpression' || e.node('Name')?.simpleName !== 'column_names_of')
    return undefined;
  const [table] = e.node('ArgumentList')?.list('Expressions') ?? [];
  return table ? c.tabular(table).columns.map((col) => col.name) : undefined;
}

function names(e: KNode, c: Compiler): string[] {
  const fromTable = columnNamesOf(e, c);
  if (fromTable) return fromTable;
  const value = c.expr.constant(e, c)?.value;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v): v is string => typeof v === 'string'))
    return c.fail(e, 'project-by-names of a non-constant');
  return list;
}

/** A column-name pattern (`*` is a wildcard) as a test. */
export function matcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const quoted = pattern.split('*').map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'));
  const regex = new RegExp(`^${quoted.join('.*')}$`);
  return (name) => regex.test(name);
}

export function projectByNames(op: KNode, input: Relation, _out: Column[], c: Compiler): Relation {
  const picked: Column[] = [];
  for (const pattern of op.list('Expressions').flatMap((e) => names(e, c))) {
    const matches = matcher(pattern);
    for (const col of input.columns) if (matches(col.name) && !picked.includes(col)) picked.push(col);
  }
  const items: Item[] = picked.map(({ name, type }) => ({ name, type, sql: ident(name), passthrough: name }));
  return projectItems(input, items, c, (d) => c.fail(op, d));
}
