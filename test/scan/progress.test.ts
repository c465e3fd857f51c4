/**
 * The progress file between a native worker and the pool's watchdog: what the worker reports (job,
 * object, start time) is what the pool reads back, through a shared mapping (the mmap addon) or pwrite.
 */
import { closeSync, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadShareFile } from '../../src/scan/mapped.js';
import { JobState, ProgressFileReader, ProgressFileWriter } from '../../src/scan/protocol.js';
import { tempDir } from './helpers.js';

const share = loadShareFile();
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** An unlinked, sized progress file, as channel.ts makes one. */
function progressFd(): number {
  const tmp = tempDir();
  const path = join(tmp.dir, 'progress');
  const fd = openSync(path, 'wx+', 0o600);
  unlinkSync(path);
  ftruncateSync(fd, JobState.BYTES);
  cleanups.push(() => closeSync(fd), tmp.cleanup);
  return fd;
}

describe.each([
  ['pwrite', undefined],
  ['a shared mapping', share],
])('progress file through %s', (how, shareFn) => {
  it.runIf(how === 'pwrite' || share)('the reader sees the job, the current object and its start', () => {
    const fd = progressFd();
    const writer = new ProgressFileWriter(fd, shareFn);
    const reader = new ProgressFileReader(fd);
    expect(reader.current()).toBe(-1);

    const before = Date.now();
    writer.begin(7);
    writer.object('fw.zip!squashfs-root/bin/busybox');
    expect(reader.current()).toBe(7);
    expect(reader.currentName()).toBe('fw.zip!squashfs-root/bin/busybox');
    expect(reader.startedAt()).toBeGreaterThanOrEqual(before);

    writer.object('fw.zip!etc/ünïcode');
    expect(reader.current()).toBe(7);
    expect(reader.currentName()).toBe('fw.zip!etc/ünïcode');

    writer.end();
    expect(reader.current()).toBe(-1);
    expect(reader.currentName()).toBe('');
  });
});
