import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import type { Indicator } from '../../src/intel/model.js';
import { indicatorId, loadIndicators } from '../../src/intel/ti-table.js';

/** The ThreatIntelligenceIndicator rows a run writes for `indicators`, without their empty columns. */
async function rowsOf(indicators: Indicator[], at = now): Promise<Record<string, unknown>[]> {
  const store = await Store.open();
  try {
    await loadIndicators(store, indicators, at);
    const rows = await store.query('SELECT * EXCLUDE (TenantId) FROM ThreatIntelligenceIndicator');
    return rows.map((r) =>
      Object.fromEntries(
        Object.entries(r)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
      ),
    );
  } finally {
    store.close();
  }
}

const now = new Date('2026-05-21T12:00:00Z');
const ipPort: Indicator = {
  type: 'ip:port',
  value: '176.65.139.7',
  port: 3778,
  threatType: 'botnet_cc',
  malware: 'Mirai',
  confidence: 80,
  firstSeen: '2026-05-20T00:00:00.000Z',
  source: 'ThreatFox',
  reference: 'https://example.org/r',
  tags: ['Mirai'],
  externalId: '1500001',
  origin: 'content/intel/threatfox-mirai.json:4',
};

describe("a run's ThreatIntelligenceIndicator rows", () => {
  it('fills the Sentinel columns for an ip:port indicator', async () => {
    expect(await rowsOf([ipPort])).toEqual([
      {
        TimeGenerated: '2026-05-21T12:00:00.000Z',
        SourceSystem: 'ThreatFox',
        IndicatorProvider: 'ThreatFox',
        Type: 'ThreatIntelligenceIndicator',
        Action: 'alert',
        PassiveOnly: false,
        IndicatorId: indicatorId(ipPort),
        ExternalIndicatorId: '1500001',
        ThreatType: 'C2',
        KillChainC2: true,
        ConfidenceScore: 80,
        MalwareNames: '["Mirai"]',
        Tags: '["Mirai"]',
        Description: 'Mirai botnet_cc (ThreatFox)',
        AdditionalInformation: 'first_seen=2026-05-20T00:00:00.000Z; reference=https://example.org/r',
        Active: true,
        ExpirationDateTime: '2026-06-19T00:00:00.000Z', // first seen + 30 days (lifecycle.ts)
        TrafficLightProtocolLevel: 'white',
        NetworkIP: '176.65.139.7',
        NetworkDestinationIP: '176.65.139.7',
        NetworkDestinationPort: 3778,
        NetworkPort: 3778,
        _Source: 'content/intel/threatfox-mirai.json:4',
      },
    ]);
    expect(indicatorId(ipPort)).toMatch(/^[0-9A-F]{64}$/);
  });

  it('puts each observable type in its own column', async () => {
    const base = { source: 'report.txt' };
    const rows = await rowsOf(
      [
        { ...base, type: 'ipv4', value: '45.9.20.1' },
        { ...base, type: 'ipv6', value: '2a03:2880::1' },
        { ...base, type: 'domain', value: 'tvt.miraibotnet.su', threatType: 'payload_delivery' },
        { ...base, type: 'url', value: 'http://45.9.20.1/x', threatType: 'payload_delivery' },
        { ...base, type: 'md5', value: 'a'.repeat(31) + 'b' },
        { ...base, type: 'sha1', value: 'a'.repeat(39) + 'b' },
        { ...base, type: 'sha256', value: 'a'.repeat(63) + 'b', context: 'the following hashes:' },
      ],
      now,
    );
    const pick = (r: Record<string, unknown>) =>
      Object.fromEntries(
        ['NetworkIP', 'DomainName', 'Url', 'FileHashValue', 'FileHashType', 'ThreatType', 'Description']
          .filter((k) => r[k] !== undefined)
          .map((k) => [k, r[k]]),
      );
    expect(rows.map(pick)).toEqual([
      { NetworkIP: '45.9.20.1', ThreatType: 'WatchList', Description: 'ipv4 (report.txt)' },
      { NetworkIP: '2a03:2880::1', ThreatType: 'WatchList', Description: 'ipv6 (report.txt)' },
      {
        DomainName: 'tvt.miraibotnet.su',
        ThreatType: 'MaliciousUrl',
        Description: 'payload_delivery (report.txt)',
      },
      { Url: 'http://45.9.20.1/x', ThreatType: 'MaliciousUrl', Description: 'payload_delivery (report.txt)' },
      {
        FileHashValue: 'a'.repeat(31) + 'b',
        FileHashType: 'MD5',
        ThreatType: 'WatchList',
        Description: 'md5 (report.txt)',
      },
      {
        FileHashValue: 'a'.repeat(39) + 'b',
        FileHashType: 'SHA1',
        ThreatType: 'WatchList',
        Description: 'sha1 (report.txt)',
      },
      {
        FileHashValue: 'a'.repeat(63) + 'b',
        FileHashType: 'SHA256',
        ThreatType: 'WatchList',
        Description: 'the following hashes:',
      },
    ]);
    expect(rows.every((r) => r._Source === 'report.txt' && r.Active === true)).toBe(true);
  });

  it('gives an indicator without an end date the lifetime of its type from its last sighting', async () => {
    const seen = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    const rows = await rowsOf(
      [
        { ...ipPort, firstSeen: seen(60), lastSeen: seen(40) }, // addresses live 30 days: expired
        { type: 'domain', value: 'tvt.miraibotnet.su', source: 'x', lastSeen: seen(40) }, // 90 days
        { type: 'sha256', value: 'a'.repeat(64), source: 'x' }, // no sighting: from now, ten years
      ],
      now,
    );
    expect(rows.map((r) => [r.Active, r.ExpirationDateTime])).toEqual([
      [true, seen(10)], // expired at `now`: the hunt's clock decides (a replay of older logs matches)
      [true, new Date(now.getTime() + 50 * 86_400_000).toISOString()],
      [true, new Date(now.getTime() + 3650 * 86_400_000).toISOString()],
    ]);
  });

  it('marks withdrawn indicators inactive and leaves expiry to the clock of the hunt', async () => {
    const rows = await rowsOf(
      [
        { ...ipPort, expires: '2026-05-01T00:00:00.000Z' },
        { ...ipPort, port: 23, active: false },
      ],
      now,
    );
    expect(rows.map((r) => [r.Active, r.ExpirationDateTime])).toEqual([
      [true, '2026-05-01T00:00:00.000Z'],
      [false, '2026-06-19T00:00:00.000Z'],
    ]);
  });
});

describe('loadIndicators', () => {
  it('stores rows that a Sentinel-style TI match query finds', async () => {
    const store = await Store.open();
    try {
      const domain: Indicator = {
        type: 'domain',
        value: 'tvt.miraibotnet.su',
        source: 'ThreatFox',
        confidence: 100,
      };
      expect(await loadIndicators(store, [ipPort, domain], now)).toBe(2);
      const rows = await store.query(
        `SELECT NetworkIP, NetworkDestinationPort, DomainName, ConfidenceScore, _Source FROM ThreatIntelligenceIndicator
         WHERE Active AND ExpirationDateTime > ? ORDER BY IndicatorId`,
        [now.toISOString()],
      );
      expect(rows).toHaveLength(2);
      expect(rows).toContainEqual({
        NetworkIP: '176.65.139.7',
        NetworkDestinationPort: 3778,
        DomainName: null,
        ConfidenceScore: 80,
        _Source: 'content/intel/threatfox-mirai.json:4',
      });
      expect(rows).toContainEqual({
        NetworkIP: null,
        NetworkDestinationPort: null,
        DomainName: 'tvt.miraibotnet.su',
        ConfidenceScore: 100,
        _Source: 'ThreatFox',
      });
    } finally {
      store.close();
    }
  });
});
