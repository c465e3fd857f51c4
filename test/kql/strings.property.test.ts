import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { coerceRow } from '../../src/store/coerce.js';
import { compileKql, KqlError, runKql } from '../../src/kql/index.js';
import { NOW } from './helpers.js';
import { Store as StoreClass } from '../../src/store/db.js';

// A plain reference of Kusto's string semantics, written independently of the SQL translation.
const isAlnum = (ch: string | undefined) => ch !== undefined && /[0-9A-Za-z]/.test(ch);

function occurrences(hay: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + 1)) found.push(i);
  return found;
}

/** has: the needle occurs where it is not glued to further letters/digits on an alphanumeric edge. */
function termRef(hay: string, needle: string, cs: boolean, before: boolean, after: boolean): boolean {
  const h = cs ? hay : hay.toLowerCase();
  const n = cs ? needle : needle.toLowerCase();
  if (n === '') return true;
  return occurrences(h, n).some(
    (i) =>
      (!before || !isAlnum(n[0]) || !isAlnum(h[i - 1])) &&
      (!after || !isAlnum(n[n.length - 1]) || !isAlnum(h[i + n.length])),
  );
}

const lower = (s: string) => s.toLowerCase();
const REFERENCE: Record<string, (h: string, n: string) => boolean> = {
  has: (h, n) => termRef(h, n, false, true, true),
  '!has': (h, n) => !termRef(h, n, false, true, true),
  has_cs: (h, n) => termRef(h, n, true, true, true),
  hasprefix: (h, n) => termRef(h, n, false, true, false),
  hassuffix: (h, n) => termRef(h, n, false, false, true),
  contains: (h, n) => lower(h).includes(lower(n)),
  '!contains': (h, n) => !lower(h).includes(lower(n)),
  contains_cs: (h, n) => h.includes(n),
  startswith: (h, n) => lower(h).startsWith(lower(n)),
  endswith: (h, n) => lower(h).endsWith(lower(n)),
  '=~': (h, n) => lower(h) === lower(n),
  '==': (h, n) => h === n,
};

/** A KQL string literal for any text. */
function kqlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

// Letters whose lower case is the same for JavaScript and DuckDB, term separators, and the odd non-ASCII.
const ALPHABET = [...'aAbBcz09', '.', '-', ' ', '_', ':', 'é', 'É', 'ж', 'Ж', '😀'];
const text = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 12 });

/** Often a piece of the haystack (by code points, sometimes upper-cased), so that matches are frequent. */
function needleFrom(hays: string[]): fc.Arbitrary<string> {
  const piece = fc
    .tuple(fc.nat(hays.length - 1), fc.nat(12), fc.nat(12), fc.boolean())
    .map(([i, start, len, upper]) => {
      const chars = [...hays[i]];
      const s = Math.min(start, chars.length);
      const sub = chars.slice(s, s + len).join('');
      return upper ? sub.toUpperCase() : sub;
    });
  return fc.oneof({ arbitrary: piece, weight: 3 }, { arbitrary: text, weight: 1 });
}
const haysAndNeedle = fc
  .array(text, { minLength: 1, maxLength: 8 })
  .chain((hays) => fc.tuple(fc.constant(hays), needleFrom(hays)));

let store: Store;
beforeAll(async () => {
  store = await StoreClass.open();
});
afterAll(() => store.close());

async function load(hays: string[]): Promise<void> {
  await store.run('DELETE FROM "DnsEvents"');
  const schema = store.schema('DnsEvents');
  await store.insertRows(
    'DnsEvents',
    hays.map((Name, i) => coerceRow(schema, { Name, _Source: String(i) })),
  );
}

