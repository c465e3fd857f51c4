/**
 * YARA `include "path"`. The engines resolve an include against the process's working directory (or
 * fail, in the WebAssembly build), so Telltale resolves it itself: against the including file's folder,
 * confined to the rule tree the user named (the `--rules` folder, or the rule file's own folder; links
 * resolved), at most MAX_INCLUDE_DEPTH files deep, a cycle refused. The included text replaces the
 * statement, so the native and the WebAssembly engine compile the same self-contained source; `origins`
 * maps each line of it back to a file and line, for the engines' error messages.
 */
import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { outline } from './outline.js';

export const MAX_INCLUDE_DEPTH = 8;

export interface LineOrigin {
  file: string;
  line: number;
}

export interface SplicedSource {
  text: string;
  /** `origins[i]` is where line i + 1 of `text` comes from; absent when the file has no include. */
  origins?: LineOrigin[];
}

/** An include that cannot be honoured: the file and line of the statement, and why. */
export class IncludeError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** Output text plus the origin of each of its lines. */
class Splice {
  text = '';
  readonly origins: LineOrigin[] = [];
  private lineStart = true;

  add(segment: string, file: string, line: number): void {
    segment.split('\n').forEach((part, i) => {
      if (i > 0) {
        if (this.lineStart) this.origins.push({ file, line: line + i - 1 });
        this.text += '\n';
        this.lineStart = true;
      }
      if (part && this.lineStart) {
        this.origins.push({ file, line: line + i });
        this.lineStart = false;
      }
      this.text += part;
    });
  }

  /** Ends the current line, so what follows never continues an included file's last line. */
  newline(file: string, line: number): void {
    if (!this.lineStart) this.add('\n', file, line);
  }
}

const linesIn = (text: string): number => text.split('\n').length - 1;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * `text` (the content of rule file `file`) with its includes spliced in. `root` is the folder the
 * includes must stay in. Throws IncludeError naming the statement's file and line.
 */
export async function spliceIncludes(file: string, text: string, root: string): Promise<SplicedSource> {
  if (outline(text).includes.length === 0) return { text };
  const splice = new Splice();
  const realRoot = await realpath(root);
  await spliceInto(splice, file, text, realRoot, [await realpath(file)]);
  return { text: splice.text, origins: splice.origins };
}

async function spliceInto(
  out: Splice,
  file: string,
  text: string,
  root: string,
  chain: string[],
): Promise<void> {
  let pos = 0;
  for (const inc of outline(text).includes) {
    out.add(text.slice(pos, inc.start), file, 1 + linesIn(text.slice(0, pos)));
    const target = await includedFile(file, inc, root, chain);
    await spliceInto(out, target, await readFile(target, 'utf8'), root, [...chain, target]);
    out.newline(target, 1);
    pos = inc.end;
  }
  out.add(text.slice(pos), file, 1 + linesIn(text.slice(0, pos)));
}

async function includedFile(
  file: string,
  inc: { path: string; line: number },
  root: string,
  chain: string[],
): Promise<string> {
  const fail = (reason: string) => new IncludeError(file, inc.line, `include "${inc.path}": ${reason}`);
  if (chain.length > MAX_INCLUDE_DEPTH) throw fail(`includes nested deeper than ${MAX_INCLUDE_DEPTH} files`);
  let target: string;
  try {
    target = await realpath(resolve(dirname(file), inc.path));
  } catch {
    throw fail(`not found (resolved against ${dirname(file)})`);
  }
  if (!inside(root, target))
    throw fail(
      `outside the rule folder ${root}: not read (an include reads only files under the folder given to --rules)`,
    );
  if (chain.includes(target))
    throw fail(`include cycle (${[...chain, target].map((f) => basename(f)).join(' → ')})`);
  return target;
}

/**
 * An engine's message with its `line:N:C` positions (YARA-X: `--> line:3:2`) turned back into the
 * file and line they come from: `inner.yar:3:2` for an included line, `line:3:2` for the file's own.
 */
export function originLines(message: string, source: { file: string; origins?: LineOrigin[] }): string {
  const { origins } = source;
  if (!origins) return message;
  return message.replace(/\bline:(\d+):(\d+)/g, (whole, line: string, col: string) => {
    const origin = origins[Number(line) - 1];
    if (!origin) return whole;
    return origin.file === source.file
      ? `line:${origin.line}:${col}`
      : `${origin.file}:${origin.line}:${col}`;
  });
}
