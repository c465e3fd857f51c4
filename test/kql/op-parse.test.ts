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
