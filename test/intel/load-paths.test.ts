// One lifecycle for a feed however it is loaded: `hunt --intel FILE` and `intel import FILE` then
// `hunt --intel-db` find the same, at a clock where every indicator is live and at one where the
// addresses have outlived their 30 days but the domain (90 days) has not.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt, type Finding } from '../../src/index.js';
import { IntelStore } from '../../src/intel/store.js';
import { importIntoStore } from '../../src/intel/pipeline.js';
import { bundledHuntsDir } from '../../src/hunts/loader.js';
import { repoRoot, scratchDir } from '../helpers.js';

const { dir } = scratchDir('telltale-load-paths');
const LOGS = ['firewall', 'dns'].map((d) => join(repoRoot, 'examples/incident', d));
const FEED = join(repoRoot, 'content/intel/threatfox-mirai.json'); // first seen 2026-05-20, no last seen
const HUNTS = ['mirai-indicator-hits-commonsecuritylog', 'mirai-indicator-domains-dns'].map((h) =>
  join(bundledHuntsDir, `${h}.yaml`),
);
const IMPORTED = new Date('2026-05-21T00:00:00Z');

const summary = (findings: Finding[]) =>
  findings.map((f) => `${f.huntId} ${f.entities.map((e) => JSON.stringify(e)).join(' ')}`).sort();

async function storeWithFeed(name: string): Promise<string> {
  const path = join(dir, name);
  const intel = await IntelStore.open(path);
  try {
    await importIntoStore(intel, [FEED], { now: IMPORTED });
  } finally {
    intel.close();
  }
  return path;
}

describe('--intel FILE and intel import FILE', () => {
  it.each([
    ['2026-05-22T00:00:00Z', ['176.65.139.7', 'tvt.miraibotnet.su']],
    ['2026-07-01T00:00:00Z', ['tvt.miraibotnet.su']], // the address expired on 2026-06-19
  ])('give the same findings at %s', async (at, matched) => {
    const base = { now: new Date(at), bundled: false, hunts: HUNTS };
    const loaded = await hunt(LOGS, { ...base, intel: [FEED] });
    const imported = await hunt(LOGS, {
      ...base,
      intelDb: await storeWithFeed(`${at.slice(0, 10)}.duckdb`),
    });
    expect(loaded.errors).toEqual([]);
    expect(imported.errors).toEqual([]);
    expect(summary(imported.findings)).toEqual(summary(loaded.findings));
    const text = summary(loaded.findings).join('\n');
    for (const value of ['176.65.139.7', 'tvt.miraibotnet.su'])
      expect(text.includes(value), value).toBe(matched.includes(value));
  });
});
