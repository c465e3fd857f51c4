/**
 * The beta distribution (`beta_cdf`, `beta_pdf`, `beta_inv`) through jStat. Out-of-range arguments give
 * what Kusto's documented examples show: NaN for x outside [0, 1] or a parameter ≤ 0, and null from
 * beta_inv for a probability outside [0, 1] (the page's prose says NaN and null the other way round;
 * its example table, run on Kusto, is followed).
 */
import jstat from 'jstat'; // CommonJS: its one export is an object

import type { JsFn, JsValue } from './js-value.js';

const { jStat } = jstat;

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

export const STATS_LIBRARY: Record<string, JsFn> = {
  beta_cdf: density('cdf'),
  beta_pdf: density('pdf'),
  beta_inv: (...args) => {
    const [p, a, b] = numbers(args) ?? [];
    if (p === undefined || !(p >= 0 && p <= 1)) return null;
    if (!(a > 0 && b > 0)) return NaN;
    return jStat.beta.inv(p, a, b);
  },
};
