/** Generated bench inputs: line files written in blocks and cached by name under a corpus folder. */
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

export type LineMaker = (i: number) => string;

/** Writes `lines` generated lines (after `header`) into `dir/name`; a half-written file never counts. */
export async function generateLines(
  dir: string,
  name: string,
  header: string[],
  lines: number,
  make: LineMaker,
): Promise<string> {
  const file = join(dir, name);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  if (header.length > 0) out.write(header.join('\n') + '\n');
  const block: string[] = [];
  for (let i = 0; i < lines; i++) {
    block.push(make(i));
    if (block.length === 10_000 || i === lines - 1) {
      if (!out.write(block.join('\n') + '\n')) await once(out, 'drain');
      block.length = 0;
    }
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, file);
  return file;
}
