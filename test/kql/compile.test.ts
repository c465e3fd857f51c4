import { describe, expect, it } from 'vitest';
import { compileKql, KqlError } from '../../src/kql/index.js';
import { loadSchemas } from '../../src/store/schema.js';
import { NOW } from './helpers.js';

const options = { schemas: loadSchemas(), now: NOW };

function errorOf(query: string): KqlError {
  try {
    compileKql(query, options);
  } catch (err) {
    if (err instanceof KqlError) return err;
    throw err;
  }
  throw new Error('expected a KqlError');
}

describe('compileKql errors', () => {
  it("reports Kusto's own diagnostic for an unknown column, with its 1-based position", () => {
    const err = errorOf('DnsEvents\n| where Name has "x"\n| where Foo == 1');
    expect(err.code).toBe('KS142');
    expect(err.line).toBe(3);
    expect(err.column).toBe(9);
    expect(err.start).toBe('DnsEvents\n| where Name has "x"\n| where '.length);
    expect(err.length).toBe(3);
    expect(err.message).toBe(
      "KS142: The name 'Foo' does not refer to any known column, table, variable or function. (line 3, column 9)",
    );
  });

  it('reports an unknown table and a syntax error', () => {
    expect(errorOf('NoSuchTable | take 1').code).toBe('KS204');
    expect(errorOf('DnsEvents | summarize count() Name').code).toMatch(/^KS/);
  });

  it('fails with TT001 naming the SyntaxKind of unsupported constructs, never a silent answer', () => {
    const reduce = errorOf('DnsEvents\n| reduce by Name');
    expect(reduce.code).toBe('TT001');
    expect(reduce.message).toMatch(/^TT001: Unsupported KQL: ReduceByOperator: 'reduce by Name'/);
    expect([reduce.line, reduce.column]).toEqual([2, 3]);
    // make-series with bins from the data (no from / to)
    expect(errorOf('DnsEvents | make-series count() on TimeGenerated step 1h').message).toMatch(
      /^TT001: .*make-series without from and to/,
    );
    // serialize inside mv-apply's subquery would number rows across the sub-tables
    expect(
      errorOf('DnsEvents | mv-apply d = dynamic([1]) on (serialize | extend r = row_number())').code,
    ).toBe('TT001');
    expect(errorOf('DnsEvents | evaluate pivot(Name)').message).toMatch(/TT001.*evaluate plugin pivot/);
    // a number against a string reads the string as a number (null when it is not one): no run-time cast error
    expect(() => compileKql('CommonSecurityLog | where DestinationPort == "x"', options)).not.toThrow();
  });
});

describe('compileKql output', () => {
  it('binds literals as parameters and never splices them into the SQL', () => {
    const evil = "x'); DROP TABLE DnsEvents; --";
    const compiled = compileKql(
      `DnsEvents | where Name == "${evil}" and Computer has "${evil}" | take 5`,
      options,
    );
    expect(compiled.sql).not.toContain('DROP');
    expect(compiled.params).toContain(evil);
    expect(compiled.params).toContain(5);
  });

  it("reports Kusto's columns, then _Source; keepSource: false drops provenance", () => {
    const q = 'DnsEvents | summarize count(), dcount(ClientIP) by Computer';
    expect(compileKql(q, options).columns).toEqual([
      { name: 'Computer', type: 'string' },
      { name: 'count_', type: 'long' },
      { name: 'dcount_ClientIP', type: 'long' },
      { name: '_Source', type: 'dynamic' },
    ]);
    const bare = compileKql(q, { ...options, keepSource: false });
    expect(bare.columns.map((c) => c.name)).toEqual(['Computer', 'count_', 'dcount_ClientIP']);
    expect(bare.sql).not.toContain('_Source');
  });

  it('passes the clock as a parameter', () => {
    const compiled = compileKql('DnsEvents | where TimeGenerated > ago(1h)', options);
    expect(compiled.params).toContain('2026-05-21 12:00:00.000');
    expect(compiled.params).toContain(3_600_000_000);
  });
});
