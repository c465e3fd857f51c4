/**
 * The geo libraries, each loaded on first use (util/lazy-module.ts): a query without geo functions
 * never loads them. `s2` is also a namespace of the s2js types the geo modules name.
 */
import type { s2 as S2 } from 's2js';
import type * as H3 from 'h3-js';
import type Ngeohash from 'ngeohash';
import type PolygonClipping from 'polygon-clipping';
import { lazyModule } from '../../util/lazy-module.js';

export const s2: typeof S2 = lazyModule('s2js', (e: { s2: typeof S2 }) => e.s2);
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace s2 {
  type Point = S2.Point;
  type Polygon = S2.Polygon;
  type Polyline = S2.Polyline;
  type Loop = S2.Loop;
  type Region = S2.Region;
}
export const h3: typeof H3 = lazyModule('h3-js');
export const ngeohash: typeof Ngeohash = lazyModule('ngeohash');
export const polygonClipping: typeof PolygonClipping = lazyModule('polygon-clipping');
export const terraformerWkt: { wktToGeoJSON(wkt: string): unknown } = lazyModule('@terraformer/wkt');
