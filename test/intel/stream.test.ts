import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers.js';
import { copyMatchableIndicators, IntelStore } from '../../src/intel/store.js';
import { HUNT_LISTS } from '../../src/intel/hunt-lists.js';
import { Store } from '../../src/store/db.js';
import { importIntoStore } from '../../src/intel/pipeline.js';
import { readLineBatches } from '../../src/util/lines.js';
import { importIntelStreams } from '../../src/intel/import.js';

const { dir, file } = scratchDir('telltale-stream');
const now = new Date('2026-05-22T00:00:00Z');

const THREATFOX = file(
  'threatfox.csv',
  [
    '\uFEFF# ThreatFox IOCs: CSV export',
    '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","is_compromised","reference","tags","anonymous","reporter"',
    '"2026-05-20 10:00:00", "1", "176.65.139.7:3778", "ip:port", "botnet_cc", "elf.mirai", "Katana", "Mirai", "", "80", "False", "", "mirai", "0", "a"',
    '"2026-05-20 11:00:00", "2", "tvt.miraibotnet[.]su", "domain", "payload_delivery", "elf.mirai", "None", "Mirai", "", "100", "False", "", "None", "0", "b"',
    '"2026-05-20 12:00:00", "3", "1.2.3.4:0", "ip:port", "botnet_cc", "elf.mirai", "None", "Mirai", "", "50", "False", "", "None", "0", "c"',
    '"2026-05-20 13:00:00", "4", "8.8.8.8:53", "ip:port", "botnet_cc", "elf.mirai", "None", "Mirai", "", "50", "False", "", "None", "0", "d"',
    // the same observable again: earliest first seen, highest confidence, tags unioned, first row's fields kept
    '"2026-05-19 09:00:00", "5", "176.65.139.7:3778", "ip:port", "payload", "elf.gafgyt", "None", "Gafgyt", "2026-05-21 00:00:00", "95", "True", "", "tr069", "0", "e"',
    '"2026-05-20 14:00:00", "6", "short"',
    '',
  ].join('\n'),
);
const LIST = file(
  'list.txt',
  '# list\n45.9.20.7\nhxxp://45.9.20.7/bins/x.arm7 # payload\nnot a value\nc2.example-bad.su\n45.9.20.7\n',
);
const CSV = file(
  'feed.csv',
  'value;type;confidence\n176.65.139.8:23;ip:port;70\nbad-value;domain;\n176.65.139.8;ip;60\n',
);

async function importWith(path: string, chunkBytes?: number) {
  const store = await IntelStore.open(':memory:');
  try {
    const [result] = await importIntoStore(store, [path], { now, chunkBytes, allowlists: [] });
    const match = await store.store.query(`SELECT DISTINCT kind, value FROM ${HUNT_LISTS} ORDER BY ALL`);
    return { result, indicators: await store.list(), match };
  } finally {
    store.close();
  }
}

