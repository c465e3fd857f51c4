import { describe, expect, it } from 'vitest';
import { entityView } from '../../src/hunts/entity-view.js';
import type { Finding } from '../../src/hunts/findings.js';

const f = (
  huntId: string,
  severity: Finding['severity'],
  entities: [string, string][],
  firstSeen: string,
): Finding => ({
  huntId,
  title: huntId,
  severity,
  time: firstSeen,
  firstSeen,
  entities: entities.map(([type, value]) => ({
    type,
    identifier: type === 'Host' ? 'HostName' : 'Address',
    value,
  })),
  evidence: [],
});

describe('the entity view', () => {
  it('merges a device seen by name and address, ranks scanning + C2 + malware first, orders its findings in time', () => {
    const view = entityView([
      f(
        'noise',
        'high',
        [
          ['IP', '10.0.0.9'],
          ['IP', '8.8.8.8'],
        ],
        '2026-05-21T01:00:00Z',
      ),
      f(
        'c2',
        'high',
        [
          ['Host', 'cpe-gw-17'],
          ['IP', '10.0.0.17'],
          ['IP', '176.65.139.7'],
        ],
        '2026-05-21T12:00:00Z',
      ),
      f('worm', 'high', [['IP', '10.0.0.17']], '2026-05-21T12:05:00Z'),
      f(
        'hash',
        'critical',
        [
          ['Host', 'cpe-gw-17'],
          ['FileHash', 'abc'],
        ],
        '2026-05-21T11:58:00Z',
      ),
    ]);
    expect(view[0].names).toEqual(['Host:cpe-gw-17', 'IP:10.0.0.17']);
    expect(view[0].findings.map((x) => x.huntId)).toEqual(['hash', 'c2', 'worm']);
    expect(view[0].severity).toBe('critical');
    expect(view[0].score).toBeGreaterThan(view[1].score);
    expect(view[1].names).toEqual(['IP:10.0.0.9']);
  });
});
