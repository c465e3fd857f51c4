/**
 * `buildschema(value)` (see js-library.ts for the calling convention): the schema that admits every
 * value: a bag's keys with their schemas, an array as `{"`indexer`": schema of its elements}`, a leaf
 * as its type name, and a union of several as an array of alternatives (in the order first seen, one bag
 * alternative holding the merged keys), as the aggregate's page shows.
 */
import type { JsFn, JsValue } from './js-value.js';

type Bag = { [key: string]: JsValue };
const isBag = (v: JsValue): v is Bag => v !== null && typeof v === 'object' && !Array.isArray(v);

function schemaOf(value: JsValue): JsValue | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    const elements = value.reduce<JsValue | undefined>((s, v) => merge(s, schemaOf(v)), undefined);
    return elements === undefined ? {} : { '`indexer`': elements };
  }
  if (isBag(value)) {
    const out: Bag = {};
    for (const [k, v] of Object.entries(value)) {
      const s = merge(out[k], schemaOf(v));
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'double';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

function merge(a: JsValue | undefined, b: JsValue | undefined): JsValue | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const alternatives = Array.isArray(a) ? [...a] : [a];
  for (const alt of Array.isArray(b) ? b : [b]) {
    const bag = alternatives.findIndex(isBag);
    if (isBag(alt) && bag >= 0) {
      const merged: Bag = { ...(alternatives[bag] as Bag) };
      for (const [k, v] of Object.entries(alt)) merged[k] = merge(merged[k], v) ?? v;
      alternatives[bag] = merged;
    } else if (!alternatives.some((x) => JSON.stringify(x) === JSON.stringify(alt))) alternatives.push(alt);
  }
  return alternatives.length === 1 ? alternatives[0] : alternatives;
}

export const SCHEMA_LIBRARY: Record<string, JsFn> = {
  buildschema: (...values) =>
    values.reduce<JsValue | undefined>((s, v) => merge(s, schemaOf(v)), undefined) ?? null,
};
