// docs/api.md's example, run as written (but on a throwaway store) against the built package entry:
// the documented API is what `import … from 'telltale'` gives a Node user.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, scratchDir } from './helpers.js';

const { dir } = scratchDir('telltale-api');

function docExample(): string {
  const doc = readFileSync(join(repoRoot, 'docs/api.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!code) throw new Error('docs/api.md: no ```js example');
  return code.replace(
    "const db = 'intel.duckdb';",
    `const db = ${JSON.stringify(join(dir, 'intel.duckdb'))};`,
  );
}

describe('the library API (docs/api.md)', () => {
  it("the documented example runs on `import from 'telltale'`: import, list, export, hunt", () => {
    const code = docExample();
    expect(code).toContain("from 'telltale'");
    // inside the repository, so the package resolves to itself through package.json "exports"
    const script = join(repoRoot, '.tmp', `api-example-${process.pid}.mjs`);
    mkdirSync(join(repoRoot, '.tmp'), { recursive: true });
    writeFileSync(script, code);
    const run = spawnSync(process.execPath, [script], { cwd: repoRoot, encoding: 'utf8' });
    rmSync(script, { force: true });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/threatfox-mirai\.json: 2 indicators \(2 new\), 0 rejected/);
    expect(run.stdout).toContain("'ip:port 176.65.139.7:3778'");
    expect(run.stdout).toContain('telltale.rules');
    expect(run.stdout).toMatch(/HIGH +mirai-worm-propagation/);
  });

  it('ships type declarations for the entry', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const types = readFileSync(join(repoRoot, pkg.exports['.'].types), 'utf8');
    for (const name of ['hunt', 'importIntel', 'listIntel', 'exportIntel', 'exportSentinel', 'updateIntel'])
      expect(types).toMatch(new RegExp(`\\b${name}\\b`));
  });
});
