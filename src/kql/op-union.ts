/**
 * `union` → UNION ALL of SELECTs aligned on the binder's result columns. Kusto unions by column name;
 * a name that has different types in different inputs becomes one column per type (`B_string`,
 * `B_long`), which the binder already names. `withsource=` adds the input's table name (or, for a
 * subquery, 'union_argN'); `isfuzzy=true` skips inputs that do not resolve to a table.
 */
import { SOURCE_COLUMN } from '../store/schema.js';
import type { Column, Compiler, Relation, SourceMode } from './context.js';
import type { KNode } from './kusto.js';
import { ident } from './sql.js';
import { dialect } from './dialect.js';
import { KqlError, UNSUPPORTED } from './errors.js';

function parameter(op: KNode, name: string): KNode | undefined {
  return op
    .list('Parameters')
    .find((p) => (p.node('Name')?.simpleName ?? p.node('Name')?.text.trim())?.toLowerCase() === name);
}

/** SQL reading output column `col` from one input, or a typed NULL when the input lacks it. */
function columnFrom(rel: Relation, col: Column): string {
  const duck = dialect.type(col.type) ?? 'VARCHAR';
  const exact = rel.columns.find((c) => c.name === col.name);
  const byType = rel.columns.find((c) => `${c.name}_${c.type}` === col.name);
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

function label(node: KNode | undefined, index: number): string {
  const symbol = node?.kind === 'NameReference' ? node.symbol : undefined;
  return symbol?.kind === 'Table' || symbol?.kind === 'Variable' ? symbol.name : `union_arg${index}`;
}

/** isfuzzy: an input that reads a table, function or let nobody declared (`(X_CL | where …)`). */
function unresolved(e: unknown): boolean {
  return e instanceof KqlError && e.code === UNSUPPORTED && /reference to a unknown symbol/.test(e.message);
}

export function union(op: KNode, input: Relation | undefined, out: Column[], c: Compiler): Relation {
  const kind = parameter(op, 'kind')?.node('Expression')?.text.trim().toLowerCase();
  if (kind && kind !== 'outer') return c.fail(op, `union kind=${kind}`);
  const fuzzy = parameter(op, 'isfuzzy')?.node('Expression')?.text.trim().toLowerCase() === 'true';
  const withSource = parameter(op, 'withsource')?.node('Expression')?.simpleName;

  const inputs: { rel: Relation; label: string }[] = input ? [{ rel: input, label: 'union_arg0' }] : [];
  for (const e of op.list('Expressions')) {
    if (
      fuzzy &&
      e.kind === 'NameReference' &&
      !['Table', 'Variable', 'Function'].includes(e.symbol?.kind ?? '')
    )
      continue; // isfuzzy: a table that does not exist is left out
    try {
      inputs.push({ rel: c.tabular(e), label: label(e, inputs.length) });
    } catch (err) {
      if (!fuzzy || !unresolved(err)) throw err; // … also one inside a subquery
    }
  }
  if (inputs.length === 0) return c.fail(op, 'union without inputs');

  const modes = inputs.map((i) => i.rel.source);
  const mode: SourceMode = modes.includes('list') ? 'list' : modes.includes('row') ? 'row' : 'none';
  const selects = inputs.map(({ rel, label: name }) => {
    const list = out.map((col) =>
      col.name === withSource
        ? `${c.params.add(name, 'string')} AS ${ident(col.name)}`
        : `${columnFrom(rel, col)} AS ${ident(col.name)}`,
    );
    if (mode !== 'none') list.push(`${sourceSql(rel, mode)} AS ${ident(SOURCE_COLUMN)}`);
    return `SELECT ${list.join(', ')} FROM ${rel.from}`;
  });
  const from = c.cte(selects.join(' UNION ALL '));
  return { from, columns: out.map(({ name, type }) => ({ name, type })), source: mode, ordinal: false };
}
