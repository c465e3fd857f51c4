import { describe, expect, it } from 'vitest';
import { importIntelText } from '../../src/intel/import.js';
import { parseCsvRecord } from '../../src/util/csv.js';

const API = `{
  "query_status": "ok",
  "data": [
    {
      "id": "1500001",
      "ioc": "176[.]65[.]139[.]7:3778",
      "threat_type": "botnet_cc",
      "threat_type_desc": "Indicator that identifies a botnet command&control server (C&C)",
      "ioc_type": "ip:port",
      "malware": "elf.mirai",
      "malware_printable": "Mirai",
      "malware_alias": "Katana",
      "confidence_level": 80,
      "first_seen": "2026-05-20 08:15:00 UTC",
      "last_seen": null,
      "reference": "https://example.org/report",
      "reporter": "someone",
      "tags": ["Mirai", "elf"]
    },
    { "id": "1500002", "ioc": "not-an-ip:99", "ioc_type": "ip:port", "threat_type": "botnet_cc" },
    { "id": "1500003", "ioc": "x", "ioc_type": "sha3_384_hash", "threat_type": "payload" },
    {
      "id": "1500004", "ioc": "TVT.MiraiBotnet.su", "ioc_type": "domain", "threat_type": "payload_delivery",
      "malware": "elf.mirai", "malware_printable": "Mirai", "confidence_level": 100,
      "first_seen": "2026-05-20 09:00:00 UTC", "last_seen": "2026-05-21 10:00:00 UTC", "tags": null
    },
    { "id": "1500005", "ioc": "5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc", "ioc_type": "sha256_hash",
      "threat_type": "payload", "confidence_level": 101 }
  ]
}`;

describe('ThreatFox API response', () => {
  it('imports valid entries, rejects bad ones with the line where the entry opens', () => {
    const r = importIntelText(API, 'feed.json');
    expect(r.format).toBe('threatfox-api');
    expect(r.indicators).toEqual([
      {
        type: 'ip:port',
        value: '176.65.139.7',
        port: 3778,
        threatType: 'botnet_cc',
        malware: 'Mirai',
        malwareId: 'elf.mirai',
        malwareAliases: ['Katana'],
        reporter: 'someone',
        confidence: 80,
        firstSeen: '2026-05-20T08:15:00.000Z',
        source: 'ThreatFox',
        reference: 'https://example.org/report',
        tags: ['Mirai', 'elf'],
        externalId: '1500001',
        origin: 'feed.json:4',
      },
      {
        type: 'domain',
        value: 'tvt.miraibotnet.su',
        threatType: 'payload_delivery',
        malware: 'Mirai',
        malwareId: 'elf.mirai',
        confidence: 100,
        firstSeen: '2026-05-20T09:00:00.000Z',
        lastSeen: '2026-05-21T10:00:00.000Z',
        source: 'ThreatFox',
        externalId: '1500004',
        origin: 'feed.json:22',
      },
    ]);
    expect(r.rejects).toEqual([
      { file: 'feed.json', line: 20, reason: 'not an IP address in ip:port: "not-an-ip:99"' },
      { file: 'feed.json', line: 21, reason: 'unsupported ioc_type "sha3_384_hash"' },
      { file: 'feed.json', line: 27, reason: 'confidence_level out of 0-100: "101"' },
    ]);
  });

  it('treats "no_result" as an empty, valid answer', () => {
    expect(
      importIntelText(
        '{"query_status": "no_result", "data": "Your search did not yield any results"}',
        'q.json',
      ),
    ).toEqual({
      indicators: [],
      rejects: [],
      format: 'threatfox-api',
    });
  });
});

const EXPORT = `{
  "1500001": [
    {
      "ioc_value": "hxxp://45[.]9[.]20[.]1/bins/mirai.arm7",
      "ioc_type": "url",
      "threat_type": "payload_delivery",
      "malware": "elf.mirai",
      "malware_printable": "Mirai",
      "malware_alias": null,
      "first_seen_utc": "2026-05-20 08:15:00",
      "last_seen_utc": null,
      "confidence_level": 75,
      "is_compromised": false,
      "reference": null,
      "tags": "32-bit,elf,mips,Mirai",
      "anonymous": "0",
      "reporter": "abuse_ch"
    }
  ],
  "1500002": [
    { "ioc_value": "828984d1112f52f7f24bbc2b15d0f4cf2646cd03809e648f0d3121a1bdb83464", "ioc_type": "sha256_hash",
      "threat_type": "payload", "malware": "elf.mirai", "malware_printable": "Mirai", "first_seen_utc": "yesterday",
      "confidence_level": 50, "tags": null }
  ],
  "1500003": [
    { "ioc_value": "D41D8CD98F00B204E9800998ECF8427E", "ioc_type": "md5_hash", "threat_type": "payload",
      "malware": "elf.mirai", "malware_printable": "Mirai", "first_seen_utc": "2026-05-21 00:00:00",
      "confidence_level": "50", "tags": "Mirai" }
  ]
}`;

