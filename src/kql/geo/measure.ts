/**
 * Kusto's geo measurements on the sphere, through S2 (s2js): distances, azimuths, lengths, areas,
 * centroids, containment and closest points. Each function takes already-validated shapes (shapes.ts)
 * and returns null where Kusto does (coincident points, degenerate shapes).
 */
import { s2 } from './libs.js';
import {
  EARTH_RADIUS_M,
  dedupe,
  fromPoint,
  metres,
  s2Polygon,
  toPoint,
  type LngLat,
  type Rings,
} from './shapes.js';
import { closestOnLines, polyline } from './nearest.js';
import { unionRings } from './overlay.js';

const TWO_PI = 2 * Math.PI;

export const distance = (a: LngLat, b: LngLat): number => metres(toPoint(a), toPoint(b));

/** Initial bearing of the geodesic a → b, clockwise from north, in [0, 2π); null for one point. */
export function azimuth(a: LngLat, b: LngLat): number | null {
  const pa = toPoint(a);
  const pb = toPoint(b);
  if (pa.distance(pb) === 0) return null;
  const [lng1, lat1] = [a[0] * (Math.PI / 180), a[1] * (Math.PI / 180)];
  const [lng2, lat2] = [b[0] * (Math.PI / 180), b[1] * (Math.PI / 180)];
  const y = Math.sin(lng2 - lng1) * Math.cos(lat2);
  const x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(lng2 - lng1);
  const az = Math.atan2(y, x);
  return az < 0 ? az + TWO_PI : az;
}

/** Angle at p2 between the geodesics p2 → p1 and p2 → p3, in [0, π]; null when two points coincide. */
export function angle(p1: LngLat, p2: LngLat, p3: LngLat): number | null {
  const a = azimuth(p2, p1);
  const b = azimuth(p2, p3);
  if (a === null || b === null) return null;
  const d = Math.abs(a - b);
  return d > Math.PI ? TWO_PI - d : d;
}

/** Lines whose every edge has length: Kusto rejects a line that is one repeated point. */
function nonDegenerate(lines: LngLat[][]): boolean {
  return lines.every((l) => dedupe(l).length >= 2);
}

export function lineLength(lines: LngLat[][]): number | null {
  if (!nonDegenerate(lines)) return null;
  return lines.reduce((sum, l) => sum + polyline(l).length() * EARTH_RADIUS_M, 0);
}

/** The sum of the lines' true centroids (S2's length-weighted centroid), projected to the sphere. */
export function lineCentroid(lines: LngLat[][]): LngLat | null {
  if (!nonDegenerate(lines)) return null;
  const sum = lines
    .map((l) => polyline(l).centroid())
    .reduce((acc, c) => acc.add(c.vector), new s2.Point(0, 0, 0).vector);
  if (sum.norm() === 0) return null;
  return fromPoint(s2.Point.fromVector(sum.normalize()));
}

export function lineInterpolate(line: LngLat[], fraction: number): LngLat | null {
  if (!(fraction >= 0 && fraction <= 1) || dedupe(line).length < 2) return null;
  return fromPoint(polyline(line).interpolate(fraction)[0]);
}

/** Polygons as S2 polygons; null when a ring encloses no area (collinear vertices). */
function s2Polygons(polys: Rings[]): s2.Polygon[] | null {
  const out = polys.map(s2Polygon);
  return out.every((p) => p.area() > 0) ? out : null;
}

/**
 * A multipolygon as Kusto measures it: the union of its polygons (overlaps count once). Null when a
 * polygon is degenerate or the union cannot be formed.
 */
function merged(polys: Rings[]): Rings[] | null {
  if (!s2Polygons(polys)) return null;
  return polys.length === 1 ? polys : unionRings(polys.map((p) => [p]));
}

export function pointInPolygons(p: LngLat, polys: Rings[]): boolean | null {
  const shapes = s2Polygons(polys);
  if (!shapes) return null;
  const target = toPoint(p);
  return shapes.some((s) => s.containsPoint(target)) || onBoundary(p, polys);
}

/** Kusto's polygons contain their vertices and edges. */
function onBoundary(target: LngLat, polys: Rings[]): boolean {
  const nearest = closestOnLines(target, polys.flat());
  return nearest !== null && nearest.metres <= 1e-9;
}

export function polygonArea(polys: Rings[]): number | null {
  const union = merged(polys);
  const shapes = union && s2Polygons(union);
  return shapes ? shapes.reduce((sum, s) => sum + s.area(), 0) * EARTH_RADIUS_M ** 2 : null;
}

export function polygonPerimeter(polys: Rings[]): number | null {
  const union = merged(polys);
  if (!union) return null;
  const rings = union.flat();
  return rings.reduce((sum, r) => sum + polyline(r).length() * EARTH_RADIUS_M, 0);
}

export function polygonCentroid(polys: Rings[]): LngLat | null {
  const union = merged(polys);
  const shapes = union && s2Polygons(union);
  if (!shapes) return null;
  const sum = shapes
    .map((s) => s.centroid())
    .reduce((acc, c) => acc.add(c.vector), new s2.Point(0, 0, 0).vector);
  return sum.norm() === 0 ? null : fromPoint(s2.Point.fromVector(sum.normalize()));
}

/** Distance from p to the polygons in metres: 0 inside, else to the nearest edge. */
export function distanceToPolygons(p: LngLat, polys: Rings[]): number | null {
  const inside = pointInPolygons(p, polys);
  if (inside === null) return null;
  if (inside) return 0;
  return closestOnLines(p, polys.flat())?.metres ?? null;
}

export function closestOnPolygons(p: LngLat, polys: Rings[]): LngLat | null {
  const inside = pointInPolygons(p, polys);
  if (inside === null) return null;
  if (inside) return p;
  return closestOnLines(p, polys.flat())?.at ?? null;
}
