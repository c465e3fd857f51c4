// `telltale intel …` end to end through the real bin, on a throwaway store.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSeeds, telltale } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'telltale-intel-cli-'));
const db = join(dir, 'intel.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasSeeds)('telltale intel (imports seed 002 from ../shared/seeds)', () => {
  it('imports a directory and the seed reports, lists, shows, summarises, exports and removes', () => {
    const imp = telltale(
      'intel',
      'import',
      'content/intel',
      '../shared/seeds/002_3ac1d089a82c337e.txt',
      '--db',
      db,
    );
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.stderr).toMatch(
      /threatfox-mirai\.json \[threatfox-api\]: 2 indicators \(2 new, 0 already stored, 0 warning-listed\), 0 rejected/,
    );
    expect(imp.stderr).toMatch(/002_3ac1d089a82c337e\.txt \[text\]: 2 indicators \(0 new, 2 already stored/);

    const list = telltale(
      'intel',
      'list',
      '--db',
      db,
      '--type',
      'ip:port,domain',
      '--now',
      '2026-05-22T00:00:00Z',
      '-f',
      'json',
    );
    expect(
      JSON.parse(list.stdout).map((r: { value: string; status: string; sources: string }) => [
        r.value,
        r.status,
        r.sources,
      ]),
    ).toEqual([
      ['tvt.miraibotnet.su', 'active', '002_3ac1d089a82c337e.txt, ThreatFox'],
      ['176.65.139.7:3778', 'active', '002_3ac1d089a82c337e.txt, ThreatFox'],
    ]);

    const stats = telltale(
      'intel',
      'stats',
      '--db',
      db,
      '--family',
      'mirai',
      '--now',
      '2026-05-22T00:00:00Z',
    );
    expect(stats.stdout).toContain(
      'IOC Summary\nMalware Family: Mirai Total IOCs: 2 IOC Types: domain, ip:port\n',
    );
    expect(stats.stdout).toContain('| ip:port | 176[.]65[.]139[.]7:3778 | botnet_cc | 2026-05-20 | 80% |');

    const show = telltale('intel', 'show', '176[.]65[.]139[.]7:3778', '--db', db);
    expect(JSON.parse(show.stdout)[0]).toMatchObject({
      type: 'ip:port',
      port: 3778,
      sightings: 0,
      sightingLog: [],
    });

    const out = join(dir, 'suricata');
    const exp = telltale(
      'intel',
      'export',
      '--db',
      db,
      '--format',
      'suricata',
      '--now',
      '2026-05-22T00:00:00Z',
      '--out',
      out,
    );
    expect(exp.status, exp.stderr).toBe(0);
    expect(readFileSync(join(out, 'telltale.rules'), 'utf8')).toContain('-> 176.65.139.7 3778 (');
    const expired = telltale(
      'intel',
      'export',
      '--db',
      db,
      '--format',
      'list',
      '--type',
      'ip:port',
      '--now',
      '2027-01-01T00:00:00Z',
    );
    expect(expired.stdout).toBe('');

    expect(telltale('intel', 'remove', '--db', db).status).toBe(2);
    const rm = telltale('intel', 'remove', 'tvt.miraibotnet.su', '--revoke', '--db', db);
    expect(rm.stderr).toMatch(/1 indicator\(s\) revoked/);
  });

  it('reports rejects with file and line and exits 2 when a file gives nothing else', () => {
    const run = telltale('intel', 'import', '-', '--db', db, '--format', 'list');
    expect(run.status).toBe(0); // empty stdin: nothing, no rejects
    const bad = telltale(
      'intel',
      'import',
      'content/intel/threatfox-mirai.json',
      '--format',
      'stix',
      '--db',
      db,
    );
    expect(bad.status).toBe(0);
    const missing = telltale('intel', 'import', join(dir, 'nope.csv'), '--db', db);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/rejected .*nope\.csv:0: ENOENT/);
  });
});
