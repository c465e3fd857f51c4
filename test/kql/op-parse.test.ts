import { describe, expect, it } from 'vitest';
import { useEvaluator } from './fn-eval.js';

const { run } = useEvaluator();
const LINES = `datatable(t:string)[
  "user=alice id=12 at=02/17/2016 08:40:01, end",
  "user=bob id=x7 at=2016-02-17 09:00:00, end"
]`;

describe('parse kinds', () => {
  it('simple: a long column takes only digits; datetimes read like todatetime (m/d/Y too)', async () => {
    const r = await run(
      `${LINES} | parse t with "user=" user " id=" id:long * "at=" at:datetime "," * | project user, id, at`,
    );
    expect(r.rows).toEqual([
      { user: 'alice', id: 12, at: '2016-02-17T08:40:01.000Z' },
      // the row does not match (x7 is no long): strings "", the rest null
      { user: '', id: null, at: null },
    ]);
  });

  it('relaxed: a value that is not of its type becomes null, the other columns still parse', async () => {
    const r = await run(
      `${LINES} | parse kind=relaxed t with "user=" user " id=" id:long * "at=" at:datetime "," * | project user, id, at`,
    );
    expect(r.rows[1]).toEqual({ user: 'bob', id: null, at: '2016-02-17T09:00:00.000Z' });
  });

  it('regex is greedy unless flags=U; flags=i ignores case', async () => {
    const greedy = await run(`print t="a=1, b=2, c=3" | parse kind=regex t with "a=" v "," * | project v`);
    expect(greedy.rows[0].v).toBe('1, b=2');
    const lazy = await run(
      `print t="a=1, b=2, c=3" | parse kind=regex flags=Ui t with "A=" v "," * | project v`,
    );
    expect(lazy.rows[0].v).toBe('1');
  });

  it('parse-where keeps only the rows that match and whose typed columns convert', async () => {
    const r = await run(`${LINES} | parse-where t with "user=" user " id=" id:long * | project user, id`);
    expect(r.rows).toEqual([{ user: 'alice', id: 12 }]);
  });
});

describe('parse-kv', () => {
  it('delimited: quoted values keep their delimiters; a missing key is "" or null by type', async () => {
    const r = await run(
      `print s='a=1 b="x y" c=2021-01-01T10:00:00' | parse-kv s as (a:long, b:string, c:datetime, d:string, e:long) with (pair_delimiter=' ', kv_delimiter='=', quote='"') | project-away s`,
    );
    expect(r.rows).toEqual([{ a: 1, b: 'x y', c: '2021-01-01T10:00:00.000Z', d: '', e: null }]);
  });

  it('without delimiters any non-alphanumeric character delimits; escapes inside quotes; regex mode', async () => {
    const plain = await run(
      `print s="[INFO] id:42, who: 'o\\\\'neil' end" | parse-kv s as (id:long, who:string) with (quote="'", escape='\\\\') | project-away s`,
    );
    expect(plain.rows).toEqual([{ id: 42, who: "o'neil" }]);
    const regex = await run(
      `print s='<k1|v 1><k2|v2>' | parse-kv s as (k2:string, k1:string) with (regex=@'<(\\w+)\\|([^>]*)>') | project-away s`,
    );
    expect(regex.rows).toEqual([{ k2: 'v2', k1: 'v 1' }]);
  });
});
