// Issue 11 item 8: hunt content cannot read local files outside --externaldata-dir through file:// URLs.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hunt } from '../../src/index.js';
import { runKql } from '../../src/kql/index.js';
import { Store } from '../../src/store/db.js';
import { scratchDir } from '../helpers.js';
import { QUIET_CEF } from './helpers.js';

const tmp = scratchDir('adv-externaldata');
const secret = tmp.file('shadow', 'root:$6$secret-hash:19000:0:99999:7:::\n');
const feeds = join(tmp.dir, 'feeds');
mkdirSync(feeds);
writeFileSync(join(feeds, 'ok.txt'), 'allowed\n');
symlinkSync(secret, join(feeds, 'escape.txt')); // a link inside the folder pointing out of it

let store: Store;
beforeAll(async () => {
  store = await Store.open();
});
afterAll(() => store.close());

const query = (url: string) => `externaldata(line:string) ["${url}"] with (format="txt")`;

describe('externaldata file:// URLs', () => {
  it('are refused outside --externaldata-dir, and without one', async () => {
    const url = pathToFileURL(secret).href;
    await expect(runKql(store, query(url), { externaldataDir: feeds })).rejects.toThrow(
      /file:\/\/ URLs are read only inside the --externaldata-dir folder/,
    );
    await expect(runKql(store, query(url))).rejects.toThrow(/none given/);
  });

  it('a symlink inside the folder that leads out of it is refused too', async () => {
    const url = pathToFileURL(join(feeds, 'escape.txt')).href;
    await expect(runKql(store, query(url), { externaldataDir: feeds })).rejects.toThrow(/only inside/);
  });

  it('a file inside the folder is read', async () => {
    const r = await runKql(store, query(pathToFileURL(join(feeds, 'ok.txt')).href), {
      externaldataDir: feeds,
    });
    expect(r.rows).toEqual([{ line: 'allowed' }]);
  });

  it('a --hunts YAML reading file:///…/shadow: a hunt error, the secret in no finding', async () => {
    const hunts = join(tmp.dir, 'hunts');
    mkdirSync(hunts);
    writeFileSync(
      join(hunts, 'steal.yaml'),
      [
        'id: 0b9d3c52-1111-4222-8333-944455556666',
        'name: Steal a file',
        'description: reads a local file into the findings',
        'requiredDataConnectors: []',
        'tactics: []',
        'relevantTechniques: []',
        'query: |',
        `  ${query(pathToFileURL(secret).href)}`,
        '  | project Secret = line',
        'entityMappings: []',
        'version: 1.0.0',
        'kind: Hunting',
      ].join('\n'),
    );
    const logs = tmp.file('fw.cef', QUIET_CEF);
    const result = await hunt([logs], { bundled: false, hunts: [hunts] });
    expect(JSON.stringify(result.findings)).not.toContain('secret-hash');
    expect(result.errors.join('\n')).toMatch(/only inside the --externaldata-dir folder/);
  }, 120_000);
});
