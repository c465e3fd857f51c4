/** `top-nested`: top groups within top groups, on a small table whose answer is worked out by hand. */
import { describe, expect, it } from 'vitest';
import { unordered, useFixture } from './op-fixture.js';

const run = useFixture();
// damage by state and event type: TX 10 + 5 + 1 = 16, OK 9 + 4 = 13, KS 2
const T = `datatable(State:string, Event:string, Damage:long) [
  "TX", "hail", 10, "TX", "flood", 5, "TX", "flood", 1, "OK", "hail", 9, "OK", "wind", 4, "KS", "hail", 2]`;

describe('top-nested', () => {
  it('keeps the top N groups, then the top groups within each of them', async () => {
    const { columns, rows } = await run(
      `${T} | top-nested 2 of State by total = sum(Damage), top-nested 1 of Event by events = count()`,
    );
    expect(columns).toEqual(['State', 'total', 'Event', 'events']);
    expect(unordered(rows)).toEqual(
      unordered([
        { State: 'TX', total: 16, Event: 'flood', events: 2 },
        { State: 'OK', total: 13, Event: rows.find((r) => r.State === 'OK')?.Event, events: 1 },
      ]),
    );
    expect(['hail', 'wind']).toContain(rows.find((r) => r.State === 'OK')?.Event);
  });

  it('without N keeps every group; asc keeps the smallest', async () => {
    const { rows } = await run(
      `${T} | top-nested of State by total = sum(Damage), top-nested 1 of Event by d = max(Damage) asc`,
    );
    expect(unordered(rows)).toEqual(
      unordered([
        { State: 'TX', total: 16, Event: 'flood', d: 5 },
        { State: 'OK', total: 13, Event: 'wind', d: 4 },
        { State: 'KS', total: 2, Event: 'hail', d: 2 },
      ]),
    );
  });

  it('with others is TT001', async () => {
    await expect(run(`${T} | top-nested 1 of State with others = "rest" by sum(Damage)`)).rejects.toThrow(
      /TT001.*with others/,
    );
  });
});
