import { Store } from '../../src/store/db.js';
import { coerceRow, type Row } from '../../src/store/coerce.js';

export const NOW = new Date('2026-05-21T12:00:00Z');

/** An in-memory store holding the given rows; each row gets `_Source` = `<table>:<n>` unless it has one. */
export async function storeWith(data: Record<string, Row[]>): Promise<Store> {
  const store = await Store.open();
  for (const [table, rows] of Object.entries(data)) {
    const schema = store.schema(table);
    await store.insertRows(
      table,
      rows.map((row, i) => coerceRow(schema, { _Source: `${table}:${i + 1}`, ...row })),
    );
  }
  return store;
}
