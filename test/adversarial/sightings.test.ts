// Issue 11 item 12: `hunt` records sightings in the user's intel store on every run, so re-running it on
// the same logs inflated them (10, then 20). A sighting is one evidence row, counted once per indicator;
// the row is known by its path under the named input, so a moved dataset or another cwd is not new.
import { cpSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importIntelText } from '../../src/intel/import.js';
import { importIntoStore } from '../../src/intel/pipeline.js';
import { recordSightings, sightingsFromFindings } from '../../src/intel/sightings.js';
import { IntelStore } from '../../src/intel/store.js';
import { hunt } from '../../src/index.js';
import { repoRoot, scratchDir } from '../helpers.js';

const tmp = scratchDir('adv-sightings');
const FEED = tmp.file(
  'feed.csv',
  'value,type,malware\n176.65.139.7,ip,Mirai\ntvt.miraibotnet.su,domain,Mirai\n',
);
const c2 = (line: number, port = 23) => ({
  DestinationIP: '176.65.139.7',
  DestinationPort: port,
  _Source: `fw.cef:${line}`,
});

async function sightingsIn(db: string): Promise<Record<string, number>> {
  const store = await IntelStore.open(db);
  try {
    const sighted = await store.list({ sighted: true });
    return Object.fromEntries(sighted.map((i) => [i.value, i.sightings]));
  } finally {
    store.close();
  }
}

describe('a sighting is recorded once per evidence row', () => {
  it('one row in two findings (an incident and its hunt) is one sighting', () => {
    const indicators = importIntelText('176.65.139.7\n', 'l.txt').indicators;
    const { rows } = sightingsFromFindings(
      [
        { huntId: 'c2', evidence: [c2(1), c2(2)] },
        { huntId: 'incident', evidence: [c2(1)] },
      ],
      indicators,
    );
    expect([...rows].map(([key, ids]) => [key, ids.size])).toEqual([['ipv4|176.65.139.7|', 2]]);
  });

  it('the same findings recorded again add nothing; a new row adds one', async () => {
    const db = join(tmp.dir, 'intel.duckdb');
    const store = await IntelStore.open(db);
    await importIntoStore(store, [FEED], { now: new Date('2026-05-20T00:00:00Z') });
    store.close();
    const first = [
      { huntId: 'c2', evidence: [c2(1), c2(2), { Name: 'TVT.miraibotnet.su', _Source: 'dns:7' }] },
    ];
    const at = (h: number) => ({
      now: new Date('2026-05-21T00:00:00Z'),
      at: new Date(Date.UTC(2026, 4, 21, h)),
    });
    expect(await recordSightings(db, first, at(1))).toBe(2);
    expect(await sightingsIn(db)).toEqual({ '176.65.139.7': 2, 'tvt.miraibotnet.su': 1 });
    expect(await recordSightings(db, first, at(2))).toBe(0);
    expect(await sightingsIn(db)).toEqual({ '176.65.139.7': 2, 'tvt.miraibotnet.su': 1 });
    expect(await recordSightings(db, [{ huntId: 'c2', evidence: [c2(1), c2(3)] }], at(3))).toBe(1);
    expect(await sightingsIn(db)).toEqual({ '176.65.139.7': 3, 'tvt.miraibotnet.su': 1 });
  });

  it('evidence is known by its path under the named input: another cwd or a moved folder is the same row', () => {
    const indicators = importIntelText('176.65.139.7\n', 'l.txt').indicators;
    const row = (source: unknown) => ({ DestinationIP: '176.65.139.7', _Source: source });
    const ids = (root: string, source: unknown) =>
      [
        ...sightingsFromFindings([{ huntId: 'c2', evidence: [row(source)] }], indicators, [
          root,
        ]).rows.values(),
      ].flatMap((set) => [...set]);
    const here = ids('/data/incident', '/data/incident/firewall/fw.cef:12');
    expect(ids('incident/', 'incident/firewall/fw.cef:12')).toEqual(here);
    expect(ids('/backup/incident', '/backup/incident/firewall/fw.cef:12')).toEqual(here);
    expect(ids('/backup/incident', ['/backup/incident/firewall/fw.cef:12'])).toEqual(
      ids('/data/incident', ['/data/incident/firewall/fw.cef:12']),
    );
    // a file named alone keeps its base name; other lines and other files stay apart
    expect(ids('/a/fw.cef', '/a/fw.cef:12')).toEqual(ids('b/fw.cef', 'b/fw.cef:12'));
    expect(ids('/data/incident', '/data/incident/firewall/fw.cef:13')).not.toEqual(here);
    expect(ids('/data/incident', '/data/incident/zeek/fw.cef:12')).not.toEqual(here);
  });

  it(
    'a hunt run records its evidence; the dataset moved and hunted from another cwd adds nothing',
    { timeout: 300_000 },
    async () => {
      const db = join(tmp.dir, 'hunt.duckdb');
      const store = await IntelStore.open(db);
      await importIntoStore(store, [FEED], { now: new Date('2026-05-20T00:00:00Z') });
      store.close();
      const first = join(tmp.dir, 'a', 'incident');
      cpSync(join(repoRoot, 'examples/incident'), first, { recursive: true });
      const now = new Date('2026-05-22T00:00:00Z');
      process.chdir(repoRoot);
      await hunt([first], { now, intelDb: db, bundled: false });
      const once = await sightingsIn(db);
      expect(once['176.65.139.7']).toBeGreaterThan(0);
      mkdirSync(join(tmp.dir, 'b'));
      renameSync(first, join(tmp.dir, 'b', 'incident'));
      process.chdir(join(tmp.dir, 'b'));
      try {
        const again = await hunt(['incident'], { now, intelDb: db, bundled: false });
        expect(again.findings.length).toBeGreaterThan(0);
      } finally {
        process.chdir(repoRoot);
      }
      expect(await sightingsIn(db)).toEqual(once);
    },
  );
});