describe('string operators agree with a reference implementation', () => {
  it('on random haystacks and needles', async () => {
    await fc.assert(
      fc.asyncProperty(
        haysAndNeedle,
        fc.constantFrom(...Object.keys(REFERENCE)),
        async ([hays, needle], op) => {
          await load(hays);
          const { rows } = await runKql(store, `DnsEvents | where Name ${op} ${kqlString(needle)}`, {
            now: NOW,
          });
          const got = rows.map((r) => Number(r._Source)).sort((a, b) => a - b);
          const want = hays.flatMap((h, i) => (REFERENCE[op](h, needle) ? [i] : []));
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('with the needle in another column (a pattern built per row)', async () => {
    const pair = text.chain((h) => fc.tuple(fc.constant(h), needleFrom([h])));
    await fc.assert(
      fc.asyncProperty(
        fc.array(pair, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('has', '!has', 'hasprefix', 'hassuffix', 'contains', 'startswith'),
        async (pairs, op) => {
          await store.run('DELETE FROM "DnsEvents"');
          const schema = store.schema('DnsEvents');
          await store.insertRows(
            'DnsEvents',
            pairs.map(([Name, Computer], i) => coerceRow(schema, { Name, Computer, _Source: String(i) })),
          );
          const { rows } = await runKql(store, `DnsEvents | where Name ${op} Computer`, { now: NOW });
          const got = rows.map((r) => Number(r._Source)).sort((a, b) => a - b);
          const want = pairs.flatMap(([h, n], i) => (REFERENCE[op](h, n) ? [i] : []));
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('has_any agrees with "any of has"', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(text, { minLength: 1, maxLength: 6 })
          .chain((hays) =>
            fc.tuple(fc.constant(hays), fc.array(needleFrom(hays), { minLength: 1, maxLength: 3 })),
          ),
        async ([hays, needles]) => {
          await load(hays);
          const list = `dynamic([${needles.map(kqlString).join(', ')}])`;
          const { rows } = await runKql(store, `let xs = ${list}; DnsEvents | where Name has_any (xs)`, {
            now: NOW,
          });
          const got = rows.map((r) => Number(r._Source)).sort((a, b) => a - b);
          const want = hays.flatMap((h, i) =>
            needles.some((n) => termRef(h, n, false, true, true)) ? [i] : [],
          );
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('has_any over a table (a feed) agrees with "any of has"', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(text, { minLength: 1, maxLength: 6 })
          .chain((hays) =>
            fc.tuple(fc.constant(hays), fc.array(needleFrom(hays), { minLength: 1, maxLength: 4 })),
          ),
        async ([hays, needles]) => {
          await load(hays);
          const feed = `datatable(v:string) [${needles.map(kqlString).join(', ')}]`;
          const { rows } = await runKql(store, `let xs = ${feed}; DnsEvents | where Name has_any (xs)`, {
            now: NOW,
          });
          const got = rows.map((r) => Number(r._Source)).sort((a, b) => a - b);
          const want = hays.flatMap((h, i) =>
            needles.some((n) => termRef(h, n, false, true, true)) ? [i] : [],
          );
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('has_any over a table: long needles (over 16 terms) and edge separators still match as has does', async () => {
    const words = 'abcdefghijklmnopqrstu'.split('');
    await load([words.join(' '), `/bin/${words.join('.')}`, 'nothing here']);
    const needles = [words.slice(2, 20).join(' '), '/bin/', 'q.r.s.t.u', 'zz'];
    const feed = `datatable(v:string) [${needles.map(kqlString).join(', ')}]`;
    const { rows } = await runKql(store, `let xs = ${feed}; DnsEvents | where Name has_any (xs)`, {
      now: NOW,
    });
    expect(rows.map((r) => Number(r._Source)).sort()).toEqual([0, 1]);
  });

  it('never crashes on arbitrary Unicode needles', async () => {
    await load(['tvt.miraibotnet.su', 'ÄÖÜ ß 😀 \u0001', '', 'a\\b"c']);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 10 }),
        fc.constantFrom('has', 'contains', '!has', 'hasprefix'),
        async (needle, op) => {
          const query = `DnsEvents | where Name ${op} ${kqlString(needle)}`;
          try {
            compileKql(query, { schemas: store.schemas, now: NOW });
          } catch (err) {
            expect(err).toBeInstanceOf(KqlError); // a parse error is fine; anything else is a bug
            return;
          }
          const { rows } = await runKql(store, query, { now: NOW });
          expect(Array.isArray(rows)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
