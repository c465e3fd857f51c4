import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { compileKql, runKql } from '../../src/kql/index.js';
import { NOW, storeWith } from './helpers.js';

// 12 rows from one host to two ports: port 80 has 11 rows (more than the 10 sources a group keeps)
const ROWS = Array.from({ length: 12 }, (_, i) => ({
  TimeGenerated: '2026-05-21T10:00:00Z',
  SourceIP: '10.0.0.1',
  DestinationPort: i === 11 ? 22 : 80,
}));

describe("a summarize's _Source lists, computed for the groups that reach the result", () => {
  let store: Store;
  beforeAll(async () => {
    store = await storeWith({ CommonSecurityLog: ROWS });
  });
  afterAll(() => store.close());
  const run = (query: string) => runKql(store, query, { now: NOW });

  it('are the 10 smallest sources of each group, after where, extend, project and sort', async () => {
    const { columns, rows } = await run(
      'CommonSecurityLog | summarize n = count() by SourceIP, DestinationPort | where n > 1 ' +
        '| extend twice = n * 2 | project DestinationPort, SourceIP, twice | order by DestinationPort asc',
    );
    expect(columns).toEqual(['DestinationPort', 'SourceIP', 'twice', '_Source']);
    const sources = ['1', '10', '11', '2', '3', '4', '5', '6', '7', '8'].map((n) => `CommonSecurityLog:${n}`);
    expect(rows).toEqual([{ DestinationPort: 80, SourceIP: '10.0.0.1', twice: 22, _Source: sources }]);
  });

  it('of a summarize over a summarize are those of the rows under each outer group', async () => {
    const { rows } = await run(
      'CommonSecurityLog | summarize n = count() by SourceIP, DestinationPort | summarize ports = count() by SourceIP',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]._Source).toEqual(
      ['1', '10', '11', '12', '2', '3', '4', '5', '6', '7'].map((n) => `CommonSecurityLog:${n}`),
    );
  });

  it('are not computed when no group reaches the result: the lean pass answers, columns unchanged', async () => {
    const query = 'CommonSecurityLog | summarize n = count() by SourceIP | where n > 100';
    const compiled = compileKql(query, { schemas: store.schemas, now: NOW });
    expect(compiled.lean?.sql).not.toContain('_Source');
    const { columns, rows } = await run(query);
    expect(columns).toEqual(['SourceIP', 'n', '_Source']);
    expect(rows).toEqual([]);
  });

  it('are not computed at all when the result leaves _Source out (keepSource: false)', async () => {
    const query = 'CommonSecurityLog | summarize n = count() by SourceIP | where n > 1';
    const compiled = compileKql(query, { schemas: store.schemas, now: NOW, keepSource: false });
    expect(compiled.lean).toBeUndefined();
    expect(compiled.sql).not.toContain('_Source');
    expect(compiled.columns.map((c) => c.name)).toEqual(['SourceIP', 'n']);
    const { rows } = await runKql(store, query, { now: NOW, keepSource: false });
    expect(rows).toEqual([{ SourceIP: '10.0.0.1', n: 12 }]);
  });
});
