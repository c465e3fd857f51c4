/**
 * The beta distribution (`beta_cdf`, `beta_pdf`, `beta_inv`) through jStat. Out-of-range arguments give
 * what Kusto's documented examples show: NaN for x outside [0, 1] or a parameter ≤ 0, and null from
 * beta_inv for a probability outside [0, 1] (the page's prose says NaN and null the other way round;
 * its example table, run on Kusto, is followed).
 */
import type jstat from 'jstat';
import { lazyModule } from '../util/lazy-module.js';
import type { JsFn, JsValue } from './js-value.js';

// CommonJS: its one export is an object; loaded by the first statistics call
const jStat: (typeof jstat)['jStat'] = lazyModule('jstat', (e: typeof jstat) => e.jStat);

const numbers = (values: JsValue[]): number[] | undefined =>
  values.every((v): v is number => typeof v === 'number') ? values : undefined;

function density(fn: 'pdf' | 'cdf'): JsFn {
  return (...args) => {
    const [x, a, b] = numbers(args) ?? [];
    if (x === undefined) return null;
    if (!(x >= 0 && x <= 1 && a > 0 && b > 0)) return NaN;
    return jStat.beta[fn](x, a, b);
  };
}

/** `welch_test(mean1, variance1, count1, mean2, variance2, count2)`: the two-sided p-value of Welch's t-test. */
function welchTest(...args: JsValue[]): JsValue {
  const [m1, v1, n1, m2, v2, n2] = numbers(args) ?? [];
  if (n2 === undefined || n1 < 2 || n2 < 2) return null;
  const [a, b] = [v1 / n1, v2 / n2];
  const t = (m1 - m2) / Math.sqrt(a + b);
  const dof = (a + b) ** 2 / (a ** 2 / (n1 - 1) + b ** 2 / (n2 - 1));
  return 2 * (1 - jStat.studentt.cdf(Math.abs(t), dof));
}

export const STATS_LIBRARY: Record<string, JsFn> = {
  welch_test: welchTest,
  beta_cdf: density('cdf'),
  beta_pdf: density('pdf'),
  beta_inv: (...args) => {
    const [p, a, b] = numbers(args) ?? [];
    if (p === undefined || !(p >= 0 && p <= 1)) return null;
    if (!(a > 0 && b > 0)) return NaN;
    return jStat.beta.inv(p, a, b);
  },
};
