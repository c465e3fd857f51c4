/**
 * `npm run conformance [-- --family core,series] [--id bin-function#1 | --id bin-function] [--verbose]`:
 * runs the documentation conformance cases and prints, per family, pass / wrong / unsupported / error,
 * then every case that is not a pass (with --verbose, or when filtered). Exit 1 on a wrong answer
 * outside the errata list.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  CASES_FILE,
  FAMILIES,
  loadCases,
  runConformance,
  selected,
  tally,
  type Family,
} from './conformance/runner.js';

const { values } = parseArgs({
  options: {
    family: { type: 'string', multiple: true },
    id: { type: 'string', multiple: true },
    verbose: { type: 'boolean', short: 'v' },
    file: { type: 'string' },
  },
});
const file = values.file ?? CASES_FILE;
if (!existsSync(file)) {
  console.error(`no conformance cases at ${file}`);
  process.exit(2);
}
const families = (values.family ?? []).flatMap((f) => f.split(',')) as Family[];
const unknown = families.filter((f) => !FAMILIES.includes(f));
if (unknown.length) {
  console.error(`unknown family ${unknown.join(', ')} (families: ${FAMILIES.join(', ')})`);
  process.exit(2);
}
const cases = selected(loadCases(file), { families, ids: values.id });
const started = performance.now();
const outcomes = await runConformance(cases);
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const listAll = values.verbose || values.id?.length;
for (const o of outcomes) {
  if (o.status === 'pass' && !listAll) continue;
  if (o.status !== 'wrong' && !listAll && !families.length) continue;
  const tag = o.status === 'wrong' && o.erratum ? 'erratum' : o.status;
  console.log(`${tag.padEnd(11)} ${o.family.padEnd(7)} ${o.id}  ${o.detail}`);
}
const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;
console.log(
  `\n${'family'.padEnd(8)} ${'cases'.padStart(5)} ${'pass'.padStart(12)} wrong errata unsupported error`,
);
for (const [family, t] of tally(outcomes)) {
  console.log(
    `${family.padEnd(8)} ${String(t.cases).padStart(5)} ${`${t.pass} (${pct(t.pass, t.cases)})`.padStart(12)} ${String(t.wrong).padStart(5)} ${String(t.errata).padStart(6)} ${String(t.unsupported).padStart(11)} ${String(t.error).padStart(5)}`,
  );
}
console.log(`(${outcomes.length} cases in ${seconds} s)`);
process.exitCode = outcomes.some((o) => o.status === 'wrong' && !o.erratum) ? 1 : 0;
