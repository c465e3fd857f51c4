/**
 * `scan [with_match_id=M] [declare (c:T[=v], …)] with (step s1 [output=all|none]: Cond [=> c = e, …]; …)`:
 * Kusto's per-row state machine over serialized rows (its "scan logic": each row is checked against the
 * steps from the last to the first; check 1 promotes the previous step's state, check 2 extends the
 * step's own, the first step starts a new match).
 *
 * In SQL: a recursive CTE that takes one row per iteration (per sub-table under `partition`) and carries
 * the state as columns: for each step k, whether it is active, its match id, and the values of the
 * `sj.col` its expressions read (j ≤ k). Each step is three nested SELECTs over the previous step's: its
 * two checks, its assignments, then the state update. Chosen over computing in JS because the conditions
 * and assignments are KQL expressions the translator already writes as SQL. The cost is one iteration per
 * row (each joins the numbered input): fine for the event sequences scan is written for, slow over
 * millions of rows. `output=last` and the `order by` / `partition by` clauses of scan are TT001.
 */
import type { Column, Compiler, Env, Relation, Scope, Sql } from './context.js';
import { dialect } from './dialect.js';
import type { KNode } from './kusto.js';
import { ORDINAL_COLUMN, ordinalTerm, serialize } from './relation.js';
import { ident } from './sql.js';

/** A value a step's state holds: an input column or a declared one. */
interface Slot {
  name: string;
  type: string;
  empty: string; // its value while the step has no record: the declared default, else NULL
  declared: boolean;
}

interface Step {
  name: string;
  output: 'all' | 'none';
  condition: KNode;
  assignments: Map<string, KNode>; // declared column → expression
}

const N = ident('_tt_n');
const MID = '_tt_mid';
const active = (k: number) => `_tt_a${k}`;
const matchOf = (k: number) => `_tt_m${k}`;
const held = (k: number, j: number, slot: number) => `_tt_s${k}_${j}_${slot}`;
const emitted = (k: number) => `_tt_e${k}`;
const emittedMatch = (k: number) => `_tt_o${k}`;
const assigned = (k: number, d: number) => `_tt_d${k}_${d}`;

function duckType(type: string, node: KNode, c: Compiler): string {
  return dialect.type(type) ?? c.fail(node, `scan over a column of type ${type}`);
}

function steps(op: KNode, declared: Slot[], c: Compiler): Step[] {
  return op.list('Steps').map((s) => {
    if (s.token('OptionalKeyword')) return c.fail(s, 'optional scan steps');
    const kind = (s.node('ScanStepOutput')?.token('OutputKind') ?? 'all').toLowerCase();
    if (kind !== 'all' && kind !== 'none') return c.fail(s, `scan step output=${kind}`);
    const assignments = new Map<string, KNode>();
    for (const a of s.node('ComputationClause')?.list('Assignments') ?? []) {
      const target = a.node('Name')?.simpleName;
      if (!target || !declared.some((d) => d.name === target))
        return c.fail(a, 'scan assignment to an undeclared column');
      assignments.set(target, a.node('Expression')!);
    }
    return {
      name: s.node('Name')?.simpleName ?? '',
      output: kind,
      condition: s.node('Condition')!,
      assignments,
    };
  });
}

function declarations(op: KNode, c: Compiler): Slot[] {
  const env: Env = { c, scope: { column: ident }, aggregate: false };
  return (op.node('DeclareClause')?.list('Declarations') ?? []).map((d) => {
    const decl = d.node('NameAndType')!;
    const name = decl.node('Name')?.simpleName ?? c.fail(d, 'scan declaration');
    const type = decl.node('Name')?.symbol?.type?.name ?? c.fail(d, 'scan declaration type');
    const value = d.node('DefaultValue')?.node('Value');
    const sql = value ? c.expr.scalar(value, env).sql : 'NULL';
    return { name, type, empty: `CAST(${sql} AS ${duckType(type, d, c)})`, declared: true };
  });
}