describe('streamed import of line-based files', () => {
  it('reads a file in chunks with the right line numbers, across chunk boundaries', async () => {
    const chunks = [];
    for await (const batch of readLineBatches(THREATFOX, { chunkBytes: 64 })) chunks.push(batch);
    expect(chunks.length).toBeGreaterThan(3);
    const lines = chunks.flatMap((c) => c.texts);
    expect(lines[0]).toBe('# ThreatFox IOCs: CSV export');
    for (const c of chunks) expect(lines[c.first - 1]).toBe(c.texts[0]);
  });

  it('a line over the 1 MiB cap is a reject with its line number, and the lines after it still import', async () => {
    const path = file('no-newline.txt', `45.9.20.7\n${'a'.repeat(2 << 20)}\nc2.example-bad.su\n`);
    const [stream] = importIntelStreams(path, { chunkBytes: 4096 });
    const results = [];
    for await (const chunk of stream.chunks) results.push(chunk);
    expect(results.flatMap((r) => r.rejects)).toEqual([
      { file: path, line: 2, reason: 'line too long (over 1048576 bytes): skipped' },
    ]);
    expect(results.flatMap((r) => r.indicators.map((i) => i.value))).toEqual([
      '45.9.20.7',
      'c2.example-bad.su',
    ]);
  });

  for (const [name, path] of [
    ['ThreatFox CSV', THREATFOX],
    ['plain list', LIST],
    ['CSV', CSV],
  ] as const)
    it(`${name}: chunks of 64 bytes store what the whole file stores, with the same rejects`, async () => {
      const whole = await importWith(path);
      const streamed = await importWith(path, 64);
      expect(streamed.result!.rejects).toEqual(whole.result!.rejects);
      expect(streamed.result).toMatchObject({
        format: whole.result!.format,
        indicators: whole.result!.indicators,
        added: whole.result!.added,
        warninglisted: whole.result!.warninglisted,
      });
      // list order aside (the SQL merge sorts a repeated key's tags; dedupe keeps their order)
      const sorted = (r: typeof whole) =>
        r.indicators.map((i) => ({ ...i, tags: i.tags && [...i.tags].sort() }));
      expect(sorted(streamed)).toEqual(sorted(whole));
      expect(streamed.match).toEqual(whole.match);
    });

  it('merges repeated rows in SQL the way dedupe does, and keeps rejects with file and line', async () => {
    const { result, indicators, match } = await importWith(THREATFOX, 64);
    expect(result).toMatchObject({ format: 'threatfox-csv', indicators: 3, added: 3, warninglisted: 1 });
    expect(result!.rejects).toEqual([
      { file: THREATFOX, line: 5, reason: expect.stringContaining('port') },
      { file: THREATFOX, line: 8, reason: 'expected 15 fields, found 3' },
    ]);
    const c2 = indicators.find((i) => i.value === '176.65.139.7')!;
    expect(c2).toMatchObject({
      port: 3778,
      threatType: 'botnet_cc',
      malware: 'Mirai',
      confidence: 95,
      firstSeen: '2026-05-19T09:00:00.000Z',
      lastSeen: '2026-05-21T00:00:00.000Z',
      tags: ['is_compromised', 'mirai', 'tr069'],
      externalId: '1',
      origin: `${THREATFOX}:3`,
    });
    // 8.8.8.8 is warning-listed: stored, never in the hunt lists
    expect(match).toEqual([
      { kind: 'domain', value: 'tvt.miraibotnet.su' },
      { kind: 'ip', value: '176.65.139.7' },
      { kind: 'ip:port', value: '176.65.139.7:3778' },
      { kind: 'ip:port-ip', value: '176.65.139.7' },
    ]);
  });

  it('is idempotent: importing the stream again only moves lastImported', async () => {
    const store = await IntelStore.open(':memory:');
    try {
      await importIntoStore(store, [THREATFOX], { now, chunkBytes: 64 });
      const before = await store.list();
      const [again] = await importIntoStore(store, [THREATFOX], {
        now: new Date('2026-05-23T00:00:00Z'),
        chunkBytes: 64,
      });
      expect(again).toMatchObject({ added: 0, updated: 3 });
      expect((await store.list()).map(({ lastImported: _l, ...rest }) => rest)).toEqual(
        before.map(({ lastImported: _l, ...rest }) => rest),
      );
    } finally {
      store.close();
    }
  });
});

describe('hunt start: copyMatchableIndicators', () => {
  it('copies the matchable indicators in SQL, at the run clock, replays included', async () => {
    const path = join(dir, 'copy.duckdb');
    const intel = await IntelStore.open(path);
    try {
      // imported on 2026-05-22: the ip:port expires 30 days after its last seen (2026-06-20)
      await importIntoStore(intel, [THREATFOX], { now });
    } finally {
      intel.close();
    }
    const ids = async (at: string, options: { includeWarninglisted?: boolean; skipKeys?: string[] } = {}) => {
      const run = await Store.open();
      try {
        const n = await copyMatchableIndicators(run, path, new Date(at), options);
        const rows = await run.query(
          `SELECT coalesce(NetworkIP, DomainName) AS v, NetworkPort AS port, Active, TimeGenerated FROM ThreatIntelligenceIndicator ORDER BY v`,
        );
        expect(rows).toHaveLength(n);
        // warning-listed rows come along with includeWarninglisted, inactive as in a run's own TI rows (ti-select.ts)
        for (const r of rows)
          expect([r.Active, r.TimeGenerated]).toEqual([r.v !== '8.8.8.8', new Date(at).toISOString()]);
        return rows.map((r) => r.v);
      } finally {
        run.close();
      }
    };
    expect(await ids('2026-06-01T00:00:00Z')).toEqual(['176.65.139.7', 'tvt.miraibotnet.su']);
    expect(await ids('2026-07-01T00:00:00Z')).toEqual(['tvt.miraibotnet.su']); // the address expired
    expect(await ids('2026-06-01T00:00:00Z', { skipKeys: ['domain|tvt.miraibotnet.su|'] })).toEqual([
      '176.65.139.7',
    ]);
    expect(await ids('2026-06-01T00:00:00Z', { includeWarninglisted: true })).toEqual([
      '176.65.139.7',
      '8.8.8.8',
      'tvt.miraibotnet.su',
    ]);
    // a replay before the import clock maps the rows again from the indicators
    expect(await ids('2026-05-21T00:00:00Z')).toEqual(['176.65.139.7', 'tvt.miraibotnet.su']);
  });
});
