/**
 * ELF header sanity checks and an ELF's size from its own headers: the furthest byte that its header,
 * program headers, section headers, segments and sections reach. Used to carve ELF binaries out of
 * firmware images, where "\x7fELF" at a random offset must not be taken for a binary.
 */

const SHT_NOBITS = 8;

interface Reader {
  u16(at: number): number;
  u32(at: number): number;
  /** 32- or 64-bit address/offset field. */
  addr(at: number): number;
}

function reader(view: DataView, le: boolean, is64: boolean): Reader {
  return {
    u16: (at) => view.getUint16(at, le),
    u32: (at) => view.getUint32(at, le),
    addr: (at) => (is64 ? Number(view.getBigUint64(at, le)) : view.getUint32(at, le)),
  };
}

/** The ELF's size in bytes if `data[at..]` holds a plausible ELF header, else undefined. */
export function elfSizeAt(data: Uint8Array, at: number): number | undefined {
  const avail = data.length - at;
  if (
    avail < 52 ||
    data[at] !== 0x7f ||
    data[at + 1] !== 0x45 ||
    data[at + 2] !== 0x4c ||
    data[at + 3] !== 0x46
  )
    return undefined;
  const cls = data[at + 4];
  const enc = data[at + 5];
  if ((cls !== 1 && cls !== 2) || (enc !== 1 && enc !== 2) || data[at + 6] !== 1) return undefined;
  const is64 = cls === 2;
  if (is64 && avail < 64) return undefined;
  const view = new DataView(data.buffer, data.byteOffset + at, avail);
  const r = reader(view, enc === 1, is64);
  if (r.u32(20) !== 1) return undefined; // e_version
  const o = is64 ? { phoff: 32, shoff: 40, eh: 52 } : { phoff: 28, shoff: 32, eh: 40 };
  const ehsize = r.u16(o.eh);
  const phentsize = r.u16(o.eh + 2);
  const phnum = r.u16(o.eh + 4);
  const shentsize = r.u16(o.eh + 6);
  const shnum = r.u16(o.eh + 8);
  if (ehsize !== (is64 ? 64 : 52)) return undefined;
  if (phnum > 0 && phentsize !== (is64 ? 56 : 32)) return undefined;
  if (shnum > 0 && shentsize !== (is64 ? 64 : 40)) return undefined;
  const phoff = r.addr(o.phoff);
  const shoff = r.addr(o.shoff);
  let end = ehsize;
  if (phnum > 0) {
    if (phoff + phnum * phentsize > avail) return undefined;
    end = Math.max(end, phoff + phnum * phentsize);
    for (let i = 0; i < phnum; i++) {
      const p = phoff + i * phentsize;
      const [off, filesz] = is64 ? [r.addr(p + 8), r.addr(p + 32)] : [r.u32(p + 4), r.u32(p + 16)];
      end = Math.max(end, off + filesz);
    }
  }
  if (shnum > 0) {
    if (shoff + shnum * shentsize > avail) return undefined;
    end = Math.max(end, shoff + shnum * shentsize);
    for (let i = 0; i < shnum; i++) {
      const s = shoff + i * shentsize;
      if (r.u32(s + 4) === SHT_NOBITS) continue;
      const [off, size] = is64 ? [r.addr(s + 24), r.addr(s + 32)] : [r.u32(s + 16), r.u32(s + 20)];
      end = Math.max(end, off + size);
    }
  }
  // A truncated image keeps what is there: scan the part of the binary that survived.
  return Number.isSafeInteger(end) ? Math.min(end, avail) : undefined;
}

export function isElf(data: Uint8Array): boolean {
  return data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
}
