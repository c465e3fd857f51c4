/**
 * A native worker process outlives nothing: when the scan that started it dies mid-scan (Ctrl-C, a
 * crash, `| head`), the worker stops quietly instead of writing its results into a closed channel
 * (EPIPE, thrown as an uncaught error on the user's terminal).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNative } from '../../src/scan/native.js';
import { tempDir } from './helpers.js';

const nativeLoads = !('reason' in loadNative());
const src = (file: string): string =>
  pathToFileURL(resolve(import.meta.dirname, '../../src/scan', file)).href;

/** A scan's parent: starts one native worker, hands it 20 jobs, exits when the first is done. */
const parent = `
import { forkWorker, openChannel } from ${JSON.stringify(src('channel.ts'))};
import { loadRuleSources } from ${JSON.stringify(src('rules.ts'))};
import { DEFAULT_LIMITS } from ${JSON.stringify(src('types.ts'))};
const [file] = process.argv.slice(2);
const { sources } = await loadRuleSources();
const child = forkWorker();
const init = { engine: 'native', sources, maxFileSize: 1 << 26, maxRegionSize: 1 << 20,
  hashes: ['md5', 'sha1', 'sha256'], filter: {}, expand: true, limits: DEFAULT_LIMITS };
const channel = openChannel(init, [child]);
channel.on({
  message: (m) => {
    if ('ready' in m) {
      console.log(child.pid);
      const jobs = Array.from({ length: 20 }, (_, id) => ({ id, job: { kind: 'file', path: file } }));
      channel.send({ jobs });
    } else if (m.outputs.some((o) => o.done)) process.exit(0);
  },
  error: () => undefined,
  exit: () => undefined,
});
`;

/** Linux: gone, or a zombie waiting for whoever adopted it. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe.runIf(nativeLoads && process.platform === 'linux' && process.env.TELLTALE_YARA_ENGINE !== 'wasm')(
  'native worker process',
  () => {
    const tmp = tempDir();
    afterAll(() => tmp.cleanup());

    it('stops quietly when the scan that started it exits mid-scan', () => {
      const script = join(tmp.dir, 'parent.mts');
      writeFileSync(script, parent);
      const file = join(tmp.dir, 'object.bin');
      writeFileSync(file, Buffer.alloc(8 << 20, 0x41)); // 8 MiB: three digests each, 20 times
      // spawnSync returns once stdout and stderr are closed: the worker inherits stderr, so it has exited.
      const run = spawnSync(process.execPath, ['--import', 'tsx', script, file], {
        encoding: 'utf8',
        timeout: 50_000,
      });
      expect(run.error).toBeUndefined();
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const pid = Number(run.stdout.trim());
      expect(pid).toBeGreaterThan(0);
      expect(running(pid)).toBe(false);
    });
  },
);
