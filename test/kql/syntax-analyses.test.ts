// Analyses of a query's text done on Kusto's syntax tree: strings and comments that spell the code a
// regex would look for are never taken for it.
import { describe, expect, it } from 'vitest';
import { queryLookbackMs } from '../../src/hunts/lookback.js';
import { bindIndicatorList, bindIndicatorTable } from '../../src/hunts/indicator-lists.js';
import type { IndicatorListBinding } from '../../src/hunts/model.js';
import { defenderPrelude } from '../../src/kql/defender.js';
import { referencesName } from '../../src/kql/syntax.js';
import { loadSchemas } from '../../src/store/schema.js';

const list: IndicatorListBinding = { variable: 'ips', types: ['ip'] };

describe('binding a let list at the literal', () => {
  it('rewrites the whole dynamic([...]) when a string in it holds a ]', () => {
    const query = 'let ips = dynamic(["a]b", "c"]);\nT | where X in (ips)';
    expect(bindIndicatorList(query, list, ['1.2.3.4'], 'h')).toBe(
      'let ips = dynamic(["1.2.3.4"]);\nT | where X in (ips)',
    );
    expect(bindIndicatorTable(query, list, 'h/ips', 'h')).toBe(
      'let ips = TelltaleIndicatorList | where List == "h/ips" | project Value;\nT | where X in (ips)',
    );
  });

  it('binds the let itself, not one named in a comment or a longer name, and reads the name as a name', () => {
    const query =
      '// let ips = dynamic(["commented"]);\nlet ips_old = dynamic(["x"]);\nlet ips = dynamic([]);\nT | where X in (ips)';
    expect(bindIndicatorList(query, list, ['1.2.3.4'], 'h')).toBe(
      '// let ips = dynamic(["commented"]);\nlet ips_old = dynamic(["x"]);\nlet ips = dynamic(["1.2.3.4"]);\nT | where X in (ips)',
    );
    // a regex built from the variable would have read "i.s" as a pattern
    const odd: IndicatorListBinding = { variable: 'i.s', types: ['ip'] };
    expect(() => bindIndicatorList('let ips = dynamic([]);', odd, [], 'h')).toThrow(
      "hunt h: no 'let i.s = dynamic([...])'",
    );
  });

  it('fills a subdomain regex whatever its quoting', () => {
    const rx: IndicatorListBinding = { variable: 'rx', types: ['domain'], as: 'subdomain-regex' };
    const bound = bindIndicatorList("let rx = 'a;b'; // rx\nT | where N matches regex rx", rx, ['x.su'], 'h');
    expect(bound).toMatch(/^let rx = "\(\?i\).*x\\\\\.su.*"; \/\/ rx\nT \| where N matches regex rx$/);
  });
});

describe('lookbacks', () => {
  it('reads ago() calls, not a comment or a string that spells one', () => {
    expect(queryLookbackMs('// ago(30d)\nT | where TimeGenerated > ago(1h) | extend s = "ago(7d)"')).toBe(
      3_600_000,
    );
    expect(queryLookbackMs('let d = 2d; // ago(9d)\nT | where TimeGenerated > ago(d)')).toBe(172_800_000);
    expect(queryLookbackMs('T | where Note has "ago(1d)"')).toBeNull();
  });
});

describe("Defender's functions", () => {
  const schemas = loadSchemas();
  it('declares FileProfile for a call, not for a column, a comment or a string of that name', () => {
    expect(defenderPrelude('T | where FileProfile == 1', schemas).text).toBe('');
    expect(defenderPrelude('T | extend s = "FileProfile(x)" // FileProfile(y)', schemas).text).toBe('');
    const called = defenderPrelude('T | where FileProfile == 1 | invoke FileProfile(SHA1, 10)', schemas);
    expect(called.text).toMatch(/^let FileProfile = /);
    // only the invoked function's column argument is quoted; the column of the same name is left alone
    expect(called.query).toBe("T | where FileProfile == 1 | invoke FileProfile('SHA1', 10)");
  });
});

describe('tables a query reads', () => {
  it('sees a table reference, not a comment or a string naming it', () => {
    expect(referencesName('ThreatIntelligenceIndicator | take 1', 'ThreatIntelligenceIndicator')).toBe(true);
    expect(
      referencesName(
        'T | where x in ((ThreatIntelligenceIndicator | project NetworkIP))',
        'ThreatIntelligenceIndicator',
      ),
    ).toBe(true);
    expect(
      referencesName(
        '// joins ThreatIntelligenceIndicator\nT | where s == "ThreatIntelligenceIndicator"',
        'ThreatIntelligenceIndicator',
      ),
    ).toBe(false);
  });
});
