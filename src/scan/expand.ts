/**
 * Scan an object, then what is inside it: archive members (zip, tar, gzip — a tar inside a gzip is
 * listed under the gzip's name, `fw.tar.gz!squashfs-root/bin/busybox`), and for raw objects (not ELF,
 * not an archive) the ELF binaries and gzip streams carved out of them (`image.bin!elf@0x1a2000`).
 * Depth, entry, ratio and size caps come from the Budget; each refusal is a Skipped item.
 */
import { archiveKind, tarMembers, zipMembers, type Member } from './archive.js';
import { carve } from './carve.js';
import { isElf } from './elf.js';
import type { ObjectScanner } from './engine.js';
import { gunzipAt } from './gzip.js';
import type { Budget } from './limits.js';
import type { FileResult, ObjectKind, ProcessRegion, Skipped } from './types.js';

export interface Sink {
  result(r: FileResult): void;
  skipped(s: Skipped): void;
  /** An object is about to be scanned: the per-object timeout restarts. */
  current(name: string): void;
}

export class Expander {
  constructor(
    private readonly engine: ObjectScanner,
    private readonly sink: Sink,
    private readonly expand: boolean,
  ) {}

  async object(
    name: string,
    kind: ObjectKind,
    data: Uint8Array,
    depth: number,
    budget: Budget,
  ): Promise<void> {
    this.sink.current(name);
    const out = await this.engine.scan(name, kind, data);
    if ('skipped' in out) return this.sink.skipped(out.skipped);
    this.sink.result(out.result);
    if (this.expand) await this.inside(name, data, depth, budget);
  }

  /** A memory region: scanned as is (mapped ELFs lack their section headers: no carving). */
  async region(name: string, data: Uint8Array, memory: ProcessRegion): Promise<void> {
    this.sink.current(name);
    const out = await this.engine.scan(name, 'region', data, memory);
    if ('skipped' in out) this.sink.skipped(out.skipped);
    else this.sink.result(out.result);
  }

  private async inside(name: string, data: Uint8Array, depth: number, budget: Budget): Promise<void> {
    const type = archiveKind(data);
    if (!type && isElf(data)) return;
    if (depth >= budget.limits.maxDepth) {
      if (type)
        this.sink.skipped({
          path: name,
          reason: `nesting depth cap (${budget.limits.maxDepth}) reached: contents not scanned`,
        });
      return;
    }
    try {
      if (type === 'zip') await this.members(name, zipMembers(data, budget), depth, budget);
      else if (type === 'tar') await this.members(name, tarMembers(data, budget), depth, budget);
      else if (type === 'gzip') await this.gzip(name, data, depth, budget);
      else await this.carved(name, data, depth, budget);
    } catch (e) {
      this.sink.skipped({
        path: name,
        reason: `${type ?? 'carving'}: not expanded (${(e as Error).message})`,
      });
    }
    if (budget.entryCapHit && depth === 0)
      this.sink.skipped({
        path: name,
        reason: `archive entry limit (${budget.limits.maxEntries}) reached: the rest was not scanned`,
      });
  }

  private async members(
    name: string,
    members: Iterable<Member> | AsyncIterable<Member>,
    depth: number,
    budget: Budget,
  ): Promise<void> {
    for await (const m of members) {
      const inner = `${name}!${m.name}`;
      if (m.data) await this.object(inner, 'member', m.data, depth + 1, budget);
      else if (!budget.entryCapHit) this.sink.skipped({ path: inner, reason: m.skipped ?? 'not extracted' });
    }
  }

  private async gzip(name: string, data: Uint8Array, depth: number, budget: Budget): Promise<void> {
    const out = gunzipAt(data, 0, budget.maxOutput(data.length));
    if ('tooLarge' in out)
      return this.sink.skipped({ path: name, reason: budget.overflowReason(data.length) });
    if ('invalid' in out)
      return this.sink.skipped({ path: name, reason: `gzip: not expanded (${out.invalid})` });
    await this.payload(name, innerName(name, out.name), out.data, out.consumed, depth, budget);
  }

  /** A gzip payload: a tar's members go right under `name`; anything else is one object. */
  private async payload(
    name: string,
    inner: string,
    data: Uint8Array,
    packed: number,
    depth: number,
    budget: Budget,
  ): Promise<void> {
    if (archiveKind(data) === 'tar') return this.members(name, tarMembers(data, budget), depth, budget);
    const skipped = budget.admit(data.length, packed);
    if (skipped) return this.sink.skipped({ path: `${name}!${inner}`, reason: skipped });
    await this.object(`${name}!${inner}`, 'member', data, depth + 1, budget);
  }

  private async carved(name: string, data: Uint8Array, depth: number, budget: Budget): Promise<void> {
    for (const c of carve(data, budget)) {
      const inner = `${name}!${c.label}`;
      if (!c.data) {
        if (!budget.entryCapHit) this.sink.skipped({ path: inner, reason: c.skipped ?? 'not carved' });
      } else if (c.kind === 'gzip' && archiveKind(c.data) === 'tar') {
        await this.members(inner, tarMembers(c.data, budget), depth + 1, budget);
      } else {
        await this.object(inner, 'carved', c.data, depth + 1, budget);
      }
    }
  }
}

/** The gzip's FNAME, else its own name without `.gz` (`.tgz` → `.tar`). */
function innerName(name: string, fname: string | undefined): string {
  if (fname) return fname;
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('!')) + 1);
  if (/\.tgz$/i.test(base)) return base.replace(/\.tgz$/i, '.tar');
  return base.replace(/\.gz$/i, '') || 'data';
}
