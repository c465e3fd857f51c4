import { describe, expect, it } from 'vitest';
import { compileKql, NeedsData } from '../../src/kql/index.js';
import { loadSchemas } from '../../src/store/schema.js';
import { unordered, useFixture } from './op-fixture.js';

const run = useFixture();

const BAGS =
  'datatable(id:long, d:dynamic) [1, dynamic({"Name":"ann","Age":20,"Tags":["a"]}), ' +
  '2, dynamic({"Name":"bob","Age":2.5,"Ok":true}), 3, dynamic(null)]';

describe('evaluate bag_unpack', () => {
  it('one column per key found in the data, typed from the values; the bag column goes', async () => {
    const { columns, rows } = await run(`${BAGS} | evaluate bag_unpack(d) | sort by id asc`);
    expect(columns).toEqual(['id', 'Age', 'Name', 'Ok', 'Tags']);
    expect(rows).toEqual([
      { id: 1, Age: 20, Name: 'ann', Ok: null, Tags: ['a'] },
      { id: 2, Age: 2.5, Name: 'bob', Ok: true, Tags: null },
      { id: 3, Age: null, Name: '', Ok: null, Tags: null }, // strings are never null in Kusto
    ]);
  });

  it('later operators read unpacked columns (with a prefix); keys come from the rows reaching it', async () => {
    const { rows } = await run(
      `${BAGS} | where id < 3 | evaluate bag_unpack(d, "p_") | where p_Age > 10 | project id, p_Name`,
    );
    expect(rows).toEqual([{ id: 1, p_Name: 'ann' }]);
  });

  it('a key no row holds reads as null, with a warning; provenance survives', async () => {
    const { rows, warnings } = await run(
      'CommonSecurityLog | extend d = dynamic({"a": 1}) | evaluate bag_unpack(d) | project DeviceVendor, a, Missing',
    );
    expect(unordered(rows).map((r) => [r.DeviceVendor, r.a, r.Missing, r._Source])).toEqual([
      ['v1', 1, null, 'CommonSecurityLog:1'],
      ['v2', 1, null, 'CommonSecurityLog:2'],
      ['v3', 1, null, 'CommonSecurityLog:3'],
    ]);
    expect(warnings.join()).toMatch(/Missing/);
  });

  it('over no rows: only the names the query reads, as null', async () => {
    const { rows, columns } = await run(
      'CommonSecurityLog | where DeviceVendor == "none" | extend d = todynamic(AdditionalExtensions) | evaluate bag_unpack(d) | project DeviceVendor, X',
    );
    expect(rows).toEqual([]);
    expect(columns).toEqual(['DeviceVendor', 'X', '_Source']);
  });

  it('a key clashing with a column fails; compileKql alone says the data is needed', async () => {
    await expect(
      run('datatable(id:long, d:dynamic) [1, dynamic({"id":2})] | evaluate bag_unpack(d)'),
    ).rejects.toThrow(/TT001.*clashes/);
    expect(() =>
      compileKql(`${BAGS} | evaluate bag_unpack(d)`, { schemas: loadSchemas(), now: new Date() }),
    ).toThrow(NeedsData);
  });

  it('other plugins are TT001 naming the plugin', async () => {
    await expect(run('CommonSecurityLog | evaluate pivot(DeviceVendor)')).rejects.toThrow(
      /TT001.*evaluate plugin pivot/,
    );
  });
});
