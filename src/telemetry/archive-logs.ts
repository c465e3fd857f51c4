/**
 * Logs inside archives: a `.zip`, `.tar` or `.tar.gz` handed to `hunt` or `ingest` is opened for the log
 * readers as the scanner opens it for YARA, with the scanner's member readers and expansion budget
 * (entry count, total bytes, ratio: no zip bomb). Each member is written to a private temporary folder,
 * one at a time, and named `archive!member` in ledgers and `_Source`. One level: members that are
 * archives themselves are left to the scanner; a gzip member (conn.log.1.gz) is a compressed log.
 */
import { mkdtempSync, openSync, readSync, closeSync, fstatSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { archiveKind, tarMembers, zipMembers, type Member } from '../scan/archive.js';
import { gunzipAt } from '../scan/gzip.js';
import { Budget } from '../scan/limits.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_FILE_SIZE } from '../scan/types.js';

export interface ArchiveMember {
  /** `archive!member`, as the scanner names it. */
  name: string;
  /** A temporary file holding the member (removed after `use` returns), or why it was not extracted. */
  file?: string;
  skipped?: string;
}

/**
 * Calls `use` with each member of the archive at `path` in order, each as a temporary file. Returns why
 * the archive itself could not be opened, if so.
 */
export async function eachArchiveMember(
  path: string,
  use: (member: ArchiveMember) => Promise<void>,
): Promise<string | undefined> {
  const budget = new Budget(DEFAULT_LIMITS, DEFAULT_MAX_FILE_SIZE);
  const size = fstatSizeOf(path);
  if (size > DEFAULT_MAX_FILE_SIZE) return `archive larger than the ${DEFAULT_MAX_FILE_SIZE} bytes cap`;
  let data: Uint8Array = readPart(path, size);
  if (archiveKind(data) === 'gzip') {
    const out = gunzipAt(data, 0, budget.maxOutput(data.length));
    if ('tooLarge' in out) return budget.overflowReason(data.length);
    if ('invalid' in out) return `gzip: ${out.invalid}`;
    data = out.data;
  }
  const kind = archiveKind(data);
  if (kind !== 'zip' && kind !== 'tar') return 'compressed, but not a tar archive';
  const dir = mkdtempSync(join(tmpdir(), 'telltale-archive-'));
  try {
    let n = 0;
    const members: Iterable<Member> | AsyncIterable<Member> =
      kind === 'zip' ? zipMembers(data, budget) : tarMembers(data, budget);
    for await (const m of members) {
      const name = `${path}!${m.name}`;
      if (!m.data) {
        await use({ name, skipped: m.skipped ?? 'not extracted' });
        continue;
      }
      const file = join(dir, `${n++}-${basename(m.name).replace(/[^\w.-]/g, '_') || 'member'}`);
      writeFileSync(file, m.data);
      try {
        await use({ name, file });
      } finally {
        rmSync(file, { force: true });
      }
    }
  } catch (e) {
    return `unreadable ${kind} archive: ${(e as Error).message}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return undefined;
}

function fstatSizeOf(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

function readPart(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}
