/**
 * The one table of built-in KQL functions. Each family file (`functions-*.ts`) exports a FunctionFamily;
 * `functions-library.ts` builds the registry from the list of families, and a name registered twice (in
 * one namespace: scalar or aggregate) fails at load time naming both families, so no entry can silently
 * shadow another.
 *
 * An implementation gets the bound argument nodes, the call node (its `type` is the binder's result
 * type) and the Env; it returns SQL. It reaches the expression translator through `env.c.expr` (never by
 * importing expr.ts) and the engine's spellings through `dialect.ts`.
 */
import type { Env } from './context.js';
import type { KNode } from './kusto.js';
import type { JsFunction } from './udf.js';

export type FunctionImpl = (args: KNode[], node: KNode, env: Env) => string;

export interface FunctionFamily {
  /** Short family name, for error messages and docs (`string`, `geo` …). */
  name: string;
  /** Scalar functions by lower-case Kusto name. */
  scalars?: Record<string, FunctionImpl>;
  /**
   * Summarize aggregates by lower-case Kusto name: the SQL of one aggregate over the rows (arguments are
   * row expressions). The result is cast to the binder's type; a string result is never NULL.
   */
  aggregates?: Record<string, FunctionImpl>;
  /** JavaScript functions the scalars call by name (udf.ts); installed on the store's connection. */
  udfs?: JsFunction[];
}

export class DuplicateFunction extends Error {}

interface Entry {
  impl: FunctionImpl;
  family: string;
}

export class FunctionRegistry {
  private readonly scalars = new Map<string, Entry>();
  private readonly aggregates = new Map<string, Entry>();
  private readonly udfs = new Map<string, { fn: JsFunction; family: string }>();

  constructor(families: FunctionFamily[]) {
    for (const family of families) {
      this.add(this.scalars, 'scalar', family.name, family.scalars);
      this.add(this.aggregates, 'aggregate', family.name, family.aggregates);
      for (const fn of family.udfs ?? []) {
        const taken = this.udfs.get(fn.name);
        if (taken)
          throw new DuplicateFunction(
            `JS function ${fn.name} is registered twice: by family ${taken.family} and by family ${family.name}`,
          );
        this.udfs.set(fn.name, { fn, family: family.name });
      }
    }
  }

  private add(
    table: Map<string, Entry>,
    kind: string,
    family: string,
    impls: Record<string, FunctionImpl> | undefined,
  ): void {
    for (const [name, impl] of Object.entries(impls ?? {})) {
      const key = name.toLowerCase();
      const taken = table.get(key);
      if (taken)
        throw new DuplicateFunction(
          `KQL ${kind} function ${key}() is registered twice: by family ${taken.family} and by family ${family}`,
        );
      table.set(key, { impl, family });
    }
  }

  scalar(name: string): FunctionImpl | undefined {
    return this.scalars.get(name.toLowerCase())?.impl;
  }

  aggregate(name: string): FunctionImpl | undefined {
    return this.aggregates.get(name.toLowerCase())?.impl;
  }

  /** Every JS function of every family (to install on a connection). */
  jsFunctions(): JsFunction[] {
    return [...this.udfs.values()].map((u) => u.fn);
  }

  /** Registered names by family (for docs and tests). */
  names(): { family: string; kind: 'scalar' | 'aggregate'; name: string }[] {
    const list = (table: Map<string, Entry>, kind: 'scalar' | 'aggregate') =>
      [...table].map(([name, e]) => ({ family: e.family, kind, name }));
    return [...list(this.scalars, 'scalar'), ...list(this.aggregates, 'aggregate')];
  }
}
