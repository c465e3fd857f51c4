import { describe, expect, it } from 'vitest';
import { unordered, useFixture } from './op-fixture.js';

const run = useFixture();

const TABLES =
  'let T = datatable(a:string, b:long)["Mirai botnet", 1, "other", 2, "x_prefix", 3]; let U = datatable(a:string, c:real)["mirai.su", 2.5, "y", 3.0];';
const found = async (predicate: string) =>
  unordered((await run(`${TABLES} search in (T, U) ${predicate} | project t = $table, a`)).rows);

describe('search', () => {
  it('in (T, U): the union of the sources with $table, filtered by a term over every column', async () => {
    const { columns, rows } = await run(`${TABLES} search in (T, U) "mirai"`);
    expect(columns).toEqual(['$table', 'a', 'b', 'c']);
    expect(unordered(rows)).toEqual(
      unordered([
        { $table: 'T', a: 'Mirai botnet', b: 1, c: null },
        { $table: 'U', a: 'mirai.su', b: null, c: 2.5 },
      ]),
    );
  });

  it("wildcards pick the page's operator: hasprefix, hassuffix, contains, regex; Col: narrows to a column", async () => {
    expect(await found('"oth*"')).toEqual([{ t: 'T', a: 'other' }]);
    expect(await found('"*fix"')).toEqual([{ t: 'T', a: 'x_prefix' }]);
    // "ira" is inside words only: has would not find it, contains does
    expect(await found('"ira"')).toEqual([]);
    expect(await found('"*ira*"')).toHaveLength(2);
    expect(await found('"M*net"')).toEqual([{ t: 'T', a: 'Mirai botnet' }]);
    expect(await found('a:"y"')).toEqual([{ t: 'U', a: 'y' }]);
    expect(await found('*')).toHaveLength(5);
  });

  it('terms combine with ordinary predicates; kind=case_sensitive makes terms case-sensitive', async () => {
    expect(await found('"MIRAI" and (b == 1 or c > 2.7)')).toEqual([{ t: 'T', a: 'Mirai botnet' }]);
    expect(await found('c > 2.7')).toEqual([{ t: 'U', a: 'y' }]);
    const cs = await run(`${TABLES} search kind=case_sensitive in (T, U) "mirai" | project a`);
    expect(cs.rows).toEqual([{ a: 'mirai.su' }]);
  });

  it('T | search: the piped table, named in $table', async () => {
    const { rows } = await run(`${TABLES} T | search "other"`);
    expect(rows).toEqual([{ $table: 'T', a: 'other', b: 2 }]);
  });

  it('what depends on the database or a generated name is TT001 at the operator', async () => {
    await expect(run(`${TABLES} search "other"`)).rejects.toThrow(/TT001.*whole database.*line 1/);
    await expect(run(`${TABLES} T | where b > 0 | search "other"`)).rejects.toThrow(
      /TT001.*not a table or let name/,
    );
  });
});
