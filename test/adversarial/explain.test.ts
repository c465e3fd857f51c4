// Issue 11 item 5: an empty result explains itself: what each input was read as, and which tables each
// hunt read with their row counts.
import { describe, expect, it } from 'vitest';
import { scratchDir, telltale } from '../helpers.js';

const tmp = scratchDir('adv-explain');

describe('hunt --explain', () => {
  it('names each input with its format and why, the files only scanned, and each hunt’s tables and rows', () => {
    const rows = [0, 1].map(
      (i) =>
        `1779321783.${i}\tCc${String(i).padStart(10, 'x')}\t10.20.0.${i + 2}\t${40000 + i}\t203.0.113.9\t443\ttcp\t-\t-\t-\t-\tSF\tT\tF\t0\tS\t1\t60\t0\t0\t-`,
    );
    const bare = tmp.file('conn-tail.log', rows.join('\n') + '\n');
    const bin = tmp.file('blob.bin', '\u0000\u0001\u0002 not a log');
    const r = telltale('hunt', '--explain', '--no-intel-db', bare, bin);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      `${bare}: zeek-tsv (Zeek conn TSV without its header lines: the default conn.log fields assumed: all 2 sampled lines), 2 of 2 records`,
    );
    expect(r.stderr).toContain(`${bin}: scanned with YARA only (not a log)`);
    expect(r.stderr).toMatch(/\n {2}mirai-worm-propagation: 0 findings; read _Im_NetworkSession: 2\n/);
    expect(r.stderr).toMatch(/\n {2}mirai-indicator-domains-dns: 0 findings; read DnsEvents: 0\n/);
  }, 180_000);
});
