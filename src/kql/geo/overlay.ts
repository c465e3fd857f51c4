/**
 * Relations between shapes: whether they intersect (S2's geodesic edge crossings and containment) and
 * what they share (line crossings from S2; polygon overlay and unions from polygon-clipping, which works
 * in the longitude/latitude plane — for the short edges of real shapes the difference from Kusto's
 * geodesic overlay is far below the documented digits).
 */
import { polygonClipping, s2 } from './libs.js';
import type { MultiPolygon as ClipMultiPolygon } from 'polygon-clipping';
import { gnomonicFor } from './gnomonic.js';
import { closestOnLines, polyline } from './nearest.js';
import { fromPoint, s2Polygon, toPoint, type LngLat, type Rings } from './shapes.js';

type Geometry = { type: string; coordinates?: unknown; geometries?: Geometry[] };

const EMPTY: Geometry = { type: 'GeometryCollection', geometries: [] };

/** Whether any edge of a crosses or touches any edge of b (S2's polyline crossing test). */
function edgesCross(a: LngLat[][], b: LngLat[][]): boolean {
  const pb = b.map(polyline);
  return a.map(polyline).some((x) => pb.some((y) => x.intersects(y)));
}

/** Where two geodesic edges cross (the crossing of their great circles that lies on both), or null. */
function crossing(a0: s2.Point, a1: s2.Point, b0: s2.Point, b1: s2.Point): s2.Point | null {
  const x = a0.vector.cross(a1.vector).cross(b0.vector.cross(b1.vector));
  if (x.norm() === 0) return null;
  const candidates = [x.normalize(), x.normalize().mul(-1)].map((v) => s2.Point.fromVector(v));
  const onEdge = (p: s2.Point, e0: s2.Point, e1: s2.Point) =>
    Math.abs(e0.distance(p) + p.distance(e1) - e0.distance(e1)) <= 1e-15;
  return candidates.find((p) => onEdge(p, a0, a1) && onEdge(p, b0, b1)) ?? null;
}

export const linesIntersect = (a: LngLat[][], b: LngLat[][]): boolean => edgesCross(a, b);

export function polygonsIntersect(a: Rings[], b: Rings[]): boolean {
  const pa = a.map(s2Polygon);
  return b.map(s2Polygon).some((q) => pa.some((p) => p.intersects(q)));
}

export function lineIntersectsPolygons(lines: LngLat[][], polys: Rings[]): boolean {
  const shapes = polys.map(s2Polygon);
  const inside = lines.some((l) => l.some((v) => shapes.some((s) => s.containsPoint(toPoint(v)))));
  return inside || edgesCross(lines, polys.flat());
}

const key = (p: LngLat) => `${p[0]},${p[1]}`;

/** Collinear overlap of two planar segments, as a segment, or null. */
function overlap(a0: LngLat, a1: LngLat, b0: LngLat, b1: LngLat): [LngLat, LngLat] | null {
  const dx = a1[0] - a0[0];
  const dy = a1[1] - a0[1];
  const cross = (p: LngLat) => dx * (p[1] - a0[1]) - dy * (p[0] - a0[0]);
  const scale = Math.hypot(dx, dy) * 1e-12;
  if (Math.abs(cross(b0)) > scale || Math.abs(cross(b1)) > scale) return null;
  const t = (p: LngLat) => ((p[0] - a0[0]) * dx + (p[1] - a0[1]) * dy) / (dx * dx + dy * dy);
  const [tb0, tb1] = [t(b0), t(b1)];
  const lo = Math.max(0, Math.min(tb0, tb1));
  const hi = Math.min(1, Math.max(tb0, tb1));
  if (hi <= lo) return null;
  const at = (s: number): LngLat =>
    s === 0 ? a0 : s === 1 ? a1 : s === tb0 ? b0 : s === tb1 ? b1 : [a0[0] + s * dx, a0[1] + s * dy];
  return [at(lo), at(hi)];
}

