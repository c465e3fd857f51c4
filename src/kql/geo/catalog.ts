/**
 * Kusto's geo functions, one entry each: the argument kinds (trailing ones optional, with Kusto's
 * defaults) and the JavaScript that answers one row. Invalid input (a coordinate out of range, a
 * malformed shape, a level out of range) answers null, as in Kusto. The same table drives the SQL side
 * (functions-geo.ts) and the DuckDB scalar functions that run it (udf.ts).
 */
import * as cells from './cells.js';
import * as m from './measure.js';
import { closestOnLines } from './nearest.js';
import * as overlay from './overlay.js';
import * as reshape from './reshape.js';
import { lines, pointJson, polygons, validLngLat, type LngLat, type Rings } from './shapes.js';
import { fromWkt } from './wkt.js';

export type GeoArg = 'real' | 'string' | 'dynamic';
export type GeoResult = 'real' | 'int' | 'bool' | 'string' | 'dynamic';

/** An omitted optional argument whose default depends on another (an H3 cell's own level). */
export const UNSPECIFIED = Number.NaN;

export interface GeoFunction {
  args: GeoArg[];
  /** Defaults of the trailing optional arguments, in order. */
  defaults?: number[];
  returns: GeoResult;
  run: (...args: never[]) => unknown;
}

type Json = unknown;

const lngLat = (lng: number, lat: number): LngLat | null => (validLngLat(lng, lat) ? [lng, lat] : null);
const pointOrNull = (p: LngLat | null) => (p ? pointJson(p) : null);
const lineJson = (ls: LngLat[][]) =>
  ls.length === 1 ? { type: 'LineString', coordinates: ls[0] } : { type: 'MultiLineString', coordinates: ls };
const polygonJson = (ps: Rings[]) =>
  ps.length === 1 ? { type: 'Polygon', coordinates: ps[0] } : { type: 'MultiPolygon', coordinates: ps };
const specified = (n: number): number | undefined => (Number.isNaN(n) ? undefined : n);

/** The grid cell of a point at a level; null for an invalid point. */
function cellOf(f: (p: LngLat, level: number) => string | null) {
  return (lng: number, lat: number, level: number): string | null => {
    const p = lngLat(lng, lat);
    return p ? f(p, level) : null;
  };
}

/** A function of one point and one shape; null when either is invalid. */
function withPointAnd<S, R>(parse: (v: Json) => S | null, f: (p: LngLat, s: S) => R | null) {
  return (lng: number, lat: number, shape: Json): R | null => {
    const p = lngLat(lng, lat);
    const s = parse(shape);
    return p && s ? f(p, s) : null;
  };
}

/** A function of one shape; null when it is invalid. */
function withShape<S, R>(parse: (v: Json) => S | null, f: (s: S, ...rest: number[]) => R | null) {
  return (shape: Json, ...rest: number[]): R | null => {
    const s = parse(shape);
    return s ? f(s, ...rest) : null;
  };
}

/** Two shapes; null when either is invalid. */
function withTwo<A, B, R>(pa: (v: Json) => A | null, pb: (v: Json) => B | null, f: (a: A, b: B) => R) {
  return (x: Json, y: Json): R | null => {
    const a = pa(x);
    const b = pb(y);
    return a && b ? f(a, b) : null;
  };
}

/** Every element of an array parsed as one kind of shape; null when any is invalid or it is empty. */
function each<S>(parse: (v: Json) => S | null) {
  return (v: Json): S[] | null => {
    if (!Array.isArray(v) || v.length === 0) return null;
    const out: S[] = [];
    for (const x of v) {
      const s = parse(x);
      if (!s) return null;
      out.push(s);
    }
    return out;
  };
}

const singleLine = (v: Json): LngLat[] | null => {
  const ls = lines(v);
  return ls && ls.length === 1 && (v as { type: string }).type === 'LineString' ? ls[0] : null;
};

