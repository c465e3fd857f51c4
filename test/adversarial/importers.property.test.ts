// Issue 11, fast-check over every intel importer (ThreatFox API/export/CSV, STIX, MISP, CSV, plain list,
// free text): entries with random, hostile or huge values never throw, every reject names its file, a
// line inside the input and a reason of bounded length (a 1 MB bad value is not echoed back), and no
// indicator carries a character a terminal acts on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importIntelText, type ImportResult } from '../../src/intel/import.js';
import { HOSTILE, mutatedText, TERMINAL_UNSAFE } from './mutate.js';

const NAME = 'feed.txt';
/** The longest reject reason a user is shown (src/util/reason.ts clips to 300 characters + a note). */
const MAX_REASON = 400;

function checkResult(r: ImportResult, text: string): void {
  const lines = text.split('\n').length;
  for (const reject of r.rejects) {
    expect(reject.file).toBe(NAME);
    expect(Number.isInteger(reject.line) && reject.line >= 0 && reject.line <= lines).toBe(true);
    expect(reject.reason.trim().length).toBeGreaterThan(0);
    expect(reject.reason.length).toBeLessThanOrEqual(MAX_REASON);
  }
  for (const i of r.indicators) {
    expect(i.value).not.toMatch(TERMINAL_UNSAFE);
    expect(i.value.length).toBeGreaterThan(0);
  }
}

/** A value an entry may carry instead of a good one: random, hostile, huge, or not a string at all. */
const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...HOSTILE),
  fc.constantFrom('1.2.3.' + '9'.repeat(2_000), `[ipv4-addr:value = '${'x'.repeat(2_000)}']`),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Seed objects with one field each replaced by a bad value, as JSON text. */
function mutatedEntries(
  seeds: readonly Record<string, unknown>[],
  wrap: (entries: Record<string, unknown>[]) => unknown,
): fc.Arbitrary<string> {
  const entry = fc
    .tuple(fc.constantFrom(...seeds), fc.nat(), fc.option(badValue, { freq: 4 }))
    .map(([seed, k, value]) => {
      const keys = Object.keys(seed);
      return value === null ? seed : { ...seed, [keys[k % keys.length]]: value };
    });
  return fc
    .tuple(fc.array(entry, { minLength: 1, maxLength: 12 }), fc.boolean())
    .map(([entries, pretty]) => JSON.stringify(wrap(entries), null, pretty ? 2 : undefined));
}

const THREATFOX_API = [
  {
    id: '1500001',
    ioc: '176[.]65[.]139[.]7:3778',
    threat_type: 'botnet_cc',
    ioc_type: 'ip:port',
    malware: 'elf.mirai',
    malware_printable: 'Mirai',
    confidence_level: 80,
    first_seen: '2026-05-20 08:15:00 UTC',
    tags: ['Mirai'],
  },
  { id: '1500004', ioc: 'tvt.miraibotnet.su', ioc_type: 'domain', threat_type: 'payload_delivery' },
];
const THREATFOX_EXPORT = [
  { ioc_value: 'hxxp://45[.]9[.]20[.]1/bins/mirai.arm7', ioc_type: 'url', threat_type: 'payload_delivery' },
  { ioc_value: 'D41D8CD98F00B204E9800998ECF8427E', ioc_type: 'md5_hash', threat_type: 'payload' },
];
const STIX = [
  {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--c2',
    pattern_type: 'stix',
    pattern: "[ipv4-addr:value = '176.65.139.7'] OR [domain-name:value = 'tvt.miraibotnet.su']",
    valid_from: '2026-05-20T00:00:00Z',
    confidence: 80,
  },
  {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--f',
    pattern_type: 'stix',
    pattern: "[file:hashes.'SHA-256' = '7e84a8a74e93e567a6e7f781ab5764fe3bbc12c868b89e5c5c79924d5d5742e2']",
    valid_from: '2026-05-20T00:00:00Z',
  },
];
const MISP = [
  { type: 'ip-dst|port', value: '176.65.139.7|3778', to_ids: true, category: 'Network activity' },
  { type: 'hostname', value: 'tvt.miraibotnet.su', to_ids: true, comment: 'payload host' },
  { type: 'sha256', value: '5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc', to_ids: true },
];