describe('ThreatFox JSON export', () => {
  it('reads the keyed-by-id export, refangs values, splits comma tags, rejects a bad timestamp by line', () => {
    const r = importIntelText(EXPORT, 'full.json');
    expect(r.format).toBe('threatfox-json');
    expect(r.indicators.map((i) => [i.type, i.value, i.externalId, i.origin, i.tags, i.firstSeen])).toEqual([
      [
        'url',
        'http://45.9.20.1/bins/mirai.arm7',
        '1500001',
        'full.json:3',
        ['32-bit', 'elf', 'mips', 'Mirai'],
        '2026-05-20T08:15:00.000Z',
      ],
      [
        'md5',
        'd41d8cd98f00b204e9800998ecf8427e',
        '1500003',
        'full.json:26',
        ['Mirai'],
        '2026-05-21T00:00:00.000Z',
      ],
    ]);
    expect(r.rejects).toEqual([
      { file: 'full.json', line: 21, reason: 'first_seen is not a timestamp: "yesterday"' },
    ]);
  });
});

const CSV_HEADER = `################################################################
# ThreatFox IOCs: CSV export                                   #
# For questions please contact threatfox [at] abuse.ch         #
################################################################
#
`;
const CSV_NEW =
  CSV_HEADER +
  `# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","is_compromised","reference","tags","anonymous","reporter"
"2026-05-20 08:15:00", "1500001", "176.65.139.7:3778", "ip:port", "botnet_cc", "elf.mirai", "None", "Mirai", "", "80", "0", "", "Mirai,elf", "0", "abuse_ch"
"2026-05-20 09:00:00", "1500002", "tvt.miraibotnet.su", "domain", "payload_delivery", "elf.mirai", "Katana", "Mirai", "2026-05-21 10:00:00", "100", "1", "https://example.org/r", "Mirai", "0", "abuse_ch"
"2026-05-20 09:00:00", "1500003", "broken, "domain"
"2026-05-20 09:00:00", "1500004", "176.65.139.7:0", "ip:port", "botnet_cc", "elf.mirai", "None", "Mirai", "", "80", "0", "", "", "0", "abuse_ch"
"2026-05-20 09:00:00", "1500005", "tvt.miraibotnet.su", "domain"
# Number of entries: 5
`;
// Before is_compromised existed: 14 columns.
const CSV_OLD =
  CSV_HEADER +
  `# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","reference","tags","anonymous","reporter"
"2021-03-10 08:00:00", "1000", "hxxps://bad[.]example[.]org/gate.php", "url", "payload_delivery", "elf.mirai", "None", "Mirai", "", "50", "None", "None", "0", "abuse_ch"
`;

describe('ThreatFox CSV export', () => {
  it('splits quoted records separated by ", " with "" escapes', () => {
    expect(parseCsvRecord('"a", "b ""q"" c",  "", d ,"e,f"', { trim: true })).toEqual([
      'a',
      'b "q" c',
      '',
      'd',
      'e,f',
    ]);
    expect(() => parseCsvRecord('"a", "b', { trim: true })).toThrow('unterminated quoted field');
  });

  it('maps columns from the header comment; a malformed row is rejected with its file line, the rest imports', () => {
    const r = importIntelText(CSV_NEW, 'recent.csv');
    expect(r.format).toBe('threatfox-csv');
    expect(
      r.indicators.map((i) => [i.type, i.value, i.port, i.confidence, i.tags, i.lastSeen, i.origin]),
    ).toEqual([
      ['ip:port', '176.65.139.7', 3778, 80, ['Mirai', 'elf'], undefined, 'recent.csv:7'],
      [
        'domain',
        'tvt.miraibotnet.su',
        undefined,
        100,
        ['Mirai', 'is_compromised'],
        '2026-05-21T10:00:00.000Z',
        'recent.csv:8',
      ],
    ]);
    expect(r.rejects).toEqual([
      { file: 'recent.csv', line: 9, reason: 'unexpected "d" after the closing quote of field 3' },
      { file: 'recent.csv', line: 10, reason: 'port out of range: "176.65.139.7:0"' },
      { file: 'recent.csv', line: 11, reason: 'expected 15 fields, found 4' },
    ]);
  });

  it('reads old 14-column exports, by header or (headerless) by field count', () => {
    const withHeader = importIntelText(CSV_OLD, 'old.csv');
    const headerless = importIntelText(
      CSV_OLD.split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n'),
      'old.csv',
    );
    for (const r of [withHeader, headerless]) {
      expect(r.format).toBe('threatfox-csv');
      expect(r.rejects).toEqual([]);
      expect(r.indicators.map((i) => [i.type, i.value, i.reference, i.tags, i.externalId])).toEqual([
        ['url', 'https://bad.example.org/gate.php', undefined, undefined, '1000'],
      ]);
    }
  });
});
