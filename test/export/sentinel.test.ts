import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openLoadedStore } from '../../src/index.js';
import { compileKql } from '../../src/kql/index.js';
import { loadHunts } from '../../src/hunts/loader.js';
import { loadExclusions } from '../../src/hunts/exclusions/load.js';
import {
  armTemplate,
  huntingYaml,
  prepareSentinelHunts,
  type ExportedHunt,
} from '../../src/export/sentinel.js';
import type { Store } from '../../src/store/db.js';
import { telltale } from '../helpers.js';

const now = new Date('2026-06-01T00:00:00Z');
const byKey = (exported: ExportedHunt[], key: string) => exported.find((e) => e.hunt.key === key)!;

describe('export to Sentinel', () => {
  let store: Store;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'telltale-export-'));
    const feed = join(dir, 'feed.txt');
    writeFileSync(
      feed,
      'New Mirai C2 seen at 203.0.113.50 and 198.51.100.23 (defanged: 45[.]9[.]148[.]99)\n',
    );
    ({ store } = await openLoadedStore([], { intel: [feed], now }));
  });
  afterAll(() => store.close());

  it('fills the seed hunts’ IOC lists from the indicator store and keeps every query valid KQL', async () => {
    const exported = await prepareSentinelHunts(store, loadHunts(), { now });
    const csl = byKey(exported, 'threatfox-mirai-c2-commonsecuritylog');
    expect(csl.query).toMatch(/let malicious_ips = dynamic\(\[[^\]]*"176\.65\.139\.7"/);
    expect(csl.query).toContain('"45.9.148.99"');
    expect(csl.query).toContain('| where DestinationIP in (malicious_ips) or SourceIP in (malicious_ips)');
    for (const e of exported)
      expect(() => compileKql(e.query, { schemas: store.schemas, now }), e.hunt.key).not.toThrow();
  });

  it('folds enabled exclusions in as where not(...) lines, and no disabled template', async () => {
    const file = join(dir, 'site.yaml');
    writeFileSync(
      file,
      [
        'exclusions:',
        '  - id: lab-gateway',
        '    reason: the lab gateway is a honeypot',
        '    hunts: [threatfox-mirai-c2-devicenetworkevents]',
        '    enabled: true',
        '    predicate: DeviceName == "cpe-lab-honeypot"',
      ].join('\n') + '\n',
    );
    const exported = await prepareSentinelHunts(store, loadHunts(), {
      now,
      exclusions: loadExclusions([file]),
    });
    const dne = byKey(exported, 'threatfox-mirai-c2-devicenetworkevents');
    expect(dne.exclusions).toEqual(['lab-gateway']);
    expect(dne.query).toContain('| where not(DeviceName == "cpe-lab-honeypot")');
    expect(byKey(exported, 'threatfox-mirai-dns').exclusions).toEqual([]);
  });

  it('writes hunting YAML without Telltale keys and an ARM template of saved searches', async () => {
    const exported = await prepareSentinelHunts(store, loadHunts(), { now });
    const doc = parse(huntingYaml(byKey(exported, 'threatfox-mirai-dns'))) as Record<string, unknown>;
    expect(doc['x-telltale']).toBeUndefined();
    expect(doc.id).toBe(byKey(exported, 'threatfox-mirai-dns').hunt.id);
    expect(doc.query).toContain('DnsEvents');
    const arm = armTemplate(exported) as {
      resources: { type: string; properties: { category: string; query: string } }[];
    };
    expect(arm.resources).toHaveLength(exported.length);
    for (const r of arm.resources) {
      expect(r.type).toBe('Microsoft.OperationalInsights/workspaces/savedSearches');
      expect(r.properties.category).toBe('Hunting Queries');
    }
  });

  it('telltale export sentinel --out writes the files', () => {
    const out = join(dir, 'out');
    const run = telltale('export', 'sentinel', '--out', out, '--now', now.toISOString());
    expect(run.status).toBe(0);
    const files = readdirSync(out);
    expect(files).toContain('telltale-hunts.arm.json');
    expect(files).toContain('threatfox-mirai-dns.yaml');
    const arm = JSON.parse(readFileSync(join(out, 'telltale-hunts.arm.json'), 'utf8')) as {
      resources: unknown[];
    };
    expect(arm.resources.length).toBe(files.length - 1);
  });
});