export function scan(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  for (const clause of ['OrderByClause', 'PartitionByClause']) {
    const n = op.node(clause);
    if (n) return c.fail(n, 'scan order by / partition by (use sort and partition)');
  }
  let matchName: string | undefined;
  for (const p of op.list('Parameters')) {
    if (p.node('Name')?.simpleName?.toLowerCase() !== 'with_match_id') return c.fail(p, 'scan parameter');
    matchName = p.node('Expression')?.simpleName;
  }
  const declared = declarations(op, c);
  const slots: Slot[] = [
    ...input.columns.map((col) => ({
      ...col,
      empty: `CAST(NULL AS ${duckType(col.type, op, c)})`,
      declared: false,
    })),
    ...declared,
  ];
  const all = steps(op, declared, c);
  const n = all.length;
  const stepIndex = new Map(all.map((s, i) => [s.name, i + 1]));

  // the state values the steps read: sj.col
  const read = new Map<string, { j: number; slot: number }>();
  for (const path of op.find('PathExpression')) {
    const j = stepIndex.get(path.node('Expression')?.simpleName ?? '');
    const field = path.node('Selector')?.simpleName;
    if (!j || !field) continue;
    const slot = slots.findIndex((s) => s.name === field);
    if (slot < 0) return c.fail(path, `scan state column ${field}`);
    read.set(`${j}.${slot}`, { j, slot });
  }
  const reads = [...read.values()];
  const heldBy = (k: number) => reads.filter((r) => r.j <= k);

  const rel = serialize(input, c);
  const part = rel.partition ? ident(rel.partition.column) : undefined;
  const src = c.cte(
    `SELECT *, row_number() OVER (${part ? `PARTITION BY ${part} ` : ''}ORDER BY ${ident(ORDINAL_COLUMN)}) AS ${N} FROM ${rel.from}`,
  );

  /** Expressions read the state of step `state` (0: none); bare declared names read their defaults. */
  const envAt = (state: number): Env => {
    const scope: Scope = {
      column: (name) => declared.find((d) => d.name === name)?.empty ?? ident(name),
    };
    const intercept = (node: KNode): Sql | undefined => {
      if (node.kind !== 'PathExpression') return undefined;
      const j = stepIndex.get(node.node('Expression')?.simpleName ?? '');
      if (!j) return undefined;
      const slot = slots.findIndex((s) => s.name === node.node('Selector')?.simpleName);
      const { type, empty } = slots[slot];
      const sql = j <= state ? held(state, j, slot) : empty;
      return { sql: type === 'string' ? `coalesce(${sql}, '')` : sql, type };
    };
    return { c, scope, aggregate: false, intercept };
  };
  const test = (s: Step, state: number) => `coalesce(${c.expr.scalar(s.condition, envAt(state)).sql}, false)`;

  // the run's columns, in the order both halves of the recursive CTE list them
  const stateColumns: [string, string][] = [[MID, 'BIGINT']];
  for (let k = 1; k <= n; k++) {
    stateColumns.push([active(k), 'BOOLEAN'], [matchOf(k), 'BIGINT']);
    for (const r of heldBy(k)) stateColumns.push([held(k, r.j, r.slot), duckType(slots[r.slot].type, op, c)]);
  }
  const emitColumns: [string, string][] = [];
  for (let k = 1; k <= n; k++) {
    emitColumns.push([emitted(k), 'BOOLEAN'], [emittedMatch(k), 'BIGINT']);
    declared.forEach((d, i) => emitColumns.push([assigned(k, i), duckType(d.type, op, c)]));
  }
  const runColumns = [...stateColumns, ...emitColumns].map(([name]) => name);
  const emptyOf = (name: string, type: string): string => {
    if (name === MID) return 'CAST(-1 AS BIGINT)';
    if (name.startsWith('_tt_a') || name.startsWith('_tt_e')) return 'false';
    const m = /^_tt_s\d+_\d+_(\d+)$/.exec(name);
    return m ? slots[Number(m[1])].empty : `CAST(NULL AS ${type})`;
  };
  const anchorList = [
    ...(part ? [part] : []),
    `CAST(0 AS BIGINT) AS ${N}`,
    ...[...stateColumns, ...emitColumns].map(([name, type]) => `${emptyOf(name, type)} AS ${name}`),
  ];
  const anchor = `SELECT ${anchorList.join(', ')}${part ? ` FROM (SELECT DISTINCT ${part} FROM ${src})` : ''}`;

  // one row: the input row's columns and the state so far; then every step, the last first
  let body =
    `SELECT s.*, ${stateColumns.map(([name]) => `r.${name}`).join(', ')} FROM run AS r JOIN ${src} AS s ` +
    `ON s.${N} = r.${N} + 1${part ? ` AND s.${part} = r.${part}` : ''}`;
  for (let k = n; k >= 1; k--) {
    const s = all[k - 1];
    const c1 = k > 1 ? `(${active(k - 1)} AND ${test(s, k - 1)})` : 'false';
    const c2 = `(${k === 1 ? 'true' : active(k)} AND ${test(s, k)})`;
    body = `SELECT *, ${c1} AS _tt_c1, ${c2} AS _tt_c2 FROM (${body})`;
    const hit1 = '_tt_c1';
    const hit2 = '(_tt_c2 AND NOT _tt_c1)';
    const values = declared.map((d, i) => {
      const e = s.assignments.get(d.name);
      const v = (state: number) => (e ? c.expr.scalar(e, envAt(state)).sql : d.empty);
      return `CASE WHEN ${hit1} THEN ${k > 1 ? v(k - 1) : 'NULL'} WHEN ${hit2} THEN ${v(k)} END AS ${assigned(k, i)}`;
    });
    body = `SELECT *${values.map((v) => `, ${v}`).join('')} FROM (${body})`;
    // a new match starts when the first step matches with no sequence in progress (a repeated match of
    // the first step extends its sequence: the documented session example keeps its id)
    const starts = k === 1 ? `(${hit2} AND NOT ${active(1)})` : 'false';
    const newMatch = `CASE WHEN ${hit1} THEN ${k > 1 ? matchOf(k - 1) : 'NULL'} WHEN ${starts} THEN ${MID} + 1 ELSE ${matchOf(k)} END`;
    const replace = [
      `(${active(k)} OR ${hit1} OR ${hit2}) AS ${active(k)}`,
      `${newMatch} AS ${matchOf(k)}`,
      ...heldBy(k).map(({ j, slot }) => {
        const own = slots[slot].declared
          ? assigned(
              k,
              declared.findIndex((d) => d.name === slots[slot].name),
            )
          : ident(slots[slot].name);
        const mine = held(k, j, slot);
        return j === k
          ? `CASE WHEN ${hit1} OR ${hit2} THEN ${own} ELSE ${mine} END AS ${mine}`
          : `CASE WHEN ${hit1} THEN ${held(k - 1, j, slot)} ELSE ${mine} END AS ${mine}`;
      }),
    ];
    if (k === 1) replace.push(`${MID} + CASE WHEN ${starts} THEN 1 ELSE 0 END AS ${MID}`);
    if (k > 1) {
      // promoted: the previous step's state moves here and the previous step starts over
      replace.push(`(${active(k - 1)} AND NOT ${hit1}) AS ${active(k - 1)}`);
      for (const { j, slot } of heldBy(k - 1)) {
        const prev = held(k - 1, j, slot);
        replace.push(`CASE WHEN ${hit1} THEN ${slots[slot].empty} ELSE ${prev} END AS ${prev}`);
      }
    }
    const emit = s.output === 'none' ? 'false' : `(${hit1} OR ${hit2})`;
    body =
      `SELECT * EXCLUDE (_tt_c1, _tt_c2) REPLACE (${replace.join(', ')}), ${emit} AS ${emitted(k)}, ` +
      `${newMatch} AS ${emittedMatch(k)} FROM (${body})`;
  }
  const recursive = `SELECT ${[...(part ? [part] : []), N, ...runColumns].join(', ')} FROM (${body})`;

  // the output: one row per (input row, step that emitted it), in row order, the last step first
  const inputNames = new Set(input.columns.map((col) => col.name));
  // the binder lists a match_id column even without with_match_id; Kusto appends it only when asked
  const columns = matchName ? out : out.filter((col) => col.name !== 'match_id' || inputNames.has(col.name));
  const extra = columns.filter((col) => !inputNames.has(col.name));
  const rows = all.map((_, i) => {
    const k = i + 1;
    const list = extra.map((col) => {
      if (col.name === matchName) return `r.${emittedMatch(k)} AS ${ident(col.name)}`;
      const d = declared.findIndex((x) => x.name === col.name);
      return d >= 0 ? `r.${assigned(k, d)} AS ${ident(col.name)}` : c.fail(op, `scan column ${col.name}`);
    });
    return (
      `SELECT s.* EXCLUDE (${ident(ORDINAL_COLUMN)}, ${N})${list.map((x) => `, ${x}`).join('')}, ` +
      `s.${ident(ORDINAL_COLUMN)} AS _tt_at, ${n - k} AS _tt_step FROM run AS r JOIN ${src} AS s ` +
      `ON s.${N} = r.${N}${part ? ` AND s.${part} = r.${part}` : ''} WHERE r.${emitted(k)}`
    );
  });
  const from = c.cte(
    `WITH RECURSIVE run AS (${anchor} UNION ALL ${recursive}) ` +
      `SELECT * EXCLUDE (_tt_at, _tt_step), row_number() OVER (ORDER BY _tt_at, _tt_step) AS ${ident(ORDINAL_COLUMN)} ` +
      `FROM (${rows.join(' UNION ALL ')})`,
  );
  return { ...rel, from, columns, ordinal: true, order: [ordinalTerm()] };
}
