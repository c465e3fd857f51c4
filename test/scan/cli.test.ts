/** `telltale scan` inputs (stdin, --from, --rows) and `telltale rules show`, through the CLI. */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SEED_STRINGS, seedElf, tempDir } from './helpers.js';

const root = resolve(import.meta.dirname, '../..');
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const entry = join(tmp.dir, 'cli.mts');
writeFileSync(
  entry,
  `import { main } from ${JSON.stringify(join(root, 'src/cli/main.ts'))};\nprocess.exitCode = await main(process.argv);\n`,
);

function telltale(args: string[], input?: string | Buffer) {
  return spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
  });
}

it('scans stdin (-) and a --from list, and writes TelltaleFileScan rows', () => {
  const listed = join(tmp.dir, 'listed.elf');
  writeFileSync(listed, seedElf());
  const clean = join(tmp.dir, 'clean.txt');
  writeFileSync(clean, 'nothing here\n');
  writeFileSync(join(tmp.dir, 'list.txt'), `# paths to scan\n${listed}\n\n${clean}\n`);
  const rows = join(tmp.dir, 'rows.ndjson');
  const run = telltale(
    ['scan', '-', '--from', join(tmp.dir, 'list.txt'), '--device', 'cpe-gw-17', '--rows', rows, '-f', 'json'],
    SEED_STRINGS.join('\n'),
  );
  expect(run.status).toBe(1);
  const findings = JSON.parse(run.stdout) as { huntId: string; entities: { value: string }[] }[];
  expect(findings.map((f) => f.entities[0].value).sort()).toEqual(['-', listed]);
  const written = readFileSync(rows, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(written.map((r) => [r.DeviceName, r.ObjectName, r.RuleName])).toEqual([
    ['cpe-gw-17', listed, 'Mirai_Generic_Arch'],
    ['cpe-gw-17', clean, undefined],
    ['cpe-gw-17', '-', 'Mirai_Generic_Arch'],
  ]);
  // the rows are an inventory: a clean object is named by its SHA-256 too
  expect(written[1].SHA256).toBe(createHash('sha256').update('nothing here\n').digest('hex'));
}, 60_000);

it('rules show describes the seed rule in its own words', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', entry, 'rules', 'show', 'content/yara'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(out).toContain('rule Mirai_Generic_Arch (line 1)');
  expect(out).toContain('This rule contains 4 string patterns in its detection logic (4 text).');
  expect(out).toContain('condition: $miname and $iptables1 and $iptables2 and $procnet');
}, 60_000);
