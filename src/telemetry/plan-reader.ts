/**
 * The same LoadPlan the store runs in SQL, interpreted line by line in JavaScript. Used for the lines
 * the SQL path hands back (invalid JSON, a value that does not convert) and for whole files DuckDB
 * cannot read (invalid UTF-8, gzip it cannot open): one mapping, two engines, one set of rejects.
 */
import { CoerceError, coerceValue } from '../store/coerce.js';
import { BLANK_REASON, COMMENT_REASON, type Expr, type LoadPlan, type SourceField } from '../store/plan.js';
import { ipType } from './iptype.js';
import { parseExportTime } from './sentinel-export.js';
import { epochDate } from './time.js';
import { isBlank, parseJsonObject } from './text.js';
import { IGNORED, type RecordParser, type TableRow } from './types.js';

type Values = Map<string, unknown>;

/** A field's value in its conversion's type; throws CoerceError when it does not fit. */
function convertValue(raw: unknown, field: SourceField): unknown {
  if (raw === null || raw === undefined) return null;
  switch (field.as) {
    case 'string':
      return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
    case 'epoch': {
      const date = epochDate(Number(raw));
      if (!date) throw new CoerceError(`not a time: ${JSON.stringify(String(raw).slice(0, 40))}`);
      return date;
    }
    case 'list': {
      if (!Array.isArray(raw))
        throw new CoerceError(`not a list: ${JSON.stringify(String(raw).slice(0, 40))}`);
      return raw.length === 0
        ? null
        : raw.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
    }
    case 'datetime': {
      if (typeof raw !== 'string') return coerceValue(raw, 'datetime');
      const date = parseExportTime(raw);
      return date ?? coerceValue(raw, 'datetime'); // epoch text, or the coercer's reason
    }
    case 'dynamic':
      if (typeof raw === 'string') throw new CoerceError('a JSON string where an object was expected');
      return raw;
    default:
      return coerceValue(raw, field.as);
  }
}

function present(value: unknown): boolean {
  return value !== null && value !== undefined && value !== '';
}

function evaluate(expr: Expr, values: Values): unknown {
  if ('field' in expr) return values.get(expr.field) ?? null;
  if ('const' in expr) return expr.const;
  if ('lookup' in expr) {
    const v = values.get(expr.lookup);
    if (v === null || v === undefined) return null;
    const hit = expr.values[String(v)];
    return hit !== undefined ? hit : expr.otherwise === 'same' ? v : null;
  }
  if ('upper' in expr) {
    const v = values.get(expr.upper);
    return typeof v === 'string' ? v.toUpperCase() : null;
  }
  if ('ipType' in expr) {
    const v = values.get(expr.ipType);
    return typeof v === 'string' ? ipType(v) : null;
  }
  if ('plusSeconds' in expr) {
    const time = values.get(expr.plusSeconds[0]);
    const seconds = values.get(expr.plusSeconds[1]);
    if (!(time instanceof Date) || typeof seconds !== 'number') return null;
    return new Date(time.getTime() + Math.round(seconds * 1000));
  }
  if ('ipsOf' in expr) {
    const items = values.get(expr.ipsOf);
    const ips = Array.isArray(items) ? items.filter((a) => typeof a === 'string' && ipType(a) !== null) : [];
    return ips.length > 0 ? ips.join(',') : null;
  }
  if ('text' in expr) {
    const v = values.get(expr.text);
    return v === null || v === undefined ? null : String(v);
  }
  if ('coalesce' in expr) {
    for (const e of expr.coalesce) {
      const v = evaluate(e, values);
      if (v !== null && v !== undefined) return v;
    }
    return null;
  }
  if ('joinLists' in expr) {
    const items = expr.joinLists.flatMap((f) => (values.get(f) as string[] | null) ?? []);
    return items.length > 0 ? items.join(',') : null;
  }
  if (expr.as === 'json') {
    const out: Record<string, unknown> = {};
    for (const name of expr.extras) if (present(values.get(name))) out[name] = values.get(name);
    return out;
  }
  const parts: string[] = [];
  for (const name of expr.extras) {
    const v = values.get(name);
    if (!present(v)) continue;
    parts.push(`${name}=${Array.isArray(v) ? v.join(',') : v instanceof Date ? v.toISOString() : String(v)}`);
  }
  return parts.join(';');
}

