import { describe, expect, it } from 'vitest';
import { useEvaluator } from './fn-eval.js';
import { unordered } from './op-fixture.js';

const { run } = useEvaluator();
const PEOPLE = `datatable(Name:string, Age:int, City:string, Country:string)['Peter', 39, 'New York', 'USA']`;

describe('project-by-names', () => {
  it('picks columns in the order named; * is a wildcard; unknown names are ignored', async () => {
    const r = await run(`${PEOPLE} | project-by-names "Country", dynamic(["C*", "Nope"]), "Name"`);
    expect(r.columns).toEqual(['Country', 'City', 'Name']);
    expect(r.rows).toEqual([{ Country: 'USA', City: 'New York', Name: 'Peter' }]);
  });

  it("reads a function's tabular parameter with the columns of the table it is called with", async () => {
    const r = await run(`let People = ${PEOPLE};
      let Enrich = (Source:(Name:string), wanted:dynamic) {
        Source | lookup People on Name | project-by-names column_names_of(Source), wanted
      };
      datatable(Name:string, Data:string)['Peter', 'x', 'Paul', 'y'] | invoke Enrich(dynamic(['Age']))`);
    expect(r.columns).toEqual(['Name', 'Data', 'Age']);
    expect(unordered(r.rows)).toEqual(
      unordered([
        { Name: 'Peter', Data: 'x', Age: 39 },
        { Name: 'Paul', Data: 'y', Age: null },
      ]),
    );
  });
});
