/** The scalar function library beyond functions.ts's core: one table, merged from the functions-*.ts files. */
import type { Library } from './functions-common.js';
import { DYNAMIC_FUNCTIONS } from './functions-dynamic.js';
import { GEO_FUNCTIONS } from './functions-geo.js';
import { IP_FUNCTIONS } from './functions-ip.js';
import { MATH_FUNCTIONS } from './functions-math.js';
import { SERIES_FUNCTIONS } from './functions-series.js';
import { STRING_FUNCTIONS } from './functions-string.js';
import { TIME_FUNCTIONS } from './functions-time.js';

export const LIBRARY: Library = {
  ...STRING_FUNCTIONS,
  ...DYNAMIC_FUNCTIONS,
  ...TIME_FUNCTIONS,
  ...IP_FUNCTIONS,
  ...GEO_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...SERIES_FUNCTIONS,
};
