/**
 * `evaluate` plugins. Only `bag_unpack(col [, prefix])`: the binder cannot know the unpacked columns (its
 * schema is open: a later reference to an unknown name binds with type `unknown`), so they come from the
 * data. The first compilation stops at the plugin with a `NeedsData` probe — the distinct keys of the bag
 * over the rows reaching it, with their JSON types — which `runKql` runs before compiling again with the
 * answer; the real query then has one column per key. A name the rest of the query reads that no row's bag
 * holds reads as null (Kusto would report it as unknown at run time), with a warning.
 * The other plugins live in plugins/ (PLUGINS); any else is TT001 naming the plugin.
 */
import type { BagKey } from './context.js';
import type { Column, Compiler, Relation } from './context.js';
import { constant } from './expr.js';
import { GEO_LOOKUP_PLUGINS, geoLookup } from './geo/lookup.js';
import type { KNode } from './kusto.js';
import { projectItems, type Item } from './relation.js';
import { ident, sqlName } from './sql.js';
import { warn } from './warnings.js';
import { dialect } from './dialect.js';
import { PLUGINS } from './plugins/index.js';

export type { BagKey };

/** DuckDB json_type names (comma-separated, distinct) of one key's non-null values → a Kusto type. */
export function bagKeyType(jsonTypes: string): string {
  const types = new Set(jsonTypes.split(',').filter((t) => t && t !== 'NULL'));
  if (types.size === 0) return 'dynamic';
  if ([...types].every((t) => t === 'VARCHAR')) return 'string';
  if ([...types].every((t) => t === 'BOOLEAN')) return 'bool';
  if ([...types].every((t) => t === 'BIGINT' || t === 'UBIGINT')) return 'long';
  if ([...types].every((t) => t === 'BIGINT' || t === 'UBIGINT' || t === 'DOUBLE')) return 'real';
  return 'dynamic';
}

/** JSON Pointer of one key (RFC 6901: `~` → `~0`, `/` → `~1`). */
function pointer(key: string): string {
  return `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function value(bag: string, path: string, type: string): string {
  switch (type) {
    case 'string':
      return `coalesce(json_extract_string(${bag}, ${path}), '')`;
    case 'long':
      return `TRY_CAST(json_extract_string(${bag}, ${path}) AS BIGINT)`;
    case 'real':
      return `TRY_CAST(json_extract_string(${bag}, ${path}) AS DOUBLE)`;
    case 'bool':
      return `TRY_CAST(json_extract_string(${bag}, ${path}) AS BOOLEAN)`;
    default:
      return `nullif(json_extract(${bag}, ${path}), 'null'::JSON)`;
  }
}

/** Names the rest of the query reads from the plugin's open schema (typed `unknown` by the binder). */
function namesReadLater(op: KNode): string[] {
  const names: string[] = [];
  for (let n = op.parent; n && n.kind === 'PipeExpression'; n = n.parent) {
    for (const col of n.type?.columns ?? [])
      if (col.type === 'unknown' && !names.includes(col.name)) names.push(col.name);
  }
  return names;
}

type Conflict = 'error' | 'replace_source' | 'keep_source';

/** bag_unpack's arguments: the bag column, an optional prefix, then named options (columnsConflict). */
function bagArguments(call: KNode, c: Compiler): { bagArg: KNode; prefix: string; conflict: Conflict } {
  const args = call.node('ArgumentList')?.list('Expressions') ?? [];
  const bagArg = args[0];
  if (!bagArg || bagArg.kind !== 'NameReference' || bagArg.symbol?.kind !== 'Column')
    return c.fail(call, 'bag_unpack of an expression');
  let prefix = '';
  let conflict: Conflict = 'error';
  for (const a of args.slice(1)) {
    const option = a.kind === 'SimpleNamedExpression' ? a.node('Name')?.simpleName : undefined;
    const k = constant(option ? a.node('Expression')! : a, c);
    if (typeof k?.value !== 'string') return c.fail(a, 'bag_unpack argument that is not a constant string');
    if (option === 'columnsConflict' && ['error', 'replace_source', 'keep_source'].includes(k.value))
      conflict = k.value as Conflict;
    else if (option === undefined && a === args[1]) prefix = k.value;
    else return c.fail(a, `bag_unpack ${option ?? 'argument'}`);
  }
  return { bagArg, prefix, conflict };
}

function bagUnpack(op: KNode, call: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  const { bagArg, prefix, conflict } = bagArguments(call, c);
  if (op.node('Schema')) return c.fail(op.node('Schema')!, 'bag_unpack output schema');
  const bag = ident(bagArg.simpleName ?? bagArg.symbol!.name);
  const bagObject = `CASE WHEN ${dialect.jsonType(bag)} = 'OBJECT' THEN ${bag} END`;
  const probe =
    `SELECT e.key AS key, string_agg(DISTINCT e.type, ',' ORDER BY e.type) AS types ` +
    `FROM (SELECT ${bagObject} AS _tt_bag FROM ${input.from}) AS t, json_each(t._tt_bag) AS e ` +
    `GROUP BY e.key ORDER BY e.key`;
  const keys = c.bagKeys(op, probe);

  const items: Item[] = out.map(({ name, type }) => ({ name, type, sql: ident(name), passthrough: name }));
  const taken = new Set(out.map((col) => sqlName(col.name).toLowerCase()));
  for (const { key, type } of keys) {
    const name = prefix + key;
    const sql = value(bag, c.params.add(pointer(key), 'string'), type);
    if (taken.has(sqlName(name).toLowerCase())) {
      if (conflict === 'keep_source') continue;
      const i = items.findIndex((item) => sqlName(item.name).toLowerCase() === sqlName(name).toLowerCase());
      if (conflict === 'error' || i < 0)
        return c.fail(call, `bag_unpack column ${name} clashes with an existing column`);
      items[i] = { name, type, sql }; // replace_source: the bag's value, in the column's place
      c.openColumns.set(name, type);
      continue;
    }
    taken.add(sqlName(name).toLowerCase());
    items.push({ name, type, sql });
    c.openColumns.set(name, type);
  }
  const missing = namesReadLater(op).filter((name) => !taken.has(sqlName(name).toLowerCase()));
  for (const name of missing) {
    items.push({ name, type: 'dynamic', sql: 'CAST(NULL AS JSON)' });
    c.openColumns.set(name, 'dynamic');
  }
  if (missing.length)
    warn(c, `bag_unpack: no row's bag holds ${missing.join(', ')}; read as null (Kusto: unknown column)`);
  return projectItems(input, items, c, (d) => c.fail(op, d));
}

export function evaluate(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  const call = op.node('FunctionCall');
  const plugin = call?.node('Name')?.simpleName?.toLowerCase();
  if (call && plugin && GEO_LOOKUP_PLUGINS.has(plugin)) return geoLookup(op, call, plugin, input, out, c);
  const other = plugin && PLUGINS.get(plugin);
  if (call && other) {
    if (op.list('Parameters').length) return c.fail(op, 'evaluate hints');
    return other(op, call, input, out, c);
  }
  if (!call || plugin !== 'bag_unpack') return c.fail(op, `evaluate plugin ${plugin ?? '?'}`);
  if (op.list('Parameters').length) return c.fail(op, 'evaluate hints');
  return bagUnpack(op, call, input, out, c);
}
