/**
 * Densify and simplify. Densify turns planar edges (straight in longitude/latitude, as GeoJSON draws
 * them) into chains of geodesics: an edge is halved until the planar midpoint lies within `tolerance`
 * metres of the geodesic midpoint. Simplify keeps the vertices S2's polyline subsampling keeps (no kept
 * edge strays more than `tolerance` metres from the dropped vertices); a shape whose every vertex lies
 * within the tolerance of its first collapses to a point, which Kusto answers with null.
 */
import { s2 } from './libs.js';
import { EARTH_RADIUS_M, dedupe, metres, toPoint, type LngLat, type Rings } from './shapes.js';

const MIN_DENSIFY_TOLERANCE = 0.1;
const MAX_DENSIFY_TOLERANCE = 10000;
/** Kusto's cap on the points of one densified shape. */
const MAX_DENSIFIED_POINTS = 10485760;

function densifyEdge(a: LngLat, b: LngLat, tolerance: number, out: LngLat[]): void {
  const mid: LngLat = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const geodesicMid = s2.Point.fromVector(toPoint(a).vector.add(toPoint(b).vector).normalize());
  if (out.length < MAX_DENSIFIED_POINTS && metres(toPoint(mid), geodesicMid) > tolerance) {
    densifyEdge(a, mid, tolerance, out);
    out.push(mid);
    densifyEdge(mid, b, tolerance, out);
  }
}

function densifyChain(points: LngLat[], tolerance: number): LngLat[] {
  const out: LngLat[] = [points[0]];
  for (let i = 1; i < points.length; i++) {
    densifyEdge(points[i - 1], points[i], tolerance, out);
    out.push(points[i]);
  }
  return out;
}

export const validDensifyTolerance = (t: number): boolean =>
  t >= MIN_DENSIFY_TOLERANCE && t <= MAX_DENSIFY_TOLERANCE;

export function densifyLines(lines: LngLat[][], tolerance: number): LngLat[][] | null {
  return validDensifyTolerance(tolerance) ? lines.map((l) => densifyChain(l, tolerance)) : null;
}

export function densifyPolygons(polys: Rings[], tolerance: number): Rings[] | null {
  return validDensifyTolerance(tolerance)
    ? polys.map((rings) => rings.map((r) => densifyChain(r, tolerance)))
    : null;
}

function collapses(points: LngLat[], tolerance: number): boolean {
  const first = toPoint(points[0]);
  return points.every((p) => metres(first, toPoint(p)) <= tolerance);
}

/** Metres from p to the geodesic edge a–b. */
function edgeDistance(p: s2.Point, a: s2.Point, b: s2.Point): number {
  if (a.distance(b) === 0) return p.distance(a) * EARTH_RADIUS_M;
  const [nearest] = new s2.Polyline([a, b]).project(p);
  return p.distance(nearest) * EARTH_RADIUS_M;
}

/** Douglas–Peucker on the sphere: indexes of the vertices kept between first and last. */
function keep(points: s2.Point[], first: number, last: number, tolerance: number, out: number[]): void {
  let far = -1;
  let farDistance = tolerance;
  for (let i = first + 1; i < last; i++) {
    const d = edgeDistance(points[i], points[first], points[last]);
    if (d > farDistance) [far, farDistance] = [i, d];
  }
  if (far < 0) return;
  keep(points, first, far, tolerance, out);
  out.push(far);
  keep(points, far, last, tolerance, out);
}

/** The vertices Douglas–Peucker keeps (a closed ring keeps its first vertex as both ends). */
function subsample(points: LngLat[], tolerance: number): LngLat[] {
  const sphere = points.map(toPoint);
  const kept = [0];
  keep(sphere, 0, points.length - 1, tolerance, kept);
  kept.push(points.length - 1);
  return kept.map((i) => points[i]);
}

export function simplifyLines(lines: LngLat[][], tolerance: number): LngLat[][] | null {
  if (!(tolerance >= 0)) return null;
  const out: LngLat[][] = [];
  for (const l of lines) {
    const points = dedupe(l);
    if (points.length < 2 || collapses(points, tolerance)) return null;
    out.push(subsample(points, tolerance));
  }
  return out;
}

export function simplifyPolygons(polys: Rings[], tolerance: number): Rings[] | null {
  if (!(tolerance >= 0)) return null;
  const out: Rings[] = [];
  for (const rings of polys) {
    const simplified: LngLat[][] = [];
    for (const r of rings) {
      const points = dedupe(r);
      const kept = subsample(points, tolerance);
      if (collapses(points, tolerance) || kept.length < 4) return null;
      simplified.push(kept);
    }
    out.push(simplified);
  }
  return out;
}
