import { describe, expect, it } from 'vitest';
import { loadHunts, parseHunt, HuntLoadError } from '../../src/hunts/loader.js';
import { bindIndicatorList, IndicatorListError } from '../../src/hunts/indicator-lists.js';
import { findingsFromRows } from '../../src/hunts/findings.js';

describe('hunt content', () => {
  it('loads every bundled hunt as Sentinel hunting YAML with Telltale keys', () => {
    const hunts = loadHunts();
    expect(hunts.length).toBeGreaterThanOrEqual(15);
    for (const h of hunts) {
      expect(h.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(h.requiredTables.length, h.key).toBeGreaterThan(0);
      expect(h.relevantTechniques.length, h.key).toBeGreaterThan(0);
      // a finding needs something to be about: entities, a grouping column, or it is a view
      expect(h.entityMappings.length + h.groupBy.length + (h.view ? 1 : 0), h.key).toBeGreaterThan(0);
    }
    expect(new Set(hunts.map((h) => h.id)).size).toBe(hunts.length);
  });

  it('keeps the seed 002 queries verbatim', () => {
    const csl = loadHunts().find((h) => h.key === 'threatfox-mirai-c2-commonsecuritylog');
    expect(csl?.query).toContain(`let malicious_ips = dynamic(["176.65.139.7"]);
CommonSecurityLog
| where DestinationIP in (malicious_ips) or SourceIP in (malicious_ips)
| project TimeGenerated, SourceIP, DestinationIP, DestinationPort, DeviceAction, Activity
| order by TimeGenerated desc`);
  });

  it('puts every threshold of the behaviour hunts in a let at the top of the query', () => {
    for (const h of loadHunts().filter((h) => /worm|crawl|spike|telnet|beacon|ddos|inbound/.test(h.key))) {
      const head = h.query.split('\n').filter((l) => l.trim() && !l.trim().startsWith('//'));
      expect(head[0], h.key).toMatch(/^let /);
      expect(h.query, h.key).toMatch(/let (min_|max_|k )/);
    }
  });

  it('reads x-telltale severityColumn, groupBy, queryFrequency and view', () => {
    const byKey = new Map(loadHunts().map((h) => [h.key, h]));
    expect(byKey.get('mirai-indicator-hits-commonsecuritylog')?.severityColumn).toBe('AlertSeverity');
    expect(byKey.get('mirai-port-spike')).toMatchObject({
      groupBy: ['DstPortNumber'],
      queryFrequencyMs: 86_400_000,
    });
    expect(byKey.get('mirai-top-ports-24h')?.view).toBe(true);
  });

  it('rejects a hunt without a query, naming the file', () => {
    expect(() => parseHunt('id: x\nname: y\n', 'bad.yaml')).toThrow(HuntLoadError);
    expect(() => parseHunt('id: x\nname: y\n', 'bad.yaml')).toThrow(
      /bad\.yaml: missing required key 'query'/,
    );
    expect(() => parseHunt('id: [x\n', 'broken.yaml')).toThrow(/broken\.yaml: invalid YAML/);
  });
});

describe('indicator lists', () => {
  const query = 'let malicious_ips = dynamic(["1.2.3.4"]);\nT | where A in (malicious_ips)';

  it('replaces the let list with the store values, quoting them as KQL strings', () => {
    const bound = bindIndicatorList(
      query,
      { variable: 'malicious_ips', types: ['ip'] },
      ['5.6.7.8', 'a"b'],
      'h',
    );
    expect(bound).toBe('let malicious_ips = dynamic(["5.6.7.8", "a\\"b"]);\nT | where A in (malicious_ips)');
  });

  it('fails loudly when the query has no such list', () => {
    expect(() => bindIndicatorList(query, { variable: 'bad_ips', types: ['ip'] }, [], 'h')).toThrow(
      IndicatorListError,
    );
  });
});

describe('findings from rows', () => {
  it('groups rows by their mapped entities and keeps every row as evidence', () => {
    const rows = [
      { DeviceName: 'a', RemoteIP: '1.1.1.1', Timestamp: '2026-01-01T00:00:00.000Z', _Source: 'f:1' },
      { DeviceName: 'a', RemoteIP: '1.1.1.1', Timestamp: '2026-01-02T00:00:00.000Z', _Source: 'f:2' },
      { DeviceName: 'b', RemoteIP: '1.1.1.1', Timestamp: '2026-01-01T00:00:00.000Z', _Source: 'f:3' },
    ];
    const findings = findingsFromRows(rows, { huntId: 'h', title: 't', severity: 'high' }, [
      { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'DeviceName' }] },
      { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'RemoteIP' }] },
    ]);
    expect(findings.map((f) => [f.entities.map((e) => e.value), f.evidence.length, f.time])).toEqual([
      [['a', '1.1.1.1'], 2, '2026-01-02T00:00:00.000Z'],
      [['b', '1.1.1.1'], 1, '2026-01-01T00:00:00.000Z'],
    ]);
  });
});
