/**
 * The entry point of the translator: a query with the declarations it needs put in front of it
 * (Defender's built-in functions, the ASIM parsers, `_GetWatchlist`), compiled by compile.ts. Kept apart
 * from compile.ts because the ASIM parsers are themselves compiled by it (no import cycle).
 */
import { asimPrelude, NARROWED_COLUMN } from '../asim/prelude.js';
import { compileWithoutPreludes, type CompiledQuery, type CompileOptions } from './compile.js';
import { defenderPrelude } from './defender.js';
import { KqlError, lineColumn } from './errors.js';

export function compileKql(query: string, options: CompileOptions): CompiledQuery {
  // Defender's built-in functions and the ASIM parsers (and _GetWatchlist), when called, are declared
  // in front of the query
  const prelude = defenderPrelude(query, options.schemas);
  const narrowed = asimPrelude(query, { ...options, narrow: true });
  if (!prelude.text && !narrowed.text) return compileWithoutPreludes(query, options);
  // First with the parsers' tables narrowed to the fields the query names (far less SQL to plan);
  // again with every field when the query passed a table through whole, or failed that way.
  if (!narrowed.narrowed) return compileWithPreludes(query, options, prelude, narrowed);
  try {
    const result = compileWithPreludes(query, options, prelude, narrowed);
    if (!result.columns.some((c) => c.name === NARROWED_COLUMN)) return result;
  } catch (e) {
    if (!(e instanceof KqlError)) throw e;
  }
  return compileWithPreludes(query, options, prelude, asimPrelude(query, options));
}

function compileWithPreludes(
  query: string,
  options: CompileOptions,
  prelude: ReturnType<typeof defenderPrelude>,
  asim: ReturnType<typeof asimPrelude>,
): CompiledQuery {
  try {
    const text = asim.text + prelude.text + prelude.query;
    const withAsim = { ...options, schemas: asim.schemas, views: asim.views ?? options.views };
    return compileWithoutPreludes(text, withAsim, [...asim.warnings, ...prelude.warnings]);
  } catch (e) {
    if (!(e instanceof KqlError)) throw e;
    // positions back in the caller's text
    const start = prelude.original(e.start - asim.text.length);
    const { line, column } = lineColumn(query, start);
    const message = e.message.replace(/\(line \d+, column \d+\)$/, `(line ${line}, column ${column})`);
    throw Object.assign(Object.create(Object.getPrototypeOf(e) as object) as KqlError, e, {
      message,
      start,
      line,
      column,
    });
  }
}