export const GEO_CATALOG: Record<string, GeoFunction> = {
  geo_distance_2points: {
    args: ['real', 'real', 'real', 'real'],
    returns: 'real',
    run: (lng1: number, lat1: number, lng2: number, lat2: number) => {
      const [a, b] = [lngLat(lng1, lat1), lngLat(lng2, lat2)];
      return a && b ? m.distance(a, b) : null;
    },
  },
  geo_point_in_circle: {
    args: ['real', 'real', 'real', 'real', 'real'],
    returns: 'bool',
    run: (lng: number, lat: number, clng: number, clat: number, radius: number) => {
      const [p, c] = [lngLat(lng, lat), lngLat(clng, clat)];
      return p && c && radius >= 0 ? m.distance(p, c) <= radius : null;
    },
  },
  geo_azimuth: {
    args: ['real', 'real', 'real', 'real'],
    returns: 'real',
    run: (lng1: number, lat1: number, lng2: number, lat2: number) => {
      const [a, b] = [lngLat(lng1, lat1), lngLat(lng2, lat2)];
      return a && b ? m.azimuth(a, b) : null;
    },
  },
  geo_angle: {
    args: ['real', 'real', 'real', 'real', 'real', 'real'],
    returns: 'real',
    run: (lng1: number, lat1: number, lng2: number, lat2: number, lng3: number, lat3: number) => {
      const [a, b, c] = [lngLat(lng1, lat1), lngLat(lng2, lat2), lngLat(lng3, lat3)];
      return a && b && c ? m.angle(a, b, c) : null;
    },
  },
  geo_point_in_polygon: {
    args: ['real', 'real', 'dynamic'],
    returns: 'bool',
    run: withPointAnd(polygons, m.pointInPolygons),
  },
  geo_distance_point_to_line: {
    args: ['real', 'real', 'dynamic'],
    returns: 'real',
    run: withPointAnd(lines, (p, ls) => closestOnLines(p, ls)?.metres ?? null),
  },
  geo_closest_point_on_line: {
    args: ['real', 'real', 'dynamic'],
    returns: 'dynamic',
    run: withPointAnd(lines, (p, ls) => pointOrNull(closestOnLines(p, ls)?.at ?? null)),
  },
  geo_distance_point_to_polygon: {
    args: ['real', 'real', 'dynamic'],
    returns: 'real',
    run: withPointAnd(polygons, m.distanceToPolygons),
  },
  geo_closest_point_on_polygon: {
    args: ['real', 'real', 'dynamic'],
    returns: 'dynamic',
    run: withPointAnd(polygons, (p, ps) => pointOrNull(m.closestOnPolygons(p, ps))),
  },
  geo_line_length: { args: ['dynamic'], returns: 'real', run: withShape(lines, m.lineLength) },
  geo_line_centroid: {
    args: ['dynamic'],
    returns: 'dynamic',
    run: withShape(lines, (ls) => pointOrNull(m.lineCentroid(ls))),
  },
  geo_line_interpolate_point: {
    args: ['dynamic', 'real'],
    returns: 'dynamic',
    run: withShape(singleLine, (l, fraction) => pointOrNull(m.lineInterpolate(l, fraction))),
  },
  geo_line_densify: {
    args: ['dynamic', 'real'],
    defaults: [10],
    returns: 'dynamic',
    run: withShape(lines, (ls, tolerance) => {
      const out = reshape.densifyLines(ls, tolerance);
      return out ? lineJson(out) : null;
    }),
  },
  geo_line_simplify: {
    args: ['dynamic', 'real'],
    defaults: [10],
    returns: 'dynamic',
    run: withShape(lines, (ls, tolerance) => {
      const out = reshape.simplifyLines(ls, tolerance);
      return out ? lineJson(out) : null;
    }),
  },
  geo_polygon_area: { args: ['dynamic'], returns: 'real', run: withShape(polygons, m.polygonArea) },
  geo_polygon_perimeter: { args: ['dynamic'], returns: 'real', run: withShape(polygons, m.polygonPerimeter) },
  geo_polygon_centroid: {
    args: ['dynamic'],
    returns: 'dynamic',
    run: withShape(polygons, (ps) => pointOrNull(m.polygonCentroid(ps))),
  },
  geo_polygon_densify: {
    args: ['dynamic', 'real'],
    defaults: [10],
    returns: 'dynamic',
    run: withShape(polygons, (ps, tolerance) => {
      const out = reshape.densifyPolygons(ps, tolerance);
      return out ? polygonJson(out) : null;
    }),
  },
  geo_polygon_simplify: {
    args: ['dynamic', 'real'],
    defaults: [10],
    returns: 'dynamic',
    run: withShape(polygons, (ps, tolerance) => {
      const out = reshape.simplifyPolygons(ps, tolerance);
      return out ? polygonJson(out) : null;
    }),
  },
  geo_intersects_2lines: {
    args: ['dynamic', 'dynamic'],
    returns: 'bool',
    run: withTwo(lines, lines, overlay.linesIntersect),
  },
  geo_intersects_2polygons: {
    args: ['dynamic', 'dynamic'],
    returns: 'bool',
    run: withTwo(polygons, polygons, overlay.polygonsIntersect),
  },
  geo_intersects_line_with_polygon: {
    args: ['dynamic', 'dynamic'],
    returns: 'bool',
    run: withTwo(lines, polygons, overlay.lineIntersectsPolygons),
  },
  geo_intersection_2lines: {
    args: ['dynamic', 'dynamic'],
    returns: 'dynamic',
    run: withTwo(singleLine, singleLine, (a, b) => overlay.linesIntersection([a], [b])),
  },
  geo_intersection_2polygons: {
    args: ['dynamic', 'dynamic'],
    returns: 'dynamic',
    run: withTwo(polygons, polygons, overlay.polygonsIntersection),
  },
  geo_intersection_line_with_polygon: {
    args: ['dynamic', 'dynamic'],
    returns: 'dynamic',
    run: withTwo(lines, polygons, overlay.lineInsidePolygons),
  },
  geo_union_polygons_array: {
    args: ['dynamic'],
    returns: 'dynamic',
    run: withShape(each(polygons), (all) => overlay.polygonsUnion(all)),
  },
  geo_union_lines_array: {
    args: ['dynamic'],
    returns: 'dynamic',
    run: withShape(each(lines), (all) => overlay.linesUnion(all.flat())),
  },
  geo_simplify_polygons_array: {
    args: ['dynamic', 'real'],
    defaults: [10],
    returns: 'dynamic',
    run: withShape(each(polygons), (all, tolerance) => {
      const simplified = all.map((ps) => reshape.simplifyPolygons(ps, tolerance));
      return simplified.every((s) => s) ? overlay.polygonsUnion(simplified as Rings[][]) : null;
    }),
  },
  geo_from_wkt: { args: ['string'], returns: 'dynamic', run: fromWkt },
  geo_point_to_geohash: {
    args: ['real', 'real', 'real'],
    defaults: [5],
    returns: 'string',
    run: cellOf(cells.pointToGeohash),
  },
  geo_geohash_to_central_point: {
    args: ['string'],
    returns: 'dynamic',
    run: (hash: string) => pointOrNull(cells.geohashCenter(hash)),
  },
  geo_geohash_to_polygon: { args: ['string'], returns: 'dynamic', run: cells.geohashPolygon },
  geo_geohash_neighbors: { args: ['string'], returns: 'dynamic', run: cells.geohashNeighbors },
  geo_point_to_s2cell: {
    args: ['real', 'real', 'real'],
    defaults: [11],
    returns: 'string',
    run: cellOf(cells.pointToS2Cell),
  },
  geo_s2cell_to_central_point: {
    args: ['string'],
    returns: 'dynamic',
    run: (token: string) => pointOrNull(cells.s2CellCenter(token)),
  },
  geo_s2cell_to_polygon: { args: ['string'], returns: 'dynamic', run: cells.s2CellPolygon },
  geo_s2cell_neighbors: { args: ['string'], returns: 'dynamic', run: cells.s2CellNeighbors },
  geo_polygon_to_s2cells: {
    args: ['dynamic', 'real'],
    defaults: [11],
    returns: 'dynamic',
    run: withShape(polygons, cells.polygonToS2Cells),
  },
  geo_line_to_s2cells: {
    args: ['dynamic', 'real'],
    defaults: [11],
    returns: 'dynamic',
    run: withShape(lines, cells.lineToS2Cells),
  },
  geo_point_to_h3cell: {
    args: ['real', 'real', 'real'],
    defaults: [6],
    returns: 'string',
    run: cellOf(cells.pointToH3Cell),
  },
  geo_h3cell_level: { args: ['string'], returns: 'int', run: cells.h3CellLevel },
  geo_h3cell_to_central_point: {
    args: ['string'],
    returns: 'dynamic',
    run: (cell: string) => pointOrNull(cells.h3CellCenter(cell)),
  },
  geo_h3cell_to_polygon: { args: ['string'], returns: 'dynamic', run: cells.h3CellPolygon },
  geo_h3cell_parent: {
    args: ['string', 'real'],
    defaults: [UNSPECIFIED],
    returns: 'string',
    run: (cell: string, res: number) => cells.h3CellParent(cell, specified(res)),
  },
  geo_h3cell_children: {
    args: ['string', 'real'],
    defaults: [UNSPECIFIED],
    returns: 'dynamic',
    run: (cell: string, res: number) => cells.h3CellChildren(cell, specified(res)),
  },
  geo_h3cell_neighbors: { args: ['string'], returns: 'dynamic', run: cells.h3CellNeighbors },
  geo_h3cell_rings: { args: ['string', 'real'], returns: 'dynamic', run: cells.h3CellRings },
  geo_polygon_to_h3cells: {
    args: ['dynamic', 'real'],
    defaults: [6],
    returns: 'dynamic',
    run: withShape(polygons, cells.polygonToH3Cells),
  },
};