function collection(points: LngLat[], segments: [LngLat, LngLat][]): Geometry {
  const parts: Geometry[] = [];
  if (segments.length === 1) parts.push({ type: 'LineString', coordinates: segments[0] });
  else if (segments.length > 1) parts.push({ type: 'MultiLineString', coordinates: segments });
  if (points.length === 1) parts.push({ type: 'Point', coordinates: points[0] });
  else if (points.length > 1) parts.push({ type: 'MultiPoint', coordinates: points });
  return parts.length === 1 ? parts[0] : { type: 'GeometryCollection', geometries: parts };
}

/** What two lines share: crossing points and overlapping pieces. */
export function linesIntersection(a: LngLat[][], b: LngLat[][]): Geometry {
  const points = new Map<string, LngLat>();
  const segments: [LngLat, LngLat][] = [];
  const segs = (lines: LngLat[][]) =>
    lines.flatMap((l) => l.slice(1).map((p, i): [LngLat, LngLat] => [l[i], p]));
  const sb = segs(b);
  for (const [a0, a1] of segs(a)) {
    for (const [b0, b1] of sb) {
      const common = overlap(a0, a1, b0, b1);
      if (common) {
        segments.push(common);
        continue;
      }
      const [pa0, pa1, pb0, pb1] = [a0, a1, b0, b1].map(toPoint);
      const shared = [a0, a1].find((p) => key(p) === key(b0) || key(p) === key(b1));
      const x = shared ? toPoint(shared) : crossing(pa0, pa1, pb0, pb1);
      if (!x) continue;
      const at = shared ?? fromPoint(x);
      points.set(key(at), at);
    }
  }
  const onSegment = (p: LngLat) =>
    segments.some(([s0, s1]) => overlap(s0, s1, p, p) !== null || key(s0) === key(p) || key(s1) === key(p));
  return collection(
    [...points.values()].filter((p) => !onSegment(p)),
    segments,
  );
}

type Clip = (a: ClipMultiPolygon, ...rest: ClipMultiPolygon[]) => ClipMultiPolygon;

/** A polygon-clipping operation in the gnomonic plane of the shapes (geodesic edges stay exact). */
function clipOnSphere(op: Clip, all: Rings[][]): Rings[] | null {
  const g = gnomonicFor(all.flat(3));
  if (!g) return null;
  const [first, ...rest] = all.map((ps) => ps.map((rings) => rings.map((r) => r.map(g.forward))));
  return op(first, ...rest).map((rings) => rings.map((r) => r.map(g.inverse)));
}

function polygonsGeometry(result: Rings[]): Geometry {
  if (result.length === 0) return EMPTY;
  if (result.length === 1) return { type: 'Polygon', coordinates: result[0] };
  return { type: 'MultiPolygon', coordinates: result };
}

/** Vertices of one polygon lying on the boundary of the other: where two polygons only touch. */
function touchingPoints(a: Rings, b: Rings): LngLat[] {
  const on = (p: LngLat, rings: Rings) => (closestOnLines(p, rings)?.metres ?? Infinity) <= 1e-6;
  const found = new Map<string, LngLat>();
  for (const [from, to] of [
    [a, b],
    [b, a],
  ])
    for (const p of from.flat()) if (on(p, to)) found.set(key(p), p);
  return [...found.values()];
}

/**
 * What two (multi)polygons share: the overlay's polygons, plus a Point where two of their polygons only
 * touch (as Kusto reports it).
 */
export function polygonsIntersection(a: Rings[], b: Rings[]): Geometry | null {
  const result = clipOnSphere(polygonClipping.intersection, [a, b]);
  if (!result) return null;
  const touches = new Map<string, LngLat>();
  for (const pa of a)
    for (const pb of b)
      if (!clipOnSphere(polygonClipping.intersection, [[pa], [pb]])?.length)
        for (const p of touchingPoints(pa, pb)) touches.set(key(p), p);
  const points = [...touches.values()];
  if (points.length === 0) return polygonsGeometry(result);
  const pointPart: Geometry =
    points.length === 1
      ? { type: 'Point', coordinates: points[0] }
      : { type: 'MultiPoint', coordinates: points };
  return result.length
    ? { type: 'GeometryCollection', geometries: [pointPart, polygonsGeometry(result)] }
    : pointPart;
}

