/**
 * Expands the paths a user gave into files, recursively, in a stable order (sorted by name). Symlinked
 * directories are not followed (no loops); FIFOs, sockets and devices are never opened (reading a FIFO
 * would hang); unreadable directories are reported, not fatal.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface Skipped {
  file: string;
  reason: string;
}

export async function walkPaths(paths: readonly string[]): Promise<{ files: string[]; skipped: Skipped[] }> {
  const files: string[] = [];
  const skipped: Skipped[] = [];
  const visit = async (path: string, top: boolean): Promise<void> => {
    let info;
    try {
      info = await lstat(path);
      if (info.isSymbolicLink()) {
        const target = await stat(path);
        if (target.isDirectory() && !top) {
          skipped.push({ file: path, reason: 'symlink to a directory: not followed' });
          return;
        }
        info = target;
      }
    } catch (err) {
      skipped.push({ file: path, reason: `cannot stat: ${errorText(err)}` });
      return;
    }
    if (info.isDirectory()) {
      let names: string[];
      try {
        names = await readdir(path);
      } catch (err) {
        skipped.push({ file: path, reason: `unreadable directory: ${errorText(err)}` });
        return;
      }
      for (const name of names.sort()) await visit(join(path, name), false);
    } else if (info.isFile()) files.push(path);
    else skipped.push({ file: path, reason: 'not a regular file (device, FIFO or socket)' });
  };
  for (const path of paths) await visit(path, true);
  return { files, skipped };
}

export function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}` : String(e?.message ?? err);
}