const JSON_FEEDS = [
  {
    format: 'threatfox-api' as const,
    text: mutatedEntries(THREATFOX_API, (data) => ({ query_status: 'ok', data })),
  },
  {
    format: 'threatfox-json' as const,
    text: mutatedEntries(THREATFOX_EXPORT, (es) =>
      Object.fromEntries(es.map((e, i) => [String(i + 1), [e]])),
    ),
  },
  {
    format: 'stix' as const,
    text: mutatedEntries(STIX, (objects) => ({ type: 'bundle', id: 'bundle--1', objects })),
  },
  {
    format: 'misp' as const,
    text: mutatedEntries(MISP, (Attribute) => ({ Event: { info: 'Mirai wave', Attribute } })),
  },
];

const LINE_FEEDS = [
  {
    format: 'threatfox-csv' as const,
    header: [
      '################################################################',
      '# ThreatFox IOCs: CSV file                                     #',
      '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","reference","tags","anonymous","reporter"',
    ],
    seeds: [
      '"2026-05-20 08:15:00", "1500001", "176.65.139.7:3778", "ip:port", "botnet_cc", "elf.mirai", "Katana", "Mirai", "", "80", "", "Mirai", "0", "someone"',
      '"2026-05-20 09:00:00", "1500004", "tvt.miraibotnet.su", "domain", "payload_delivery", "elf.mirai", "", "Mirai", "", "100", "", "", "0", "x"',
    ],
  },
  {
    format: 'csv' as const,
    header: ['indicator,type,malware,confidence'],
    seeds: [
      '176.65.139.7,ip,Mirai,80',
      'tvt.miraibotnet.su,domain,Mirai,90',
      'http://45.9.20.1/bins/mirai.arm7,url,,',
    ],
  },
  {
    format: 'list' as const,
    header: ['# blocklist'],
    seeds: [
      '176.65.139.7',
      'tvt.miraibotnet.su',
      '45.9.20.1:23',
      '5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc',
    ],
  },
  {
    format: 'text' as const,
    header: [],
    seeds: [
      'The loader at hxxp://45[.]9[.]20[.]1/bins/mirai.arm7 dropped a bot that calls 176.65.139[.]7 on port 3778.',
      'C2 domain tvt.miraibotnet[.]su, sample SHA-256 5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc.',
    ],
  },
];

describe.each(JSON_FEEDS)('the $format importer on entries with bad values', ({ format, text }) => {
  it('never throws; rejects name file, line and a bounded reason; values are printable', () => {
    fc.assert(
      fc.property(text, (raw) => checkResult(importIntelText(raw, NAME, format), raw)),
      { numRuns: 40, seed: 11 },
    );
  });
});

describe.each(LINE_FEEDS)('the $format importer on random and mutated lines', ({ format, header, seeds }) => {
  it('never throws; rejects name file, line and a bounded reason; values are printable', () => {
    fc.assert(
      fc.property(mutatedText(seeds, { header }), (raw) =>
        checkResult(importIntelText(raw, NAME, format), raw),
      ),
      { numRuns: 60, seed: 11 },
    );
  });
});

describe('a huge bad value is not echoed back', () => {
  const big = '9'.repeat(2_000_000);
  it.each([
    [
      'misp',
      JSON.stringify({ Event: { info: 'x', Attribute: [{ type: 'ip-dst', value: `1.2.3.${big}` }] } }),
    ],
    [
      'stix',
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--1',
        objects: [{ ...STIX[0], pattern: `[ipv4-addr:value = '${big}']` }],
      }),
    ],
    ['csv', `indicator,type\n${big},ip\n`],
  ] as const)('%s: one reject, its reason a few hundred characters', (format, raw) => {
    const r = importIntelText(raw, NAME, format);
    expect(r.indicators).toEqual([]);
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0].reason.length).toBeLessThanOrEqual(MAX_REASON);
    expect(r.rejects[0].reason).toMatch(/characters/);
  });
});
