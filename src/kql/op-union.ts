/**
 * `union` → UNION ALL of SELECTs aligned on the binder's result columns. Kusto unions by column name;
 * a name that has different types in different inputs becomes one column per type (`B_string`,
 * `B_long`), which the binder already names. `withsource=` adds the input's table name (or, for a
 * subquery, 'union_argN'); `isfuzzy=true` inputs that do not resolve were blanked before binding
 * (fuzzy-away.ts), so the binder's columns are the engine's.
 */
import { SOURCE_COLUMN } from '../store/schema.js';
import type { Column, Compiler, Relation, SourceMode } from './context.js';
import type { KNode } from './kusto.js';
import { ident } from './sql.js';
import { dialect } from './dialect.js';

export function parameter(op: KNode, name: string): KNode | undefined {
  return op
    .list('Parameters')
    .find((p) => (p.node('Name')?.simpleName ?? p.node('Name')?.text.trim())?.toLowerCase() === name);
}

/** One output column: its name, and which input column (by name and type) fills it. */
interface UnionColumn extends Column {
  input: Column;
}

/**
 * Output columns in first-appearance order. A name with several types becomes one column per type
 * (`x_long`, `x_int`); when such a name is also an input's own column name, the input's column keeps it
 * and the split one gets a number (`x_long1`), as the engine names them. Undefined when this does not
 * line up with the binder's columns (the binder's names are then used as they are).
 */
function unionColumns(
  rels: Relation[],
  out: Column[],
  withSource: string | undefined,
): UnionColumn[] | undefined {
  const seen: Column[] = [];
  for (const rel of rels)
    for (const col of rel.columns)
      if (!seen.some((s) => s.name === col.name && s.type === col.type)) seen.push(col);
  const split = (name: string) => seen.filter((s) => s.name === name).length > 1;
  const own = new Set(seen.filter((s) => !split(s.name)).map((s) => s.name));
  const taken = new Set<string>(withSource ? [withSource, ...own] : own);
  const cols = seen.map((input) => {
    if (!split(input.name)) return { name: input.name, type: input.type, input };
    let name = `${input.name}_${input.type}`;
    for (let n = 1; taken.has(name); n++) name = `${input.name}_${input.type}${n}`;
    taken.add(name);
    return { name, type: input.type, input };
  });
  const body = out.filter((col) => col.name !== withSource);
  const fits = cols.length === body.length && cols.every((col, i) => col.type === body[i].type);
  return fits ? cols : undefined;
}

/** SQL reading output column `col` from one input, or a typed NULL when the input lacks it. */
function columnFrom(rel: Relation, col: Column, input?: Column): string {
  const duck = dialect.type(col.type) ?? 'VARCHAR';
  const exact = input
    ? rel.columns.find((c) => c.name === input.name && c.type === input.type)
    : rel.columns.find((c) => c.name === col.name);
  const byType = input ? undefined : rel.columns.find((c) => `${c.name}_${c.type}` === col.name);
  const found = exact ?? byType;
  if (!found) return `CAST(NULL AS ${duck})`;
  return found.type === col.type ? ident(found.name) : `CAST(${ident(found.name)} AS ${duck})`;
}

function sourceSql(rel: Relation, mode: SourceMode): string {
  const src = ident(SOURCE_COLUMN);
  if (mode === 'list') {
    if (rel.source === 'list') return src;
    return rel.source === 'row'
      ? dialect.listFilter(`[${src}]`, 's', 's IS NOT NULL')
      : 'CAST([] AS VARCHAR[])';
  }
  return rel.source === 'row' ? src : 'CAST(NULL AS VARCHAR)';
}

export function label(node: KNode | undefined, index: number): string {
  const symbol = node?.kind === 'NameReference' ? node.symbol : undefined;
  return ['Table', 'Variable', 'Function'].includes(symbol?.kind ?? '') ? symbol!.name : `union_arg${index}`;
}

export function union(op: KNode, input: Relation | undefined, out: Column[], c: Compiler): Relation {
  const kind = parameter(op, 'kind')?.node('Expression')?.text.trim().toLowerCase();
  if (kind && kind !== 'outer') return c.fail(op, `union kind=${kind}`);
  const withSource = parameter(op, 'withsource')?.node('Expression')?.simpleName;

  const inputs: { rel: Relation; label: string }[] = input ? [{ rel: input, label: 'union_arg0' }] : [];
  // isfuzzy inputs that resolve to nothing were blanked before binding (fuzzy-away.ts)
  for (const e of op.list('Expressions')) inputs.push({ rel: c.tabular(e), label: label(e, inputs.length) });
  if (inputs.length === 0) return c.fail(op, 'union without inputs');
  return unionAll(inputs, out, withSource, c);
}

/**
 * UNION ALL of labelled inputs aligned on the binder's columns `out` (see unionColumns); `withSource`
 * names the column holding each input's label. Also the source of `search`.
 */
export function unionAll(
  inputs: { rel: Relation; label: string }[],
  out: Column[],
  withSource: string | undefined,
  c: Compiler,
): Relation {
  const modes = inputs.map((i) => i.rel.source);
  const mode: SourceMode = modes.includes('list') ? 'list' : modes.includes('row') ? 'row' : 'none';
  const named = unionColumns(
    inputs.map((i) => i.rel),
    out,
    withSource,
  );
  let next = 0;
  const columns: (Column & { input?: Column })[] = out.map((col) =>
    col.name === withSource || !named ? col : named[next++],
  );
  const selects = inputs.map(({ rel, label: name }) => {
    const list = columns.map((col) =>
      col.name === withSource
        ? `${c.params.add(name, 'string')} AS ${ident(col.name)}`
        : `${columnFrom(rel, col, col.input)} AS ${ident(col.name)}`,
    );
    if (mode !== 'none') list.push(`${sourceSql(rel, mode)} AS ${ident(SOURCE_COLUMN)}`);
    return `SELECT ${list.join(', ')} FROM ${rel.from}`;
  });
  const from = c.cte(selects.join(' UNION ALL '));
  return { from, columns: columns.map(({ name, type }) => ({ name, type })), source: mode, ordinal: false };
}
