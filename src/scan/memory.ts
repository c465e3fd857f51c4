/**
 * Process memory on Linux: the readable regions of /proc/PID/maps, read through /proc/PID/mem, each a
 * scan object named `pid:N(comm)!0xSTART-0xEND`. A process that is gone or denies access yields a
 * reason instead of regions; a region that can't be read is counted and reported once per process.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import type { ProcessRegion } from './types.js';
import { errText } from '../util/walk.js';

export interface Region extends ProcessRegion {
  end: number;
}

/** Kernel pseudo-mappings that /proc/PID/mem refuses (or that sit above 2^53). */
const UNREADABLE = new Set(['[vvar]', '[vvar_vclock]', '[vsyscall]']);

export function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

export function processLabel(pid: number, name = processName(pid)): string {
  return `pid:${pid}(${name})`;
}

/** Readable regions of a process, or why there are none. */
export function readableRegions(pid: number): Region[] | string {
  let maps: string;
  try {
    maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch (e) {
    return accessFailure(e);
  }
  const name = processName(pid);
  const regions: Region[] = [];
  for (const line of maps.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (!m || m[3][0] !== 'r' || UNREADABLE.has(m[4])) continue;
    const start = parseInt(m[1], 16);
    const end = parseInt(m[2], 16);
    if (!Number.isSafeInteger(end)) continue;
    regions.push({
      pid,
      process: name,
      start,
      end,
      region: `${m[1]}-${m[2]} ${m[3]}${m[4] ? ` ${m[4]}` : ''}`,
    });
  }
  return regions;
}

export function accessFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ESRCH') return 'process not found (exited?)';
  if (code === 'EACCES' || code === 'EPERM') return `process memory not readable: ${code}`;
  return `process memory not readable: ${errText(e)}`;
}

/** Reads regions one by one into `buf` (grown as needed, at most `cap` bytes per region). */
export class MemoryReader {
  private buf = Buffer.alloc(0);

  constructor(private readonly cap: number) {}

  open(pid: number): number | string {
    try {
      return openSync(`/proc/${pid}/mem`, 'r');
    } catch (e) {
      return accessFailure(e);
    }
  }

  close(fd: number): void {
    closeSync(fd);
  }

  /** The region's bytes (up to the cap), or an error text. */
  read(fd: number, r: Region): Uint8Array | string {
    const len = Math.min(r.end - r.start, this.cap);
    if (this.buf.length < len) this.buf = Buffer.allocUnsafe(len);
    let n = 0;
    try {
      while (n < len) {
        const got = readSync(fd, this.buf, n, len - n, r.start + n);
        if (got === 0) break;
        n += got;
      }
    } catch (e) {
      if (n === 0) return errText(e);
    }
    return this.buf.subarray(0, n);
  }
}

/** Every process but this one (its memory holds the rules' own strings). */
export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => p !== process.pid)
    .sort((a, b) => a - b);
}
