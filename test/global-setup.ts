// The CLI tests run the real `bin/telltale.js`, which loads dist/: build it once so it matches src/.
// Type errors do not stop the emit; they are reported here and fail `npm run typecheck` in CI.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (build.status !== 0)
    console.warn(`[global-setup] tsc reported errors; dist/ may be stale:\n${build.stdout}`);
}
