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

/** The 21 columns of a Zeek conn.log as Zeek 6 writes them (names, then types). */
export const ZEEK_CONN_FIELDS =
  'ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes resp_bytes conn_state local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents'.split(
    ' ',
  );
export const ZEEK_CONN_TYPES =
  'time string addr port addr port enum string interval count count string bool bool count string count count count count set[string]'.split(
    ' ',
  );

/** The header lines of a generated Zeek conn.log (TSV). */
export const ZEEK_CONN_HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2026-05-21-00-00-00',
  `#fields\t${ZEEK_CONN_FIELDS.join('\t')}`,
  `#types\t${ZEEK_CONN_TYPES.join('\t')}`,
];
