/** Evaluates scalar KQL expressions with `print`, for the function-library tests (fn-*.test.ts). */
import { afterAll, beforeAll } from 'vitest';
import { Store } from '../../src/store/db.js';
import { runKql, type KqlResult } from '../../src/kql/index.js';
import { NOW } from './helpers.js';

export function useEvaluator(): {
  value: (expr: string) => Promise<unknown>;
  run: (q: string) => Promise<KqlResult>;
} {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open();
  });
  afterAll(() => store.close());
  const run = (q: string) => runKql(store, q, { now: NOW });
  return { run, value: async (expr) => (await run(`print v = ${expr}`)).rows[0].v };
}