function at(record: Record<string, unknown>, path: readonly string[]): unknown {
  let v: unknown = record;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Cuts a delimited line into raw field values (unset → null, empty → '' or []), or gives a reason. */
function delimitedRecord(text: string, plan: LoadPlan): unknown[] | string {
  const layout = plan.layout;
  if (layout.kind !== 'delimited') throw new Error('not a delimited plan');
  const parts = text.split(layout.separator);
  if (parts.length !== layout.columns) return `${parts.length} fields, the header names ${layout.columns}`;
  return plan.fields.map((field) => {
    const raw = parts[field.at as number];
    if (raw === layout.unset) return null;
    if (field.as === 'list')
      return raw === layout.empty || raw === '' ? [] : raw.split(layout.listSeparator ?? ',');
    return raw === layout.empty ? '' : raw;
  });
}

/**
 * A RecordParser for a plan: each line is parsed, converted and mapped in JavaScript. `onIgnored` hears
 * the reason of each ignored line (blank, comment, or a route value such as a Suricata `http` event).
 * `onLine` lets a format see a line first (nfdump's Summary trailer): return IGNORED to skip it.
 */
export function planParser(
  plan: LoadPlan,
  onIgnored?: (reason: string) => void,
  onLine?: (text: string) => typeof IGNORED | undefined,
): RecordParser {
  return (text) => {
    if (isBlank(text)) {
      onIgnored?.(BLANK_REASON);
      return IGNORED;
    }
    if (plan.commentPrefix !== undefined && text.startsWith(plan.commentPrefix)) {
      onIgnored?.(COMMENT_REASON);
      return IGNORED;
    }
    if (onLine?.(text) === IGNORED) return IGNORED;
    let raws: unknown[];
    if (plan.layout.kind === 'json') {
      const record = parseJsonObject(text);
      if (typeof record === 'string') return record;
      if (plan.closedKeys) {
        const known = new Set(plan.fields.map((f) => (f.at as readonly string[])[0]));
        const other = Object.keys(record).find((k) => !known.has(k));
        if (other !== undefined) return `key ${JSON.stringify(other)}: not one of the fields the plan reads`;
      }
      raws = plan.fields.map((field) => at(record, field.at as readonly string[]));
    } else {
      const cut = delimitedRecord(text, plan);
      if (typeof cut === 'string') return cut;
      raws = cut;
    }
    const values: Values = new Map();
    for (let i = 0; i < plan.fields.length; i++) {
      const field = plan.fields[i];
      try {
        values.set(field.name, convertValue(raws[i], field));
      } catch (err) {
        if (err instanceof CoerceError) return `${field.name}: ${err.message}`;
        throw err;
      }
    }
    const route = plan.route;
    if (route) {
      const v = values.get(route.field);
      const ok = v === null ? route.acceptNull === true : route.accept.includes(String(v));
      if (!ok) {
        if (route.otherwise === 'reader') return `${route.field} ${JSON.stringify(v)}: not handled`;
        onIgnored?.((route.reason ?? '{}').replace('{}', v === null ? '(none)' : String(v)));
        return IGNORED;
      }
    }
    const rows: TableRow[] = [];
    for (const target of plan.targets) {
      if (target.when && !target.when.in.includes(String(values.get(target.when.field)))) continue;
      const row: Record<string, unknown> = {};
      for (const [column, expr] of Object.entries(target.columns)) row[column] = evaluate(expr, values);
      rows.push({ table: target.table, row });
    }
    return rows;
  };
}