/** The pieces of the lines inside the polygons (edges split where they cross a polygon's boundary). */
export function lineInsidePolygons(lines: LngLat[][], polys: Rings[]): Geometry | null {
  const g = gnomonicFor([...lines.flat(), ...polys.flat(2)]);
  if (!g) return null;
  const planarPolys = polys.map((rings) => rings.map((r) => r.map(g.forward)));
  const edgesXY = planarPolys.flatMap((rings) => rings.flatMap((r) => r.slice(1).map((p, i) => [r[i], p])));
  const inside = (p: [number, number]) => planarPolys.some((rings) => insideRings(p, rings));
  const chains: [number, number][][] = [];
  for (const line of lines) {
    let chain: [number, number][] | undefined;
    const xy = line.map(g.forward);
    for (let i = 1; i < xy.length; i++) {
      const [p, q] = [xy[i - 1], xy[i]];
      const cuts = [
        0,
        1,
        ...edgesXY.map(([u, v]) => segmentCut(p, q, u, v)).filter((t): t is number => t !== null),
      ];
      const ts = [...new Set(cuts)].sort((x, y) => x - y);
      for (let k = 1; k < ts.length; k++) {
        const at = (t: number): [number, number] =>
          t === 0 ? p : t === 1 ? q : [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
        const mid = at((ts[k - 1] + ts[k]) / 2);
        if (inside(mid)) {
          if (!chain) chains.push((chain = [at(ts[k - 1])]));
          chain.push(at(ts[k]));
        } else chain = undefined;
      }
    }
  }
  const out = chains.map((c) => c.map(g.inverse));
  if (out.length === 0) return EMPTY;
  return out.length === 1
    ? { type: 'LineString', coordinates: out[0] }
    : { type: 'MultiLineString', coordinates: out };
}

/** Where on p→q (0..1) the segment u→v crosses it, or null. */
function segmentCut(
  p: [number, number],
  q: [number, number],
  u: [number, number],
  v: [number, number],
): number | null {
  const [rx, ry, sx, sy] = [q[0] - p[0], q[1] - p[1], v[0] - u[0], v[1] - u[1]];
  const denom = rx * sy - ry * sx;
  if (denom === 0) return null;
  const t = ((u[0] - p[0]) * sy - (u[1] - p[1]) * sx) / denom;
  const s = ((u[0] - p[0]) * ry - (u[1] - p[1]) * rx) / denom;
  return t > 0 && t < 1 && s >= 0 && s <= 1 ? t : null;
}

/** Even-odd containment of a planar point in a polygon's rings (shell and holes). */
function insideRings([x, y]: [number, number], rings: [number, number][][]): boolean {
  let inside = false;
  for (const r of rings)
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i];
      const [xj, yj] = r[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  return inside;
}

/** The union of polygons, as polygons (overlaps merged); null when they span too much of the Earth. */
export function unionRings(all: Rings[][]): Rings[] | null {
  return clipOnSphere(polygonClipping.union, all);
}

export function polygonsUnion(all: Rings[][]): Geometry | null {
  const result = unionRings(all);
  return result ? polygonsGeometry(result) : null;
}

/** Lines merged where they overlap: the union of their edges, chained into as few lines as possible. */
export function linesUnion(all: LngLat[][]): Geometry {
  const seen = new Set<string>();
  const edgesOut: [LngLat, LngLat][] = [];
  for (const l of all) {
    for (let i = 1; i < l.length; i++) {
      const [p, q] = [l[i - 1], l[i]];
      if (key(p) === key(q)) continue;
      const id = [key(p), key(q)].sort().join('|');
      if (!seen.has(id)) {
        seen.add(id);
        edgesOut.push([p, q]);
      }
    }
  }
  const chains: LngLat[][] = [];
  for (const [p, q] of edgesOut) {
    const tail = chains.find((c) => key(c[c.length - 1]) === key(p));
    if (tail) tail.push(q);
    else chains.push([p, q]);
  }
  return chains.length === 1
    ? { type: 'LineString', coordinates: chains[0] }
    : { type: 'MultiLineString', coordinates: chains };
}
