import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/hunts/findings.js';
import { mergeIncidents } from '../../src/hunts/incidents.js';
import type { Severity } from '../../src/hunts/model.js';

const ip = (value: string) => ({ type: 'IP', identifier: 'Address', value });

function finding(
  huntId: string,
  severity: Severity,
  values: string[],
  sources: (string | string[])[],
  first: string,
  last = first,
): Finding {
  return {
    huntId,
    title: `title of ${huntId}`,
    severity,
    time: last,
    firstSeen: first,
    lastSeen: last,
    count: sources.length,
    entities: values.map(ip),
    evidence: sources.map((s) => ({ _Source: s })),
  };
}

const ids = (f: Finding) => f.hunts?.map((h) => `${h.huntId}:${h.severity}`);

describe('one finding per incident', () => {
  it('merges findings of different hunts on the same evidence row; the worst severity leads', () => {
    const merged = mergeIncidents([
      finding('port-aware', 'critical', ['10.0.0.5', '1.2.3.4'], ['fw.log:12'], '2026-01-01T10:00:00Z'),
      finding('seed', 'high', ['1.2.3.4'], ['fw.log:12'], '2026-01-01T10:00:00Z'),
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ huntId: 'port-aware', severity: 'critical', count: 2 });
    expect(ids(merged[0])).toEqual(['port-aware:critical', 'seed:high']);
    expect(merged[0].evidence).toEqual([{ _Source: 'fw.log:12' }]);
    expect(merged[0].entities.map((e) => e.value)).toEqual(['10.0.0.5', '1.2.3.4']);
  });

  it('matches a summarised row by any of its sources', () => {
    const merged = mergeIncidents([
      finding('scan', 'high', ['10.0.0.5'], [['conn.log:3', 'conn.log:4']], '2026-01-01T10:00:00Z'),
      finding('brute', 'medium', ['10.0.0.9'], [['conn.log:4', 'conn.log:9']], '2026-01-01T10:00:00Z'),
    ]);
    expect(merged.map(ids)).toEqual([['scan:high', 'brute:medium']]);
  });

  it('merges the same entity pair seen by two sources within the window, not beyond it', () => {
    const fw = finding('fw', 'high', ['10.0.0.5', '1.2.3.4'], ['fw.log:1'], '2026-01-01T10:00:00Z');
    const edr = finding('edr', 'high', ['1.2.3.4', '10.0.0.5'], ['edr.json:7'], '2026-01-01T14:59:00Z');
    expect(mergeIncidents([fw, edr])).toHaveLength(1);
    const later = { ...edr, firstSeen: '2026-01-01T15:01:00Z', lastSeen: '2026-01-01T15:01:00Z' };
    expect(mergeIncidents([fw, later])).toHaveLength(2);
    expect(mergeIncidents([fw, later], 6 * 3600_000)).toHaveLength(1);
  });

  it('keeps findings apart that share only one entity (one device, two domains)', () => {
    const merged = mergeIncidents([
      finding('dns', 'high', ['10.0.0.5', 'a.example'], ['dns.log:1'], '2026-01-01T10:00:00Z'),
      finding('dns', 'high', ['10.0.0.5', 'b.example'], ['dns.log:2'], '2026-01-01T10:00:00Z'),
    ]);
    expect(merged).toHaveLength(2);
    expect(merged.map(ids)).toEqual([['dns:high'], ['dns:high']]);
  });

  it('closes the relation transitively and keeps the input order of incidents', () => {
    const merged = mergeIncidents([
      finding('a', 'critical', ['x', 'y'], ['f:1'], '2026-01-01T10:00:00Z'),
      finding('b', 'low', ['q'], ['f:9'], '2026-01-01T10:00:00Z'),
      finding('c', 'high', ['z'], ['f:1', 'f:2'], '2026-01-01T10:00:00Z'),
      finding('d', 'medium', ['w'], ['f:2'], '2026-01-01T12:00:00Z', '2026-01-01T13:00:00Z'),
    ]);
    expect(merged.map(ids)).toEqual([['a:critical', 'c:high', 'd:medium'], ['b:low']]);
    expect(merged[0]).toMatchObject({
      firstSeen: '2026-01-01T10:00:00Z',
      lastSeen: '2026-01-01T13:00:00Z',
      time: '2026-01-01T13:00:00Z',
    });
  });

  it('keeps thousands of findings apart that share only their busy device', () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      finding(
        'scan',
        'low',
        ['10.0.0.5', `198.51.${i >> 8}.${i & 255}`],
        [`conn.log:${i}`],
        '2026-01-01T10:00:00Z',
      ),
    );
    expect(mergeIncidents(many)).toHaveLength(5000);
  });
});
