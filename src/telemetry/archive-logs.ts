/**
 * Logs inside archives: a `.zip`, `.tar` or `.tar.gz` handed to `hunt` or `ingest` is opened for the log
 * readers as the scanner opens it for YARA, with the scanner's member readers, expansion budget (entry
 * count, total bytes, ratio: no zip bomb) and nesting depth cap: a zip in a tar.gz, a tar in a zip, a
 * tar.gz in a zip are opened in turn, down to `maxDepth` levels; an archive deeper than that is reported
 * as skipped with the reason. Each member is written to a private temporary folder, one at a time, and
 * named `archive!member` (`outer.zip!inner.tar.gz!conn.log`) in ledgers and `_Source`. A gzip member
 * that is not an archive (conn.log.1.gz) is a compressed log, handed over as it is.
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

type Use = (member: ArchiveMember) => Promise<void>;

/**
 * Calls `use` with each member of the archive at `path` in order, each as a temporary file, members of
 * nested archives included. Returns why the archive itself could not be opened, if so.
 */
export async function eachArchiveMember(path: string, use: Use): Promise<string | undefined> {
  const budget = new Budget(DEFAULT_LIMITS, DEFAULT_MAX_FILE_SIZE);
  const size = fstatSizeOf(path);
  if (size > DEFAULT_MAX_FILE_SIZE) return `archive larger than the ${DEFAULT_MAX_FILE_SIZE} bytes cap`;
  const opened = unpacked(readPart(path, size), budget);
  if (typeof opened === 'string') return opened;
  const dir = mkdtempSync(join(tmpdir(), 'telltale-archive-'));
  try {
    await new Walk(dir, budget, use).members(path, opened, 0);
  } catch (e) {
    return `unreadable ${opened.kind} archive: ${(e as Error).message}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return undefined;
}

interface Unpacked {
  kind: 'zip' | 'tar';
  data: Uint8Array;
}

/** A zip or tar, gunzipped first when it is a gzip; else why it is not an archive of members. */
function unpacked(data: Uint8Array, budget: Budget): Unpacked | string {
  if (archiveKind(data) === 'gzip') {
    const out = gunzipAt(data, 0, budget.maxOutput(data.length));
    if ('tooLarge' in out) return budget.overflowReason(data.length);
    if ('invalid' in out) return `gzip: ${out.invalid}`;
    data = out.data;
  }
  const kind = archiveKind(data);
  if (kind !== 'zip' && kind !== 'tar') return 'compressed, but not a tar archive';
  return { kind, data };
}

/** An archive member that is itself an archive of members (a gzip only when it wraps a tar or zip). */
function nestedArchive(data: Uint8Array, budget: Budget): Unpacked | string | undefined {
  const kind = archiveKind(data);
  if (kind === 'zip' || kind === 'tar') return { kind, data };
  if (kind !== 'gzip') return undefined;
  const out = gunzipAt(data, 0, budget.maxOutput(data.length));
  if ('tooLarge' in out) return budget.overflowReason(data.length);
  if ('invalid' in out) return undefined; // the log reader reports a broken compressed log
  const inner = archiveKind(out.data);
  return inner === 'zip' || inner === 'tar' ? { kind: inner, data: out.data } : undefined;
}

class Walk {
  private n = 0;
  private capReported = false;
  constructor(
    private readonly dir: string,
    private readonly budget: Budget,
    private readonly use: Use,
  ) {}

  async members(name: string, archive: Unpacked, depth: number): Promise<void> {
    const members: Iterable<Member> | AsyncIterable<Member> =
      archive.kind === 'zip' ? zipMembers(archive.data, this.budget) : tarMembers(archive.data, this.budget);
    for await (const m of members) {
      const inner = `${name}!${m.name}`;
      if (m.data) await this.member(inner, m.name, m.data, depth + 1);
      else if (!this.budget.entryCapHit || !this.capReported) {
        this.capReported = this.budget.entryCapHit; // the entry cap once, not once per member left
        await this.use({ name: inner, skipped: m.skipped ?? 'not extracted' });
      }
    }
  }

  private async member(name: string, base: string, data: Uint8Array, depth: number): Promise<void> {
    const nested = nestedArchive(data, this.budget);
    if (typeof nested === 'string') return this.use({ name, skipped: nested });
    if (nested) {
      const cap = this.budget.limits.maxDepth;
      if (depth >= cap)
        return this.use({ name, skipped: `nesting depth cap (${cap}) reached: its logs were not read` });
      try {
        return await this.members(name, nested, depth);
      } catch (e) {
        return this.use({ name, skipped: `unreadable ${nested.kind} archive: ${(e as Error).message}` });
      }
    }
    const file = join(this.dir, `${this.n++}-${basename(base).replace(/[^\w.-]/g, '_') || 'member'}`);
    writeFileSync(file, data);
    try {
      await this.use({ name, file });
    } finally {
      rmSync(file, { force: true });
    }
  }
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
